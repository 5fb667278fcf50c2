"""The Jira sync against a fake Jira Cloud and Data Center, with the real `jira` client."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from collectors.config import load_config
from collectors.jira.fetch import Retry
from collectors.jira.sync import Options, jql_time, sync
from store import open_engine, read_frames
from tests.fake_jira import EMAIL, TOKEN, FakeJira, issue
from tests.fake_jira_data import standard_site, write_config

UTC = dt.UTC


class Sleeps(list):
    """A Retry sleep that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def options(sleeps: Sleeps | None = None, attempts: int = 4) -> Options:
    return Options(retry=Retry(attempts=attempts, base=0.5, cap=5.0, sleep=sleeps if sleeps is not None else Sleeps()))


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("JIRA_EMAIL", EMAIL)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)


@pytest.fixture(params=["Cloud", "DataCenter"])
def fake(request):
    with FakeJira(deployment=request.param) as site:
        yield standard_site(site)


def run(tmp_path, fake, full=False, sleeps=None, attempts=4, db="legible.db", **config):
    engine = open_engine(f"sqlite:///{tmp_path / db}")
    conf = load_config(write_config(tmp_path, fake, **config))
    out = io.StringIO()
    result = sync(engine, conf, full, out, options(sleeps, attempts))
    return engine, result, out.getvalue()


def table(engine, name, key):
    frame = read_frames(engine, {name: None})[name]
    return {row[key]: row for row in frame.astype(object).where(frame.notna(), None).to_dict("records")}


def search_path(fake: FakeJira) -> str:
    return "/search/jql" if fake.cloud else "/rest/api/2/search"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_full_sync_fills_issues_transitions_and_sprints(tmp_path, fake):
    engine, result, _ = run(tmp_path, fake)
    assert result.failures == []
    issues = table(engine, "issues", "issue_key")
    assert sorted(issues) == ["OPS-1", "OPS-2", "OPS-3", "PAY-1", "PAY-2", "PAY-3", "PAY-4"]
    assert issues["PAY-2"] == {
        "issue_key": "PAY-2", "project": "PAY", "issue_type": "Bug", "priority": "Medium",
        "status": "In Progress", "status_category": "in_progress", "created_at": at("2026-05-04 10:00"),
        "resolved_at": None, "assignee": "acc-1", "story_points": 2.0, "labels": "production;api",
        "sprint_id": "102",  # active sprint 102 wins over closed 101
        "updated_at": at("2026-05-07 11:00"), "is_bug": True, "is_incident": False, "is_escaped": True}
    # "Done Pending" is filed under To Do in Jira's own status list: the name does not decide.
    assert issues["PAY-3"]["status_category"] == "todo" and issues["PAY-3"]["is_incident"]
    # An issue type the config does not name is kept, classed as nothing; "-1" points are no points.
    assert (issues["PAY-4"]["issue_type"], issues["PAY-4"]["is_bug"], issues["PAY-4"]["story_points"]) \
        == ("Defect", False, None)
    moves = table(engine, "issue_transitions", "at")
    assert [(m["issue_key"], m["from_status"], m["to_status"], m["from_category"], m["to_category"])
            for m in sorted(moves.values(), key=lambda m: (m["issue_key"], m["at"]))] == [
        ("OPS-1", "Open", "Closed", "todo", "done"),
        ("OPS-2", "Open", "Closed", "todo", "done"),
        ("PAY-1", "Open", "In Progress", "todo", "in_progress"),
        ("PAY-1", "In Progress", "Closed", "in_progress", "done"),
        ("PAY-2", "Open", "In Progress", "todo", "in_progress"),
        ("PAY-3", "Open", "Done Pending", "todo", "todo")]
    sprints = table(engine, "sprints", "sprint_id")
    # 101: committed = PAY-1 3 + PAY-2 2 + punted PAY-8 1 (PAY-9 5 was added during the sprint); completed 3.
    assert (sprints["101"]["committed_points"], sprints["101"]["completed_points"],
            sprints["101"]["points_source"]) == (6.0, 3.0, "sprint_report")
    assert (sprints["102"]["committed_points"], sprints["102"]["completed_points"]) == (2.0, 0.0)
    assert (sprints["103"]["state"], sprints["103"]["committed_points"]) == ("future", None)
    # 201 has no report: OPS-1 5 (done) + OPS-3 3 at start (5 later, not done); OPS-2 8 joined late, done.
    assert (sprints["201"]["committed_points"], sprints["201"]["completed_points"],
            sprints["201"]["points_source"], sprints["201"]["board_id"]) == (8.0, 13.0, "changelog", "13")
    assert "story points: customfield_10016 (estimation field of board 12)" in result.notes


def test_each_deployment_uses_its_own_search(tmp_path, fake):
    run(tmp_path, fake)
    searches = [q for _, p, q in fake.log if p.endswith(("/search", "/search/jql"))]
    paths = {p for _, p, _ in fake.log if p.endswith(("/search", "/search/jql"))}
    assert paths == ({"/rest/api/2/search/jql"} if fake.cloud else {"/rest/api/2/search"})
    issue_searches = [q for q in searches if q["jql"].startswith("project")]
    assert {q["fields"] for q in issue_searches} == {
        "project,issuetype,priority,status,created,updated,resolutiondate,assignee,labels,"
        "customfield_10016,customfield_10020"}
    assert all("*all" not in q.get("fields", "") for q in searches)


