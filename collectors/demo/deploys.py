"""Deployments of one team's repos, and the incidents some of them cause."""

from __future__ import annotations

import numpy as np

from collectors.demo.calendar import DAY, END_TS, HOUR, MINUTE, N_DAYS, day_index, local_to_utc, period_day
from collectors.demo.team import Team, concat


def _deploy_days(team: Team) -> np.ndarray:
    """Day indexes with a production deployment of one repo: a release train, else daily chances."""
    if team.plan.release_days:
        return np.array([day_index(d, N_DAYS) for d in team.plan.release_days if day_index(d, N_DAYS) < N_DAYS])
    days = np.arange(team.first_day, N_DAYS)
    chance = team.habits["deploy_days"][days] * np.minimum(team.workday[days], 1.0)
    return days[team.draws.strata(len(days)) < chance]  # evenly spread: steady deployment days per week


def _deploy_starts(team: Team, merges: np.ndarray) -> np.ndarray:
    """When one repo's production deployments start: on merge (continuous delivery), else on deployment days."""
    rng = team.rng
    if team.plan.continuous:  # the pipeline ships each merge; merges within half an hour share a deployment
        merges = np.sort(merges)
        batch_start = np.r_[True, np.diff(merges) > 30 * MINUTE] if len(merges) else np.zeros(0, bool)
        return merges[batch_start] + rng.uniform(5, 20, batch_start.sum()) * MINUTE
    days = _deploy_days(team)
    days = np.repeat(days, 1 + rng.poisson(0.15, len(days)))
    return np.sort(local_to_utc(days, rng.uniform(10, 17.5, len(days)), team.tz))


def deployments(team: Team, prs: dict) -> dict:
    """Every deployment of the team's repos: production ones (a few failed and retried) and staging ones."""
    rng = team.rng
    parts = []
    environment = "prod" if team.plan.release_days else "production"
    for repo in team.plan.repos:
        created = _deploy_starts(team, prs["end"][prs["merged"] & (prs["repo"] == repo)])
        n = len(created)
        finished = created + rng.lognormal(np.log(9 * MINUTE), 0.5, n)
        failed = rng.random(n) < 0.06
        rows = [(created, finished, np.where(failed, "failure", "success"), environment)]
        retry = created[failed] + rng.uniform(25, 60, failed.sum()) * MINUTE
        rows.append((retry, retry + rng.lognormal(np.log(9 * MINUTE), 0.5, len(retry)), "success", environment))
        if team.plan.staging:
            stage = created - rng.uniform(1, 3, n) * HOUR
            rows.append((stage, stage + 6 * MINUTE, "success", "staging"))
        for start, end, status, env in rows:
            m = len(start)
            parts.append({"repo": np.full(m, repo, object), "environment": np.full(m, env, object),
                          "created": start, "finished": end, "status": np.broadcast_to(status, m).astype(object)})
    deploys = concat(parts)
    order = np.lexsort((deploys["created"], deploys["repo"]))
    deploys = {k: v[order] for k, v in deploys.items()}
    deploys["sha"] = np.frombuffer(rng.bytes(20 * len(order)).hex().encode(), dtype="S40").astype(str).astype(object)
    keep = deploys["finished"] < END_TS
    return {k: v[keep] for k, v in deploys.items()}


def incidents(team: Team, deploys: dict) -> dict:
    """Incidents caused by some successful production deployments: when they start, when service is restored."""
    draws, rng = team.draws, team.rng
    good = np.flatnonzero((deploys["status"] == "success") & (deploys["environment"] != "staging"))
    finished = deploys["finished"][good]
    day = period_day(finished)
    hit = draws.strata(len(good)) < team.habits["cfr"][day]
    finished, day, repo = finished[hit], day[hit], deploys["repo"][good[hit]]
    n = len(finished)
    created = finished + np.minimum(rng.lognormal(np.log(2.5 * HOUR), 0.8, n), 5 * DAY)
    restored = created + draws.lognormal(team.habits["restore_hours"][day], 1.0, n) * HOUR
    return {"deployed": finished, "repo": repo, "created": created, "restored": restored, "day": day,
            "revert": draws.strata(n) < 0.5}
