"""Dumb REST I/O: Link-paginated lists of pull requests, comments, deployments, releases and runs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from collectors.github.client import Client
from collectors.github.normalise import parse_time

_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def iso(moment: dt.datetime) -> str:
    """GitHub's ISO 8601 form of an instant: 2026-05-04T09:00:00Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pages(client: Client, path: str, params: dict | None = None, key: str | None = None) -> Iterator[list[dict]]:
    """Each page of a list endpoint, following the Link header's next URL (KEY: the list inside an object)."""
    url: str | None = path
    params = {**(params or {}), "per_page": 100}
    while url:
        headers, data = client.get(url, params)
        yield (data or {}).get(key, []) if key else (data or [])
        found = _NEXT.search(headers.get("link", ""))
        url, params = (found.group(1), None) if found else (None, None)


def _newest_first(client: Client, path: str, since: dt.datetime | None, stamp: str,
                  params: dict | None = None, key: str | None = None) -> Iterator[list[dict]]:
    """Pages of a newest-first list, items at or after SINCE only, stopping once past it."""
    for items in pages(client, path, params, key):
        kept = [i for i in items if since is None or parse_time(i[stamp]) >= since]
        yield kept
        if len(kept) < len(items):
            return


def pull_request_pages(client: Client, repo: str, since: dt.datetime | None) -> Iterator[list[dict]]:
    """Pages of the repo's pull requests updated at or after SINCE, most recently updated first."""
    yield from _newest_first(client, f"/repos/{repo}/pulls", since, "updated_at",
                             {"state": "all", "sort": "updated", "direction": "desc"})


def pull_request_detail(client: Client, repo: str, number: int) -> tuple[dict, list[dict], list[dict], list[dict]]:
    """One pull request's detail (with sizes), first commit, issue events and reviews."""
    _, pull = client.get(f"/repos/{repo}/pulls/{number}")
    _, commits = client.get(f"/repos/{repo}/pulls/{number}/commits", {"per_page": 1})
    events = [e for page in pages(client, f"/repos/{repo}/issues/{number}/events") for e in page]
    reviews = [r for page in pages(client, f"/repos/{repo}/pulls/{number}/reviews") for r in page]
    return pull, commits or [], events, reviews


def comment_pages(client: Client, repo: str, kind: str, since: dt.datetime | None) -> Iterator[list[dict]]:
    """Pages of the repo-wide inline (kind `pulls`) or conversation (`issues`) comments, oldest update first."""
    params = {"sort": "updated", "direction": "asc", **({"since": iso(since)} if since else {})}
    yield from pages(client, f"/repos/{repo}/{kind}/comments", params)


def deployment_pages(client: Client, repo: str, since: dt.datetime | None) -> Iterator[list[tuple[dict, list]]]:
    """Pages of (deployment, statuses) created at or after SINCE, newest first."""
    for items in _newest_first(client, f"/repos/{repo}/deployments", since, "created_at"):
        yield [(d, [s for page in pages(client, f"/repos/{repo}/deployments/{d['id']}/statuses") for s in page])
               for d in items]


def release_pages(client: Client, repo: str, since: dt.datetime | None) -> Iterator[list[dict]]:
    """Pages of releases created at or after SINCE, newest first."""
    yield from _newest_first(client, f"/repos/{repo}/releases", since, "created_at")


def run_pages(client: Client, repo: str, since: dt.datetime | None) -> Iterator[list[dict]]:
    """Pages of workflow runs created at or after SINCE, newest first."""
    params = {"created": f">={iso(since)}"} if since else {}
    yield from _newest_first(client, f"/repos/{repo}/actions/runs", since, "created_at", params, "workflow_runs")
