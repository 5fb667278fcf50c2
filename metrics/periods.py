"""Period bucketing: local days in a team's time zone, windows (one for all teams or one per team), ISO weeks
and calendar months, each counting only its days inside the window (empty periods count)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    zone_of = zones.to_numpy(dtype=object)
    for zone in pd.unique(zones.dropna()):
        rows = np.flatnonzero((zone_of == zone) & utc.notna())
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


@dataclass(frozen=True, eq=False)
class Window:
    """The days a KPI table covers, cut into periods (freq None: the whole window, "W": ISO weeks, "M": months).

    Either one window for every team (start, end) or one per team (starts, ends: Series of dates by team id,
    whole-window periods only), so that month-three windows of many teams are computed in one pass.
    Compared and hashed by identity, so per-window results can be cached while one table is computed.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    freq: str | None = None
    starts: pd.Series | None = None
    ends: pd.Series | None = None

    @classmethod
    def per_team(cls, starts: pd.Series, ends: pd.Series) -> Window:
        """A whole-window period per team: STARTS and ENDS are dates indexed by team id."""
        return cls(starts=pd.to_datetime(starts), ends=pd.to_datetime(ends))

    def bounds(self, teams: pd.Series) -> tuple[pd.Series | pd.Timestamp, pd.Series | pd.Timestamp]:
        """The first and last day of the window of each row's team (NaT for a team outside a per-team window)."""
        if self.starts is None:
            return pd.Timestamp(self.start), pd.Timestamp(self.end)
        return teams.map(self.starts).astype("datetime64[ns]"), teams.map(self.ends).astype("datetime64[ns]")

    def assign(self, frame: pd.DataFrame, day_col: str) -> pd.DataFrame:
        """The rows of FRAME whose DAY_COL lies in their team's window, with their period label in `period`."""
        first, last = self.bounds(frame["team"])
        days = frame[day_col]
        inside = ((days >= first) & (days <= last)).to_numpy()
        rows = frame[inside]
        label = first if self.starts is None else first[inside]
        return rows.assign(period=bucket(rows[day_col], label, self.freq), team=pd.Categorical(rows["team"]))

    def grid(self, teams: list[str]) -> pd.DataFrame:
        """Every (team, period) of the window with its first and last day."""
        team_frame = pd.DataFrame({"team": pd.Series(teams, dtype=object)})
        if self.starts is None:
            return team_frame.merge(periods(self.start, self.end, self.freq), how="cross")
        out = team_frame[team_frame["team"].isin(self.starts.index)].copy()
        out["first"] = out["team"].map(self.starts).astype("datetime64[ns]")
        out["last"] = out["team"].map(self.ends).astype("datetime64[ns]")
        out["period"] = out["first"]
        return out[["team", "period", "first", "last"]].reset_index(drop=True)

    def sub_grid(self, teams: list[str], sub: str) -> pd.DataFrame:
        """Every (team, period, sub-period) where sub-periods are the ISO weeks ("W") or months ("M") touching
        each period."""
        parts = []
        for (first, last), rows in self.grid(teams).groupby(["first", "last"]):
            days = pd.Series(pd.date_range(first, last, freq="D"))
            cells = pd.DataFrame({"period": bucket(days, first, self.freq), "sub": bucket(days, first, sub)})
            parts.append(rows[["team", "period"]].merge(cells.drop_duplicates(), on="period"))
        if not parts:
            return pd.DataFrame({"team": pd.Series(dtype=object), "period": pd.Series(dtype="datetime64[ns]"),
                                 "sub": pd.Series(dtype="datetime64[ns]")})
        return pd.concat(parts, ignore_index=True)

    def last_days(self, frame: pd.DataFrame) -> pd.Series:
        """The last day of each row's (team, period)."""
        if self.starts is not None:
            return frame["team"].map(self.ends).astype("datetime64[ns]")
        ends = periods(self.start, self.end, self.freq).set_index("period")["last"]
        return frame["period"].map(ends)


def in_window(days: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """True for days inside [start, end] (null days are outside)."""
    return (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))
