"""The fake GitHub's repos: hand-made pull requests, reviews, comments and deployments, rendered as REST."""

from __future__ import annotations

from dataclasses import dataclass, field

HOST = "https://github.example"  # html URLs of the fake (API URLs use the server's own address)


def user(login: str | None) -> dict:
    """A REST user object; None is a deleted user, which GitHub shows as `ghost`."""
    if login is None:
        return {"login": "ghost", "id": 10137, "node_id": "MDQ6VXNlcjEwMTM3", "type": "User", "site_admin": False}
    return {"login": login, "id": abs(hash(login)) % 10**8, "node_id": f"U_{login}",
            "type": "Bot" if login.endswith("[bot]") else "User", "site_admin": False}


def actor(login: str | None) -> dict | None:
    """A GraphQL actor: null for a deleted user, bots without their [bot] suffix (as GitHub does)."""
    if login is None:
        return None
    if login.endswith("[bot]"):
        return {"__typename": "Bot", "login": login[: -len("[bot]")]}
    return {"__typename": "User", "login": login}


@dataclass
class Review:
    id: int
    author: str | None
    state: str
    submitted: str | None
    body: str = ""


@dataclass
class Comment:
    id: int
    author: str | None
    created: str
    body: str
    path: str | None = None      # set for inline review comments
    thread: int = 0              # inline comments with the same thread number form one thread
    updated: str | None = None

    @property
    def updated_at(self) -> str:
        return self.updated or self.created


@dataclass
class Pull:
    number: int
    author: str | None
    title: str
    created: str
    updated: str
    merged: str | None = None
    closed: str | None = None
    ready: str | None = None        # when a draft was marked ready for review
    draft: bool = False
    additions: int = 10
    deletions: int = 2
    first_commit: str | None = None
    reviews: list[Review] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)  # inline (path set) and conversation

    @property
    def state(self) -> str:
        return "closed" if self.closed or self.merged else "open"


@dataclass
class Deployment:
    id: int
    environment: str
    sha: str
    created: str
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (state, created), newest last


@dataclass
class Release:
    id: int
    tag: str
    created: str
    published: str | None
    sha: str
    draft: bool = False
    prerelease: bool = False


@dataclass
class Run:
    id: int
    name: str
    sha: str
    created: str
    updated: str
    status: str = "completed"
    conclusion: str | None = "success"


@dataclass
class Repo:
    full_name: str
    pulls: dict[int, Pull] = field(default_factory=dict)
    deployments: list[Deployment] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    missing: bool = False  # answers 404 (deleted, or not visible to the token)

    def add(self, pull: Pull) -> Pull:
        self.pulls[pull.number] = pull
        return pull

    def all_comments(self, inline: bool) -> list[tuple[Pull, Comment]]:
        return [(p, c) for p in self.pulls.values() for c in p.comments if (c.path is not None) == inline]


def rest_pull(api: str, repo: Repo, p: Pull, detail: bool) -> dict:
    """A pull request as /pulls lists it; the detail adds sizes and merge data (as GitHub does)."""
    base = f"{api}/repos/{repo.full_name}"
    out = {
        "url": f"{base}/pulls/{p.number}", "id": 1000000 + p.number, "node_id": f"PR_{p.number}",
        "html_url": f"{HOST}/{repo.full_name}/pull/{p.number}", "issue_url": f"{base}/issues/{p.number}",
        "number": p.number, "state": p.state, "locked": False, "title": p.title, "user": user(p.author),
        "body": "", "created_at": p.created, "updated_at": p.updated, "closed_at": p.closed or p.merged,
        "merged_at": p.merged, "merge_commit_sha": None, "draft": p.draft,
        "head": {"ref": f"topic-{p.number}", "sha": "a" * 40}, "base": {"ref": "main", "sha": "b" * 40,
                                                                         "repo": {"full_name": repo.full_name}},
        "author_association": "MEMBER",
    }
    if detail:
        out.update({"merged": bool(p.merged), "mergeable": None, "comments": 0, "review_comments": 0,
                    "commits": 1, "additions": p.additions, "deletions": p.deletions, "changed_files": 1,
                    "merged_by": user("merger") if p.merged else None})
    return out


