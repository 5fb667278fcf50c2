"""A sync writing while four readers read, on SQLite and PostgreSQL: no lock errors, never a half-written batch."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import store
from tests.conftest import ROOT

BATCHES, BATCH = 40, 250


def write_batches(url: str) -> None:
    """Write BATCHES transactions of BATCH pull requests plus one review each."""
    engine = store.open_engine(url)
    created = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    for b in range(BATCHES):
        prs = [{"pr_id": f"pr{b}-{i}", "repo": "acme/core", "created_at": created, "author_is_bot": False}
               for i in range(BATCH)]
        reviews = [{"review_id": f"r{b}-{i}", "pr_id": f"pr{b}-{i}", "reviewer_is_bot": False} for i in range(BATCH)]
        with store.writing(engine) as conn, conn.begin():
            store.upsert(conn, "pull_requests", prs)
            store.upsert(conn, "reviews", reviews)
        time.sleep(0.02)  # pace the writer so the readers see many intermediate states


def read_until_done(url: str) -> None:
    """Read both tables in one snapshot until the writer is done; print "ok STATES" or what went wrong."""
    engine = store.open_engine(url)
    seen = set()
    print("ready", flush=True)
    try:
        while True:
            f = store.read_frames(engine, {"pull_requests": ["pr_id"], "reviews": ["pr_id"]})
            prs, revs = len(f["pull_requests"]), len(f["reviews"])
            if prs != revs or prs % BATCH:
                print(f"half-written state seen: {prs} PRs, {revs} reviews")
                return
            seen.add(prs)
            if prs == BATCHES * BATCH:
                print(f"ok {len(seen)}")
                return
    except Exception as exc:  # "database is locked" would land here
        print(f"error: {exc}")


def process(role: str, url: str) -> subprocess.Popen:
    """A separate Python process running ROLE (write_batches or read_until_done) against URL."""
    code = f"from tests.test_concurrency import {role}; {role}({url!r})"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def test_four_readers_and_a_writer_at_once(any_url):
    store.open_engine(any_url).dispose()
    readers = [process("read_until_done", any_url) for _ in range(4)]
    assert [r.stdout.readline().strip() for r in readers] == ["ready"] * 4  # all reading before the sync starts
    writer = process("write_batches", any_url)
    assert writer.wait(120) == 0
    outcomes = [r.communicate(timeout=120)[0].strip() for r in readers]
    assert all(o.startswith("ok") for o in outcomes), outcomes
    assert all(int(o.split()[1]) >= 3 for o in outcomes), f"readers saw too few states to prove anything: {outcomes}"
