"""Jira work of one team: bugs from merged PRs, incidents from deployments, sprint stories and the sprints."""

from __future__ import annotations

import numpy as np

from collectors.demo.calendar import DAY, END_TS, HOUR, N_DAYS, local_to_utc, period_day
from collectors.demo.calendar import into_working_hours as snap
from collectors.demo.team import Team, concat

CATEGORY = {"To Do": "todo", "In Progress": "in_progress", "In Review": "in_progress", "Done": "done"}
POINTS = np.array([1, 2, 3, 5, 8])
SPRINT_DAYS = 14


def _issues(team: Team, kind: str, created: np.ndarray, final: np.ndarray, **extra) -> dict:
    """Issue rows of one KIND; the assignee is a member active when the issue is created and finally resolved."""
    n = len(created)
    start = period_day(created)
    assignee = team.pick([start, np.where(final < END_TS, period_day(final), start)])
    rows = {"type": np.full(n, kind, object), "created": created,
            "assignee": np.where(assignee >= 0, team.jira[np.maximum(assignee, 0)], "").astype(object),
            "priority": np.full(n, "Medium", object), "labels": np.full(n, "", object),
            "points": np.full(n, np.nan), "sprint": np.full(n, "", object)}
    return rows | extra


def _steps(issue: np.ndarray, at: np.ndarray, source: str, target: str) -> dict:
    n = len(issue)
    return {"issue": issue, "at": at, "from": np.full(n, source, object), "to": np.full(n, target, object)}


def bugs(team: Team, prs: dict) -> tuple[dict, dict]:
    """Bugs traced to merged PRs: some escaped to production, some reopened after their first fix."""
    draws, rng, h = team.draws, team.rng, team.habits
    merged = np.flatnonzero(prs["merged"] & (prs["end"] < END_TS))
    found = snap(prs["end"][merged] + rng.lognormal(np.log(3.0), 0.5, len(merged)) * DAY, team.tz, rng)
    bug = draws.strata_by(found) < h["bugs"][period_day(prs["end"][merged])]  # in the order bugs are found
    merged, created = merged[bug], found[bug]
    n = len(merged)
    day = period_day(created)
    resolved = snap(created + draws.lognormal(h["bug_hours"][day], 1.1, n) * HOUR, team.tz, rng)
    progress = created + (resolved - created) * rng.uniform(0.05, 0.5, n)
    reopen = draws.strata_by(resolved) < h["reopen"][day]
    reopened = snap(resolved + rng.lognormal(np.log(30 * HOUR), 0.9, n), team.tz, rng)
    fixed = snap(reopened + draws.lognormal(h["bug_hours"][day] / 2, 1.0, n) * HOUR, team.tz, rng)
    escaped = draws.strata_by(created) < h["escaped"][day]
    found = np.where(rng.random(n) < 0.5, "customer-found", "production")
    internal = np.array(["qa-found", "regression", ""], dtype=object)[rng.integers(3, size=n)]
    priority = np.array(["Highest", "High", "Medium", "Low"], dtype=object)[
        np.searchsorted([0.05, 0.3, 0.8], rng.random(n))]
    issues = _issues(team, "Bug", created, np.where(reopen, fixed, resolved), priority=priority,
                     labels=np.where(escaped, found, internal).astype(object))
    i, r = np.arange(n), np.flatnonzero(reopen)
    steps = [_steps(i, progress, "To Do", "In Progress"), _steps(i, resolved, "In Progress", "Done"),
             _steps(r, reopened[r], "Done", "In Progress"), _steps(r, fixed[r], "In Progress", "Done")]
    return issues, concat(steps)


def incident_issues(team: Team, incidents: dict) -> tuple[dict, dict]:
    """One Incident issue per incident, resolved when service was restored."""
    n = len(incidents["created"])
    created, restored = incidents["created"], incidents["restored"]
    issues = _issues(team, "Incident", created, restored, priority=np.full(n, "Highest", object),
                     labels=np.full(n, "sev2", object))
    i = np.arange(n)
    acked = created + np.minimum(team.rng.lognormal(np.log(0.25 * HOUR), 0.6, n), (restored - created) / 2)
    return issues, concat([_steps(i, acked, "To Do", "In Progress"), _steps(i, restored, "In Progress", "Done")])