def rest_review(api: str, repo: Repo, p: Pull, r: Review) -> dict:
    return {"id": r.id, "node_id": f"PRR_{r.id}", "user": user(r.author), "body": r.body, "state": r.state,
            "html_url": f"{HOST}/{repo.full_name}/pull/{p.number}#pullrequestreview-{r.id}",
            "pull_request_url": f"{api}/repos/{repo.full_name}/pulls/{p.number}",
            "author_association": "MEMBER", "submitted_at": r.submitted, "commit_id": "c" * 40}


def rest_inline(api: str, repo: Repo, p: Pull, c: Comment) -> dict:
    return {"url": f"{api}/repos/{repo.full_name}/pulls/comments/{c.id}", "pull_request_review_id": None,
            "id": c.id, "node_id": f"PRRC_{c.id}", "diff_hunk": "@@ -1 +1 @@", "path": c.path, "position": 1,
            "commit_id": "c" * 40, "user": user(c.author), "body": c.body, "created_at": c.created,
            "updated_at": c.updated_at, "html_url": f"{HOST}/{repo.full_name}/pull/{p.number}#discussion_r{c.id}",
            "pull_request_url": f"{api}/repos/{repo.full_name}/pulls/{p.number}", "author_association": "MEMBER"}


def rest_issue_comment(api: str, repo: Repo, p: Pull, c: Comment) -> dict:
    return {"url": f"{api}/repos/{repo.full_name}/issues/comments/{c.id}", "id": c.id, "node_id": f"IC_{c.id}",
            "html_url": f"{HOST}/{repo.full_name}/pull/{p.number}#issuecomment-{c.id}",
            "issue_url": f"{api}/repos/{repo.full_name}/issues/{p.number}", "user": user(c.author),
            "created_at": c.created, "updated_at": c.updated_at, "author_association": "MEMBER", "body": c.body}


def rest_events(p: Pull) -> list[dict]:
    events = [{"id": 1, "event": "labeled", "actor": user(p.author), "created_at": p.created}]
    if p.ready:
        events.append({"id": 2, "event": "ready_for_review", "actor": user(p.author), "created_at": p.ready})
    return events


def rest_commits(p: Pull) -> list[dict]:
    when = p.first_commit or p.created
    return [{"sha": "d" * 40, "commit": {"author": {"name": "x", "email": "x@example.com", "date": when},
                                         "committer": {"name": "x", "email": "x@example.com", "date": when},
                                         "message": "change"}, "author": user(p.author)}]


def rest_deployment(api: str, repo: Repo, d: Deployment) -> dict:
    return {"url": f"{api}/repos/{repo.full_name}/deployments/{d.id}", "id": d.id, "node_id": f"DE_{d.id}",
            "task": "deploy", "original_environment": d.environment, "environment": d.environment,
            "description": None, "created_at": d.created, "updated_at": d.created, "creator": user("deployer"),
            "sha": d.sha, "ref": "main", "payload": {}, "transient_environment": False,
            "production_environment": d.environment == "production"}


def rest_statuses(d: Deployment) -> list[dict]:
    """Statuses newest first, as GitHub lists them."""
    return [{"id": d.id * 100 + i, "state": state, "created_at": at, "updated_at": at, "creator": user("deployer"),
             "environment": d.environment} for i, (state, at) in reversed(list(enumerate(d.statuses)))]


def rest_release(api: str, repo: Repo, r: Release) -> dict:
    return {"url": f"{api}/repos/{repo.full_name}/releases/{r.id}", "id": r.id, "tag_name": r.tag,
            "target_commitish": r.sha, "name": r.tag, "draft": r.draft, "prerelease": r.prerelease,
            "created_at": r.created, "published_at": r.published, "author": user("releaser")}


def rest_run(api: str, repo: Repo, r: Run) -> dict:
    return {"id": r.id, "name": r.name, "head_branch": "main", "head_sha": r.sha, "run_number": r.id,
            "event": "push", "status": r.status, "conclusion": r.conclusion, "workflow_id": 1,
            "url": f"{api}/repos/{repo.full_name}/actions/runs/{r.id}", "created_at": r.created,
            "updated_at": r.updated, "run_started_at": r.created, "actor": user("deployer")}
