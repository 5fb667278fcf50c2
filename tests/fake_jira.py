"""A fake Jira on 127.0.0.1 answering like Jira Cloud or Data Center, for the real `jira` client."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

EMAIL, TOKEN = "me@example.com", "tok-SECRET-4242"
STATUSES = [  # shape of GET /rest/api/2/status (ids and categories as on a real site)
    {"id": "1", "name": "Open", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}},
    {"id": "3", "name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"}},
    {"id": "10001", "name": "In Review", "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"}},
    {"id": "6", "name": "Closed", "statusCategory": {"id": 3, "key": "done", "name": "Done"}},
    # A "done"-sounding name Jira files under To Do: categories must come from this list, not names.
    {"id": "10068", "name": "Done Pending", "statusCategory": {"id": 2, "key": "new", "name": "To Do"}},
]
FIELDS = [  # shape of GET /rest/api/2/field
    {"id": "status", "name": "Status", "custom": False, "clauseNames": ["status"], "schema": {"type": "status"}},
    {"id": "customfield_10016", "name": "Story point estimate", "custom": True,
     "clauseNames": ["cf[10016]", "Story point estimate"],
     "schema": {"type": "number", "custom": "com.pyxis.greenhopper.jira:jsw-story-points", "customId": 10016}},
    {"id": "customfield_10020", "name": "Sprint", "custom": True, "clauseNames": ["cf[10020]", "Sprint"],
     "schema": {"type": "array", "items": "json", "custom": "com.pyxis.greenhopper.jira:gh-sprint", "customId": 10020}},
]
POINTS, SPRINT = "customfield_10016", "customfield_10020"
STATUS_BY_NAME = {s["name"]: s for s in STATUSES}


def stamp(text: str) -> str:
    """A UTC 'YYYY-MM-DD HH:MM' as Jira writes timestamps ("2026-05-04T09:00:00.000+0000")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def issue(key: str, *, type: str = "Story", status: str = "Open", created: str, updated: str,
          resolved: str | None = None, points=None, labels=(), assignee: str | None = "acc-1",
          sprints=(), moves=(), extra_histories=(), priority: str = "Medium") -> dict:
    """A raw issue with its full changelog. MOVES: (at, from status, to status)."""
    histories = [{"id": f"{key}-{i}", "created": stamp(at), "author": {"accountId": "acc-9"},
                  "items": [{"field": "status", "fieldtype": "jira", "fieldId": "status",
                             "from": STATUS_BY_NAME[a]["id"], "fromString": a,
                             "to": STATUS_BY_NAME[b]["id"], "toString": b}]}
                 for i, (at, a, b) in enumerate(moves)]
    histories += list(extra_histories)
    histories.sort(key=lambda h: h["created"])
    return {
        "id": str(10000 + int(key.rsplit("-", 1)[1])), "key": key,
        "fields": {
            "project": {"key": key.rsplit("-", 1)[0], "name": key.rsplit("-", 1)[0]},
            "issuetype": {"name": type, "subtask": False}, "priority": {"name": priority},
            "status": {"id": STATUS_BY_NAME[status]["id"], "name": status,
                       "statusCategory": STATUS_BY_NAME[status]["statusCategory"]},
            "created": stamp(created), "updated": stamp(updated),
            "resolutiondate": stamp(resolved) if resolved else None,
            "assignee": {"accountId": assignee, "name": assignee, "displayName": assignee} if assignee else None,
            "labels": list(labels), POINTS: points,
            SPRINT: [{"id": s, "name": f"Sprint {s}", "state": st, "boardId": 12} for s, st in sprints] or None,
            "summary": "not asked for", "description": "not asked for",
        },
        "_histories": histories,
    }


