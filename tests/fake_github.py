"""A fake GitHub (REST and GraphQL) on 127.0.0.1 for the real PyGithub to talk to, with injectable faults."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from tests import fake_github_data as d
from tests.fake_github_graphql import GraphQLView

TOKEN = "ghp_FAKEtoken0123456789abcdefABCDEF0123"


@dataclass
class Fault:
    """A misbehaviour for requests whose path matches: a status (with headers and body), a drop, or a stall."""

    match: str                       # regex searched in "METHOD path?query"
    times: int = 1
    status: int = 502
    headers: dict = field(default_factory=dict)
    body: dict | None = None
    kind: str = "status"             # status | drop | slow | graphql (a 200 with the body's GraphQL errors)
    delay: float = 0.0


class FakeGitHub:
    """Repos held in memory and served as GitHub serves them: Link pages, rate-limit headers, ETags and 304s."""

    def __init__(self, prefix: str = "/api/v3", token: str = TOKEN):
        self.prefix, self.token = prefix, token
        self.repos: dict[str, d.Repo] = {}
        self.log: list[str] = []
        self.faults: list[Fault] = []
        self.rate = {"core": [5000, 5000], "graphql": [5000, 5000]}
        self.reset = int(time.time()) + 3600
        self.hold_at: int | None = None          # request number to stall at (for kill tests)
        self.reached, self.release = threading.Event(), threading.Event()
        self.lock = threading.Lock()
        self.graphql = GraphQLView(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def base_url(self) -> str:
        """The base_url to give PyGithub (GitHub Enterprise style when the prefix is /api/v3)."""
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.prefix}"

    def repo(self, full_name: str) -> d.Repo:
        """The repo FULL_NAME, created empty when new."""
        return self.repos.setdefault(full_name, d.Repo(full_name))

    def fail(self, match: str, **kwargs) -> Fault:
        """Inject a fault for requests matching MATCH (see Fault)."""
        fault = Fault(match, **kwargs)
        self.faults.append(fault)
        return fault

    def count(self, pattern: str = "") -> int:
        """Requests served whose "METHOD path" matches PATTERN."""
        return sum(1 for line in self.log if re.search(pattern, line))

    # --- serving ---------------------------------------------------------------------------

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        with self.lock:
            self.log.append(f"{method} {h.path}")
            number = len(self.log)
        if number == self.hold_at:
            self.reached.set()
            self.release.wait(30)
        if h.headers.get("Authorization", "").split(" ", 1)[-1] != self.token:
            return self.send(h, 401, {"message": "Bad credentials",
                                      "documentation_url": "https://docs.github.com/rest"})
        fault = self._fault(f"{method} {h.path}")
        if fault and fault.kind == "drop":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return None
        if fault and fault.kind == "slow":
            time.sleep(fault.delay)
        elif fault and fault.kind == "status":
            return self.send(h, fault.status, fault.body or {"message": "Server Error"}, fault.headers)
        elif fault and fault.kind == "graphql":
            return self.send(h, 200, fault.body, fault.headers)
        url = urlsplit(h.path)
        path = url.path[len(self.prefix):] if url.path.startswith(self.prefix) else url.path
        if method == "POST" and path in ("/graphql", "/api/graphql") or url.path == "/api/graphql":
            body, cost = self.graphql.answer(json.loads(raw or b"{}"))
            self.rate["graphql"][0] = max(0, self.rate["graphql"][0] - cost)
            return self.send(h, 200, body, resource="graphql")
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        found = self.route(path, query)
        if found is None:
            return self.send(h, 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
        items, key = found if isinstance(found, tuple) else (found, None)
        if isinstance(items, list):
            return self.send_page(h, url, items, query, key)
        return self.send(h, 200, items)

    def _fault(self, line: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and re.search(fault.match, line):
                    fault.times -= 1
                    return fault
        return None

    def send_page(self, h, url, items: list, query: dict, key: str | None) -> None:
        """One page of a list with GitHub's Link header (next/last) built on the request's own URL."""
        per_page = min(int(query.get("per_page", 30)), 100)
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        for rel, n in (("next", page + 1), ("last", last)):
            if page < last:
                q = urlencode({**query, "page": n, "per_page": per_page})
                links.append(f'<http://{h.headers["Host"]}{url.path}?{q}>; rel="{rel}"')
        body = {"total_count": len(items), key: chunk} if key else chunk
        self.send(h, 200, body, {"Link": ", ".join(links)} if links else {})

    def send(self, h, status: int, body, headers: dict | None = None, resource: str = "core") -> None:
        data = json.dumps(body).encode()
        etag = f'W/"{hashlib.sha1(data).hexdigest()}"'
        if status == 200 and h.command == "GET" and h.headers.get("If-None-Match") == etag:
            status, data = 304, b""
        elif status < 400 or status == 401:
            with self.lock:
                self.rate[resource][0] = max(0, self.rate[resource][0] - (resource == "core"))
        remaining, limit = self.rate[resource]
        out = {"Content-Type": "application/json; charset=utf-8", "ETag": etag,
               "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
               "X-RateLimit-Reset": str(self.reset), "X-RateLimit-Used": str(limit - remaining),
               "X-RateLimit-Resource": resource, "X-GitHub-Media-Type": "github.v3; format=json",
               **(headers or {})}
        try:
            h.send_response(status)
            for k, v in out.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # --- REST routes -------------------------------------------------------------------------

    def route(self, path: str, q: dict):
        """The payload for a REST path: an object, or a list (optionally inside an object under a key)."""
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        if not m or m.group(1) not in self.repos or self.repos[m.group(1)].missing:
            return None
        repo, rest, api = self.repos[m.group(1)], m.group(2) or "", self.base_url
        pulls = repo.pulls
        if rest == "":
            return {"id": 1, "full_name": repo.full_name, "private": True, "default_branch": "main"}
        if rest == "/pulls":
            items = [p for p in pulls.values() if q.get("state", "open") in ("all", p.state)]
            field_ = "updated" if q.get("sort") == "updated" else "created"
            items.sort(key=lambda p: (getattr(p, field_), p.number), reverse=q.get("direction", "desc") == "desc")
            return [d.rest_pull(api, repo, p, detail=False) for p in items]
        if rest in ("/pulls/comments", "/issues/comments"):
            inline = rest == "/pulls/comments"
            pairs = [(p, c) for p, c in repo.all_comments(inline) if c.updated_at >= q.get("since", "")]
            pairs.sort(key=lambda pc: (pc[1].updated_at, pc[1].id), reverse=q.get("direction") == "desc")
            render = d.rest_inline if inline else d.rest_issue_comment
            return [render(api, repo, p, c) for p, c in pairs]
        if m2 := re.fullmatch(r"/(pulls|issues)/(\d+)(/\w+)?", rest):
            kind, number, sub = m2.group(1), int(m2.group(2)), m2.group(3) or ""
            if number not in pulls:
                return None
            p = pulls[number]
            return {
                ("pulls", ""): lambda: d.rest_pull(api, repo, p, detail=True),
                ("pulls", "/reviews"): lambda: [d.rest_review(api, repo, p, r) for r in p.reviews],
                ("pulls", "/commits"): lambda: d.rest_commits(p),
                ("pulls", "/comments"): lambda: [d.rest_inline(api, repo, p, c) for c in p.comments if c.path],
                ("issues", "/comments"): lambda: [d.rest_issue_comment(api, repo, p, c)
                                                  for c in p.comments if c.path is None],
                ("issues", "/events"): lambda: d.rest_events(p),
            }.get((kind, sub), lambda: None)()
        if rest == "/deployments":
            return [d.rest_deployment(api, repo, x) for x in sorted(repo.deployments, key=lambda x: x.created,
                                                                    reverse=True)]
        if m2 := re.fullmatch(r"/deployments/(\d+)/statuses", rest):
            found = [x for x in repo.deployments if x.id == int(m2.group(1))]
            return d.rest_statuses(found[0]) if found else None
        if rest == "/releases":
            return [d.rest_release(api, repo, r) for r in sorted(repo.releases, key=lambda r: r.created, reverse=True)]
        if rest == "/actions/runs":
            since = q.get("created", ">=").removeprefix(">=")
            runs = sorted((r for r in repo.runs if r.created >= since), key=lambda r: r.created, reverse=True)
            return [d.rest_run(api, repo, r) for r in runs], "workflow_runs"
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # one response is several writes; without this each waits ~40 ms

    def do_GET(self):
        self.server.fake.handle(self, "GET")

    def do_POST(self):
        self.server.fake.handle(self, "POST")

    def log_message(self, *args):
        pass
