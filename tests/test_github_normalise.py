"""The pure normaliser: logins, deployment outcomes, workflow runs, and GitHub's real recorded payloads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from collectors.config import parse_config
from collectors.github import normalise as norm
from tests.fake_github_scenario import at

RAW = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "github" / "devlake_ants_raw"
CONFIG = parse_config({"github": {"deployments": {"source": "workflow_runs", "workflow": "codeql",
                                                  "environments": ["production"]}}})


def test_logins_deleted_users_are_ghost_and_graphql_bots_get_their_suffix():
    assert norm.login(None) == "ghost"
    assert norm.login({"login": "ghost", "type": "User"}) == "ghost"
    assert norm.login({"__typename": "Bot", "login": "dependabot"}) == "dependabot[bot]"
    assert norm.login({"login": "renovate[bot]", "type": "Bot"}) == "renovate[bot]"
    assert norm.login({"__typename": "User", "login": "Asha-K"}) == "Asha-K"  # spelled as the source spells it


def test_a_deployment_succeeds_at_its_first_success_status_else_fails_at_its_first_failure():
    assert norm.outcome([("pending", "2026-05-05T13:00:00Z"), ("success", "2026-05-05T13:04:00Z"),
                         ("inactive", "2026-05-06T09:00:00Z")]) == ("success", at("2026-05-05T13:04:00Z"))
    assert norm.outcome([("ERROR", "2026-05-05T13:02:00Z"), ("SUCCESS", "2026-05-05T13:09:00Z")]) == (
        "success", at("2026-05-05T13:09:00Z"))
    assert norm.outcome([("error", "2026-05-05T13:02:00Z")]) == ("failure", at("2026-05-05T13:02:00Z"))
    assert norm.outcome([("in_progress", "2026-05-05T13:02:00Z")]) == (None, None)


def test_pending_reviews_are_drafts_and_are_skipped():
    assert norm.rest_review(CONFIG, "o/r", 1, {"id": 5, "state": "PENDING", "submitted_at": None,
                                              "user": {"login": "bo"}, "body": ""}) is None


def test_a_conversation_comment_on_an_issue_is_not_a_pull_request_comment():
    comment = {"id": 9, "html_url": "https://github.com/o/r/issues/3#issuecomment-9", "issue_url": ".../issues/3",
               "user": {"login": "bo"}, "created_at": "2026-05-05T13:00:00Z", "body": "hi"}
    assert norm.rest_issue_comment(CONFIG, "o/r", comment) is None


def raw(name: str) -> list[dict]:
    if not RAW.exists():
        pytest.skip(f"real recorded payloads not found at {RAW} (the shared realdata folder is absent)")
    csv.field_size_limit(10**9)
    with open(RAW / f"_raw_github_api_{name}.csv", newline="") as f:
        return [{**row, "data": json.loads(row["data"])} for row in csv.DictReader(f)]


def test_real_pull_requests_from_the_rest_list():
    rows = {r["pr_id"]: r for r in (norm.rest_pull_request(CONFIG, "panjf2000/ants", x["data"])
                                    for x in raw("pull_requests"))}
    assert len(rows) == 49  # 50 recorded rows, PR 4 twice
    assert rows["panjf2000/ants#41"] == {
        "pr_id": "panjf2000/ants#41", "repo": "panjf2000/ants", "number": 41, "author": "choleraehyq",
        "title": "support nonblocking submit and max blocking limit setting",
        "url": "https://github.com/panjf2000/ants/pull/41", "created_at": at("2019-08-20T03:24:27Z"),
        "ready_at": at("2019-08-20T03:24:27Z"), "first_commit_at": None, "merged_at": at("2019-08-20T10:55:19Z"),
        "closed_at": at("2019-08-20T10:55:19Z"), "additions": None, "deletions": None,  # not in list payloads
        "updated_at": at("2019-08-20T11:52:19Z"), "author_is_bot": False}
    assert sum(1 for r in rows.values() if r["merged_at"]) == 26


def test_real_reviews_and_inline_comments():
    reviews = [norm.rest_review(CONFIG, "panjf2000/ants", json.loads(x["input"])["Number"], x["data"])
               for x in raw("pull_request_reviews")]
    by_id = {r["review_id"]: r for r in reviews}
    assert len(by_id) == 30 and {r["state"] for r in reviews} == {"CHANGES_REQUESTED", "COMMENTED"}
    assert (by_id["277027723"]["pr_id"], by_id["277027723"]["reviewer"], by_id["277027723"]["submitted_at"]) == (
        "panjf2000/ants#41", "choleraehyq", at("2019-08-20T09:05:02Z"))
    comments = [norm.rest_inline_comment(CONFIG, "panjf2000/ants", x["data"])
                for x in raw("pull_request_review_comments")]
    first = comments[0]
    assert len(comments) == 16 and all(c["path"] for c in comments)
    assert (first["comment_id"], first["pr_id"], first["author"], first["path"], first["created_at"]) == (
        "review-comment:300245643", "panjf2000/ants#36", "panjf2000", "worker.go", at("2019-07-04T06:32:11Z"))


def test_real_workflow_runs_matching_the_pattern_become_deployments():
    rows = [r for r in (norm.workflow_run(CONFIG, "panjf2000/ants", x["data"]) for x in raw("runs")) if r]
    statuses = [r["status"] for r in rows]
    # 29 CodeQL runs of 35 (Lint and Tests do not match); cancelled, skipped, stale, queued... count as neither
    assert (len(rows), statuses.count("success"), statuses.count("failure"), statuses.count(None)) == (29, 14, 4, 11)
    assert all(r["is_production"] and r["environment"] == "production" for r in rows)


HUB4J = RAW.parent / "hub4j_wiremock"


def hub4j(path: str):
    if not HUB4J.exists():
        pytest.skip(f"real recorded payloads not found at {HUB4J} (the shared realdata folder is absent)")
    return json.loads((HUB4J / path).read_text())


def test_real_pending_review_is_skipped_and_real_queued_deployment_has_no_outcome_yet():
    [pending] = hub4j("GHPullRequestTest/wiremock/pullRequestReviews/__files/7-r_h_g_pulls_482_reviews.json")
    assert pending["state"] == "PENDING" and norm.rest_review(CONFIG, "hub4j-test-org/github-api", 482, pending) is None
    files = "AppTest/wiremock/testGetDeploymentStatuses/__files"
    row = norm.rest_deployment(CONFIG, "hub4j-test-org/github-api", hub4j(f"{files}/3-r_h_g_deployments.json"),
                               hub4j(f"{files}/6-r_h_g_deployments_315601644_statuses.json"))
    assert row == {"deployment_id": "deployment:315601644", "repo": "hub4j-test-org/github-api",
                   "environment": "production", "sha": "3ca6395616e9decaba9f350f59eb5b007462e2e7",
                   "created_at": at("2021-01-23T05:30:54Z"), "finished_at": None, "status": None,
                   "is_production": True}
