"""GitHub sync benchmark against the fake GitHub: requests, points and PRs per second (`python -m bench.github`)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing as mp
import os
import random
import re
import tempfile
import time
from pathlib import Path

from github import Auth, Github

from collectors.config import load_config
from collectors.github import fetch_graphql as gql
from collectors.github import normalise as norm
from collectors.github.client import Client, Tuning
from collectors.github.sync import RepoSync, sync
from collectors.progress import Progress
from store import open_engine
from tests.fake_github import TOKEN, FakeGitHub
from tests.fake_github_data import Comment, Deployment, Pull, Review
from tests.fake_github_scenario import write_config

REPO = "acme/big"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# Review bodies as in the real recorded ones (26 of 31 empty); comments always have text.
REVIEW_BODIES = [""] * 4 + ["Looks fine; maybe add a test for the retry path"]


def build(fake: FakeGitHub, prs: int, seed: int = 7) -> None:
    """PRS pull requests with 0-6 reviews (3 on average) and 0-8 comments (4: half inline in threads)."""
    rng = random.Random(seed)
    repo = fake.repo(REPO)
    ids = iter(range(1, 10**9))
    for n in range(1, prs + 1):
        day = (START + dt.timedelta(minutes=90 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")  # one PR every 90 minutes
        reviews = [Review(next(ids), f"dev{rng.randint(1, 30)}", rng.choice(["APPROVED", "COMMENTED"]), day,
                          rng.choice(REVIEW_BODIES)) for _ in range(rng.randint(0, 6))]
        inline = [Comment(next(ids), f"dev{rng.randint(1, 30)}", day, "Handle the timeout", f"src/f{n}.py",
                          thread=rng.randint(0, 1)) for _ in range(rng.randint(0, 4))]
        talk = [Comment(next(ids), f"dev{rng.randint(1, 30)}", day, "Thanks") for _ in range(rng.randint(0, 4))]
        repo.add(Pull(n, f"dev{n % 30}", f"Change {n}", created=day, updated=day, merged=day,
                      reviews=reviews, comments=inline + talk))
    for n in range(1, prs // 20 + 1):  # one deployment a day
        at = START + dt.timedelta(days=n)
        repo.deployments.append(Deployment(n, "production", "a" * 40, f"{at:%Y-%m-%dT%H:%M:%SZ}",
                                           [("success", f"{at + dt.timedelta(minutes=5):%Y-%m-%dT%H:%M:%SZ}")]))


def serve(prs: int, urls) -> None:
    """Run the fake in its own process (so it does not share the GIL with what is measured)."""
    with FakeGitHub() as fake:
        build(fake, prs)
        fake.rate = {"core": [10**9, 10**9], "graphql": [10**9, 10**9]}  # count, never throttle
        urls.put(fake.base_url)
        while True:
            time.sleep(3600)


def naive_requests(base_url: str) -> int:
    """A straightforward PyGithub traversal: list PRs, then per PR its details, reviews, comments and commits."""
    gh = Github(auth=Auth.Token(TOKEN), base_url=base_url, per_page=100, retry=None,
                seconds_between_requests=None, seconds_between_writes=None)
    repo = gh.get_repo(REPO)
    before = gh.requester.rate_limiting[0] + 1  # the get_repo request
    for pr in repo.get_pulls(state="all"):
        _ = pr.additions  # not in list payloads: fetches the PR again
        for listing in (pr.get_reviews(), pr.get_review_comments(), pr.get_issue_comments(), pr.get_commits()):
            list(listing)
    return before - gh.requester.rate_limiting[0]


def points(result) -> int:
    return int(re.search(r"points used: (\d+)", result.notes[0]).group(1))


def ingest_rate(config, folder: Path) -> tuple[int, float, float]:
    """(PRs, wall seconds, CPU seconds) to normalise and write pages already fetched (an instant server)."""
    client = Client(config, Tuning())
    pages = [p.nodes["updated"] for p in gql.repo_pages(client, REPO, client.tuning, {}, {"updated"})]
    engine = open_engine(f"sqlite:///{folder / 'ingest.db'}")
    writer = RepoSync(client, engine, config, REPO, True, Progress(REPO, io.StringIO()))
    started, cpu = time.perf_counter(), time.process_time()
    for nodes in pages:
        rows = norm.Rows()
        for node in nodes:
            rows.extend(norm.graphql_pull_request(config, REPO, node))
        writer.write(rows)
    return sum(len(n) for n in pages), time.perf_counter() - started, time.process_time() - cpu


def measure(prs: int, folder: Path) -> tuple[list[dict], dict]:
    urls = mp.get_context("fork").Queue()
    server = mp.get_context("fork").Process(target=serve, args=(prs, urls), daemon=True)
    server.start()
    try:
        base_url = urls.get(timeout=600)
        rows = []
        for api in ("graphql", "rest"):
            config = load_config(str(write_config(folder / f"{api}.yaml", base_url, repos=(REPO,), api=api)))
            engine = open_engine(f"sqlite:///{folder / f'{api}.db'}")
            for run, full in (("full", True), ("incremental, nothing changed", False)):
                started = time.perf_counter()
                result = sync(engine, config, full, io.StringIO())
                secs = time.perf_counter() - started
                assert not result.failures, result.failures
                rows.append({"run": f"{api} {run}", "prs": result.rows.get("pull_requests", 0),
                             "requests": result.requests, "points": points(result), "seconds": secs})
        started = time.perf_counter()
        rows.append({"run": "naive PyGithub traversal", "prs": prs, "requests": naive_requests(base_url),
                     "points": None, "seconds": time.perf_counter() - started})
        ingested, secs, cpu = ingest_rate(config_for(folder, base_url), folder)
        return rows, {"prs": ingested, "seconds": secs, "cpu": cpu}
    finally:
        server.kill()


def config_for(folder: Path, base_url: str):
    return load_config(str(write_config(folder / "ingest.yaml", base_url, repos=(REPO,))))


def table(rows: list[dict]) -> str:
    """The results as a Markdown table."""
    lines = ["| run | PRs | requests | rate-limit points | seconds | PRs/s |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['run']} | {r['prs']:,} | {r['requests']:,} | {'' if r['points'] is None else r['points']:} | "
              f"{r['seconds']:.1f} | {r['prs'] / r['seconds'] if r['prs'] else 0:,.0f} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prs", type=int, default=2000, help="pull requests in the fake repo (default 2000)")
    args = parser.parse_args()
    os.environ["GITHUB_TOKEN"] = TOKEN
    os.environ.pop("LEGIBLE_GITHUB_TUNING", None)
    with tempfile.TemporaryDirectory() as folder:
        rows, ingest = measure(args.prs, Path(folder))
    print(table(rows))
    full, incremental, naive = rows[0], rows[1], rows[-1]
    rate = ingest["prs"] / ingest["seconds"]
    print(f"\nGraphQL points per 1,000 PRs (full sync): {1000 * full['points'] / args.prs:.0f}")
    print(f"ingest (normalise + upsert, fetched pages): {ingest['prs']:,} PRs in {ingest['seconds']:.2f}s = "
          f"{rate:,.0f} PRs/s ({ingest['prs'] / ingest['cpu']:,.0f} PRs per CPU second; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    checks = {"full sync ≤ 60 requests": full["requests"] <= 60,
              "≥ 30× fewer requests than the naive traversal": naive["requests"] >= 30 * full["requests"],
              "incremental, nothing changed ≤ 2 requests per repo": incremental["requests"] <= 2,
              "ingest ≥ 5,000 PRs/s": rate >= 5000}
    for name, ok in checks.items():
        print(f"{name}: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
