"""Syncing GitHub into the store: per repo and stream, pages upserted with their bookmarks."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from sqlalchemy import Engine, select

from collectors.config import Config
from collectors.github import fetch_graphql as gql
from collectors.github import fetch_rest as rest
from collectors.github import normalise as norm
from collectors.github.client import Client, GitHubError, Tuning
from collectors.github.queries import NODE_LIMIT, page_nodes
from collectors.progress import Progress
from collectors.secrets import redact
from collectors.sources import SyncResult
from store import get_bookmark, set_bookmark, upsert, writing
from store.schema import pull_requests

SOURCE = "github"
PENDING_DAYS = 3  # a deployment still without a final status is re-read for this long after the newest one


def sync(engine: Engine, config: Config, full: bool, stream: TextIO | None = None, tuning: Tuning | None = None,
         sleep: Callable[[float], None] = time.sleep) -> SyncResult:
    """Sync every configured repo; a repo that fails is reported and the others still run."""
    result = SyncResult()
    try:
        tuning = tuning or Tuning.from_env()
        if config.github.api == "graphql" and page_nodes(tuning) > NODE_LIMIT:
            raise GitHubError(f"page sizes ask for {page_nodes(tuning):,} GraphQL nodes, over GitHub's "
                              f"{NODE_LIMIT:,}: lower prs, threads or thread_comments in LEGIBLE_GITHUB_TUNING")
        client = Client(config, tuning, sleep)
    except GitHubError as exc:
        result.failures.append(str(exc))
        return result
    try:
        for repo in [r for team in config.teams for r in team.repos]:
            progress, before = Progress(repo, stream), client.requests
            repo_sync = RepoSync(client, engine, config, repo, full, progress)
            try:
                repo_sync.run()
                progress.done()
            except Exception as exc:  # one repo's failure must not stop the others
                reason = redact(f"{type(exc).__name__}: {exc}" if not isinstance(exc, GitHubError) else str(exc),
                                config)
                result.failures.append(f"{repo}: {reason} (rows written before the failure are kept; "
                                       "the next run resumes)")
                progress.advance(requests=client.requests - before - progress.requests)
                progress.done("failed")
            for table, count in repo_sync.counts.items():
                result.add(table, count)
    finally:
        client.close()
    result.requests = client.requests
    result.notes.append(f"rate-limit points used: {client.points}; waited {client.waited:.1f}s "
                        "for rate limits and retries")
    return result


def with_last(items: Iterable) -> Iterator[tuple[object, bool]]:
    """Each item with whether it is the last one (so the last page can carry the bookmark)."""
    it = iter(items)
    try:
        current = next(it)
    except StopIteration:
        return
    for following in it:
        yield current, False
        current = following
    yield current, True


class DeploymentMark:
    """The deployments bookmark: the newest creation, held back to the oldest recent unfinished one."""

    def __init__(self):
        self.created: list[tuple[dt.datetime, bool]] = []

    def see(self, row: dict | None) -> None:
        """Count a deployment row."""
        if row is not None and row["created_at"] is not None:
            self.created.append((row["created_at"], row["finished_at"] is None))

    @property
    def value(self) -> dt.datetime | None:
        """The bookmark, or None when nothing was seen."""
        if not self.created:
            return None
        newest = max(at for at, _ in self.created)
        horizon = newest - dt.timedelta(days=PENDING_DAYS)
        return min([at for at, pending in self.created if pending and at >= horizon] + [newest])


class RepoSync:
    """One repo's sync: the pull request, comment and deployment streams."""

    def __init__(self, client: Client, engine: Engine, config: Config, repo: str, full: bool, progress: Progress):
        self.client, self.engine, self.config, self.repo, self.full = client, engine, config, repo, full
        self.progress = progress
        self.counts: Counter = Counter()
        self._requests = client.requests

    def run(self) -> None:
        """Sync every stream of the repo, counting rows written per table in self.counts."""
        source = self.config.github.deployments.source
        if self.config.github.api == "graphql":
            self.graphql_streams(source if source != "workflow_runs" else None)
        else:
            self.rest_streams(source if source != "workflow_runs" else None)
        if source == "workflow_runs":
            self.workflow_runs()

    def since(self, stream: str) -> dt.datetime | None:
        """Where STREAM resumes: its bookmark minus the overlap window (None: from the start)."""
        if self.full:
            return None
        with self.engine.connect() as conn:
            mark = get_bookmark(conn, SOURCE, stream, self.repo)
        return norm.parse_time(mark) - dt.timedelta(minutes=self.client.tuning.overlap_minutes) if mark else None

    def write(self, rows: norm.Rows, marks: dict[str, dt.datetime | None] | None = None) -> None:
        """Upsert ROWS and move the bookmarks MARKS in one transaction."""
        tables = rows.unique()
        with writing(self.engine) as conn, conn.begin():
            for table, items in tables.items():
                if items:
                    upsert(conn, table, items)
                    self.counts[table] += len(items)
            for stream, at in (marks or {}).items():
                if at is not None:
                    set_bookmark(conn, SOURCE, stream, self.repo, rest.iso(at))
        self.progress.advance(items=len(tables["pull_requests"]), requests=self.client.requests - self._requests)
        self._requests = self.client.requests

    # --- GraphQL ---------------------------------------------------------------------------

    def graphql_streams(self, deployments: str | None) -> None:
        """Pull requests (updated, and open ones when incremental) with deployments or releases, paged together."""
        since = {"updated": self.since("pull_requests")}
        wanted = {"updated"} | ({"open"} if since["updated"] else set())
        if deployments:
            since[deployments] = self.since("deployments")
            wanted.add(deployments)
        newest: dt.datetime | None = None
        mark = DeploymentMark()
        for page in gql.repo_pages(self.client, self.repo, self.client.tuning, since, wanted):
            if since["updated"] is None and "updated" in page.totals:
                self.progress.total = page.totals["updated"]  # a bar for a full read
            rows = norm.Rows()
            for key in ("updated", "open"):
                for node in page.nodes.get(key, []):
                    rows.extend(norm.graphql_pull_request(self.config, self.repo, node))
            for node in page.nodes.get("updated", []):
                at = norm.parse_time(node["updatedAt"])
                newest = at if newest is None or at > newest else newest
            for node in page.nodes.get("deployments", []):
                rows.add("deployments", norm.graphql_deployment(self.config, self.repo, node))
            for node in page.nodes.get("releases", []):
                rows.add("deployments", norm.graphql_release(self.config, self.repo, node))
            for row in rows.tables["deployments"]:
                mark.see(row)
            marks = {}
            if "updated" in page.finished:
                marks["pull_requests"] = newest
            if deployments in page.finished:
                marks["deployments"] = mark.value
            self.write(rows, marks)

    # --- REST ------------------------------------------------------------------------------

    def rest_streams(self, deployments: str | None) -> None:
        """Pull requests (per-PR calls only for changed and open ones), repo-wide comments, deployments."""
        since = self.since("pull_requests")
        newest: dt.datetime | None = None
        seen: set[int] = set()
        for items, last in with_last(rest.pull_request_pages(self.client, self.repo, since)):
            for pull in items:
                seen.add(pull["number"])
                at = norm.parse_time(pull["updated_at"])
                newest = at if newest is None or at > newest else newest
            self.write(self.rest_pull_requests(p["number"] for p in items),
                       {"pull_requests": newest} if last else {})
        if since is not None:
            still_open = sorted(self.open_numbers() - seen)
            for start in range(0, len(still_open), 50):
                self.write(self.rest_pull_requests(still_open[start:start + 50]))
        for kind, stream in (("pulls", "inline_comments"), ("issues", "issue_comments")):
            for items in rest.comment_pages(self.client, self.repo, kind, self.since(stream)):
                rows = norm.Rows()
                for c in items:
                    row = (norm.rest_inline_comment if kind == "pulls" else norm.rest_issue_comment)(
                        self.config, self.repo, c)
                    rows.add("review_comments", row)
                updated = [norm.parse_time(c["updated_at"]) for c in items]
                self.write(rows, {stream: max(updated)} if updated else {})
        if deployments == "deployments":
            pages = ([norm.rest_deployment(self.config, self.repo, d, s) for d, s in page]
                     for page in rest.deployment_pages(self.client, self.repo, self.since("deployments")))
            self.deployment_stream(pages)
        elif deployments == "releases":
            pages = ([norm.rest_release(self.config, self.repo, r) for r in page]
                     for page in rest.release_pages(self.client, self.repo, self.since("deployments")))
            self.deployment_stream(pages)

    def rest_pull_requests(self, numbers: Iterable[int]) -> norm.Rows:
        """Rows of the pull requests NUMBERS, read one by one (detail, first commit, events, reviews)."""
        rows = norm.Rows()
        for number in numbers:
            pull, commits, events, reviews = rest.pull_request_detail(self.client, self.repo, number)
            rows.add("pull_requests", norm.rest_pull_request(self.config, self.repo, pull, commits, events))
            for review in reviews:
                rows.add("reviews", norm.rest_review(self.config, self.repo, number, review))
        return rows

    def open_numbers(self) -> set[int]:
        """Numbers of this repo's pull requests the store holds as still open."""
        query = select(pull_requests.c.number).where(
            pull_requests.c.repo == self.repo, pull_requests.c.merged_at.is_(None),
            pull_requests.c.closed_at.is_(None))
        with self.engine.connect() as conn:
            return {n for (n,) in conn.execute(query)}

    # --- deployments from REST lists (releases, deployments, workflow runs) ----------------

    def workflow_runs(self) -> None:
        """Workflow runs whose name matches github.deployments.workflow (REST in both modes)."""
        pages = ([norm.workflow_run(self.config, self.repo, run) for run in page]
                 for page in rest.run_pages(self.client, self.repo, self.since("deployments")))
        self.deployment_stream(pages)

    def deployment_stream(self, pages: Iterable[list[dict | None]]) -> None:
        """Write pages of deployment rows; the last page carries the deployments bookmark."""
        mark = DeploymentMark()
        for page, last in with_last(pages):
            rows = norm.Rows()
            for row in page:
                rows.add("deployments", row)
                mark.see(row)
            self.write(rows, {"deployments": mark.value} if last else {})