class FakeJira:
    """The fake site: data, deployment type, faults to inject, and the log of requests it answered."""

    def __init__(self, deployment: str = "Cloud", zone: str = "America/New_York", changelog_cap: int = 100):
        self.deployment, self.zone, self.changelog_cap = deployment, zone, changelog_cap
        self.statuses, self.fields = list(STATUSES), list(FIELDS)
        self.projects: dict[str, dict] = {}
        self.issues: dict[str, dict] = {}
        self.boards: dict[str, dict] = {}
        self.faults: list[dict] = []
        self.log: list[tuple[str, str, dict]] = []
        self.delay = 0.0
        self.memo: dict | None = None  # set to {} to answer repeated GETs from memory (benchmarks)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True

    @property
    def cloud(self) -> bool:
        return self.deployment == "Cloud"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeJira:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add_project(self, key: str, types=("Story", "Bug", "Incident", "Task")) -> None:
        """A project and its issue types."""
        self.projects[key] = {"key": key, "name": f"Project {key}", "issueTypes": [{"name": t} for t in types]}

    def add(self, *issues: dict) -> None:
        """Issues to serve (replacing any with the same key)."""
        for raw in issues:
            self.issues[raw["key"]] = raw

    def fail(self, path: str, kind: str, times: int = 1) -> None:
        """Answer the next TIMES requests whose path ends with PATH with a fault: 429, 429-retry-after, 503, drop."""
        self.faults.append({"path": path, "kind": kind, "times": times})

    def paths(self, part: str = "") -> list[str]:
        """Paths of the requests answered so far (containing PART)."""
        return [p for _, p, _ in self.log if part in p]

    # --- answers -----------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict, body: dict | None, auth: str | None):
        """(status, headers, payload or None to drop the connection) for one request."""
        fault = self._fault(path)
        if fault:
            return fault
        with self._lock:
            self.log.append((method, path, query))
        if not self._authorised(auth):
            return 401, {}, {"errorMessages": ["You are not authenticated."]}
        api = re.match(r"^/rest/api/(2|3|latest)/(.*)$", path)
        if path.startswith("/rest/agile/1.0/board/"):
            return self._board(path, query)
        if path == "/rest/greenhopper/1.0/rapid/charts/sprintreport":
            board = self.boards.get(query.get("rapidViewId", ""), {})
            report = board.get("reports", {}).get(query.get("sprintId", ""))
            return (200, {}, report) if report else (404, {}, {"errorMessages": ["Sprint report not available"]})
        if not api:
            return 404, {}, {"errorMessages": [f"no route {path}"]}
        return self._api(method, api.group(2), query, body)

    def _fault(self, path: str):
        with self._lock:
            for fault in self.faults:
                if path.endswith(fault["path"]) and fault["times"] > 0:
                    fault["times"] -= 1
                    kind = fault["kind"]
                    if kind == "drop":
                        return 0, {}, None
                    headers = {"Retry-After": "1"} if kind == "429-retry-after" else {}
                    return int(kind[:3]), headers, {"errorMessages": [f"fault {kind}"]}
        return None

    def _authorised(self, auth: str | None) -> bool:
        if self.cloud:
            return auth == "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        return auth == f"Bearer {TOKEN}"

    def _api(self, method: str, rest: str, query: dict, body: dict | None):
        if rest == "serverInfo":
            version = ["1001", "0", "0"] if self.cloud else ["9", "12", "2"]
            return 200, {}, {"baseUrl": self.url, "version": ".".join(version),
                             "versionNumbers": [int(v) for v in version],
                             "deploymentType": "Cloud" if self.cloud else "DataCenter", "buildNumber": 100,
                             "serverTime": dt.datetime.now(ZoneInfo(self.zone)).strftime("%Y-%m-%dT%H:%M:%S.000%z"),
                             "serverTitle": "Fake Jira"}
        if rest == "myself":
            return 200, {}, {"accountId": "acc-me", "name": "me", "displayName": "Me", "timeZone": self.zone}
        if rest == "field":
            return 200, {}, self.fields
        if rest == "status":
            return 200, {}, self.statuses
        if rest.startswith("project/"):
            project = self.projects.get(rest.split("/", 1)[1])
            if project is None:
                return 404, {}, {"errorMessages": [f"No project could be found with key '{rest.split('/', 1)[1]}'."]}
            return 200, {}, project
        if rest == "search/approximate-count" and self.cloud:
            try:
                return 200, {}, {"count": len(self._matching((body or {}).get("jql", "")))}
            except LookupError as exc:
                return 400, {}, {"errorMessages": [str(exc)], "errors": {}}
        if rest == "search/jql":
            return (self._search(query, cloud=True) if self.cloud
                    else (404, {}, {"errorMessages": ["null for uri: search/jql"]}))
        if rest == "search":
            return ((410, {}, {"errorMessages": ["The requested API has been removed. Please migrate to the "
                                                 "/rest/api/3/search/jql API."]}) if self.cloud
                    else self._search(query, cloud=False))
        found = re.match(r"^issue/([^/]+)/changelog$", rest)
        if found and self.cloud:
            histories = self.issues[found.group(1)]["_histories"]
            start, size = int(query.get("startAt", 0)), min(int(query.get("maxResults", 100)), 100)
            values = histories[start:start + size]
            return 200, {}, {"startAt": start, "maxResults": size, "total": len(histories),
                             "isLast": start + size >= len(histories), "values": values}
        found = re.match(r"^issue/([^/]+)$", rest)
        if found and found.group(1) in self.issues:
            raw = self.issues[found.group(1)]
            histories = raw["_histories"]
            return 200, {}, {"key": raw["key"], "fields": {"status": raw["fields"]["status"]},
                             "changelog": {"startAt": 0, "maxResults": len(histories), "total": len(histories),
                                           "histories": histories}}
        return 404, {}, {"errorMessages": [f"no route {rest}"]}

    def _board(self, path: str, query: dict):
        found = re.match(r"^/rest/agile/1.0/board/([^/]+)/(configuration|sprint)$", path)
        board = self.boards.get(found.group(1)) if found else None
        if board is None:
            return 404, {}, {"errorMessages": ["The requested board cannot be viewed because it either does not "
                                               "exist or you do not have permission to view it."]}
        if found.group(2) == "configuration":
            config = board.get("configuration")
            return (200, {}, config) if config else (403, {}, {"errorMessages": ["not a board admin"]})
        start, size = int(query.get("startAt", 0)), int(query.get("maxResults", 50))
        values = board["sprints"][start:start + size]
        return 200, {}, {"maxResults": size, "startAt": start, "isLast": start + size >= len(board["sprints"]),
                         "values": values}

    def _matching(self, jql: str):
        """The issues a JQL string selects, created ascending (the fake understands what the collector sends)."""
        zone = ZoneInfo(self.zone)
        text, _, _order = jql.partition(" ORDER BY ")

        def when(value: str) -> str:
            local = dt.datetime.strptime(value, "%Y/%m/%d %H:%M").replace(tzinfo=zone)
            return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")

        picked = list(self.issues.values())
        for clause in text.split(" AND "):
            clause = clause.strip()
            if m := re.fullmatch(r'project = "?([^"]+)"?', clause):
                if m.group(1) not in self.projects:
                    raise LookupError(f"The value '{m.group(1)}' does not exist for the field 'project'.")
                picked = [i for i in picked if i["fields"]["project"]["key"] == m.group(1)]
            elif m := re.fullmatch(r'(updated|created) >= "([^"]+)"', clause):
                limit = when(m.group(2))
                picked = [i for i in picked if _utc(i["fields"][m.group(1)]) >= limit]
            elif m := re.fullmatch(r"sprint = (\d+)", clause):
                picked = [i for i in picked if any(str(s["id"]) == m.group(1) for s in i["fields"][SPRINT] or [])]
            else:
                raise LookupError(f"Error in the JQL Query: unexpected '{clause}'")
        return sorted(picked, key=lambda i: (_utc(i["fields"]["created"]), i["key"]))

    def _search(self, query: dict, cloud: bool):
        try:
            picked = self._matching(query.get("jql", ""))
        except LookupError as exc:
            return 400, {}, {"errorMessages": [str(exc)], "errors": {}}
        wanted = [f for f in query.get("fields", "").split(",") if f]
        size = min(int(query.get("maxResults", 50)), 100)
        start = int(base64.b64decode(query["nextPageToken"]).decode()) if cloud and query.get("nextPageToken") \
            else int(query.get("startAt", 0))
        page = [self._shape(raw, wanted, "changelog" in query.get("expand", "")) for raw in picked[start:start + size]]
        if cloud:
            more = start + size < len(picked)
            body = {"issues": page, "isLast": not more}
            if more:
                body["nextPageToken"] = base64.b64encode(str(start + size).encode()).decode()
            return 200, {}, body
        return 200, {}, {"startAt": start, "maxResults": size, "total": len(picked), "issues": page}

    def _shape(self, raw: dict, wanted: list[str], changelog: bool) -> dict:
        """An issue as a search returns it: only the fields asked for, the changelog capped like Jira's."""
        fields = {k: v for k, v in raw["fields"].items() if k in wanted or "*all" in wanted}
        if not self.cloud and SPRINT in fields and fields[SPRINT]:  # Server serialises sprints as text
            fields[SPRINT] = [f"com.atlassian.greenhopper.service.sprint.Sprint@1f[id={s['id']},rapidViewId=12,"
                              f"state={s['state'].upper()},name={s['name']}]" for s in fields[SPRINT]]
        out = {"id": raw["id"], "key": raw["key"], "fields": fields}
        if changelog:
            histories = raw["_histories"]
            shown = histories[-self.changelog_cap:] if self.changelog_cap else histories
            out["changelog"] = {"startAt": 0, "maxResults": len(shown), "total": len(histories), "histories": shown}
        return out


def _utc(jira_time: str) -> str:
    return dt.datetime.fromisoformat(jira_time).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def _handler(fake: FakeJira):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 1 << 16  # headers and body leave in one write (no delayed-ACK stall per request)

        def log_message(self, *args) -> None:
            pass

        def _serve(self, method: str) -> None:
            url = urlparse(self.path)
            query = {k: ",".join(v) for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"null") if length else None
            if fake.delay:
                time.sleep(fake.delay)
            memo_key = (method, self.path, self.headers.get("Authorization"))
            if fake.memo is not None and memo_key in fake.memo:
                status, headers, data = fake.memo[memo_key]
            else:
                status, headers, payload = fake.answer(method, url.path, query, body, self.headers.get("Authorization"))
                if payload is None:  # a dropped connection: no answer at all
                    self.close_connection = True
                    return
                data = json.dumps(payload).encode()
                if fake.memo is not None and method == "GET":
                    fake.memo[memo_key] = (status, headers, data)
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler
