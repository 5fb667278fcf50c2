"""The fake GitHub's GraphQL endpoint: graphql-core executing queries on a subset of GitHub's schema."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    VariableNode,
    build_schema,
    execute,
    parse,
    validate,
    value_from_ast_untyped,
)

from tests.fake_github_data import HOST, Pull, Repo, actor

SCHEMA = build_schema((Path(__file__).parent / "data" / "github" / "schema_subset.graphql").read_text())
NODE_LIMIT = 500_000


class NotFoundError(GraphQLError):
    """GitHub's NOT_FOUND error for a repository or node that does not exist."""


def cursor(index: int) -> str:
    return base64.b64encode(f"cursor:v2:{index}".encode()).decode()


def connection(items: list, first: int | None = None, after: str | None = None, render=None) -> dict:
    """A connection page with pageInfo, as GitHub answers `first`/`after` (RENDER: applied to the page only)."""
    start = int(base64.b64decode(after).decode().rsplit(":", 1)[1]) + 1 if after else 0
    end = len(items) if first is None else min(len(items), start + first)
    page = items[start:end]
    return {"nodes": [render(i) for i in page] if render else page, "totalCount": len(items),
            "pageInfo": {"hasNextPage": end < len(items), "endCursor": cursor(end - 1) if end > start else None,
                         "hasPreviousPage": start > 0, "startCursor": cursor(start) if end > start else None}}


def _paged(items_fn):
    """A field resolver paging the list ITEMS_FN() returns."""
    return lambda info, first=None, after=None, **_: connection(items_fn(), first, after)


def measure(document, variables: dict) -> tuple[int, int]:
    """(possible nodes, rate-limit cost) of a query, the way GitHub documents computing them."""
    fragments = {d.name.value: d for d in document.definitions if not isinstance(d, OperationDefinitionNode)}
    totals = {"nodes": 0, "requests": 0}

    def arg(field, name):
        for a in field.arguments or ():
            if a.name.value == name:
                v = a.value
                return variables.get(v.name.value) if isinstance(v, VariableNode) else value_from_ast_untyped(v)
        return None

    def included(node) -> bool:
        for d in node.directives or ():
            if d.name.value in ("include", "skip"):
                cond = d.arguments[0].value
                value = variables.get(cond.name.value) if isinstance(cond, VariableNode) else cond.value
                if (d.name.value == "include") != bool(value):
                    return False
        return True

    def walk(selection_set, multiplier: int) -> None:
        for sel in selection_set.selections if selection_set else ():
            if not included(sel):
                continue
            if isinstance(sel, FragmentSpreadNode):
                walk(fragments[sel.name.value].selection_set, multiplier)
            elif isinstance(sel, InlineFragmentNode):
                walk(sel.selection_set, multiplier)
            elif isinstance(sel, FieldNode):
                size = arg(sel, "first") or arg(sel, "last")
                if size:
                    totals["nodes"] += multiplier * size
                    totals["requests"] += multiplier
                    walk(sel.selection_set, multiplier * size)
                else:
                    walk(sel.selection_set, multiplier)

    for op in document.definitions:
        if isinstance(op, OperationDefinitionNode):
            walk(op.selection_set, 1)
    return totals["nodes"], max(1, round(totals["requests"] / 100))


def _state(p: Pull) -> str:
    return "MERGED" if p.merged else "CLOSED" if p.closed else "OPEN"


