"""Pure reshaping of raw GitHub payloads (GraphQL and REST) into store rows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from collectors.classify import is_production
from collectors.config import Config
from collectors.review_topics import topics_for

GHOST = "ghost"
TABLES = ("pull_requests", "reviews", "review_comments", "deployments")


@dataclass
class Rows:
    """Rows for the activity tables, keyed by table name."""

    tables: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def add(self, table: str, row: dict | None) -> None:
        """Append ROW to TABLE (None is skipped)."""
        if row is not None:
            self.tables[table].append(row)

    def extend(self, other: Rows) -> None:
        """Append every row of OTHER."""
        for table, rows in other.tables.items():
            self.tables[table].extend(rows)

    def unique(self) -> dict[str, list[dict]]:
        """The rows with one row per key (the last one wins), ready for upsert."""
        keys = {"pull_requests": "pr_id", "reviews": "review_id", "review_comments": "comment_id",
                "deployments": "deployment_id"}
        return {t: list({r[keys[t]]: r for r in rows}.values()) for t, rows in self.tables.items()}

    def count(self) -> int:
        """Rows held, all tables."""
        return sum(len(r) for r in self.tables.values())


def parse_time(text: str | None) -> dt.datetime | None:
    """An aware UTC datetime from GitHub's ISO 8601 text (None stays None)."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is dt.UTC else moment.astimezone(dt.UTC)


def login(actor: dict | None) -> str:
    """The login of a GraphQL actor or REST user: `ghost` when deleted, GraphQL bots with their [bot]."""
    if not actor or not actor.get("login"):
        return GHOST
    name = actor["login"]
    if actor.get("__typename") == "Bot" and not name.endswith("[bot]"):
        return f"{name}[bot]"
    return name


def pr_id(repo: str, number: int) -> str:
    """The key of a pull request: owner/name#number."""
    return f"{repo}#{number}"


def _comment(config: Config, comment_id: str, pr: str, author: str, created: str | None, body: str | None,
             path: str | None) -> dict:
    return {"comment_id": comment_id, "pr_id": pr, "author": author, "created_at": parse_time(created),
            "body": body, "path": path or None, "author_is_bot": config.is_bot(author),
            "topics": topics_for(config, body)}


def _review(config: Config, review_id, pr: str, actor: dict | None, state: str | None, submitted: str | None,
            body: str | None) -> dict | None:
    if not submitted or (state or "").upper() == "PENDING":
        return None  # a pending review is a draft only its author can see
    reviewer = login(actor)
    return {"review_id": str(review_id), "pr_id": pr, "reviewer": reviewer, "state": state.upper(),
            "submitted_at": parse_time(submitted), "body": body, "reviewer_is_bot": config.is_bot(reviewer),
            "topics": topics_for(config, body)}


def _pull_request(config: Config, repo: str, number: int, author: str, title: str, url: str, created: str,
                  ready: str | None, first_commit: str | None, merged: str | None, closed: str | None,
                  additions: int | None, deletions: int | None, updated: str | None) -> dict:
    return {"pr_id": pr_id(repo, number), "repo": repo, "number": number, "author": author, "title": title,
            "url": url, "created_at": parse_time(created), "ready_at": parse_time(ready or created),
            "first_commit_at": parse_time(first_commit), "merged_at": parse_time(merged),
            "closed_at": parse_time(closed), "additions": additions, "deletions": deletions,
            "updated_at": parse_time(updated), "author_is_bot": config.is_bot(author)}


def graphql_pull_request(config: Config, repo: str, node: dict) -> Rows:
    """A complete GraphQL pull request node (nested lists followed up) as rows of three tables."""
    rows = Rows()
    commits = node.get("commits", {}).get("nodes") or []
    ready = [e.get("createdAt") for e in (node.get("timelineItems", {}).get("nodes") or []) if e]
    rows.add("pull_requests", _pull_request(
        config, repo, node["number"], login(node.get("author")), node.get("title"), node.get("url"),
        node["createdAt"], ready[0] if ready else None,
        commits[0]["commit"]["authoredDate"] if commits else None, node.get("mergedAt"), node.get("closedAt"),
        node.get("additions"), node.get("deletions"), node.get("updatedAt")))
    pr = pr_id(repo, node["number"])
    for r in node["reviews"]["nodes"]:
        rows.add("reviews", _review(config, r["fullDatabaseId"], pr, r.get("author"), r.get("state"),
                                    r.get("submittedAt"), r.get("body")))
    for thread in node["reviewThreads"]["nodes"]:
        for c in thread["comments"]["nodes"]:
            rows.add("review_comments", _comment(config, f"review-comment:{c['fullDatabaseId']}", pr,
                                                 login(c.get("author")), c.get("createdAt"), c.get("body"),
                                                 c.get("path")))
    for c in node["comments"]["nodes"]:
        rows.add("review_comments", _comment(config, f"issue-comment:{c['fullDatabaseId']}", pr,
                                             login(c.get("author")), c.get("createdAt"), c.get("body"), None))
    return rows


def outcome(statuses: list[tuple[str | None, str | None]]) -> tuple[str | None, dt.datetime | None]:
    """A deployment's (status, finished_at) from its (state, created_at) statuses: success wins."""
    def first(states: tuple[str, ...]):
        times = sorted(parse_time(at) for state, at in statuses if (state or "").lower() in states and at)
        return times[0] if times else None
    if (at := first(("success",))) is not None:
        return "success", at
    if (at := first(("failure", "error"))) is not None:
        return "failure", at
    return None, None


