"""The Jira sync: sprints of every board, then issues and transitions of every project, with bookmarks."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine, select

from collectors.config import Config
from collectors.jira import normalise, points
from collectors.jira.fetch import JiraFailure, Retry, Site
from collectors.progress import Progress
from collectors.secrets import redact
from collectors.sources import SyncResult
from store import get_bookmark, set_bookmark, upsert, writing
from store.schema import sprints as sprints_table

SOURCE = "jira"
ISSUE_FIELDS = ("project", "issuetype", "priority", "status", "created", "updated", "resolutiondate",
                "assignee", "labels")
# Sprint reports Jira cannot give (greenhopper absent, no permission, sprint of another board).
REPORT_UNAVAILABLE = {400, 403, 404, 410, 501}


@dataclass(frozen=True)
class Options:
    """Tuning of a sync: page size, retry policy and the overlap re-read before each bookmark."""

    page_size: int = 100
    retry: Retry = field(default_factory=Retry)
    overlap: dt.timedelta = dt.timedelta(minutes=10)


@dataclass
class Context:
    """What a run learns about the site before reading issues."""

    site: Site
    config: Config
    zone: dt.tzinfo
    fields: list[dict]
    statuses: normalise.Statuses
    sprint_field: str | None
    points: points.PointsField | None = None

    def issue_fields(self) -> list[str]:
        """The fields a search asks for: exactly what the rows need, never *all."""
        extra = [f for f in (self.points.field_id if self.points else None, self.sprint_field) if f]
        return list(ISSUE_FIELDS) + extra


def jql_zone(myself: dict, info: dict) -> dt.tzinfo:
    """The zone Jira reads JQL dates in: the API user's (it defaults to the server's), else the server clock's."""
    try:
        return ZoneInfo(myself.get("timeZone") or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raw = info.get("serverTime")
        return (dt.datetime.fromisoformat(raw).tzinfo if raw else None) or dt.UTC


def jql_time(instant: dt.datetime, zone: dt.tzinfo) -> str:
    """INSTANT as a JQL date in ZONE, floored to Jira's minute; an hour earlier if the wall time is ambiguous."""
    local = instant.astimezone(zone)
    if local.replace(fold=1).utcoffset() != local.replace(fold=0).utcoffset():
        local = (instant - dt.timedelta(hours=1)).astimezone(zone)
    return local.strftime("%Y/%m/%d %H:%M")


def issues_jql(project: str, since: dt.datetime | None, created_from: dt.datetime | None,
               zone: dt.tzinfo, overlap: dt.timedelta) -> str:
    """The search of one project: updated since the bookmark minus the overlap, oldest created first."""
    clauses = [f'project = "{project}"']
    if since is not None:
        clauses.append(f'updated >= "{jql_time(since - overlap, zone)}"')
    if created_from is not None:
        clauses.append(f'created >= "{jql_time(created_from, zone)}"')
    return " AND ".join(clauses) + " ORDER BY created ASC"


def connect(config: Config, options: Options) -> Context:
    """Open the site and read what every scope needs: JQL time zone, fields and statuses."""
    site = Site(config, options.retry, options.page_size)
    fields = site.fields()
    return Context(site, config, jql_zone(site.myself(), site.info), fields,
                   normalise.status_categories(site.statuses()), points.sprint_field(fields))


def full_histories(ctx: Context, raw: dict) -> list[dict]:
    """An issue's histories: the embedded changelog, completed with the older ones when Jira capped it."""
    changelog = raw.get("changelog") or {}
    histories = changelog.get("histories") or []
    missing = changelog.get("total", len(histories)) - len(histories)
    if missing <= 0:
        return histories
    merged = {h.get("id"): h for h in ctx.site.changelog(raw["key"], missing) + histories}
    return list(merged.values())


# --- sprints ---------------------------------------------------------------------------


@dataclass
class Board:
    """One board's raw sprints, reports and estimation field, as fetched."""

    board_id: str
    estimation: str | None = None
    sprints: list[dict] = field(default_factory=list)
    reports: dict[str, dict | None] = field(default_factory=dict)

    def stat_field(self) -> str | None:
        """The statFieldId of the first report that names one."""
        found = (normalise.report_points(r)[2] for r in self.reports.values() if r)
        return next((f for f in found if f), None)


def fetch_board(ctx: Context, board_id: str, skip: set[str]) -> Board:
    """A board's estimation field, sprints and the reports of its started sprints not in SKIP."""
    board = Board(board_id)
    try:
        board.estimation = points.estimation_field(ctx.site.board_configuration(board_id))
    except JiraFailure as exc:
        if exc.status not in REPORT_UNAVAILABLE:
            raise
    board.sprints = ctx.site.sprints(board_id)
    for sprint in board.sprints:
        sid = str(sprint["id"])
        if sid in skip or (sprint.get("state") or "").lower() not in ("active", "closed"):
            continue
        try:
            board.reports[sid] = ctx.site.sprint_report(board_id, sid)
        except JiraFailure as exc:
            if exc.status not in REPORT_UNAVAILABLE:
                raise
            board.reports[sid] = None
    return board


def rebuilt_sprint(ctx: Context, sprint: dict) -> tuple[float, float]:
    """(committed, completed) of a sprint whose report is unavailable, from its issues' changelogs."""
    pid = ctx.points.field_id if ctx.points else None
    wanted = ["status"] + [f for f in (pid, ctx.sprint_field) if f]
    issues = []
    for page in ctx.site.search(f"sprint = {sprint['id']}", wanted):
        for raw in page.get("issues") or []:
            raw.setdefault("changelog", {})["histories"] = full_histories(ctx, raw)
            issues.append(raw)
    return points.rebuilt_points(
        sprint, issues, points.field_names(ctx.fields, pid),
        points.field_names(ctx.fields, ctx.sprint_field) | {"sprint"},
        pid, ctx.sprint_field, ctx.statuses, dt.datetime.now(dt.UTC))


def board_rows(ctx: Context, board: Board, owner: dict[str, str]) -> list[dict]:
    """The `sprints` rows of a board's fetched sprints (report, else rebuilt, else no points)."""
    rows = []
    for sprint in board.sprints:
        sid = str(sprint["id"])
        if sid not in board.reports:
            continue
        report = board.reports[sid]
        if report is not None:
            committed, completed, _ = normalise.report_points(report)
            pts = (committed, completed, "sprint_report")
        else:
            pts = (*rebuilt_sprint(ctx, sprint), "changelog")
        home = str(sprint.get("originBoardId", ""))
        rows.append(normalise.sprint_row(sprint, home if home in owner else board.board_id, pts))
    rows += [normalise.sprint_row(s, board.board_id, (None, None, None)) for s in board.sprints
             if (s.get("state") or "").lower() == "future"]
    return rows


def stored_closed_sprints(engine: Engine) -> set[str]:
    """Ids of closed sprints already stored with points (not re-read by an incremental run)."""
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(select(sprints_table.c.sprint_id).where(
            sprints_table.c.state == "closed", sprints_table.c.points_source.is_not(None)))}