def sprint_work(team: Team) -> tuple[dict, dict, dict]:
    """Two-week sprints on the team's board: committed stories (done or carried over) and unplanned tasks."""
    rng, tz = team.rng, team.tz
    first = team.first_day + (7 - team.first_day % 7) % 7
    start_day = np.arange(first, N_DAYS + SPRINT_DAYS, SPRINT_DAYS)
    start_at = local_to_utc(np.minimum(start_day, N_DAYS - 1), np.full(len(start_day), 10.0), tz) + \
        np.maximum(start_day - (N_DAYS - 1), 0) * DAY
    end_at = start_at + SPRINT_DAYS * DAY - HOUR
    keep = start_at < END_TS
    keep[np.argmax(~keep)] = True  # and the next one, still in the future
    start_day, start_at, end_at = start_day[keep], start_at[keep], end_at[keep]
    s = len(start_day)
    open_day = np.minimum(start_day, N_DAYS - 1)
    heads = np.array([team.active(np.full(s, m), open_day) for m in range(len(team.logins))]).sum(axis=0)
    pace = np.array([team.activity[d:d + SPRINT_DAYS].mean() for d in open_day])
    count = np.where(start_at < END_TS, np.maximum(1, np.round(heads * 6 * pace / 3.3)), 0).astype(int)
    sprint = np.repeat(np.arange(s), count)
    n = len(sprint)
    points = POINTS[np.searchsorted([0.15, 0.4, 0.7, 0.9], rng.random(n))]
    done = rng.random(n) < team.habits["say_do"][open_day[sprint]]
    begin, finish = start_at[sprint], end_at[sprint]
    created = snap(begin - rng.lognormal(np.log(8 * DAY), 0.7, n), tz, rng)
    resolved = snap(begin + rng.uniform(0.15, 0.95, n) * SPRINT_DAYS * DAY, tz, rng)
    resolved = np.where(resolved >= finish, finish - rng.uniform(1, 20, n) * HOUR, resolved)
    late = snap(finish + rng.lognormal(np.log(4 * DAY), 0.8, n), tz, rng)
    resolved = np.where(done, resolved, late)
    progress = np.where(done, begin + (resolved - begin) * rng.uniform(0.05, 0.5, n),
                        begin + rng.uniform(0.3, 0.9, n) * SPRINT_DAYS * DAY)
    review = progress + (resolved - progress) * rng.uniform(0.5, 0.9, n)
    ids = np.array([str(team.plan.board * 1000 + k + 1) for k in range(s)], dtype=object)
    kind = np.where(rng.random(n) < 0.75, "Story", "Task").astype(object)
    labels = np.array(["backend", "frontend", "api", "tech-debt", ""], dtype=object)[rng.integers(5, size=n)]
    stories = _issues(team, "Story", created, resolved, points=points.astype(float), sprint=ids[sprint],
                      labels=labels)
    stories["type"] = kind
    # Unplanned tasks added during the sprint: no estimate, not part of the commitment.
    extra = np.repeat(np.arange(s), rng.poisson(0.15 * count))
    m = len(extra)
    t_created = snap(start_at[extra] + rng.uniform(0.1, 0.8, m) * SPRINT_DAYS * DAY, tz, rng)
    t_resolved = snap(t_created + rng.lognormal(np.log(2 * DAY), 0.8, m), tz, rng)
    tasks = _issues(team, "Task", t_created, t_resolved, sprint=ids[extra])
    issues = concat([stories, tasks])
    i, j = np.arange(n), n + np.arange(m)
    r = np.flatnonzero(rng.random(n) < 0.6)
    steps = concat([_steps(i, progress, "To Do", "In Progress"), _steps(r, review[r], "In Progress", "In Review"),
                  _steps(np.setdiff1d(i, r), resolved[np.setdiff1d(i, r)], "In Progress", "Done"),
                  _steps(r, resolved[r], "In Review", "Done"),
                  _steps(j, t_created + (t_resolved - t_created) / 3, "To Do", "In Progress"),
                  _steps(j, t_resolved, "In Progress", "Done")])
    closed = end_at < END_TS
    active = (start_at < END_TS) & ~closed
    committed = np.bincount(sprint, weights=points, minlength=s)
    completed = np.bincount(sprint, weights=points * done, minlength=s)
    sprints = {
        "sprint_id": ids, "board_id": np.full(s, str(team.plan.board), object),
        "name": np.array([f"{team.plan.project} Sprint {k + 1}" for k in range(s)], dtype=object),
        "state": np.where(closed, "closed", np.where(active, "active", "future")).astype(object),
        "start_at": start_at, "end_at": end_at,
        "completed_at": np.where(closed, end_at + rng.uniform(0.5, 6, s) * HOUR, np.nan),
        "committed_points": np.where(count > 0, committed, np.nan),
        "completed_points": np.where(closed, completed, np.nan),
    }
    return sprints, issues, steps