def _deployment(config: Config, deployment_id: str, repo: str, environment: str | None, sha: str | None,
                created: str | None, status: str | None, finished: dt.datetime | None) -> dict:
    return {"deployment_id": deployment_id, "repo": repo, "environment": environment, "sha": sha,
            "created_at": parse_time(created), "finished_at": finished, "status": status,
            "is_production": is_production(config, environment)}


def graphql_deployment(config: Config, repo: str, node: dict) -> dict:
    """A GraphQL deployment with its statuses."""
    statuses = [(s.get("state"), s.get("createdAt")) for s in (node.get("statuses") or {}).get("nodes") or []]
    if node.get("latestStatus"):
        statuses.append((node["latestStatus"].get("state"), node["latestStatus"].get("createdAt")))
    return _deployment(config, f"deployment:{node['databaseId']}", repo, node.get("environment"),
                       node.get("commitOid"), node.get("createdAt"), *outcome(statuses))


def _release_environment(config: Config) -> str:
    """The environment a release or deploy workflow run counts for: the first production environment."""
    return (config.github.deployments.environments or ("production",))[0]


def graphql_release(config: Config, repo: str, node: dict) -> dict | None:
    """A published, non-prerelease GraphQL release as a successful production deployment."""
    if node.get("isDraft") or node.get("isPrerelease"):
        return None
    published = node.get("publishedAt") or node.get("createdAt")
    return _deployment(config, f"release:{node['databaseId']}", repo, _release_environment(config),
                       (node.get("tagCommit") or {}).get("oid"), published, "success", parse_time(published))


def rest_pull_request(config: Config, repo: str, pull: dict, commits: list[dict] = (),
                      events: list[dict] = ()) -> dict:
    """A REST pull request (the detail payload has the sizes) with its first commit and issue events."""
    ready = [e.get("created_at") for e in events if e.get("event") == "ready_for_review"]
    first = ((commits[0].get("commit") or {}).get("author") or {}).get("date") if commits else None
    return _pull_request(config, repo, pull["number"], login(pull.get("user")), pull.get("title"),
                         pull.get("html_url"), pull["created_at"], ready[0] if ready else None, first,
                         pull.get("merged_at"), pull.get("closed_at"), pull.get("additions"),
                         pull.get("deletions"), pull.get("updated_at"))


def rest_review(config: Config, repo: str, number: int, review: dict) -> dict | None:
    """A REST review of pull request NUMBER."""
    return _review(config, review["id"], pr_id(repo, number), review.get("user"), review.get("state"),
                   review.get("submitted_at"), review.get("body"))


def _number(url: str | None) -> int | None:
    found = re.search(r"/(?:pulls|issues|pull)/(\d+)", url or "")
    return int(found.group(1)) if found else None


def rest_inline_comment(config: Config, repo: str, comment: dict) -> dict:
    """A REST review (inline) comment from the repo-wide /pulls/comments list."""
    pr = pr_id(repo, _number(comment.get("pull_request_url")))
    return _comment(config, f"review-comment:{comment['id']}", pr, login(comment.get("user")),
                    comment.get("created_at"), comment.get("body"), comment.get("path"))


def rest_issue_comment(config: Config, repo: str, comment: dict) -> dict | None:
    """A REST conversation comment from /issues/comments; None when it is on an issue, not a PR."""
    if "/pull/" not in (comment.get("html_url") or ""):
        return None
    pr = pr_id(repo, _number(comment.get("issue_url") or comment.get("html_url")))
    return _comment(config, f"issue-comment:{comment['id']}", pr, login(comment.get("user")),
                    comment.get("created_at"), comment.get("body"), None)


def rest_deployment(config: Config, repo: str, deployment: dict, statuses: list[dict]) -> dict:
    """A REST deployment with its statuses."""
    return _deployment(config, f"deployment:{deployment['id']}", repo, deployment.get("environment"),
                       deployment.get("sha"), deployment.get("created_at"),
                       *outcome([(s.get("state"), s.get("created_at")) for s in statuses]))


def rest_release(config: Config, repo: str, release: dict) -> dict | None:
    """A published, non-prerelease REST release as a successful production deployment."""
    if release.get("draft") or release.get("prerelease"):
        return None
    published = release.get("published_at") or release.get("created_at")
    commitish = release.get("target_commitish") or ""
    sha = commitish if re.fullmatch(r"[0-9a-f]{40}", commitish) else None
    return _deployment(config, f"release:{release['id']}", repo, _release_environment(config), sha,
                       published, "success", parse_time(published))


FAILED_CONCLUSIONS = ("failure", "timed_out", "startup_failure")


def workflow_run(config: Config, repo: str, run: dict) -> dict | None:
    """A workflow run whose name matches github.deployments.workflow as a production deployment."""
    if not re.search(config.github.deployments.workflow, run.get("name") or "", re.IGNORECASE):
        return None
    conclusion = (run.get("conclusion") or "").lower()
    done = (run.get("status") or "").lower() == "completed" or bool(conclusion)
    status = "success" if conclusion == "success" else "failure" if conclusion in FAILED_CONCLUSIONS else None
    return _deployment(config, f"run:{run['id']}", repo, _release_environment(config), run.get("head_sha"),
                       run.get("run_started_at") or run.get("created_at"), status,
                       parse_time(run.get("updated_at")) if done else None)
