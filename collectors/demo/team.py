"""One team's working context: its people as arrays, its daily habits and rhythm, its random draws."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from collectors.demo.calendar import DAYS, N_DAYS, WEEKDAY_RHYTHM, day_index, holiday_factor, weekday
from collectors.demo.habits import daily
from collectors.demo.org import TeamPlan

# PRs per day relative to a mid engineer.
SENIORITY_RATE = {"junior": 0.8, "mid": 1.0, "senior": 1.0, "lead": 0.6, "staff": 0.5, "principal": 0.4}
# Fractional parts of square roots of primes: rationally independent steps for stratified draws.
_STEPS = np.sqrt([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]) % 1.0


def concat(parts: list[dict]) -> dict:
    """Concatenate dicts of equally keyed arrays column by column."""
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


class Draws:
    """Random numbers, plus stratified ones whose share in any run of consecutive rows is near exact.

    A planted rate (say 28% unreviewed merges) then holds in every month of the data for any seed,
    instead of wobbling by chance in a 30-day window of 60 PRs.
    """

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self._calls = 0

    def strata(self, n: int) -> np.ndarray:
        """N uniforms in [0, 1): a Weyl sequence with a random start, evenly spread over any stretch."""
        step = _STEPS[self._calls % len(_STEPS)]
        self._calls += 1
        return (self.rng.random() + np.arange(n) * step) % 1.0

    def strata_by(self, times: np.ndarray) -> np.ndarray:
        """Stratified uniforms handed out in the order of TIMES: shares then hold over any stretch of time."""
        out = np.empty(len(times))
        out[np.argsort(times, kind="stable")] = self.strata(len(times))
        return out

    def normal(self, n: int) -> np.ndarray:
        """N standard normals whose quantiles are evenly spread over any stretch of rows."""
        ranks = np.argsort(np.argsort(self.strata(n)))
        return np.sort(self.rng.standard_normal(n))[ranks]

    def lognormal(self, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
        """N long-tailed positive values with the given MEDIAN (stratified)."""
        return median * np.exp(sigma * self.normal(n))


@dataclass
class Team:
    """A team ready for generation: plan, people as arrays, habits and activity per day."""

    plan: TeamPlan
    draws: Draws
    logins: np.ndarray      # member logins (object)
    jira: np.ndarray        # member Jira accounts (object)
    rate: np.ndarray        # PR rate factor per member
    start: np.ndarray       # first active day index per member
    stop: np.ndarray        # first inactive day index per member (left or went quiet)
    habits: dict[str, np.ndarray]
    activity: np.ndarray    # weekday rhythm x holidays, per day
    workday: np.ndarray     # 1 on working days, small at weekends, holiday factor otherwise
    first_day: int          # first day the team's repos exist in the data
    architects: np.ndarray  # logins of in-house architects who review this team's PRs (object)

    @property
    def rng(self) -> np.random.Generator:
        """The team's generator."""
        return self.draws.rng

    @property
    def tz(self) -> str:
        """The team's IANA time zone."""
        return self.plan.timezone

    def active(self, member: np.ndarray, day: np.ndarray) -> np.ndarray:
        """True where MEMBER is active on DAY (member -1: never)."""
        safe = np.maximum(member, 0)
        return (member >= 0) & (self.start[safe] <= day) & (day < self.stop[safe])

    def pick(self, days: list[np.ndarray], exclude: list[np.ndarray] = ()) -> np.ndarray:
        """A random member active on every one of DAYS and not in EXCLUDE, per row; -1 when none is found."""
        n = len(days[0])
        out = np.full(n, -1)
        todo = np.arange(n)
        for _ in range(16):
            if not len(todo):
                break
            cand = self.rng.integers(len(self.logins), size=len(todo))
            ok = np.ones(len(todo), bool)
            for day in days:
                ok &= self.active(cand, day[todo])
            for other in exclude:
                ok &= cand != other[todo]
            out[todo[ok]] = cand[ok]
            todo = todo[~ok]
        return out


def build_team(plan: TeamPlan, rng: np.random.Generator, architects: np.ndarray) -> Team:
    """PLAN's arrays for generation."""
    first_day = day_index(plan.started_on, 0)
    members = plan.members
    holidays = holiday_factor(plan.region)
    wd = weekday(DAYS)
    regimes = tuple((day_index(start, 0), habits) for start, habits in plan.regimes)
    return Team(
        plan=plan, draws=Draws(rng),
        logins=np.array([m.login for m in members], dtype=object),
        jira=np.array([m.jira for m in members], dtype=object),
        rate=np.array([SENIORITY_RATE[m.seniority] for m in members]),
        start=np.array([max(day_index(m.joined_on, 0), first_day) for m in members]),
        stop=np.array([min(day_index(m.left_on, N_DAYS), day_index(m.quiet_from, N_DAYS)) for m in members]),
        habits=daily(regimes, N_DAYS),
        activity=WEEKDAY_RHYTHM[wd] * holidays,
        workday=np.where(wd >= 5, 0.03, 1.0) * holidays,
        first_day=first_day,
        architects=architects if plan.sourcing_model != "in_house" else np.array([], dtype=object),
    )
