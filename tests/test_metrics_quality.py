"""Quality and flow KPIs on tiny hand-made frames (bugs, reopenings, escaped defects, sprints)."""

from __future__ import annotations

import pytest

from metrics.compute import kpi_table, weekly
from metrics.frames import Policy
from metrics.quality import bug_facts, open_bug_facts
from tests.test_metrics_support import D, make_frames, member, samples, team, values

MARCH = (D(2026, 3, 2), D(2026, 3, 29))
ROSTER = {"teams": [team("atlas")], "memberships": [member("atlas", "asha", jira="acc-asha")],
          "team_jira_projects": [{"project": "PAY", "team_id": "atlas"}]}


def bug(key, created, resolved=None, escaped=False, project="PAY", assignee=None, kind="Bug"):
    return {"issue_key": key, "project": project, "issue_type": kind, "is_bug": kind == "Bug",
            "is_escaped": escaped, "created_at": created, "resolved_at": resolved, "assignee": assignee}


def move(key, at, src, dst):
    return {"issue_key": key, "at": at, "from_status": src, "to_status": dst, "from_category": src,
            "to_category": dst}


BUGS = [
    bug("B1", "2026-03-02T00:00Z", "2026-03-10T00:00Z"),           # changelog: first done 03-03 → 24h, reopened 03-04
    bug("B2", "2026-03-05T00:00Z", "2026-03-07T00:00Z", escaped=True),  # no changelog: resolved_at → 48h
    bug("B3", "2026-03-06T00:00Z"),                                  # open
    bug("B4", "2026-02-01T00:00Z"),                                  # created before, still open at the end
    bug("B5", "2026-02-01T00:00Z", "2026-02-02T00:00Z"),            # resolved before the window
    bug("B6", "2026-03-07T00:00Z", "2026-03-08T00:00Z"),            # 24h, reopened only after the window
]
MOVES = [move("B1", "2026-03-03T00:00Z", "in_progress", "done"), move("B1", "2026-03-04T00:00Z", "done", "in_progress"),
         move("B1", "2026-03-10T00:00Z", "in_progress", "done"),
         move("B6", "2026-03-08T00:00Z", "in_progress", "done"), move("B6", "2026-04-02T00:00Z", "done", "todo")]


@pytest.fixture
def table():
    prs = [{"pr_id": f"p{i}", "repo": "r", "author": "asha", "created_at": "2026-03-02T00:00Z",
            "merged_at": "2026-03-03T00:00Z"} for i in range(8)]
    frames = make_frames(**ROSTER, issues=BUGS, issue_transitions=MOVES, pull_requests=prs)
    return kpi_table(frames, *MARCH)


def test_bug_counts(table):
    v = values(table, "atlas")
    assert (v["bugs_opened"], v["bugs_resolved"], v["open_bugs"]) == (4, 3, 2)  # open at the end: B3, B4


def test_bug_resolution_uses_the_first_resolution_median_and_p85(table):
    v = values(table, "atlas")
    assert v["bug_resolution_hours"] == 24.0  # [24, 24, 48]
    assert v["bug_resolution_hours_p85"] == pytest.approx(24 + 0.7 * 24)  # position 0.85 × 2 = 1.7


def test_bug_reopen_rate_counts_reopenings_before_the_windows_end(table):
    assert (values(table, "atlas")["bug_reopen_rate"], samples(table, "atlas")["bug_reopen_rate"]) \
        == (pytest.approx(1 / 3), 3)  # B1 yes, B2 no, B6 reopened only in April


def test_escaped_defect_rate_and_bugs_per_100_prs(table):
    v = values(table, "atlas")
    assert v["escaped_defect_rate"] == 0.25  # B2 of B1, B2, B3, B6
    assert v["bugs_per_100_prs"] == 50.0  # 4 bugs per 8 merged PRs


def test_an_open_bug_reopened_after_its_resolution_is_open_at_the_end():
    frames = make_frames(**ROSTER, issues=[bug("B1", "2026-03-02T00:00Z", "2026-03-03T00:00Z")],
                         issue_transitions=[move("B1", "2026-03-03T00:00Z", "todo", "done"),
                                            move("B1", "2026-03-20T00:00Z", "done", "in_progress")])
    assert values(kpi_table(frames, *MARCH), "atlas")["open_bugs"] == 1
    # ...but it was resolved at the end of the first week.
    first_week = weekly(frames, *MARCH)
    open_by_week = first_week[(first_week["key"] == "open_bugs")]["value"].tolist()
    assert open_by_week == [0, 0, 1, 1]


