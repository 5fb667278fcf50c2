"""Builders of tiny hand-made Frames for the metrics tests (no tests here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.frames import Frames, Policy, empty_frame, frames_from_tables
from store.read import _typed
from store.schema import metadata
from store.types import Day, Timestamp

D = dt.date


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A frame of table NAME typed as the store reads it; columns not given are null (bot flags false)."""
    if not rows:
        return empty_frame(name)
    out = {}
    for column in metadata.tables[name].columns:
        values = [row.get(column.name) for row in rows]
        if column.name.endswith("_is_bot") or column.name.startswith("is_"):
            values = [bool(v) for v in values]
        if isinstance(column.type, Timestamp):
            values = [None if v is None else pd.Timestamp(v) for v in values]
        if isinstance(column.type, Day):
            values = [None if v is None else str(v) for v in values]
        out[column.name] = _typed(values, column)
    return pd.DataFrame(out)


def team(team_id: str, tz: str = "UTC", started_on=None, **extra) -> dict:
    """A teams row."""
    return {"team_id": team_id, "name": team_id.title(), "sourcing_model": "offshoring", "timezone": tz,
            "started_on": started_on, **extra}


def member(team_id: str, login: str, joined="2020-01-01", left=None, seniority="mid", jira=None) -> dict:
    """A memberships row of github:LOGIN (with its identities made by make_frames)."""
    return {"team_id": team_id, "person_id": f"github:{login.lower()}", "joined_on": joined, "left_on": left,
            "seniority": seniority, "jira": jira}


def make_frames(policy: Policy | None = None, **tables: list[dict]) -> Frames:
    """Frames from lists of row dicts; identities come from the memberships (github login, jira account)."""
    memberships = tables.get("memberships", [])
    identities = {(*m["person_id"].split(":", 1), m["person_id"]) for m in memberships}
    identities |= {("jira", m["jira"], m["person_id"]) for m in memberships if m.get("jira")}
    tables.setdefault("identities", [{"source": s, "identity": i, "person_id": p} for s, i, p in sorted(identities)])
    frames = frames_from_tables({name: table(name, rows) for name, rows in tables.items()})
    return frames if policy is None else Frames(**{**frames.__dict__, "policy": policy})


def values(frame: pd.DataFrame, team_id: str) -> dict:
    """{key: value} of one team in a kpi_table."""
    rows = frame[frame["team"] == team_id]
    return dict(zip(rows["key"], rows["value"], strict=True))


def samples(frame: pd.DataFrame, team_id: str) -> dict:
    """{key: n} of one team in a kpi_table."""
    rows = frame[frame["team"] == team_id]
    return dict(zip(rows["key"], rows["n"], strict=True))
