"""Quality KPIs (QA benchmarks): bugs opened, resolved, resolution time, open, reopened, escaped, per 100 PRs."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from metrics import tidy
from metrics.attribution import Facts
from metrics.periods import Window
from metrics.review import merged_in


@lru_cache(maxsize=4)
def bugs(facts: Facts) -> pd.DataFrame:
    """Bugs with their first reopening (a move out of done after the first resolution) and its local day."""
    b = facts.issues[facts.issues["is_bug"]].copy()
    t = facts.transitions
    out_of_done = t[(t["from_category"] == "done") & (t["to_category"] != "done") & (t["at"] > t["first_resolved_at"])]
    b["reopened_day"] = b["issue_key"].map(out_of_done.groupby("issue_key")["day"].min())
    b["has_changelog"] = b["issue_key"].isin(t["issue_key"])
    b["resolution_hours"] = tidy.hours(b["first_resolved_at"] - b["created_at"])
    return b


def open_at(facts: Facts, bug_rows: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """True for each bug open at the end of local DAY: created by then and not in the done category then
    (its last transition by DAY; without a changelog, resolved_at)."""
    t = facts.transitions
    t = t[t["issue_key"].isin(bug_rows["issue_key"]) & (t["day"] <= day)].sort_values("at")
    state = bug_rows["issue_key"].map(t.groupby("issue_key")["to_category"].last())
    done = state.eq("done").where(bug_rows["has_changelog"], bug_rows["resolved_day"] <= day)
    return (bug_rows["created_day"] <= day) & ~done.astype(bool)


def open_bugs(frames, win: Window, teams: list[str]) -> pd.DataFrame:
    """open_bugs at each period's last day."""
    b = bugs(frames.facts)
    parts = []
    for last, cells in win.grid(teams).groupby("last"):
        rows = b[b["team"].isin(cells["team"])]
        still = rows[open_at(frames.facts, rows, last).to_numpy()]
        parts.append(still.merge(cells[["team", "period"]], on="team"))
    return tidy.count(pd.concat(parts) if parts else b.assign(period=pd.NaT).iloc[:0], "open_bugs")


def kpis(frames, win: Window) -> pd.DataFrame:
    """Every quality KPI as tidy rows."""
    b = bugs(frames.facts)
    opened = win.assign(b, "created_day")
    resolved = win.assign(b, "resolved_day")
    resolved = resolved.assign(reopened=resolved["reopened_day"] <= win.last_days(resolved))
    teams = sorted(set(frames.facts.teams["team_id"]))
    return tidy.concat([
        tidy.count(opened, "bugs_opened"), tidy.count(resolved, "bugs_resolved"),
        tidy.quantile(resolved, "resolution_hours", "bug_resolution_hours"),
        tidy.quantile(resolved, "resolution_hours", "bug_resolution_hours_p85", q=0.85),
        open_bugs(frames, win, teams), tidy.share(resolved, "reopened", "bug_reopen_rate"),
        tidy.share(opened, "is_escaped", "escaped_defect_rate"), _per_100_prs(frames, opened, win),
    ])


def _per_100_prs(frames, opened: pd.DataFrame, win: Window) -> pd.DataFrame:
    """bugs_per_100_prs: bugs created per 100 PRs merged (n = merged PRs; null with none)."""
    prs = tidy.group(merged_in(frames.facts, win)).size()
    created = tidy.group(opened).size().reindex(prs.index, fill_value=0)
    return tidy.rows(100.0 * created / prs, prs, "bugs_per_100_prs")


def bug_facts(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """One row per bug created or first resolved in the window (drill-down), with its Jira link when known."""
    b = bugs(frames.facts)
    created = (b["created_day"] >= pd.Timestamp(start)) & (b["created_day"] <= pd.Timestamp(end))
    resolved = (b["resolved_day"] >= pd.Timestamp(start)) & (b["resolved_day"] <= pd.Timestamp(end))
    b = b[(created | resolved).to_numpy()]
    if teams is not None:
        b = b[b["team"].isin(teams)]
    base = frames.policy.jira_url
    return pd.DataFrame({
        "issue_key": b["issue_key"], "team": b["team"], "project": b["project"], "issue_type": b["issue_type"],
        "priority": b["priority"], "status": b["status"], "created_at": b["created_at"],
        "first_resolved_at": b["first_resolved_at"], "resolution_hours": b["resolution_hours"],
        "reopened": b["reopened_day"].notna() & (b["reopened_day"] <= pd.Timestamp(end)),
        "escaped": b["is_escaped"],
        "url": (base.rstrip("/") + "/browse/" + b["issue_key"]) if base else None,
    }).reset_index(drop=True)


def open_bug_facts(frames, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """The open backlog at END (drill-down): one row per bug open at the end of END in its team's zone (open_bugs'
    definition). Columns issue_key, team, created_at, age_days (days from its local creation day to the end of
    END: a bug created on END is 1 day old), priority, status (the issue's status as last synced)."""
    b = bugs(frames.facts)
    if teams is not None:
        b = b[b["team"].isin(teams)]
    last = pd.Timestamp(end)
    b = b[open_at(frames.facts, b, last).to_numpy()]
    age = (last + pd.Timedelta(days=1) - b["created_day"]) / pd.Timedelta(days=1)
    return pd.DataFrame({"issue_key": b["issue_key"], "team": b["team"], "created_at": b["created_at"],
                         "age_days": age, "priority": b["priority"], "status": b["status"]}).reset_index(drop=True)
