"""A sync writing while four readers read, on SQLite and PostgreSQL: no lock errors, never a half-written batch."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import time

import store

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


def read_until_done(url: str, result) -> None:
    """Read both tables in one snapshot until the writer is done; record any inconsistency."""
    engine = store.open_engine(url)
    seen = set()
    try:
        while True:
            f = store.read_frames(engine, {"pull_requests": ["pr_id"], "reviews": ["pr_id"]})
            prs, revs = len(f["pull_requests"]), len(f["reviews"])
            if prs != revs or prs % BATCH:
                result.put(f"half-written state seen: {prs} PRs, {revs} reviews")
                return
            seen.add(prs)
            if prs == BATCHES * BATCH:
                result.put(f"ok {len(seen)}")
                return
    except Exception as exc:  # "database is locked" would land here
        result.put(f"error: {exc}")


def test_four_readers_and_a_writer_at_once(any_url):
    store.open_engine(any_url).dispose()
    ctx = mp.get_context("spawn")
    result = ctx.Queue()
    readers = [ctx.Process(target=read_until_done, args=(any_url, result)) for _ in range(4)]
    writer = ctx.Process(target=write_batches, args=(any_url,))
    for p in (*readers, writer):
        p.start()
    writer.join(120)
    outcomes = [result.get(timeout=120) for _ in readers]
    for p in readers:
        p.join(10)
    assert writer.exitcode == 0
    assert all(o.startswith("ok") for o in outcomes), outcomes
    assert all(int(o.split()[1]) >= 3 for o in outcomes), f"readers saw too few states to prove anything: {outcomes}"
