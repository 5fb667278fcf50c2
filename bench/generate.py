"""Synthetic benchmark data written straight into a SQLite store with vectorised numpy (no CSV round trip)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import numpy as np

from collectors.config import Config
from collectors.review_topics import topics_for
from store import open_engine

START = np.datetime64("2024-11-01T00:00:00", "s")
END = np.datetime64("2026-01-01T00:00:00", "s")
TEAMS = 20
MEMBERS = 10
TEXTS = ("", "", "", "LGTM", "Please add a test for the timeout path", "Does this need a feature flag for rollback?",
         "Log the error with the request id", "This couples the billing module to the UI layer",
         "Check the permission before reading the token", "nit: naming")
ZONES = ("UTC", "Asia/Kolkata", "Europe/Warsaw", "America/Sao_Paulo")


def _stamps(seconds: np.ndarray) -> np.ndarray:
    """Epoch-offset seconds (from START) as the store's SQLite timestamp text (…Z); NaN → None."""
    valid = ~np.isnan(seconds)
    out = np.full(seconds.shape, None, dtype=object)
    values = START + seconds[valid].astype("int64").astype("timedelta64[s]")
    out[valid] = np.char.add(np.datetime_as_string(values.astype("datetime64[us]"), unit="us"), "Z")
    return out


def _insert(db: sqlite3.Connection, table: str, columns: dict[str, np.ndarray]) -> int:
    names = list(columns)
    rows = list(zip(*(columns[n].tolist() for n in names), strict=True))
    db.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows)
    return len(rows)


def _roster(db: sqlite3.Connection) -> list[str]:
    """Teams, people, identities, memberships, repos, projects and boards; returns the logins by team order."""
    logins = []
    for t in range(TEAMS):
        team = f"team{t:02d}"
        started = "2025-03-03" if t % 5 == 0 else None
        db.execute("INSERT INTO teams VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (team, team.title(), "offshoring" if t % 2 else "in_house", f"Vendor {t % 3}", None,
                    ZONES[t % len(ZONES)], started))
        db.execute("INSERT INTO team_repos VALUES (?, ?)", (f"org/repo{t:02d}", team))
        db.execute("INSERT INTO team_jira_projects VALUES (?, ?)", (f"P{t:02d}", team))
        db.execute("INSERT INTO team_boards VALUES (?, ?)", (str(100 + t), team))
        for m in range(MEMBERS):
            login = f"dev{t:02d}_{m}"
            pid = f"github:{login}"
            logins.append(login)
            db.execute("INSERT INTO people VALUES (?, ?, ?)", (pid, login, None))
            db.execute("INSERT INTO identities VALUES ('github', ?, ?)", (login, pid))
            db.execute("INSERT INTO identities VALUES ('jira', ?, ?)", (f"acc-{login}", pid))
            left = "2025-09-01" if m == 9 else None
            db.execute("INSERT INTO memberships VALUES (?, ?, ?, ?, ?)",
                       (team, pid, "2024-06-01" if m < 8 else "2025-03-03", left, ("junior", "mid", "senior")[m % 3]))
    for key, value in {"incident_window_days": 7, "rubber_stamp_min_lines": 50}.items():
        db.execute("INSERT INTO settings VALUES (?, ?)", (key, json.dumps(value)))
    return logins


