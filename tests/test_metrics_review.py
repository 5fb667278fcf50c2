"""Review-quality KPIs and drill-downs on tiny hand-made frames."""

from __future__ import annotations

import pytest

from metrics.compute import kpi_table
from metrics.frames import Policy
from metrics.review import pr_facts, review_matrix
from tests.test_metrics_support import D, make_frames, member, samples, team, values

MARCH = (D(2026, 3, 2), D(2026, 3, 29))
ROSTER = {"teams": [team("atlas"), team("hq")],
          "memberships": [member("atlas", "asha"), member("atlas", "ravi"), member("hq", "carol"),
                          member("hq", "dan", joined="2026-03-10")]}


def pr(pr_id, lines=100, author="asha", merged="2026-03-05T00:00Z"):
    return {"pr_id": pr_id, "repo": "acme/pay", "author": author, "title": pr_id, "created_at": "2026-03-04T00:00Z",
            "merged_at": merged, "additions": lines, "deletions": 0}


def review(rid, pr_id, who, state="APPROVED", body="", at="2026-03-04T12:00Z", bot=False, topics=None):
    return {"review_id": rid, "pr_id": pr_id, "reviewer": who, "state": state, "body": body, "submitted_at": at,
            "reviewer_is_bot": bot, "topics": topics}


def comment(cid, pr_id, who, body="why?", at="2026-03-04T12:00Z", topics=None):
    return {"comment_id": cid, "pr_id": pr_id, "author": who, "body": body, "created_at": at, "topics": topics}


def table(**tables):
    return kpi_table(make_frames(**{**ROSTER, **tables}), *MARCH)


SCENARIO = {
    "pull_requests": [pr("p1"), pr("p2"), pr("p3", lines=10), pr("p4")],
    "reviews": [
        review("r1", "p1", "carol", body="Where is the rollback plan?", topics="rollback"),
        review("r2", "p1", "ravi", state="DISMISSED", body="   "),        # whitespace body: a review, not depth
        review("r3", "p2", "ravi"),                                         # empty approval only: rubber stamp
        review("self", "p3", "ASHA", state="COMMENTED", body="note to self"),  # self-review: ignored
        review("bot", "p3", "ci[bot]", state="COMMENTED", body="lint ok", bot=True),  # bot: ignored
        review("late", "p4", "carol", state="COMMENTED", body="after merge", at="2026-03-06T00:00Z"),  # after merge
    ],
    "review_comments": [comment("c1", "p1", "carol", "What if this times out?", topics="failure_modes"),
                     comment("c2", "p4", "Dan", "Add a log line", topics="observability")],
}


def test_review_depth_counts_comments_and_reviews_with_bodies_of_non_authors_before_merge():
    # p1: r1 + c1 = 2, p2: 0, p3: 0 (self and bot ignored), p4: c2 = 1 → 3 / 4
    assert values(table(**SCENARIO), "atlas")["review_depth"] == 0.75


def test_reviewers_per_pr_counts_distinct_non_author_people_including_dismissed_reviews():
    # p1: carol, ravi; p2: ravi; p3: none; p4: dan → 4 / 4
    assert values(table(**SCENARIO), "atlas")["reviewers_per_pr"] == 1.0


def test_unreviewed_merge_rate_ignores_self_reviews_and_bots():
    t = table(**SCENARIO)
    assert (values(t, "atlas")["unreviewed_merge_rate"], samples(t, "atlas")["unreviewed_merge_rate"]) == (0.25, 4)


def test_rubber_stamp_rate_among_big_prs_only():
    t = table(**SCENARIO)
    # Big PRs (≥ 50 lines): p1, p2, p4; only p2 has nothing but an empty approval.
    assert values(t, "atlas")["rubber_stamp_rate"] == pytest.approx(1 / 3)
    assert samples(t, "atlas")["rubber_stamp_rate"] == 3
    strict = make_frames(**ROSTER, **SCENARIO, policy=Policy(rubber_stamp_min_lines=5))
    assert samples(kpi_table(strict, *MARCH), "atlas")["rubber_stamp_rate"] == 4


def test_cross_team_review_uses_the_reviewers_team_on_the_prs_created_at():
    # carol (hq) reviews p1: cross-team. dan joined hq on 03-10, after p4 was created (03-04): not cross-team.
    assert values(table(**SCENARIO), "atlas")["cross_team_review_rate"] == 0.25


def test_review_topic_coverage_and_dimensions_over_big_prs():
    v = values(table(**SCENARIO), "atlas")
    assert v["review_topic_coverage"] == pytest.approx(2 / 3)  # p1 (rollback, failure modes), p4 (observability)
    assert v["review_topics.rollback"] == pytest.approx(1 / 3)
    assert v["review_topics.observability"] == pytest.approx(1 / 3)
    assert v["review_topics.security"] == 0.0


def test_pr_size_is_the_median_of_additions_plus_deletions():
    assert values(table(**SCENARIO), "atlas")["pr_size_lines"] == 100.0  # [10, 100, 100, 100]


def test_no_merged_prs_gives_null_review_kpis():
    v = values(table(pull_requests=[pr("open", merged=None)]), "atlas")
    for key in ("review_depth", "reviewers_per_pr", "unreviewed_merge_rate", "rubber_stamp_rate",
                "cross_team_review_rate", "review_topic_coverage", "review_topics.tests", "pr_size_lines"):
        assert v[key] is None, key


def test_pr_facts_and_review_matrix_drill_down():
    frames = make_frames(**ROSTER, **SCENARIO)
    facts = pr_facts(frames, *MARCH).set_index("pr_id")
    assert facts.loc["p1", "topics"] == "failure_modes;rollback"
    assert facts.loc["p2", "rubber_stamp"] and facts.loc["p3", "unreviewed"]
    assert facts.loc["p1", "pickup_hours"] == 12.0
    matrix = review_matrix(frames, *MARCH)
    assert matrix.to_dict("records") == [{"reviewer_team": "atlas", "author_team": "atlas", "prs": 2},
                                         {"reviewer_team": "hq", "author_team": "atlas", "prs": 1}]
