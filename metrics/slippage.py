"""Month-three and weekly slippage: a watched KPI worse by ≥ 25% of its baseline with n ≥ 5 in both periods."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.attribution import UNASSIGNED
from metrics.compute import kpi_table, team_ids
from metrics.registry import WATCHED, kpi

THRESHOLD = 0.25
MIN_SAMPLE = 5
MIN_FLAGGED = 2
BASELINE_DAYS, MONTH3_FIRST, MONTH3_LAST = 60, 60, 89
RECENT_DAYS, BEFORE_DAYS = 28, 56


def worse(key: str, baseline, current) -> bool:
    """True when CURRENT is worse than BASELINE by at least 25% of it, by KEY's direction (from 0: any worsening)."""
    if baseline is None or current is None:
        return False
    change = current - baseline if kpi(key).direction == "lower" else baseline - current
    if baseline == 0:
        return change > 0
    return change >= THRESHOLD * abs(baseline)


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per team and watched key: baseline, current, their samples and whether the KPI is flagged."""
    cols = ["team", "key", "value", "n"]
    b = before.loc[before["key"].isin(WATCHED), cols].rename(columns={"value": "baseline", "n": "n_baseline"})
    a = after.loc[after["key"].isin(WATCHED), cols].rename(columns={"value": "current", "n": "n_current"})
    both = b.merge(a, on=["team", "key"], how="outer")
    for col in ("n_baseline", "n_current"):
        both[col] = both[col].fillna(0).astype(int)
    enough = (both["n_baseline"] >= MIN_SAMPLE) & (both["n_current"] >= MIN_SAMPLE)
    both["flagged"] = [bool(ok) and worse(key, base, cur) for ok, key, base, cur in
                       zip(enough, both["key"], both["baseline"], both["current"], strict=True)]
    both["key"] = pd.Categorical(both["key"], WATCHED, ordered=True)
    return both.sort_values(["team", "key"]).assign(key=lambda f: f["key"].astype(str)).reset_index(drop=True)


def _flag(team: str, kind: str, rows: pd.DataFrame, current: str, period_end: dt.date) -> dict | None:
    """The flag dict of TEAM when at least two of its KPIs are flagged, else None."""
    hit = rows[rows["flagged"]]
    if len(hit) < MIN_FLAGGED:
        return None
    detail = {r.key: {"baseline": r.baseline, current: r.current, "n_baseline": int(r.n_baseline),
                      f"n_{current}": int(r.n_current)} for r in hit.itertuples()}
    return {"team": team, "kind": kind, "metrics": list(hit["key"]), "detail": detail, "period_end": period_end}


def slippage_flags(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> list[dict]:
    """The weekly slippage flags: the window's last 28 days against the 56 days before them, any team."""
    recent_start = end - dt.timedelta(days=RECENT_DAYS - 1)
    before_start = recent_start - dt.timedelta(days=BEFORE_DAYS)
    before = kpi_table(frames, before_start, recent_start - dt.timedelta(days=1), teams)
    after = kpi_table(frames, recent_start, end, teams)
    rows = compare(before, after)
    flags = [_flag(team, "slippage", part, "current", end) for team, part in rows.groupby("team", sort=False)
             if team != UNASSIGNED]
    return [f for f in flags if f]


def month_three(frames, teams: list[str] | None = None) -> pd.DataFrame:
    """Per team with started_on and watched KPI: baseline (days 0-59), month3 (days 60-89), samples, flagged,
    and the team's verdict (flagged when at least two KPIs are)."""
    started = frames.teams.dropna(subset=["started_on"])
    started = started[started["team_id"].isin(team_ids(frames, teams))]
    parts = []
    for team, on in zip(started["team_id"], pd.to_datetime(started["started_on"]).dt.date, strict=True):
        base = kpi_table(frames, on, on + dt.timedelta(days=BASELINE_DAYS - 1), [team])
        third = kpi_table(frames, on + dt.timedelta(days=MONTH3_FIRST), on + dt.timedelta(days=MONTH3_LAST), [team])
        rows = compare(base, third).rename(columns={"current": "month3", "n_current": "n_month3"})
        parts.append(rows.assign(started_on=on, day_89=on + dt.timedelta(days=MONTH3_LAST)))
    columns = ["team", "started_on", "day_89", "key", "baseline", "month3", "n_baseline", "n_month3", "flagged"]
    if not parts:
        return pd.DataFrame(columns=[*columns, "verdict"])
    table = pd.concat(parts, ignore_index=True)[columns]
    flagged = table.groupby("team")["flagged"].sum()
    table["verdict"] = table["team"].map(flagged >= MIN_FLAGGED).map({True: "slipping", False: "healthy"})
    return table


def month_three_flags(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> list[dict]:
    """The month-three slippage flags of teams whose day 89 falls inside the window."""
    table = month_three(frames, teams)
    table = table[(table["day_89"] >= start) & (table["day_89"] <= end)]
    flags = [_flag(team, "month_three_slippage", part.rename(columns={"month3": "current", "n_month3": "n_current"}),
                   "month3", part["day_89"].iloc[0]) for team, part in table.groupby("team", sort=False)]
    return [f for f in flags if f]
