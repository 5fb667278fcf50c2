"""People KPIs and team attribution by date: moves between teams, roster edges, time zones at day edges."""

from __future__ import annotations

import pytest

from metrics.compute import kpi_table
from metrics.people import people_summary
from tests.test_metrics_support import D, make_frames, member, samples, team, values

MARCH = (D(2026, 3, 2), D(2026, 3, 29))
# bob moves from atlas to hq on 03-10; cara leaves on 03-20 (senior); dina joins on 03-02; eve never contributes.
ROSTER = {"teams": [team("atlas"), team("hq")], "memberships": [
    member("atlas", "asha", joined="2025-12-31"),
    member("atlas", "bob", joined="2025-01-01", left="2026-03-10"),
    member("hq", "bob", joined="2026-03-10"),
    member("atlas", "cara", joined="2025-01-01", left="2026-03-20", seniority="senior"),
    member("atlas", "dina", joined="2026-03-02"),
    member("hq", "eve", joined="2025-01-01"),
]}


def pr(pr_id, author, created):
    return {"pr_id": pr_id, "repo": "r", "author": author, "created_at": created, "merged_at": created}


def table(**tables):
    return kpi_table(make_frames(**{**ROSTER, **tables}), *MARCH)


def test_headcount_joiners_leavers_and_senior_leavers():
    v = values(table(), "atlas")
    assert (v["headcount"], v["joiners"], v["leavers"], v["senior_leavers"]) == (2, 1, 2, 1)
    h = values(table(), "hq")
    assert (h["headcount"], h["joiners"], h["leavers"]) == (2, 1, 0)  # a move is a join of the new team


def test_retention_is_members_at_start_still_there_at_the_end():
    t = table()
    # atlas on 03-02: asha, bob, cara, dina; on 03-29: asha, dina → 2 / 4
    assert (values(t, "atlas")["retention_rate"], samples(t, "atlas")["retention_rate"]) == (0.5, 4)


def test_median_tenure_months_of_members_at_the_end():
    # asha: 2025-12-31 → 2026-03-29 = 88 days, dina: 27 days → median 57.5 days / 30.4375
    assert values(table(), "atlas")["median_tenure_months"] == pytest.approx(57.5 / 30.4375)


def test_a_person_who_moved_teams_counts_for_the_team_of_each_moment():
    prs = [pr("p1", "bob", "2026-03-09T23:00Z"), pr("p2", "Bob", "2026-03-10T00:00Z")]
    t = table(pull_requests=prs)
    assert values(t, "atlas")["merged_prs"] == 1 and values(t, "hq")["merged_prs"] == 1
    assert values(t, "atlas")["active_contributors"] == 1 and values(t, "hq")["active_contributors"] == 1


def test_membership_days_are_read_in_the_teams_time_zone():
    # In Kolkata, 2026-03-09T20:00Z is already 03-10: bob is on hq then.
    roster = {**ROSTER, "teams": [team("atlas", tz="Asia/Kolkata"), team("hq", tz="Asia/Kolkata")]}
    t = kpi_table(make_frames(**roster, pull_requests=[pr("p1", "bob", "2026-03-09T20:00Z")]), *MARCH)
    assert values(t, "hq")["merged_prs"] == 1 and values(t, "atlas")["merged_prs"] == 0


def test_people_not_on_the_roster_and_bots_are_unassigned():
    prs = [pr("p1", "stranger", "2026-03-03T00:00Z"),
           {**pr("p2", "dependabot[bot]", "2026-03-03T00:00Z"), "author_is_bot": True}]
    t = table(pull_requests=prs)
    assert values(t, "unassigned")["merged_prs"] == 2 and values(t, "atlas")["merged_prs"] == 0


def test_quiet_members_were_on_the_roster_all_of_the_last_30_days_without_activity():
    t = table(pull_requests=[pr("p1", "asha", "2026-03-03T00:00Z")])
    # last 30 days: 02-28..03-29. atlas: asha (active), dina (joined 03-02: not all through) → 0; hq: eve → 1
    assert values(t, "atlas")["quiet_members"] == 0
    assert values(t, "hq")["quiet_members"] == 1
    later = table(pull_requests=[pr("p1", "asha", "2026-02-20T00:00Z")])
    assert values(later, "atlas")["quiet_members"] == 1  # asha's only PR is older than 30 days


def test_active_contributors_include_reviewers_and_assignees_of_resolved_issues():
    roster = {**ROSTER, "memberships": [*ROSTER["memberships"][:-1], member("hq", "eve", jira="acc-eve")]}
    frames = make_frames(**roster, pull_requests=[pr("p1", "asha", "2026-03-03T00:00Z")],
                         reviews=[{"review_id": "r1", "pr_id": "p1", "reviewer": "dina", "state": "APPROVED",
                                   "submitted_at": "2026-03-03T00:00Z"}],
                         issues=[{"issue_key": "X1", "project": "X", "created_at": "2026-03-03T00:00Z",
                                  "resolved_at": "2026-03-04T00:00Z", "assignee": "acc-eve"}])
    t = kpi_table(frames, *MARCH)
    assert values(t, "atlas")["active_contributors"] == 2 and values(t, "hq")["active_contributors"] == 1


def test_people_summary_is_per_team_never_per_person():
    summary = people_summary(make_frames(**ROSTER), *MARCH)
    assert list(summary["team"]) == ["atlas", "hq"]
    assert "person_id" not in summary.columns
    assert summary.set_index("team").loc["atlas", "retention_rate"] == 0.5
