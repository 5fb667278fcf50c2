"""Period bucketing: local days in a team's time zone, windows (one for all teams or one per team), ISO weeks
and calendar months, each counting only its days inside the window (empty periods count)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

DAY_NS = 86_400 * 10**9


def utc_from_ns(nanoseconds: np.ndarray) -> pd.Series:
    """UTC timestamps from nanoseconds since 1970 (the int64 minimum is NaT), without parsing."""
    return pd.Series(np.asarray(nanoseconds, dtype="int64").view("datetime64[ns]")).dt.tz_localize("UTC")


def local_day(stamps: pd.Series, zones: pd.Series) -> pd.Series:
    """The calendar day (naive datetime64 at midnight) of each UTC timestamp in its row's IANA time zone."""
    utc = pd.DatetimeIndex(stamps)
    days = np.full(len(utc), np.iinfo("int64").min)  # NaT
    zone_code, zone_names = pd.factorize(zones)
    for code, zone in enumerate(zone_names):
        rows = np.flatnonzero((zone_code == code) & utc.notna())
        local = utc[rows].tz_convert(zone).tz_localize(None).asi8
        days[rows] = local - local % DAY_NS
    return pd.Series(days.view("datetime64[ns]"), index=stamps.index)


def day_start_utc(days: pd.Series, zones: pd.Series) -> pd.Series:
    """The UTC instant at which each calendar day begins in its row's time zone."""
    out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns, UTC]")
    days = pd.to_datetime(days)
    for zone in pd.unique(zones.dropna()):
        rows = (zones == zone).to_numpy()
        out[rows] = (days[rows].dt.tz_localize(zone, ambiguous=False, nonexistent="shift_forward")
                     .dt.tz_convert("UTC"))
    return out


def bucket(days: pd.Series, first, freq: str | None) -> pd.Series:
    """Each day's period label: its window's first day FIRST (freq None), its ISO week's Monday ("W") or month ("M")."""
    if freq is None:
        return pd.Series(first, index=days.index, dtype="datetime64[ns]")
    if freq == "W":
        return days - pd.to_timedelta(days.dt.dayofweek, unit="D")
    return days.dt.to_period("M").dt.start_time


