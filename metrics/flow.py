"""Flow KPIs (Jira sprints): velocity, commitment (say/do) and issues resolved."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics import tidy
from metrics.periods import assign


def kpis(frames, start: dt.date, end: dt.date, freq: str | None) -> pd.DataFrame:
    """Every flow KPI as tidy rows."""
    sprints = assign(frames.facts.sprints, "completed_day", start, end, freq)
    sums = sprints.groupby(tidy.BY)[["completed_points", "committed_points"]].sum(min_count=1)
    committed = sums["committed_points"].where(sums["committed_points"] > 0)
    ratio = sums["completed_points"] / committed
    n = sprints.groupby(tidy.BY).size().where(committed.notna(), 0)
    resolved = assign(frames.facts.issues, "resolved_day", start, end, freq)
    return pd.concat([
        tidy.mean(sprints, "completed_points", "sprint_velocity_points"),
        tidy.rows(ratio, n, "sprint_commitment_ratio"),
        tidy.count(resolved, "issues_resolved"),
    ])
