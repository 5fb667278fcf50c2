"""Tidy KPI rows (team, period, key, value, n) from grouped facts: counts, medians, means and shares."""

from __future__ import annotations

import pandas as pd

BY = ["team", "period"]
COLUMNS = ["team", "period", "key", "value", "n"]


def group(frame: pd.DataFrame):
    """FRAME grouped by (team, period), only the groups that occur (team may be categorical)."""
    return frame.groupby(BY, observed=True, sort=False)


def rows(value: pd.Series, n: pd.Series, key: str) -> pd.DataFrame:
    """Tidy rows of KEY from VALUE and N indexed by (team, period)."""
    out = pd.DataFrame({"value": value, "n": n}).reset_index()
    out["team"] = out["team"].astype(object)
    out["key"] = key
    return out[COLUMNS]


def count(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows per (team, period) as a count (n = the count)."""
    size = group(frame).size()
    return rows(size, size, key)


def quantile(frame: pd.DataFrame, column: str, key: str, q: float = 0.5) -> pd.DataFrame:
    """The Q-quantile (linear interpolation; 0.5 = ordinary median) of COLUMN's non-null values."""
    valid = frame.dropna(subset=[column])
    grouped = group(valid)[column]
    return rows(grouped.quantile(q), grouped.size(), key)


def mean(frame: pd.DataFrame, column: str, key: str) -> pd.DataFrame:
    """The mean of COLUMN's non-null values."""
    valid = frame.dropna(subset=[column])
    grouped = group(valid)[column]
    return rows(grouped.mean(), grouped.size(), key)


def share(frame: pd.DataFrame, flag: str, key: str) -> pd.DataFrame:
    """The share of rows whose boolean FLAG is true (n = rows)."""
    grouped = group(frame)[flag]
    return rows(grouped.mean(), grouped.size(), key)


def hours(delta: pd.Series) -> pd.Series:
    """A timedelta series in hours (float)."""
    return delta.dt.total_seconds() / 3600.0


def concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Tidy rows of several KPIs in one frame (empty parts skipped)."""
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


def means(frame: pd.DataFrame, keys: dict[str, str]) -> pd.DataFrame:
    """The mean of each column (never null) of KEYS per (team, period) as the KPI it names (n = rows)."""
    grouped = group(frame)
    values, n = grouped[list(keys)].mean(), grouped.size()
    return concat([rows(values[column], n, key) for column, key in keys.items()])
