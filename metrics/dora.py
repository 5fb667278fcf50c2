"""DORA performance bands with versioned thresholds (Accelerate State of DevOps Report 2023, Google Cloud / DORA)."""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd

# Per version and per measured key: (band, comparison, threshold) tried in order; nothing matching is "low".
# deploy_days_per_week and deploy_days_per_month together give the deployment frequency band.
DORA_THRESHOLDS: dict[str, dict[str, tuple[tuple[str, str, float], ...]]] = {
    "2023": {
        "deploy_days_per_week": (("elite", ">=", 5), ("high", ">=", 1)),
        "deploy_days_per_month": (("medium", ">=", 1),),
        "lead_time_hours": (("elite", "<", 24), ("high", "<=", 24 * 7), ("medium", "<=", 24 * 30)),
        "change_failure_rate": (("elite", "<=", 0.05), ("high", "<=", 0.10), ("medium", "<=", 0.15)),
        "time_to_restore_hours": (("elite", "<", 1), ("high", "<", 24), ("medium", "<", 24 * 7)),
    },
}
DEFAULT_VERSION = "2023"
BANDS = ("elite", "high", "medium", "low")
_OPS = {">=": operator.ge, ">": operator.gt, "<": operator.lt, "<=": operator.le}


def band(values: pd.Series, key: str, version: str = DEFAULT_VERSION, fallback: pd.Series | None = None) -> pd.Series:
    """The band of each value of KEY (null stays null); FALLBACK gives the band where no rule of KEY matched."""
    rules = DORA_THRESHOLDS[version][key]
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    conditions = [_OPS[op](values, limit).to_numpy() for _, op, limit in rules]
    picked = np.select(conditions, [name for name, _, _ in rules], default="low").astype(object)
    if fallback is not None:
        picked = np.where(np.logical_or.reduce(conditions), picked, fallback.to_numpy(dtype=object))
    return pd.Series(np.where(values.isna().to_numpy(), None, picked), index=values.index, dtype=object)
