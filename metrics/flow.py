"""Flow KPIs (Jira sprints): velocity, commitment (say/do) and issues resolved."""

from __future__ import annotations

import pandas as pd

from metrics import tidy
from metrics.periods import Window


def kpis(frames, win: Window) -> pd.DataFrame:
    """Every flow KPI as tidy rows."""
    sprints = win.assign(frames.facts.sprints, "completed_day")
    sums = tidy.group(sprints)[["completed_points", "committed_points"]].sum(min_count=1)
    committed = sums["committed_points"].where(sums["committed_points"] > 0)
    ratio = sums["completed_points"] / committed
    n = tidy.group(sprints).size().where(committed.notna(), 0)
    resolved = win.assign(frames.facts.issues, "resolved_day")
    return tidy.concat([
        tidy.mean(sprints, "completed_points", "sprint_velocity_points"),
        tidy.rows(ratio, n, "sprint_commitment_ratio"),
        tidy.count(resolved, "issues_resolved"),
    ])