def generate(path: str, prs: int, seed: int = 1) -> dict[str, int]:
    """Write a store at PATH with PRS pull requests (95% merged), their reviews and comments, deployments,
    prs/5 issues with transitions, and sprints; return rows per table."""
    open_engine(f"sqlite:///{path}").dispose()
    rng = np.random.default_rng(seed)
    span = float((END - START).astype("int64"))
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")
    logins = np.array(_roster(db))
    counts: dict[str, int] = {}

    who = rng.integers(0, len(logins), prs)
    author = logins[who].astype(object)
    bots = rng.random(prs) < 0.03
    author[bots] = "dependabot[bot]"
    created = np.sort(rng.uniform(0, span - 5 * 86400, prs))
    merged = np.where(rng.random(prs) < 0.95, created + rng.exponential(24 * 3600, prs), np.nan)
    repo = np.char.add("org/repo", np.char.zfill((who // MEMBERS).astype(str), 2))
    ids = np.char.add("pr", np.arange(prs).astype(str))
    title = np.where(rng.random(prs) < 0.01, 'Revert "something"', "Change something")
    counts["pull_requests"] = _insert(db, "pull_requests", {
        "pr_id": ids, "repo": repo, "number": np.arange(prs), "author": author, "title": title,
        "url": np.char.add("https://github.com/x/pull/", np.arange(prs).astype(str)),
        "created_at": _stamps(created), "first_commit_at": _stamps(created - rng.exponential(3600 * 10, prs)),
        "merged_at": _stamps(merged), "additions": rng.lognormal(3.5, 1.2, prs).astype(int),
        "deletions": rng.lognormal(2.5, 1.2, prs).astype(int), "author_is_bot": bots.astype(int),
    })
    topics = np.array([topics_for(Config(path=""), text) for text in TEXTS], dtype=object)
    for table, per_pr, id_col, who_col, at_col, extra in (
            ("reviews", 1.5, "review_id", "reviewer", "submitted_at", True),
            ("review_comments", 1.0, "comment_id", "author", "created_at", False)):
        n_each = rng.poisson(per_pr, prs)
        pr_index = np.repeat(np.arange(prs), n_each)
        n = len(pr_index)
        text = rng.integers(0, len(TEXTS), n)
        columns = {id_col: np.char.add(id_col[0], np.arange(n).astype(str)), "pr_id": ids[pr_index],
                   who_col: logins[rng.integers(0, len(logins), n)],
                   at_col: _stamps(created[pr_index] + rng.exponential(6 * 3600, n)),
                   "body": np.array(TEXTS, dtype=object)[text], "topics": topics[text],
                   f"{'reviewer' if extra else 'author'}_is_bot": np.zeros(n, dtype=int)}
        if extra:
            columns["state"] = rng.choice(["APPROVED", "COMMENTED", "CHANGES_REQUESTED", "DISMISSED"], n,
                                          p=[0.6, 0.25, 0.1, 0.05])
        counts[table] = _insert(db, table, columns)

    n_dep = max(prs // 5, TEAMS)
    finished = rng.uniform(0, span, n_dep)
    counts["deployments"] = _insert(db, "deployments", {
        "deployment_id": np.char.add("d", np.arange(n_dep).astype(str)),
        "repo": np.char.add("org/repo", np.char.zfill(rng.integers(0, TEAMS, n_dep).astype(str), 2)),
        "environment": "production", "finished_at": _stamps(finished),
        "status": np.where(rng.random(n_dep) < 0.9, "success", "failure"),
        "is_production": (rng.random(n_dep) < 0.9).astype(int),
    } | {"environment": np.full(n_dep, "production")})

    n_iss = prs // 5
    created_i = rng.uniform(0, span, n_iss)
    kind = rng.choice(["Bug", "Incident", "Story"], n_iss, p=[0.5, 0.05, 0.45])
    resolved = np.where(rng.random(n_iss) < 0.8, created_i + rng.exponential(72 * 3600, n_iss), np.nan)
    keys = np.char.add("K-", np.arange(n_iss).astype(str))
    escaped = (kind == "Bug") & (rng.random(n_iss) < 0.1)
    counts["issues"] = _insert(db, "issues", {
        "issue_key": keys, "project": np.char.add("P", np.char.zfill(rng.integers(0, TEAMS, n_iss).astype(str), 2)),
        "issue_type": kind, "status_category": np.where(np.isnan(resolved), "todo", "done"),
        "created_at": _stamps(created_i), "resolved_at": _stamps(resolved),
        "assignee": np.char.add("acc-", logins[rng.integers(0, len(logins), n_iss)]),
        "labels": np.where(escaped, "customer-found", None), "is_bug": (kind == "Bug").astype(int),
        "is_incident": (kind == "Incident").astype(int), "is_escaped": escaped.astype(int),
    })
    done = ~np.isnan(resolved)
    reopen = done & (rng.random(n_iss) < 0.1)
    t_keys = np.concatenate([keys[done], keys[reopen]])
    t_at = np.concatenate([resolved[done], resolved[reopen] + 3600.0])
    t_from = np.concatenate([np.full(done.sum(), "in_progress"), np.full(reopen.sum(), "done")])
    t_to = np.concatenate([np.full(done.sum(), "done"), np.full(reopen.sum(), "in_progress")])
    counts["issue_transitions"] = _insert(db, "issue_transitions", {
        "issue_key": t_keys, "at": _stamps(t_at), "from_status": t_from, "to_status": t_to,
        "from_category": t_from, "to_category": t_to})

    ends = np.arange(14 * 86400, span, 14 * 86400)
    board = np.repeat(np.arange(TEAMS), len(ends))
    n_spr = len(board)
    committed = rng.integers(20, 40, n_spr).astype(float)
    counts["sprints"] = _insert(db, "sprints", {
        "sprint_id": np.char.add("s", np.arange(n_spr).astype(str)), "board_id": (100 + board).astype(str),
        "state": np.full(n_spr, "closed"), "completed_at": _stamps(np.tile(ends, TEAMS)),
        "committed_points": committed, "completed_points": np.round(committed * rng.uniform(0.5, 1.1, n_spr)),
    })
    db.commit()
    db.close()
    return counts


def window() -> tuple[dt.date, dt.date]:
    """The benchmark's 12-month report window."""
    return dt.date(2025, 1, 1), dt.date(2025, 12, 31)
