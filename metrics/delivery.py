"""Delivery KPIs: deployments, deploy days, merge and pickup times, DORA lead time, change failure, restore."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from metrics import dora, tidy
from metrics.attribution import UNASSIGNED, Facts
from metrics.periods import Window, bucket, local_day
from metrics.review import merged_in, merged_table


def deployments(frames, win: Window) -> pd.DataFrame:
    """Successful production deployments finished in the window."""
    return tidy.count(win.assign(frames.facts.deploys, "day"), "deployments")


def teams_with_repos(facts: Facts) -> list[str]:
    """Teams owning a repo (unassigned when some deployment's repo has no owner)."""
    teams = set(facts.owned_repos["team"])
    if (facts.deploys["team"] == UNASSIGNED).any():
        teams.add(UNASSIGNED)
    return sorted(teams)


def _median_deploy_days(facts: Facts, win: Window, sub: str) -> tuple[pd.Series, pd.Series]:
    """Median over the sub-periods (ISO weeks "W" or months "M") of each period of distinct deploy days."""
    days = win.assign(facts.deploys, "day").drop_duplicates(["team", "day"])
    days = days.assign(sub=bucket(days["day"], None, sub))
    counts = days.groupby(["team", "period", "sub"], observed=True).size().rename("days")
    grid = win.sub_grid(teams_with_repos(facts), sub)
    grid = grid.merge(counts.reset_index(), on=["team", "period", "sub"], how="left").fillna({"days": 0})
    grouped = grid.groupby(tidy.BY)["days"]
    return grouped.median(), grouped.size()


def deploy_days(frames, win: Window) -> pd.DataFrame:
    """deploy_days_per_week and the DORA deployment frequency band (n = the window's ISO weeks)."""
    facts = frames.facts
    per_week, weeks = _median_deploy_days(facts, win, "W")
    per_month, _ = _median_deploy_days(facts, win, "M")
    version = frames.policy.dora_version
    fallback = dora.band(per_month.reindex(per_week.index), "deploy_days_per_month", version)
    bands = dora.band(per_week, "deploy_days_per_week", version, fallback=fallback)
    return tidy.concat([tidy.rows(per_week, weeks, "deploy_days_per_week"),
                      tidy.rows(bands, weeks, "deploy_frequency_band")])


def merge_and_pickup(frames, win: Window) -> pd.DataFrame:
    """merged_prs, merge_time_hours and pickup_time_hours."""
    prs = merged_in(frames.facts, win)
    return tidy.concat([tidy.count(prs, "merged_prs"), tidy.quantile(prs, "merge_hours", "merge_time_hours"),
                        tidy.quantile(prs, "pickup_hours", "pickup_time_hours")])


@lru_cache(maxsize=4)
def deployed_prs(facts: Facts) -> pd.DataFrame:
    """Each merged PR with the deployment that shipped it (first at or after the merge, if an earlier one exists)."""
    deps = facts.deploys[["repo", "finished_at"]].sort_values("finished_at")
    prs = facts.prs.dropna(subset=["merged_at"])[["pr_id", "repo", "team", "tz", "created_at", "first_commit_at",
                                                   "merged_at"]].sort_values("merged_at")
    shipped = pd.merge_asof(prs, deps.rename(columns={"finished_at": "deployed_at"}), left_on="merged_at",
                            right_on="deployed_at", by="repo", direction="forward")
    first_deploy = shipped["repo"].map(deps.groupby("repo")["finished_at"].min())
    shipped = shipped[shipped["deployed_at"].notna() & (first_deploy < shipped["merged_at"])].copy()
    start = shipped["first_commit_at"].fillna(shipped["created_at"])
    shipped["lead_hours"] = tidy.hours(shipped["deployed_at"] - start)
    shipped["deployed_day"] = local_day(shipped["deployed_at"], shipped["tz"])
    return shipped.reset_index(drop=True)


def lead_time(frames, win: Window) -> pd.DataFrame:
    """lead_time_hours: median over PRs whose deployment finished in the window."""
    shipped = deployed_prs(frames.facts.root)
    if frames.facts.whole is not None:
        shipped = shipped[shipped["pr_id"].isin(frames.facts.prs["pr_id"])]
    shipped = win.assign(shipped, "deployed_day")
    return tidy.quantile(shipped, "lead_hours", "lead_time_hours")


STAGES = ("coding", "pickup", "review", "deploy")


def lead_time_stages(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Where lead time goes (drill-down): per team and stage of its PRs merged in the window, the median hours
    and n (PRs with that stage). Columns team, stage, hours, n: one row per team with merged PRs and stage in
    STAGES order, hours null when n is 0. Stages, each clipped at 0: coding = first_commit_at (created_at when
    unknown) → ready_at (created_at when never a draft); pickup = ready_at → first non-author review or comment
    (pickup_time_hours' sample); review = that first review → merged_at; deploy = merged_at → finished_at of the
    deployment that shipped the PR (lead_time_hours' matching; PRs without one have no deploy stage)."""
    prs = Window(start, end).assign(merged_table(frames.facts), "merged_day")
    if teams is not None:
        prs = prs[prs["team"].isin(teams)]
    info = frames.facts.prs.loc[prs.index]
    deployed = prs["pr_id"].map(deployed_prs(frames.facts.root).set_index("pr_id")["deployed_at"])
    stages = pd.DataFrame({
        "team": prs["team"].astype(str),
        "coding": tidy.hours(info["ready_at"] - info["first_commit_at"].fillna(info["created_at"])),
        "pickup": prs["pickup_hours"],
        "review": tidy.hours(info["merged_at"] - prs["first_review_at"]),
        "deploy": tidy.hours(deployed - info["merged_at"]),
    }).melt(id_vars="team", var_name="stage", value_name="hours")
    stages["hours"] = stages["hours"].clip(lower=0)
    out = stages.groupby(["team", "stage"], sort=False)["hours"].agg(["median", "count"]).reset_index()
    out = out.rename(columns={"median": "hours", "count": "n"}).astype({"hours": "float64", "n": "int64"})
    out["stage"] = pd.Categorical(out["stage"], STAGES, ordered=True)
    return out.sort_values(["team", "stage"]).astype({"stage": str}).reset_index(drop=True)


def _charged(events: pd.DataFrame, deploys: pd.DataFrame, at: str, by: str, window_days: int) -> pd.Series:
    """The deployment each event is charged to: the latest of its BY before it, at most WINDOW_DAYS older."""
    events = events.dropna(subset=[at, by]).sort_values(at)
    deploys = deploys.dropna(subset=[by]).sort_values("finished_at")
    hit = pd.merge_asof(events[[at, by]], deploys[["finished_at", by, "deployment_id"]], left_on=at,
                        right_on="finished_at", by=by, direction="backward", allow_exact_matches=False,
                        tolerance=pd.Timedelta(days=window_days))
    return hit["deployment_id"].dropna()


@lru_cache(maxsize=4)
def failed_deployments(facts: Facts, window_days: int) -> frozenset:
    """Deployments that caused an incident (of the team owning them) or were followed by a `Revert "` PR."""
    incidents = facts.issues[facts.issues["is_incident"]]
    reverts = facts.prs[facts.prs["is_revert"] & facts.prs["merged_at"].notna()]
    return frozenset(_charged(incidents, facts.deploys, "created_at", "team", window_days)) | frozenset(
        _charged(reverts, facts.deploys, "merged_at", "repo", window_days))


def change_failure(frames, win: Window) -> pd.DataFrame:
    """change_failure_rate: deployments in the window that caused an incident or revert / deployments."""
    failed = failed_deployments(frames.facts.root, frames.policy.incident_window_days)
    deps = win.assign(frames.facts.deploys, "day")
    deps = deps.assign(failed=deps["deployment_id"].isin(failed))
    return tidy.share(deps, "failed", "change_failure_rate")


def time_to_restore(frames, win: Window) -> pd.DataFrame:
    """time_to_restore_hours: median over incidents first resolved in the window."""
    incidents = frames.facts.issues[frames.facts.issues["is_incident"]]
    incidents = win.assign(incidents, "resolved_day")
    incidents = incidents.assign(hours=tidy.hours(incidents["first_resolved_at"] - incidents["created_at"]))
    return tidy.quantile(incidents, "hours", "time_to_restore_hours")


BANDED = {"lead_time_band": "lead_time_hours", "change_failure_band": "change_failure_rate",
          "time_to_restore_band": "time_to_restore_hours"}


def bands(rows: pd.DataFrame, version: str) -> pd.DataFrame:
    """The DORA band rows derived from the lead time, change failure and restore rows."""
    out = []
    for key, source in BANDED.items():
        part = rows[rows["key"] == source]
        out.append(part.assign(key=key, value=dora.band(part["value"], source, version)))
    return tidy.concat(out)


def kpis(frames, win: Window) -> pd.DataFrame:
    """Every delivery KPI as tidy rows."""
    rows = tidy.concat([part(frames, win) for part in (deployments, deploy_days, merge_and_pickup, lead_time,
                                                     change_failure, time_to_restore)])
    return tidy.concat([rows, bands(rows, frames.policy.dora_version)])
