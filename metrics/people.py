"""People KPIs (retention): headcount, joiners, leavers, retention, senior leavers, activity, quiet, tenure."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from collectors.config import SENIOR
from metrics import tidy
from metrics.periods import Window

TENURE_DAYS_PER_MONTH = 30.4375
QUIET_DAYS = 30


def members_on(memberships: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Memberships covering DAY (joined_on up to the day before left_on)."""
    m = memberships
    return m[(m["joined_on"] <= day) & (m["left_on"].isna() | (m["left_on"] > day))]


def _period_rows(facts, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Per team, every people KPI for the period [FIRST, LAST] as wide columns."""
    m = facts.memberships
    at_start, at_end = members_on(m, first), members_on(m, last)
    joiners = m[(m["joined_on"] >= first) & (m["joined_on"] <= last)]
    leavers = m[(m["left_on"] >= first) & (m["left_on"] <= last)]
    start_people = at_start[["team", "person_id"]].drop_duplicates()
    end_people = at_end[["team", "person_id"]].drop_duplicates()
    stayed = start_people.merge(end_people, on=["team", "person_id"])
    events = facts.people_events
    active = events[(events["day"] >= first) & (events["day"] <= last)]
    quiet_from = last - pd.Timedelta(days=QUIET_DAYS - 1)
    through = m[(m["joined_on"] <= quiet_from) & (m["left_on"].isna() | (m["left_on"] > last))]
    recent = events[(events["day"] >= quiet_from) & (events["day"] <= last)][["team", "person_id"]]
    quiet = through[["team", "person_id"]].drop_duplicates().merge(recent.drop_duplicates(), how="left",
                                                                   indicator=True)
    tenure = at_end.assign(months=(last - at_end["joined_on"]).dt.days / TENURE_DAYS_PER_MONTH)
    wide = pd.DataFrame({
        "headcount": end_people.groupby("team").size(),
        "joiners": joiners.groupby("team").size(),
        "leavers": leavers.groupby("team").size(),
        "senior_leavers": leavers[leavers["seniority"].isin(SENIOR)].groupby("team").size(),
        "start": start_people.groupby("team").size(),
        "stayed": stayed.groupby("team").size(),
        "active_contributors": active.drop_duplicates(["team", "person_id"]).groupby("team").size(),
        "quiet_members": quiet[quiet["_merge"] == "left_only"].groupby("team").size(),
        "median_tenure_months": tenure.groupby("team")["months"].median(),
    })
    return wide.rename_axis("team")


COUNTS = ("headcount", "joiners", "leavers", "senior_leavers", "active_contributors", "quiet_members")


def kpis(frames, win: Window) -> pd.DataFrame:
    """Every people KPI as tidy rows (point-in-time ones at each period's first and last day)."""
    parts = []
    grid = win.grid(sorted(set(frames.facts.teams["team_id"])))
    for (first, last), cells in grid.groupby(["first", "last"]):
        wide = _period_rows(frames.facts, first, last).reset_index().merge(cells[["team", "period"]], on="team")
        wide = wide.set_index(tidy.BY)
        counts = wide.reindex(columns=[*COUNTS, "start", "stayed"]).fillna(0)
        parts += [tidy.rows(counts[key], counts[key], key) for key in COUNTS]
        parts.append(tidy.rows(counts["stayed"] / counts["start"].where(counts["start"] > 0), counts["start"],
                               "retention_rate"))
        parts.append(tidy.rows(wide["median_tenure_months"], counts["headcount"], "median_tenure_months"))
    return tidy.concat(parts)


def people_summary(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Per team (with its vendor): headcount, joiners, leavers, retention, tenure, senior leavers, quiet members.

    Team level only: no person is ever listed.
    """
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    wide = _period_rows(frames.facts, first, last)
    info = frames.facts.teams.set_index("team_id")[["name", "sourcing_model", "vendor"]]
    wanted = info.index if teams is None else [t for t in info.index if t in teams]
    out = info.loc[wanted].join(wide)
    counts = [*COUNTS, "start", "stayed"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["retention_rate"] = out["stayed"] / out["start"].where(out["start"] > 0)
    out = out[out.index != "unassigned"] if teams is None else out
    return out.drop(columns=["start", "stayed"]).rename_axis("team").reset_index()
