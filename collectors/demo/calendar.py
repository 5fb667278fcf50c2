"""The demo's fixed period, weekly rhythm, public holidays and local-time arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

# A fixed end (the Sunday before 2026-11-23) so that a seed gives the same files on any day.
END = dt.date(2026, 11, 22)
START = END - dt.timedelta(weeks=78) + dt.timedelta(days=1)  # Monday 2025-05-26: 78 whole ISO weeks
DAYS = np.arange(np.datetime64(START, "D"), np.datetime64(END, "D") + 1)
N_DAYS = len(DAYS)
END_TS = float((np.datetime64(END, "D") + 1).astype("datetime64[s]").astype(np.int64))  # nothing at or after
START_TS = float(np.datetime64(START, "D").astype("datetime64[s]").astype(np.int64))
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0

# Relative activity Monday..Sunday: a quieter Friday, almost nothing at weekends.
WEEKDAY_RHYTHM = np.array([1.0, 1.08, 1.08, 1.0, 0.78, 0.05, 0.03])

_XMAS = {"2025-12-24": 0.3, "2025-12-25": 0.03, "2025-12-26": 0.05, "2025-12-29": 0.35, "2025-12-30": 0.35,
         "2025-12-31": 0.15, "2026-01-01": 0.03, "2026-01-02": 0.4}
# Public holidays (and the quiet days around them) per region: day -> activity factor.
HOLIDAYS: dict[str, dict[str, float]] = {
    "de": {**_XMAS, "2025-05-29": 0.1, "2025-06-09": 0.1, "2025-10-03": 0.1, "2026-04-03": 0.1,
           "2026-04-06": 0.1, "2026-05-01": 0.1, "2026-05-14": 0.1, "2026-05-25": 0.1, "2026-10-03": 0.1},
    "pl": {**_XMAS, "2025-06-19": 0.1, "2025-08-15": 0.1, "2025-11-11": 0.1, "2026-01-06": 0.1,
           "2026-04-06": 0.1, "2026-05-01": 0.1, "2026-06-04": 0.1, "2026-11-11": 0.1},
    "in": {"2025-08-15": 0.05, "2025-08-27": 0.2, "2025-10-02": 0.05, "2025-10-17": 0.6, "2025-10-20": 0.05,
           "2025-10-21": 0.05, "2025-10-22": 0.1, "2025-10-23": 0.4, "2025-12-25": 0.1, "2026-01-01": 0.3,
           "2026-01-26": 0.05, "2026-03-04": 0.1, "2026-08-15": 0.05, "2026-10-02": 0.05, "2026-11-06": 0.6,
           "2026-11-09": 0.05, "2026-11-10": 0.1, "2026-11-11": 0.5},
    "vn": {"2025-09-01": 0.1, "2025-09-02": 0.05, "2026-01-01": 0.05, "2026-02-13": 0.3, "2026-02-16": 0.03,
           "2026-02-17": 0.02, "2026-02-18": 0.03, "2026-02-19": 0.05, "2026-02-20": 0.1, "2026-02-23": 0.4,
           "2026-04-27": 0.05, "2026-04-30": 0.05, "2026-05-01": 0.05, "2026-09-02": 0.05},
    "za": {**_XMAS, "2025-06-16": 0.1, "2025-09-24": 0.1, "2025-12-16": 0.1, "2026-04-03": 0.1,
           "2026-04-06": 0.1, "2026-04-27": 0.1, "2026-05-01": 0.1, "2026-06-16": 0.1, "2026-08-10": 0.1,
           "2026-09-24": 0.1},
}


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday=0 .. Sunday=6 of datetime64[D] values."""
    return (days.astype(np.int64) + 3) % 7


def holiday_factor(region: str) -> np.ndarray:
    """Per day of the period: 1, or the region's holiday factor."""
    factor = np.ones(N_DAYS)
    for day, value in HOLIDAYS[region].items():
        index = (np.datetime64(day, "D") - DAYS[0]).astype(int)
        if 0 <= index < N_DAYS:
            factor[index] = value
    return factor


def day_index(day: dt.date | None, default: int) -> int:
    """The index of DAY in the period, clipped to [0, N_DAYS]; DEFAULT when DAY is None."""
    if day is None:
        return default
    return int(np.clip((np.datetime64(day, "D") - DAYS[0]).astype(int), 0, N_DAYS))


def period_day(seconds: np.ndarray) -> np.ndarray:
    """The period day index (by UTC date, clipped into the period) of epoch SECONDS."""
    return np.clip(((seconds - START_TS) // DAY).astype(int), 0, N_DAYS - 1)


def local_to_utc(day_idx: np.ndarray, hours: np.ndarray, tz: str) -> np.ndarray:
    """UTC epoch seconds of local wall-clock HOURS on period days DAY_IDX in TZ."""
    return localize(DAYS[day_idx].astype("datetime64[s]").astype(np.int64) + hours * HOUR, tz)


def utc_to_local(seconds: np.ndarray, tz: str) -> np.ndarray:
    """Naive local epoch seconds (wall clock in TZ read as if UTC) of UTC epoch SECONDS."""
    utc = pd.DatetimeIndex(seconds.astype(np.int64).astype("datetime64[s]")).tz_localize("UTC")
    return utc.tz_convert(tz).tz_localize(None).values.astype("datetime64[s]").astype(np.int64).astype(float)


def localize(local: np.ndarray, tz: str) -> np.ndarray:
    """UTC epoch seconds of naive local epoch seconds LOCAL in TZ."""
    stamps = pd.DatetimeIndex(local.astype(np.int64).astype("datetime64[s]")).tz_localize(
        tz, ambiguous=np.zeros(len(local), bool), nonexistent="shift_forward")
    return stamps.tz_convert("UTC").tz_localize(None).values.astype("datetime64[s]").astype(np.int64).astype(float)


def into_working_hours(seconds: np.ndarray, tz: str, rng: np.random.Generator) -> np.ndarray:
    """Move human events that fall at night or (mostly) at weekends to the next morning, 8-10h local."""
    out = seconds.copy()
    ok = ~np.isnan(seconds)
    if not ok.any():
        return out
    local = utc_to_local(seconds[ok], tz)
    day = np.floor(local / DAY) * DAY
    hour = (local - day) / HOUR
    morning = 8 * HOUR + rng.random(len(local)) * 2 * HOUR
    local = np.where(hour < 8, day + morning, local)
    local = np.where(hour >= 20, day + DAY + morning, local)
    day = np.floor(local / DAY) * DAY
    wd = (day / DAY + 3) % 7
    weekend = (wd >= 5) & (rng.random(len(local)) < 0.9)
    local = np.where(weekend, day + (7 - wd) * DAY + morning, local)
    out[ok] = np.maximum(localize(local, tz), seconds[ok])
    return out
