"""Benchmark of the Jira sync against the fake Jira: requests and issues per second (`python -m bench.jira`)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing as mp
import os
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from collectors.config import load_config
from collectors.jira.sync import Options, sync
from store import open_engine
from tests.fake_jira import EMAIL, TOKEN, FakeJira, issue
from tests.fake_jira_data import report_issue, sprint, write_config

PAGE = 100
SPRINTS = 20
CAPPED = 10  # issues whose changelog is longer than the 100 histories a search embeds
NAMES = ["Open", "In Progress", "In Review", "Closed"]


def build(fake: FakeJira, issues: int) -> None:
    """ISSUES issues in PAY (3 status changes each, CAPPED of them with 120), one board of SPRINTS sprints."""
    fake.add_project("PAY")
    start = dt.datetime(2026, 1, 1)
    for n in range(1, issues + 1):
        t = start + dt.timedelta(minutes=n)
        steps = list(zip(NAMES, NAMES[1:], strict=False)) * (40 if n <= CAPPED else 1)
        moves = [(str(t + dt.timedelta(minutes=5 * (i + 1))), a, b) for i, (a, b) in enumerate(steps)]
        fake.add(issue(f"PAY-{n}", created=str(t), updated=moves[-1][0], status="Closed", points=n % 8,
                       sprints=[(1000 + n % SPRINTS, "closed")], moves=moves))
    fake.boards["12"] = {
        "configuration": {"estimation": {"field": {"fieldId": "customfield_10016"}}},
        "sprints": [sprint(1000 + s, "closed", f"2026-01-{s + 1:02d} 00:00", f"2026-01-{s + 2:02d} 00:00",
                           f"2026-01-{s + 2:02d} 00:00", 12) for s in range(SPRINTS)],
        "reports": {str(1000 + s): {"contents": {"completedIssues": [report_issue("PAY-1", 3, True)],
                                                 "completedIssuesEstimateSum": {"value": 3.0}}}
                    for s in range(SPRINTS)}}


def serve(deployment: str, issues: int, urls) -> None:
    """Run the fake in its own process (so it does not share the GIL with the sync being measured)."""
    with FakeJira(deployment=deployment) as fake:
        build(fake, issues)
        fake.memo = {}
        urls.put(fake.url)
        while True:
            time.sleep(3600)


def measure(deployment: str, issues: int, folder: Path) -> list[dict]:
    """A warm-up full sync (fills the fake's memo), a measured full sync and an incremental one."""
    urls = mp.get_context("fork").Queue()
    server = mp.get_context("fork").Process(target=serve, args=(deployment, issues, urls), daemon=True)
    server.start()
    try:
        url = urls.get(timeout=600)
        site = SimpleNamespace(url=url, cloud=deployment == "Cloud")  # what write_config reads of a fake
        config = load_config(write_config(folder, site, projects=("PAY",), boards=("12",)))
        rows = []
        runs = (("warm-up", "warm.db", True), ("full", "full.db", True), ("incremental", "full.db", False))
        for name, db, full in runs:
            engine = open_engine(f"sqlite:///{folder / f'{deployment}-{db}'}")
            started = time.perf_counter()
            result = sync(engine, config, full, io.StringIO(), Options(page_size=PAGE))
            secs = time.perf_counter() - started
            assert not result.failures, result.failures
            rows.append({"deployment": deployment, "run": name, "issues": result.rows.get("issues", 0),
                         "transitions": result.rows.get("issue_transitions", 0), "requests": result.requests,
                         "budget": 1.1 * issues / PAGE + SPRINTS + 1, "seconds": secs,
                         "issues/s": result.rows.get("issues", 0) / secs})
        return rows[1:]
    finally:
        server.kill()


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    head = "| deployment | run | issues | transitions | requests | budget | seconds | issues/s |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['deployment']} | {r['run']} | {r['issues']:,} | {r['transitions']:,} | {r['requests']} | "
              f"{r['budget']:.0f} | {r['seconds']:.1f} | {r['issues/s']:,.0f} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--issues", type=int, default=20_000, help="issues in the fake project (default 20000)")
    args = parser.parse_args()
    os.environ["JIRA_EMAIL"], os.environ["JIRA_API_TOKEN"] = EMAIL, TOKEN
    with tempfile.TemporaryDirectory() as folder:
        rows = [r for d in ("Cloud", "DataCenter") for r in measure(d, args.issues, Path(folder))]
    print(table(rows))
    ok = all(r["requests"] <= r["budget"] and (r["run"] != "full" or r["issues/s"] >= 2000) for r in rows)
    print(f"\nrequests ≤ 1.1 × issues/{PAGE} + sprints + boards and ≥ 2,000 issues/s: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
