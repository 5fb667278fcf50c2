"""Dumb GraphQL I/O: pages of a repo's pull requests (complete), deployments and releases as raw dicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from collectors.github.client import Client, NotFound, Tuning
from collectors.github.normalise import parse_time
from collectors.github.queries import FOLLOW_UPS, PAGE

# Top-level connections of the page query, and the field each one stops on when paging back.
CONNECTIONS = {"updated": "updatedAt", "open": None, "deployments": "createdAt", "releases": "createdAt"}
# The field a follow-up query continues, per follow-up kind.
FOLLOWED_FIELD = {"reviews": "reviews", "reviewThreads": "reviewThreads", "comments": "comments",
                  "threadComments": "comments"}


@dataclass
class Page:
    """One answer of the page query: raw nodes per connection, and the connections it finished."""

    nodes: dict[str, list[dict]] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    totals: dict[str, int] = field(default_factory=dict)  # totalCount of the connections that have one


def repo_pages(client: Client, repo: str, tuning: Tuning, since: dict[str, dt.datetime | None],
               wanted: set[str]) -> Iterator[Page]:
    """Page the WANTED connections of REPO together, newest first, each until it passes its SINCE."""
    owner, name = repo.split("/", 1)
    cursors: dict[str, str | None] = {c: None for c in CONNECTIONS if c in wanted}
    sizes = {"prs": tuning.prs, "reviews": tuning.reviews, "threads": tuning.threads,
             "threadComments": tuning.thread_comments, "comments": tuning.comments,
             "deployments": tuning.deployments}
    while cursors:
        variables = {"owner": owner, "name": name, **sizes}
        for c in CONNECTIONS:
            variables[f"with{c.title()}"] = c in cursors
            variables[f"{c}After"] = cursors.get(c)
        repository = client.graphql(PAGE, variables).get("repository")
        if repository is None:
            raise NotFound(f"repository {repo} not found or not visible to the token")
        page = Page()
        for c in list(cursors):
            connection = repository[c]
            nodes = connection["nodes"]
            if c in ("updated", "open"):
                for pull in nodes:
                    complete_pull_request(client, pull, tuning)
            page.nodes[c] = nodes
            if "totalCount" in connection:
                page.totals[c] = connection["totalCount"]
            stamp, limit = CONNECTIONS[c], since.get(c)
            passed = bool(limit and stamp and nodes and parse_time(nodes[-1][stamp]) < limit)
            if passed or not connection["pageInfo"]["hasNextPage"]:
                del cursors[c]
                page.finished.add(c)
            else:
                cursors[c] = connection["pageInfo"]["endCursor"]
        yield page


def complete_pull_request(client: Client, pull: dict, tuning: Tuning) -> None:
    """Follow up every nested list of PULL that overflowed its first page, in place."""
    for kind in ("reviews", "reviewThreads", "comments"):
        _drain(client, pull["id"], pull[kind], kind, tuning)
    for thread in pull["reviewThreads"]["nodes"]:
        _drain(client, thread["id"], thread["comments"], "threadComments", tuning)


def _drain(client: Client, node_id: str, connection: dict, kind: str, tuning: Tuning) -> None:
    """Append the remaining pages of CONNECTION (a list of node NODE_ID) to it."""
    while connection["pageInfo"]["hasNextPage"]:
        variables = {"id": node_id, "after": connection["pageInfo"]["endCursor"], "first": tuning.follow_up}
        if kind == "reviewThreads":
            variables["threadComments"] = tuning.thread_comments
        more = client.graphql(FOLLOW_UPS[kind], variables)["node"][FOLLOWED_FIELD[kind]]
        if kind == "reviewThreads":
            for thread in more["nodes"]:
                _drain(client, thread["id"], thread["comments"], "threadComments", tuning)
        connection["nodes"].extend(more["nodes"])
        connection["pageInfo"] = more["pageInfo"]