class GraphQLView:
    """Answers GraphQL POST bodies from the fake's repos."""

    def __init__(self, fake):
        self.fake = fake

    def answer(self, body: dict) -> tuple[dict, int]:
        """The response JSON for a request body, and its rate-limit cost."""
        try:
            document = parse(body.get("query") or "")
        except GraphQLError as exc:
            return {"errors": [{"message": exc.message}]}, 1
        errors = validate(SCHEMA, document)
        if errors:
            return {"errors": [{"message": e.message, "type": "INVALID_QUERY"} for e in errors]}, 1
        variables = body.get("variables") or {}
        nodes, cost = measure(document, variables)
        if nodes > NODE_LIMIT:
            return {"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED", "message": f"This query requests up to "
                                f"{nodes:,} possible nodes which exceeds the maximum limit of 500,000."}]}, 1
        root = {
            "rateLimit": lambda info, **_: self.rate(cost, nodes),
            "repository": lambda info, owner, name, **_: self.repository(f"{owner}/{name}"),
            "node": lambda info, id: self.node(id),
            "viewer": {"__typename": "User", "id": "U_viewer", "login": "fake-user"},
        }
        result = execute(SCHEMA, document, root_value=root, variable_values=variables)
        out: dict = {"data": result.data}
        if result.errors:
            out["errors"] = [{"message": e.message, "path": e.path,
                              "type": "NOT_FOUND" if isinstance(e.original_error, NotFoundError) else "INTERNAL"}
                             for e in result.errors]
        return out, cost

    def rate(self, cost: int, nodes: int) -> dict:
        remaining, limit = self.fake.rate["graphql"]
        reset = dt.datetime.fromtimestamp(self.fake.reset, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"cost": cost, "limit": limit, "remaining": max(0, remaining - cost), "resetAt": reset,
                "used": limit - remaining + cost, "nodeCount": nodes}

    def repository(self, full_name: str) -> dict:
        repo = self.fake.repos.get(full_name)
        if repo is None or repo.missing:
            raise NotFoundError(f"Could not resolve to a Repository with the name '{full_name}'.")

        def pulls(info, first=None, after=None, states=None, orderBy=None, **_):
            items = [p for p in repo.pulls.values() if not states or _state(p) in states]
            order = orderBy or {"field": "CREATED_AT", "direction": "ASC"}
            key = {"UPDATED_AT": lambda p: (p.updated, p.number), "CREATED_AT": lambda p: (p.created, p.number)}
            items.sort(key=key.get(order["field"], key["CREATED_AT"]), reverse=order["direction"] == "DESC")
            return connection(items, first, after, lambda p: self.pull(repo, p))

        def by_created(items, order):
            desc = (order or {}).get("direction") == "DESC"
            return sorted(items, key=lambda x: (x.created, x.id), reverse=desc)

        return {
            "__typename": "Repository", "id": f"R:{full_name}", "pullRequests": pulls,
            "deployments": lambda info, first=None, after=None, orderBy=None, **_: connection(
                [self.deployment(d) for d in by_created(repo.deployments, orderBy)], first, after),
            "releases": lambda info, first=None, after=None, orderBy=None, **_: connection(
                [self.release(r) for r in by_created(repo.releases, orderBy)], first, after),
        }

    def node(self, node_id: str) -> dict:
        kind, full_name, number, *rest = node_id.split(":")
        repo = self.fake.repos.get(full_name)
        if repo is None or int(number) not in repo.pulls:
            raise NotFoundError(f"Could not resolve to a node with the global id of '{node_id}'")
        pull = repo.pulls[int(number)]
        if kind == "PR":
            return self.pull(repo, pull)
        return next(t for t in self.threads(repo, pull) if t["id"] == node_id)

    def pull(self, repo: Repo, p: Pull) -> dict:
        ident = f"PR:{repo.full_name}:{p.number}"
        ready = [{"__typename": "ReadyForReviewEvent", "id": f"RFR_{p.number}", "createdAt": p.ready}
                 ] if p.ready else []
        commit = {"id": f"PRC_{p.number}", "commit": {"id": f"C_{p.number}", "oid": "d" * 40,
                                                      "authoredDate": p.first_commit or p.created}}
        return {
            "__typename": "PullRequest", "id": ident, "number": p.number, "title": p.title,
            "url": f"{HOST}/{repo.full_name}/pull/{p.number}", "state": _state(p), "isDraft": p.draft,
            "createdAt": p.created, "updatedAt": p.updated, "mergedAt": p.merged, "closedAt": p.closed or p.merged,
            "additions": p.additions, "deletions": p.deletions, "author": actor(p.author),
            "commits": _paged(lambda: [commit]),
            "timelineItems": _paged(lambda: ready),
            "reviews": _paged(lambda: [{"__typename": "PullRequestReview", "id": f"PRR_{r.id}",
                                        "fullDatabaseId": r.id, "author": actor(r.author), "state": r.state,
                                        "submittedAt": r.submitted, "body": r.body} for r in p.reviews]),
            "reviewThreads": _paged(lambda: self.threads(repo, p)),
            "comments": _paged(lambda: [{"__typename": "IssueComment", "id": f"IC_{c.id}", "fullDatabaseId": c.id,
                                         "author": actor(c.author), "createdAt": c.created, "body": c.body}
                                        for c in p.comments if c.path is None]),
        }

    def threads(self, repo: Repo, p: Pull) -> list[dict]:
        groups: dict[int, list] = {}
        for c in p.comments:
            if c.path is not None:
                groups.setdefault(c.thread, []).append(c)
        return [{"__typename": "PullRequestReviewThread", "id": f"PRRT:{repo.full_name}:{p.number}:{t}",
                 "path": cs[0].path,
                 "comments": _paged(lambda cs=cs: [
                     {"__typename": "PullRequestReviewComment", "id": f"PRRC_{c.id}", "fullDatabaseId": c.id,
                      "author": actor(c.author), "createdAt": c.created, "body": c.body, "path": c.path}
                     for c in cs])}
                for t, cs in groups.items()]

    @staticmethod
    def deployment(d) -> dict:
        statuses = [{"__typename": "DeploymentStatus", "id": f"DS_{d.id}_{i}", "state": s.upper(), "createdAt": at}
                    for i, (s, at) in enumerate(d.statuses)]
        return {"__typename": "Deployment", "id": f"DE_{d.id}", "databaseId": d.id, "environment": d.environment,
                "commitOid": d.sha, "createdAt": d.created, "latestStatus": statuses[-1] if statuses else None,
                "statuses": _paged(lambda: list(reversed(statuses)))}

    @staticmethod
    def release(r) -> dict:
        return {"__typename": "Release", "id": f"RE_{r.id}", "databaseId": r.id, "tagName": r.tag,
                "createdAt": r.created, "publishedAt": r.published, "isDraft": r.draft,
                "isPrerelease": r.prerelease, "tagCommit": {"id": f"C_{r.id}", "oid": r.sha, "authoredDate": r.created}}
