"""Month-three and weekly slippage: a watched KPI worse by ≥ 25% of its baseline with n ≥ 5 in both periods."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.attribution import UNASSIGNED
from metrics.compute import compute_window, team_ids
from metrics.periods import Window
from metrics.registry import WATCHED, kpi

THRESHOLD = 0.25
MIN_SAMPLE = 5
MIN_FLAGGED = 2
MONTH3_FIRST, MONTH3_LAST = 60, 89  # baseline: days 0-59
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
    both = compute_window(frames, Window(before_start, end, cuts=(recent_start,)), team_ids(frames, teams))
    recent = both["period"] == recent_start
    rows = compare(both[~recent], both[recent])
    flags = [_flag(team, "slippage", part, "current", end) for team, part in rows.groupby("team", sort=False)
             if team != UNASSIGNED]
    return [f for f in flags if f]


def month_three(frames, teams: list[str] | None = None, day_89_from: dt.date | None = None,
                day_89_to: dt.date | None = None) -> pd.DataFrame:
    """Per team with started_on and watched KPI: baseline (days 0-59), month3 (days 60-89), samples, flagged,
    and the team's verdict (flagged when at least two KPIs are); optionally only teams whose day 89 is in a range."""
    started = frames.teams.dropna(subset=["started_on"])
    started = started[started["team_id"].isin(team_ids(frames, teams))]
    on = pd.Series(pd.to_datetime(started["started_on"]).to_numpy(), index=started["team_id"].to_numpy())
    day_89 = on + pd.Timedelta(days=MONTH3_LAST)
    if day_89_from is not None:
        on = on[(day_89 >= pd.Timestamp(day_89_from)) & (day_89 <= pd.Timestamp(day_89_to))]
    columns = ["team", "started_on", "day_89", "key", "baseline", "month3", "n_baseline", "n_month3", "flagged"]
    if on.empty:
        return pd.DataFrame(columns=[*columns, "verdict"])
    window = Window.per_team(on, on + pd.Timedelta(days=MONTH3_LAST), splits=on + pd.Timedelta(days=MONTH3_FIRST))
    both = compute_window(frames, window, list(on.index))
    third = both["period"] != both["team"].map(on).dt.date
    table = compare(both[~third], both[third]).rename(columns={"current": "month3", "n_current": "n_month3"})
    table["started_on"] = table["team"].map(on).dt.date
    table["day_89"] = table["team"].map(on + pd.Timedelta(days=MONTH3_LAST)).dt.date
    table = table[columns]
    flagged = table.groupby("team")["flagged"].sum()
    table["verdict"] = table["team"].map(flagged >= MIN_FLAGGED).map({True: "slipping", False: "healthy"})
    return table


def month_three_flags(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> list[dict]:
    """The month-three slippage flags of teams whose day 89 falls inside the window."""
    table = month_three(frames, teams, start, end)
    flags = [_flag(team, "month_three_slippage", part.rename(columns={"month3": "current", "n_month3": "n_current"}),
                   "month3", part["day_89"].iloc[0]) for team, part in table.groupby("team", sort=False)]
    return [f for f in flags if f]
