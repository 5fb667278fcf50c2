"""`check` for Jira: credentials, deployment, each project and board, and the story-point field chosen."""

from __future__ import annotations

from typing import TextIO

from collectors.config import Config
from collectors.jira import points
from collectors.jira.fetch import JiraFailure
from collectors.jira.normalise import report_points
from collectors.jira.sync import REPORT_UNAVAILABLE, Options, connect
from collectors.secrets import redact


def board_points(ctx, board_id: str) -> tuple[str | None, str]:
    """A board's story-point field and how it was found: its estimation field, else its latest sprint report."""
    try:
        field_id = points.estimation_field(ctx.site.board_configuration(board_id))
    except JiraFailure as exc:  # no permission on the configuration: the sprints still tell
        if exc.status not in REPORT_UNAVAILABLE:
            raise
        field_id = None
    if field_id:
        return field_id, "board estimation field"
    started = [s for s in ctx.site.sprints(board_id) if (s.get("state") or "").lower() in ("active", "closed")]
    if started:
        try:
            stat = report_points(ctx.site.sprint_report(board_id, str(started[-1]["id"])))[2]
        except JiraFailure as exc:
            if exc.status not in REPORT_UNAVAILABLE:
                raise
            stat = None
        if stat:
            return stat, f"sprint report of sprint {started[-1]['id']}"
    return None, "neither estimation field nor sprint report"


def check(config: Config, stream: TextIO, options: Options | None = None) -> int:
    """Print one line per site, project and board; return the number of problems found."""
    def say(line: str) -> None:
        stream.write(redact(line, config) + "\n")

    try:
        ctx = connect(config, options or Options())
    except JiraFailure as exc:
        say(f"jira {config.jira.url}: FAILED: {exc}")
        return 1
    info = ctx.site.info
    say(f"jira {config.jira.url}: ok: {info.get('deploymentType', '?')} {info.get('version', '')}, "
        f"{'e-mail + API token' if config.jira.email_env else 'personal access token'}, JQL dates in {ctx.zone}")
    problems = 0
    wanted = {"bug_types": config.jira.bug_types, "incident_types": config.jira.incident_types}
    for project in (p for team in config.teams for p in team.jira_projects):
        try:
            raw = ctx.site.project(project)
        except JiraFailure as exc:
            say(f"jira project {project}: FAILED: {exc.reason}")
            problems += 1
            continue
        types = {(t.get("name") or "").lower() for t in raw.get("issueTypes") or []}
        missing = [f"{name} ({key})" for key, names in wanted.items() for name in names if name.lower() not in types]
        note = f"; not an issue type here: {', '.join(missing)}" if missing else ""
        say(f"jira project {project}: ok: {raw.get('name', '')}, {len(types)} issue types{note}")
    found: dict[str, dict[str, str | None]] = {"board": {}, "report": {}}
    for board_id in (b for team in config.teams for b in team.jira_boards):
        try:
            field_id, how = board_points(ctx, board_id)
        except JiraFailure as exc:
            say(f"jira board {board_id}: FAILED: {exc.reason}")
            problems += 1
            continue
        found["board" if how.startswith("board") else "report"][board_id] = field_id
        say(f"jira board {board_id}: ok: story points {field_id or 'unknown'} ({how})")
    chosen = points.choose(config.jira.story_points_field, found["board"], found["report"], ctx.fields)
    say(f"jira story points: {chosen.describe()}")
    if chosen.field_id is None or "NOT in" in chosen.how:
        problems += 1
    return problems
