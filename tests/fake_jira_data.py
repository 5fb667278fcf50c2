"""The hand-made site the Jira tests run against: two projects, two boards, every case by name."""

from __future__ import annotations

from tests.fake_jira import POINTS, SPRINT, FakeJira, issue, stamp


def sprint(sid: int, state: str, start: str | None, end: str | None, done: str | None, board: int) -> dict:
    """An agile sprint payload (the shape of GET /rest/agile/1.0/board/{id}/sprint values)."""
    out = {"id": sid, "self": f"https://example.atlassian.net/rest/agile/1.0/sprint/{sid}", "state": state,
           "name": f"Sprint {sid}", "originBoardId": board, "goal": ""}
    out.update({k: stamp(v) for k, v in (("startDate", start), ("endDate", end), ("completeDate", done)) if v})
    return out


def report_issue(key: str, points: float | None, done: bool) -> dict:
    """One issue of a greenhopper sprint report."""
    stat = {"statFieldId": POINTS, "statFieldValue": {"value": points} if points is not None else {}}
    return {"id": int(key.split("-")[1]), "key": key, "typeName": "Story", "done": done,
            "estimateStatistic": stat, "currentEstimateStatistic": stat}


def sprint_change(key: str, at: str, before: str, after: str) -> dict:
    """A changelog history moving an issue between sprints (ids comma-separated, as Jira writes them)."""
    return {"id": f"{key}-s{at}", "created": stamp(at), "items": [
        {"field": "Sprint", "fieldtype": "custom", "fieldId": SPRINT, "from": before, "fromString": before,
         "to": after, "toString": after}]}


def points_change(key: str, at: str, before: str, after: str) -> dict:
    """A changelog history changing an issue's story points."""
    return {"id": f"{key}-p{at}", "created": stamp(at), "items": [
        {"field": "Story point estimate", "fieldtype": "custom", "fieldId": POINTS, "from": None,
         "fromString": before, "to": None, "toString": after}]}


def standard_site(fake: FakeJira) -> FakeJira:
    """PAY (board 12, sprint reports) and OPS (board 13, no reports: points rebuilt from changelogs)."""
    fake.add_project("PAY")
    fake.add_project("OPS", types=("Task", "Bug"))
    fake.add(
        issue("PAY-1", created="2026-05-04 09:00", updated="2026-05-06 15:00", resolved="2026-05-06 15:00",
              status="Closed", points=3, sprints=[(101, "closed")],
              moves=[("2026-05-05 10:00", "Open", "In Progress"), ("2026-05-06 15:00", "In Progress", "Closed")]),
        issue("PAY-2", type="Bug", labels=["production", "api"], created="2026-05-04 10:00",
              updated="2026-05-07 11:00", status="In Progress", points=2, sprints=[(101, "closed"), (102, "active")],
              moves=[("2026-05-07 11:00", "Open", "In Progress")]),
        issue("PAY-3", type="Incident", created="2026-05-05 08:00", updated="2026-05-05 09:30",
              status="Done Pending", assignee=None, moves=[("2026-05-05 09:30", "Open", "Done Pending")]),
        issue("PAY-4", type="Defect", created="2026-05-06 08:00", updated="2026-05-06 08:00", points="-1"),
        issue("OPS-1", type="Task", created="2026-05-01 08:00", updated="2026-05-10 12:00", status="Closed",
              resolved="2026-05-10 12:00", points=5, sprints=[(201, "closed")],
              moves=[("2026-05-10 12:00", "Open", "Closed")]),
        issue("OPS-2", type="Task", created="2026-05-05 08:00", updated="2026-05-12 12:00", status="Closed",
              resolved="2026-05-12 12:00", points=8, sprints=[(201, "closed")],
              moves=[("2026-05-12 12:00", "Open", "Closed")],
              extra_histories=[sprint_change("OPS-2", "2026-05-06 09:00", "", "201")]),
        issue("OPS-3", type="Task", created="2026-05-02 08:00", updated="2026-05-08 09:00", points=5,
              sprints=[(201, "closed")], extra_histories=[points_change("OPS-3", "2026-05-08 09:00", "3", "5")]),
    )
    fake.boards["12"] = {
        "configuration": {"id": 12, "name": "PAY board", "estimation": {
            "type": "field", "field": {"fieldId": POINTS, "displayName": "Story point estimate"}}},
        "sprints": [sprint(101, "closed", "2026-05-04 00:00", "2026-05-15 00:00", "2026-05-15 01:00", 12),
                    sprint(102, "active", "2026-05-15 02:00", "2026-05-29 00:00", None, 12),
                    sprint(103, "future", None, None, None, 12)],
        "reports": {
            "101": {"contents": {
                "completedIssues": [report_issue("PAY-1", 3, True)],
                "issuesNotCompletedInCurrentSprint": [report_issue("PAY-2", 2, False), report_issue("PAY-9", 5, False)],
                "puntedIssues": [report_issue("PAY-8", 1, False)],
                "completedIssuesEstimateSum": {"value": 3.0, "text": "3.0"},
                "issueKeysAddedDuringSprint": {"PAY-9": True}},
                "sprint": {"id": 101, "name": "Sprint 101", "state": "CLOSED"}},
            "102": {"contents": {
                "completedIssues": [], "issuesNotCompletedInCurrentSprint": [report_issue("PAY-2", 2, False)],
                "puntedIssues": [], "completedIssuesEstimateSum": {"text": "null"},
                "issueKeysAddedDuringSprint": {}},
                "sprint": {"id": 102, "name": "Sprint 102", "state": "ACTIVE"}},
        },
    }
    fake.boards["13"] = {"configuration": None, "reports": {}, "sprints": [
        sprint(201, "closed", "2026-05-04 00:00", "2026-05-15 00:00", "2026-05-15 00:00", 13)]}
    return fake


def write_config(folder, fake: FakeJira, projects=("PAY", "OPS"), boards=("12", "13"), **jira) -> str:
    """A teams.yaml for FAKE (Cloud: e-mail + token; Data Center: token only); returns its path."""
    lines = [f"  url: {fake.url}"]
    if fake.cloud:
        lines.append("  email_env: JIRA_EMAIL")
    lines += [f"  {k}: {v}" for k, v in jira.items()]
    path = folder / "teams.yaml"
    path.write_text("jira:\n" + "\n".join(lines) + "\n" + (
        "teams:\n  - id: atlas\n    name: Atlas\n    sourcing_model: offshoring\n"
        f"    jira_projects: [{', '.join(projects)}]\n"
        f"    jira_boards: [{', '.join(repr(b) for b in boards)}]\n"))
    return str(path)