def test_issue_without_project_owner_goes_to_the_assignees_team_else_unassigned():
    frames = make_frames(**ROSTER, issues=[bug("X1", "2026-03-02T00:00Z", project="OPS", assignee="acc-asha"),
                                           bug("X2", "2026-03-02T00:00Z", project="OPS")])
    t = kpi_table(frames, *MARCH)
    assert values(t, "atlas")["bugs_opened"] == 1 and values(t, "unassigned")["bugs_opened"] == 1


def test_no_bugs_gives_zero_counts_and_null_rates():
    v = values(kpi_table(make_frames(**ROSTER), *MARCH), "atlas")
    assert (v["bugs_opened"], v["bugs_resolved"], v["open_bugs"]) == (0, 0, 0)
    for key in ("bug_resolution_hours", "bug_resolution_hours_p85", "bug_reopen_rate", "escaped_defect_rate",
                "bugs_per_100_prs"):
        assert v[key] is None, key


def test_bug_facts_lists_bugs_with_their_jira_link():
    frames = make_frames(**ROSTER, issues=BUGS, issue_transitions=MOVES,
                         policy=Policy(jira_url="https://jira.example.com"))
    facts = bug_facts(frames, *MARCH).set_index("issue_key")
    assert sorted(facts.index) == ["B1", "B2", "B3", "B6"]
    assert facts.loc["B1", "reopened"] and not facts.loc["B6", "reopened"]
    assert facts.loc["B1", "url"] == "https://jira.example.com/browse/B1"


def test_open_bug_facts_lists_the_backlog_at_the_end_day_with_ages_in_days():
    issues = [{**b, "priority": "High" if b["issue_key"] == "B4" else "Low", "status": "Open"} for b in BUGS]
    frames = make_frames(**{**ROSTER, "teams": [team("atlas"), team("hq")]}, issues=issues, issue_transitions=MOVES)
    at_end = open_bug_facts(frames, D(2026, 3, 29)).set_index("issue_key")
    # B3 created 03-06 and B4 created 02-01 are open; age runs to the end of 03-29: 24 and 57 days
    assert at_end["age_days"].to_dict() == {"B3": 24.0, "B4": 57.0}
    assert list(at_end.columns) == ["team", "created_at", "age_days", "priority", "status"]
    assert (at_end.loc["B4", "priority"], at_end.loc["B4", "status"], at_end.loc["B4", "team"]) == ("High", "Open",
                                                                                                      "atlas")
    # On 03-05: B1 reopened on 03-04 (4 days), B2 created that day and resolved later without changelog (1 day),
    # B4 (33 days); B3 and B6 do not exist yet, B5 was resolved in February.
    assert open_bug_facts(frames, D(2026, 3, 5)).set_index("issue_key")["age_days"].to_dict() \
        == {"B1": 4.0, "B2": 1.0, "B4": 33.0}
    assert open_bug_facts(frames, D(2026, 3, 29), ["hq"]).empty
    assert len(open_bug_facts(frames, D(2026, 3, 29), ["atlas"])) == 2


def test_sprint_velocity_and_commitment_over_sprints_completed_in_the_window():
    sprints = [{"sprint_id": "s1", "board_id": "7", "completed_at": "2026-03-13T00:00Z", "committed_points": 20,
                "completed_points": 10},
               {"sprint_id": "s2", "board_id": "7", "completed_at": "2026-03-27T00:00Z", "committed_points": 20,
                "completed_points": 20},
               {"sprint_id": "s0", "board_id": "7", "completed_at": "2026-02-27T00:00Z", "committed_points": 20,
                "completed_points": 0},
               {"sprint_id": "other", "board_id": "8", "completed_at": "2026-03-13T00:00Z", "committed_points": 5,
                "completed_points": 5}]
    frames = make_frames(**ROSTER, sprints=sprints, team_boards=[{"board_id": "7", "team_id": "atlas"}],
                         issues=BUGS, issue_transitions=MOVES)
    t = kpi_table(frames, *MARCH)
    v = values(t, "atlas")
    assert (v["sprint_velocity_points"], v["sprint_commitment_ratio"]) == (15.0, 0.75)
    assert v["issues_resolved"] == 3
    assert values(t, "unassigned")["sprint_velocity_points"] == 5.0  # board 8 has no owner


def test_sprints_with_nothing_committed_give_a_null_commitment_ratio():
    sprints = [{"sprint_id": "s1", "board_id": "7", "completed_at": "2026-03-13T00:00Z", "committed_points": 0,
                "completed_points": 3}]
    frames = make_frames(**ROSTER, sprints=sprints, team_boards=[{"board_id": "7", "team_id": "atlas"}])
    v = values(kpi_table(frames, *MARCH), "atlas")
    assert v["sprint_commitment_ratio"] is None and v["sprint_velocity_points"] == 3.0