def periods(start: dt.date, end: dt.date, freq: str | None) -> pd.DataFrame:
    """The periods of [START, END]: label, first and last day inside the window."""
    days = pd.Series(pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D"))
    frame = pd.DataFrame({"period": bucket(days, pd.Timestamp(start), freq), "day": days})
    return frame.groupby("period", as_index=False)["day"].agg(first="min", last="max")


DAY_BITS = 2**20  # day numbers (days since 1970) stay below this until the year 4840


def day_numbers(days: pd.Series) -> np.ndarray:
    """Naive midnight days as whole days since 1970 (NaT: a large negative number)."""
    ns = pd.DatetimeIndex(days).asi8
    return np.where(ns == np.iinfo("int64").min, -DAY_BITS, ns // DAY_NS)


@dataclass(frozen=True, eq=False)
class Window:
    """The days a KPI table covers, cut into periods: the whole window (freq None, optionally split at CUTS),
    its ISO weeks ("W") or its months ("M").

    Either one window for every team (start, end) or one per team (Window.per_team: starts, ends and optional
    splits as Series of dates by team id), so that month-three windows of many teams are one pass.
    Compared and hashed by identity, so per-window results can be cached while one table is computed.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    freq: str | None = None
    cuts: tuple[dt.date, ...] = ()
    starts: pd.Series | None = None
    ends: pd.Series | None = None
    splits: pd.Series | None = None

    @classmethod
    def per_team(cls, starts: pd.Series, ends: pd.Series, splits: pd.Series | None = None) -> Window:
        """A window per team: STARTS, ENDS (and SPLITS, the first day of a second period) indexed by team id."""
        return cls(starts=pd.to_datetime(starts), ends=pd.to_datetime(ends),
                   splits=None if splits is None else pd.to_datetime(splits))

    @cached_property
    def table(self) -> pd.DataFrame:
        """Every period: team (None: every team), period label, first and last day; sorted by team and first."""
        if self.starts is None:
            shared = periods(self.start, self.end, self.freq)
            for cut in sorted(self.cuts):
                shared = _split(shared, pd.Series(pd.Timestamp(cut), index=shared.index))
            return shared.assign(team=None)[["team", "period", "first", "last"]]
        teams = pd.DataFrame({"team": self.starts.index.astype(object), "period": self.starts.to_numpy(),
                              "first": self.starts.to_numpy(), "last": self.ends.reindex(self.starts.index).to_numpy()})
        if self.splits is not None:
            teams = _split(teams, teams["team"].map(self.splits))
        return teams.sort_values(["team", "first"], ignore_index=True)

    def assign(self, frame: pd.DataFrame, day_col: str) -> pd.DataFrame:
        """The rows of FRAME whose DAY_COL lies in a period of their team, with that period in `period`."""
        t = self.table
        day = day_numbers(frame[day_col])
        firsts, lasts = day_numbers(t["first"]), day_numbers(t["last"])
        if self.starts is None:
            pos = np.searchsorted(firsts, day, side="right") - 1
            inside = (pos >= 0) & (day <= lasts[pos.clip(0)])
        else:
            names = pd.Index(t["team"].unique())
            code = names.get_indexer(frame["team"])
            keys = names.get_indexer(t["team"]) * DAY_BITS + firsts
            pos = np.searchsorted(keys, code * DAY_BITS + day, side="right") - 1
            safe = pos.clip(0)
            inside = (code >= 0) & (day >= 0) & (pos >= 0) & (keys[safe] // DAY_BITS == code) & (day <= lasts[safe])
        rows = frame[inside]
        return rows.assign(period=t["period"].to_numpy()[pos[inside]], team=pd.Categorical(rows["team"]))

    def grid(self, teams: list[str]) -> pd.DataFrame:
        """Every (team, period) of the window with its first and last day."""
        team_frame = pd.DataFrame({"team": pd.Series(teams, dtype=object)})
        if self.starts is None:
            return team_frame.merge(self.table.drop(columns="team"), how="cross")
        return self.table[self.table["team"].isin(teams)].reset_index(drop=True)

    def sub_grid(self, teams: list[str], sub: str) -> pd.DataFrame:
        """Every (team, period, sub-period) where sub-periods are the ISO weeks ("W") or months ("M") touching
        each period, each counting only its days inside the period."""
        parts = []
        for (first, last), rows in self.grid(teams).groupby(["first", "last"]):
            days = pd.Series(pd.date_range(first, last, freq="D"))
            subs = bucket(days, first, sub).drop_duplicates()
            parts.append(rows[["team", "period"]].merge(pd.DataFrame({"sub": subs}), how="cross"))
        if not parts:
            return pd.DataFrame({"team": pd.Series(dtype=object), "period": pd.Series(dtype="datetime64[ns]"),
                                 "sub": pd.Series(dtype="datetime64[ns]")})
        return pd.concat(parts, ignore_index=True)

    def last_days(self, frame: pd.DataFrame) -> pd.Series:
        """The last day of each row's (team, period) (FRAME as returned by assign)."""
        t = self.table
        if self.starts is None:
            return frame["period"].map(t.set_index("period")["last"])
        index = pd.MultiIndex.from_frame(t[["team", "period"]])
        pos = index.get_indexer(pd.MultiIndex.from_arrays([frame["team"].astype(object), frame["period"]]))
        return pd.Series(t["last"].to_numpy()[pos], index=frame.index)


def _split(table: pd.DataFrame, at: pd.Series) -> pd.DataFrame:
    """TABLE's periods with each one holding the day AT cut in two (AT starts the second)."""
    cut = at.notna() & (at > table["first"]) & (at <= table["last"])
    second = table[cut].assign(period=at[cut], first=at[cut])
    first = table.assign(last=table["last"].where(~cut, at - pd.Timedelta(days=1)))
    return pd.concat([first, second], ignore_index=True).sort_values(["first"], kind="stable", ignore_index=True)


def in_window(days: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """True for days inside [start, end] (null days are outside)."""
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))
