"""The metrics' input: every store frame plus the policy, parsed once (Frames), and its attributed facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from functools import cached_property

import pandas as pd

from metrics.inputs import TABLES
from store.read import empty_frame as store_empty_frame


@dataclass(frozen=True)
class Policy:
    """The judgement calls the metrics apply (from the settings table; defaults as in data.md)."""

    incident_window_days: int = 7
    rubber_stamp_min_lines: int = 50
    jira_url: str | None = None
    dora_version: str = "2023"


@dataclass(frozen=True)
class Frames:
    """Every input frame of the metrics and the policy; `facts` holds them attributed to teams (cached)."""

    pull_requests: pd.DataFrame
    reviews: pd.DataFrame
    review_comments: pd.DataFrame
    deployments: pd.DataFrame
    issues: pd.DataFrame
    issue_transitions: pd.DataFrame
    sprints: pd.DataFrame
    teams: pd.DataFrame
    people: pd.DataFrame
    identities: pd.DataFrame
    memberships: pd.DataFrame
    team_repos: pd.DataFrame
    team_jira_projects: pd.DataFrame
    team_boards: pd.DataFrame
    policy: Policy = field(default_factory=Policy)

    @cached_property
    def facts(self):
        """The activity attributed to teams, with local days (computed once per Frames)."""
        from metrics.attribution import attribute
        return attribute(self)

    def scoped(self, teams: list[str]) -> Frames:
        """The same frames whose facts hold only TEAMS' activity (cheaper KPIs for a few teams)."""
        view = replace(self)
        view.__dict__["facts"] = self.facts.only(teams)
        return view


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with TABLE's columns as the metrics read them."""
    return store_empty_frame(table, TABLES.get(table))


def policy_from_settings(settings: pd.DataFrame | None) -> Policy:
    """The Policy stored in the settings table (JSON values); unknown keys are ignored."""
    if settings is None or settings.empty:
        return Policy()
    values = {k: json.loads(v) for k, v in zip(settings["key"], settings["value"], strict=True) if v is not None}
    known = {f.name for f in fields(Policy)}
    return Policy(**{k: v for k, v in values.items() if k in known})


def frames_from_tables(tables: dict[str, pd.DataFrame]) -> Frames:
    """Build Frames from store.read_frames(engine, TABLES) output; a missing table is an empty frame."""
    names = [f.name for f in fields(Frames) if f.name != "policy"]
    parts = {name: tables[name] if name in tables else empty_frame(name) for name in names}
    return Frames(**parts, policy=policy_from_settings(tables.get("settings")))