def failure(scope: str, exc: Exception, config: Config) -> str:
    """One redacted line for a failed scope (a JiraFailure is already one clean line)."""
    message = str(exc) if isinstance(exc, JiraFailure) else f"{type(exc).__name__}: {exc}"
    return f"{scope}: {redact(message, config)}"


def sync_boards(engine: Engine, ctx: Context, full: bool, result: SyncResult, stream: TextIO) -> None:
    """Fetch every configured board, choose the story-point field, then write each board's sprints."""
    owner = {b: t.id for t in ctx.config.teams for b in t.jira_boards}
    skip = set() if full else stored_closed_sprints(engine)
    fetched: list[tuple[Board, Progress]] = []
    for board_id in owner:
        progress, before = Progress(f"jira board {board_id}", stream), ctx.site.requests
        try:
            fetched.append((fetch_board(ctx, board_id, skip), progress))
        except Exception as exc:  # one failing board is reported; the others go on
            result.failures.append(failure(f"board {board_id}", exc, ctx.config))
        progress.advance(0, ctx.site.requests - before)
    ctx.points = choose_points(engine, ctx, [board for board, _ in fetched])
    for board, progress in fetched:
        before = ctx.site.requests
        try:
            rows = board_rows(ctx, board, owner)
        except Exception as exc:
            result.failures.append(failure(f"board {board.board_id}", exc, ctx.config))
            continue
        with writing(engine) as conn, conn.begin():
            result.add("sprints", upsert(conn, "sprints", rows))
        rebuilt = sum(1 for r in rows if r["points_source"] == "changelog")
        progress.advance(len(rows), ctx.site.requests - before)
        progress.done(f"{len(board.sprints)} sprints, {len(board.reports) - rebuilt} sprint reports, "
                      f"{rebuilt} rebuilt from changelogs")


