"""The KPI tables: every family's rows on one complete grid of team × period × key (counts 0, others null)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import delivery, flow, people, quality, review, tidy
from metrics.attribution import UNASSIGNED
from metrics.periods import Window
from metrics.registry import KPIS

FAMILIES = (delivery.kpis, review.kpis, quality.kpis, flow.kpis, people.kpis)
COUNT_KEYS = frozenset(k.key for k in KPIS if k.kind == "count")


class UnknownTeam(ValueError):
    """A team id that is neither on the roster nor `unassigned`."""


def team_ids(frames, teams: list[str] | None = None) -> list[str]:
    """The teams to report, in roster order, plus `unassigned`; TEAMS filters them (unknown ids are refused)."""
    known = [*frames.teams["team_id"], UNASSIGNED]
    if teams is None:
        return known
    unknown = [t for t in teams if t not in known]
    if unknown:
        raise UnknownTeam(f"unknown team '{unknown[0]}' (known: {', '.join(known)})")
    return [t for t in known if t in teams]


def compute(frames, start: dt.date, end: dt.date, freq: str | None, teams: list[str] | None = None) -> pd.DataFrame:
    """Tidy team, period, key, value, n for every KPI; `unassigned` only when asked for or when it has a sample."""
    if start > end:
        raise ValueError(f"the window's start {start} is after its end {end}")
    wanted = team_ids(frames, teams)
    return compute_window(frames, Window(start, end, freq), wanted, teams is not None and UNASSIGNED in teams)


def compute_window(frames, win: Window, wanted: list[str], keep_unassigned: bool = False) -> pd.DataFrame:
    """Tidy team, period, key, value, n of every KPI for the WANTED teams over WIN (see compute)."""
    if win.starts is None and len(wanted) < len(frames.teams) + 1:
        frames = frames.scoped(wanted)  # per-team windows already leave other teams out
    found = tidy.concat([family(frames, win) for family in FAMILIES])
    grid = (win.grid(wanted)[["team", "period"]]
            .merge(pd.DataFrame({"key": [k.key for k in KPIS]}), how="cross"))
    table = grid.merge(found, on=["team", "period", "key"], how="left")
    table["n"] = pd.to_numeric(table["n"]).fillna(0).astype("int64")  # object when no family found a row
    counts = table["key"].isin(COUNT_KEYS)
    value = table["value"].astype(object).where(table["value"].notna(), None)
    value[counts] = table.loc[counts, "n"].astype(object)
    value[~counts & (table["n"] == 0)] = None
    table["value"] = pd.Series([_plain(v) for v in value], index=table.index, dtype=object)
    if not keep_unassigned:
        quiet = table[table["team"] == UNASSIGNED]["n"].sum() == 0
        table = table[~((table["team"] == UNASSIGNED) & quiet)]
    table["period"] = table["period"].dt.date
    return table.reset_index(drop=True)


def _plain(value):
    """A JSON-ready Python value: int, float, str or None."""
    if value is None or isinstance(value, str):
        return value
    value = value.item() if hasattr(value, "item") else value
    return None if value != value else value  # NaN is null


def kpi_table(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Tidy team, key, value, n for the window: one row per team × KPI (value null when n is 0)."""
    return compute(frames, start, end, None, teams).drop(columns="period")


def weekly(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Tidy team, period (Monday of the ISO week), key, value, n: every KPI per ISO week of the window."""
    return compute(frames, start, end, "W", teams)


def monthly(frames, start: dt.date, end: dt.date, teams: list[str] | None = None) -> pd.DataFrame:
    """Tidy team, period (first of the month), key, value, n: every KPI per calendar month of the window."""
    return compute(frames, start, end, "M", teams)