def test_capped_changelog_is_paged(tmp_path):
    with FakeJira(deployment="Cloud", changelog_cap=2) as fake:
        standard_site(fake)
        names = ["Open", "In Progress", "In Review", "In Progress", "In Review", "Closed"]
        steps = list(zip(names, names[1:], strict=False))
        fake.add(issue("PAY-7", created="2026-05-01 08:00", updated="2026-05-09 08:00", status="Closed",
                       moves=[(f"2026-05-0{i + 2} 08:00", a, b) for i, (a, b) in enumerate(steps)]))
        engine, result, _ = run(tmp_path, fake)
        assert "/rest/api/3/issue/PAY-7/changelog" in fake.paths()
    moves = sorted((m for m in table(engine, "issue_transitions", "at").values() if m["issue_key"] == "PAY-7"),
                   key=lambda m: m["at"])
    assert [(m["from_status"], m["to_status"]) for m in moves] == list(zip(names, names[1:], strict=False))


def test_incremental_sync_asks_since_bookmark_minus_overlap_in_jira_time_zone(tmp_path, fake):
    run(tmp_path, fake)
    fake.log.clear()
    fake.add(issue("PAY-5", created="2026-05-20 12:00", updated="2026-05-20 12:00", status="Open"))
    engine, result, _ = run(tmp_path, fake)
    jqls = [q["jql"] for _, p, q in fake.log if p.endswith(("/search", "/search/jql"))]
    # PAY's bookmark is its latest `updated`, 2026-05-07 11:00 UTC; minus 10 minutes, in New York (UTC-4).
    assert 'project = "PAY" AND updated >= "2026/05/07 06:50" ORDER BY created ASC' in jqls
    # Re-read: the latest issue of each project (inside the overlap) and the new one; nothing else.
    assert result.rows["issues"] == 3  # PAY-2, PAY-5 and OPS-2
    assert "PAY-5" in table(engine, "issues", "issue_key")


def test_full_flag_rereads_everything(tmp_path, fake):
    run(tmp_path, fake)
    fake.log.clear()
    _, result, _ = run(tmp_path, fake, full=True)
    jqls = [q["jql"] for _, p, q in fake.log if p.endswith(("/search", "/search/jql"))]
    assert 'project = "PAY" ORDER BY created ASC' in jqls
    assert result.rows["issues"] == 7
    assert len(fake.paths("sprintreport")) == 3  # closed sprints are re-read too


def test_incremental_run_skips_reports_of_closed_sprints_already_stored(tmp_path, fake):
    run(tmp_path, fake)
    fake.log.clear()
    run(tmp_path, fake)
    assert len(fake.paths("sprintreport")) == 1  # only the active sprint 102


def test_jql_time_is_floored_to_the_minute_and_steps_back_over_an_ambiguous_hour():
    from zoneinfo import ZoneInfo
    new_york = ZoneInfo("America/New_York")
    assert jql_time(dt.datetime(2026, 5, 7, 10, 50, 59, tzinfo=UTC), new_york) == "2026/05/07 06:50"
    # 05:30 UTC on 1 November 2026 is 01:30 in New York, a wall time that happens twice: ask from 00:30.
    assert jql_time(dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC), new_york) == "2026/11/01 00:30"


@pytest.mark.parametrize(("kind", "delays"), [
    ("429", [0.5, 1.0]), ("429-retry-after", [1.0, 1.0]), ("503", [0.5, 1.0]), ("drop", [0.5, 1.0])])
def test_faults_are_retried_with_capped_backoff(tmp_path, fake, kind, delays):
    fake.fail(search_path(fake), kind, times=2)
    sleeps = Sleeps()
    engine, result, _ = run(tmp_path, fake, sleeps=sleeps)
    assert result.failures == []
    assert sleeps == delays  # exponential from 0.5 s, or Retry-After: 1
    assert len(table(engine, "issues", "issue_key")) == 7


def test_a_project_failing_past_its_retries_is_reported_and_the_others_go_on(tmp_path, fake):
    fake.fail(search_path(fake), "503", times=2)  # with board 12 only, the first search is PAY's
    engine, result, _ = run(tmp_path, fake, attempts=1, boards=("12",))
    assert len(result.failures) == 1
    assert result.failures[0].startswith("project PAY: search: HTTP 503")
    assert "still failing after 1 retries" in result.failures[0]
    assert sorted(table(engine, "issues", "issue_key")) == ["OPS-1", "OPS-2", "OPS-3"]


def test_a_project_that_does_not_exist_is_reported(tmp_path, fake):
    engine, result, _ = run(tmp_path, fake, projects=("PAY", "NOPE", "OPS"))
    assert result.failures == ["project NOPE: search: HTTP 400: The value 'NOPE' does not exist for the field "
                               "'project'."]
    assert len(table(engine, "issues", "issue_key")) == 7


def test_a_board_that_does_not_exist_is_reported(tmp_path, fake):
    _, result, _ = run(tmp_path, fake, boards=("12", "99"))
    assert [f.split(":")[0] for f in result.failures] == ["board 99"]


def test_progress_line_per_project_and_board(tmp_path, fake):
    _, _, out = run(tmp_path, fake)
    lines = out.splitlines()
    assert any(line.startswith("jira PAY: 4") and "(full)" in line for line in lines)
    assert any(line.startswith("jira board 13:") and "1 rebuilt from changelogs" in line for line in lines)