def choose_points(engine: Engine, ctx: Context, boards: list[Board]) -> points.PointsField:
    """The site's story-point field; a choice learnt from sprint reports is remembered for later runs."""
    chosen = points.choose(ctx.config.jira.story_points_field, {b.board_id: b.estimation for b in boards},
                           {b.board_id: b.stat_field() for b in boards}, ctx.fields)
    with writing(engine) as conn, conn.begin():
        remembered = get_bookmark(conn, SOURCE, "story_points_field", "site")
        if chosen.how.startswith(("estimation", "sprint report")):
            set_bookmark(conn, SOURCE, "story_points_field", "site", json.dumps([chosen.field_id, chosen.how]))
        elif remembered and chosen.how.startswith(("field list", "no board")):
            field_id, how = json.loads(remembered)
            chosen = points.PointsField(field_id, f"{how}, remembered from an earlier run")
    return chosen


# --- issues ----------------------------------------------------------------------------


def _load_pass(engine: Engine, project: str, full: bool) -> dict:
    """The pass to run: an interrupted one to resume, else a new one from the bookmark (none when --full)."""
    with engine.connect() as conn:
        saved = get_bookmark(conn, SOURCE, "issues_pass", project)
        bookmark = get_bookmark(conn, SOURCE, "issues", project)
    state = json.loads(saved) if saved else None
    if state and (not full or state["since"] is None):
        return state
    return {"since": None if full else bookmark, "created": None, "high": None}


def _later(a: str | None, b: dt.datetime | None) -> str | None:
    if b is None:
        return a
    return max(a, b.isoformat()) if a else b.isoformat()


def sync_project(engine: Engine, ctx: Context, project: str, full: bool, overlap: dt.timedelta,
                 result: SyncResult, stream: TextIO) -> None:
    """Issues and transitions of one project, page by page, each page committed with the pass state."""
    state = _load_pass(engine, project, full)
    since = dt.datetime.fromisoformat(state["since"]) if state["since"] else None
    created = dt.datetime.fromisoformat(state["created"]) if state["created"] else None
    jql = issues_jql(project, since, created, ctx.zone, overlap)
    before = ctx.site.requests
    try:
        total = ctx.site.count(jql)
    except JiraFailure:
        total = None
    progress = Progress(f"jira {project}", stream, total=total)
    seen = before
    for page in ctx.site.search(jql, ctx.issue_fields()):
        issues, transitions = [], []
        for raw in page.get("issues") or []:
            row = normalise.issue_row(raw, ctx.config, ctx.statuses, ctx.points.field_id, ctx.sprint_field)
            issues.append(row)
            transitions += normalise.transition_rows(row["issue_key"], full_histories(ctx, raw), ctx.statuses)
            state["created"] = _later(state["created"], row["created_at"])
            state["high"] = _later(state["high"], row["updated_at"])
        with writing(engine) as conn, conn.begin():
            result.add("issues", upsert(conn, "issues", issues))
            result.add("issue_transitions", upsert(conn, "issue_transitions", transitions))
            set_bookmark(conn, SOURCE, "issues_pass", project, json.dumps(state))
        progress.advance(len(issues), ctx.site.requests - seen)
        seen = ctx.site.requests
    with writing(engine) as conn, conn.begin():
        if state["high"]:
            set_bookmark(conn, SOURCE, "issues", project, state["high"])
        set_bookmark(conn, SOURCE, "issues_pass", project, "")
    progress.done("full" if state["since"] is None else f"updated since {state['since']} minus {overlap}")


def sync(engine: Engine, config: Config, full: bool, stream: TextIO, options: Options | None = None) -> SyncResult:
    """Sync sprints of every configured board, then issues and transitions of every configured project."""
    options = options or Options()
    result = SyncResult()
    try:
        ctx = connect(config, options)
    except JiraFailure as exc:
        result.failures.append(f"site {config.jira.url}: {exc}")
        return result
    result.notes.append(f"{ctx.site.info.get('deploymentType', '?')} {ctx.site.info.get('version', '')} "
                        f"at {config.jira.url}; JQL dates read in {ctx.zone}")
    try:
        sync_boards(engine, ctx, full, result, stream)
        result.notes.append(f"story points: {ctx.points.describe()}")
        for project in (p for team in config.teams for p in team.jira_projects):
            try:
                sync_project(engine, ctx, project, full, options.overlap, result, stream)
            except Exception as exc:  # one failing project is reported; the others go on
                result.failures.append(failure(f"project {project}", exc, config))
    finally:
        result.requests = ctx.site.requests
    return result
