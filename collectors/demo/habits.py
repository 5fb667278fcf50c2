"""How a team works in one period: the knobs behind every planted story."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np


@dataclass(frozen=True)
class Habits:
    """A team's working habits while a regime lasts (rates are shares, times medians in hours)."""

    pr_rate: float        # PRs per member per ordinary working day
    size: float           # median changed lines per PR
    merge_hours: float    # created -> merged
    pickup_hours: float   # ready -> first review
    unreviewed: float     # merged with no human review or comment
    rubber_stamp: float   # a lone approval with an empty body
    depth: float          # review events (comments + bodied reviews) on a properly reviewed PR
    topical: float        # share of review texts touching a review dimension
    cross: float          # share of PRs an in-house architect reviews
    deploy_days: float    # chance of a production deployment on a working day (per repo)
    cfr: float            # chance a production deployment causes an incident
    restore_hours: float  # incident created -> resolved
    bugs: float           # bugs per merged PR
    escaped: float        # share of bugs found in production
    reopen: float         # share of bugs reopened after their first resolution
    bug_hours: float      # bug created -> first resolved
    say_do: float         # completed / committed sprint points


EXCELLENT = Habits(pr_rate=1.0, size=110, merge_hours=6, pickup_hours=2, unreviewed=0.0, rubber_stamp=0.1,
                   depth=3.4, topical=0.7, cross=0.0, deploy_days=0.98, cfr=0.04, restore_hours=0.8,
                   bugs=0.1, escaped=0.1, reopen=0.03, bug_hours=28, say_do=0.93)
GOOD = Habits(pr_rate=0.85, size=140, merge_hours=28, pickup_hours=5, unreviewed=0.0, rubber_stamp=0.12,
              depth=2.8, topical=0.55, cross=0.25, deploy_days=0.65, cfr=0.08, restore_hours=5,
              bugs=0.12, escaped=0.12, reopen=0.03, bug_hours=44, say_do=0.88)
RAMP_UP = replace(GOOD, pr_rate=0.65, size=170, merge_hours=46, pickup_hours=9, unreviewed=0.08, rubber_stamp=0.2,
                  depth=2.2, topical=0.45, cross=0.45, deploy_days=0.45, cfr=0.12, restore_hours=9, bugs=0.17,
                  escaped=0.25, reopen=0.11, bug_hours=70, say_do=0.76)
SLIPPING = replace(GOOD, pr_rate=0.8, size=260, merge_hours=75, pickup_hours=20, unreviewed=0.28,
                   rubber_stamp=0.45, depth=1.2, topical=0.2, cross=0.1, deploy_days=0.22, cfr=0.2,
                   restore_hours=20, bugs=0.3, escaped=0.4, reopen=0.28, bug_hours=110, say_do=0.6)
STRAINED = replace(GOOD, size=200, merge_hours=45, pickup_hours=10, unreviewed=0.12, rubber_stamp=0.25, depth=2.0,
                   topical=0.35, cross=0.3, deploy_days=0.4, cfr=0.12, restore_hours=10, bugs=0.18, escaped=0.2,
                   reopen=0.12, bug_hours=65, say_do=0.75)
NEARSHORE = replace(GOOD, pr_rate=0.8, merge_hours=24, pickup_hours=4, depth=3.0, cross=0.1, deploy_days=0.45)
OUTSOURCED = replace(GOOD, pr_rate=0.7, size=320, merge_hours=60, pickup_hours=14, unreviewed=0.15,
                     rubber_stamp=0.3, depth=1.6, topical=0.3, cross=0.15, deploy_days=0.0, cfr=0.25,
                     restore_hours=36, bugs=0.2, escaped=0.3, reopen=0.15, bug_hours=120, say_do=0.8)

FIELDS = tuple(f.name for f in fields(Habits))


def daily(regimes: tuple[tuple[int, Habits], ...], n_days: int) -> dict[str, np.ndarray]:
    """Each habit as an array over the period's days, from (first day index, habits) pairs in order."""
    starts = np.array([start for start, _ in regimes])
    which = np.clip(np.searchsorted(starts, np.arange(n_days), side="right") - 1, 0, None)
    return {name: np.array([getattr(h, name) for _, h in regimes])[which] for name in FIELDS}
