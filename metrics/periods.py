"""Period bucketing: local days in a team's time zone, windows, ISO weeks and months (empty periods count)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

DAY = np.timedelta64(1, "D")


def local_day(stamps: pd.Series, zones: pd.Series) -> pd.Series:
    """The calendar day (naive datetime64 at midnight) of each UTC timestamp in its row's IANA time zone."""
    out = pd.Series(pd.NaT, index=stamps.index, dtype="datetime64[ns]")
    if stamps.empty:
        return out
    stamps = pd.to_datetime(stamps, utc=True)
    for zone in pd.unique(zones.dropna()):
        rows = (zones == zone).to_numpy()
        out[rows] = stamps[rows].dt.tz_convert(zone).dt.tz_localize(None).dt.floor("D")
    return out


def day_start_utc(days: pd.Series, zones: pd.Series) -> pd.Series:
    """The UTC instant at which each calendar day begins in its row's time zone."""
    out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns, UTC]")
    days = pd.to_datetime(days)
    for zone in pd.unique(zones.dropna()):
        rows = (zones == zone).to_numpy()
        out[rows] = (days[rows].dt.tz_localize(zone, ambiguous=False, nonexistent="shift_forward")
                     .dt.tz_convert("UTC"))
    return out


def ts(day: dt.date) -> pd.Timestamp:
    """A date as a naive midnight Timestamp (the form local days take)."""
    return pd.Timestamp(day)


def week_start(days: pd.Series) -> pd.Series:
    """The Monday of each day's ISO week."""
    return days - pd.to_timedelta(days.dt.dayofweek, unit="D")


def month_start(days: pd.Series) -> pd.Series:
    """The first day of each day's calendar month."""
    return days.dt.to_period("M").dt.start_time


def bucket(days: pd.Series, start: dt.date, freq: str | None) -> pd.Series:
    """Each day's period label: the window's start (freq None), its ISO week's Monday ("W") or month ("M")."""
    if freq is None:
        return pd.Series(ts(start), index=days.index, dtype="datetime64[ns]")
    return week_start(days) if freq == "W" else month_start(days)


def periods(start: dt.date, end: dt.date, freq: str | None) -> pd.DataFrame:
    """The window's periods: label, first and last day inside the window, days inside."""
    first, last = ts(start), ts(end)
    if freq is None:
        labels = pd.DatetimeIndex([first])
    else:
        days = pd.Series(pd.date_range(first, last, freq="D"))
        labels = pd.DatetimeIndex(bucket(days, start, freq).unique())
    frame = pd.DataFrame({"period": labels})
    step = pd.offsets.Week(1) if freq == "W" else pd.offsets.MonthBegin(1)
    ends = last if freq is None else frame["period"] + step - pd.Timedelta(days=1)
    frame["first"] = frame["period"].clip(lower=first)
    frame["last"] = pd.Series(ends, index=frame.index).clip(upper=last) if freq else last
    frame["days"] = (frame["last"] - frame["first"]).dt.days + 1
    return frame


def sub_periods(start: dt.date, end: dt.date, freq: str | None, sub: str) -> pd.DataFrame:
    """Every (period, sub-period) pair of the window, e.g. the ISO weeks ("W") touching each period."""
    days = pd.Series(pd.date_range(ts(start), ts(end), freq="D"))
    grid = pd.DataFrame({"period": bucket(days, start, freq), "sub": bucket(days, start, sub)})
    return grid.drop_duplicates(ignore_index=True)


def in_window(days: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """True for days inside [start, end] (null days are outside)."""
    return (days >= ts(start)) & (days <= ts(end))


def assign(frame: pd.DataFrame, day_col: str, start: dt.date, end: dt.date, freq: str | None) -> pd.DataFrame:
    """The rows of FRAME whose DAY_COL lies in the window, with their period label in a `period` column."""
    rows = frame[in_window(frame[day_col], start, end).to_numpy()]
    return rows.assign(period=bucket(rows[day_col], start, freq))
