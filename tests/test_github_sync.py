"""The GitHub collector against the fake GitHub: full and incremental syncs, GraphQL and REST, whole rows."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest

from collectors.config import load_config
from collectors.github import sync
from collectors.github.client import Tuning
from store import open_engine
from tests.fake_github import TOKEN, FakeGitHub
from tests.fake_github_data import Comment, Deployment, Pull, Review
from tests.fake_github_scenario import FAST, activity, at, populate, run, write_config


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with FakeGitHub() as server:
        populate(server)
        yield server


PR1 = {"pr_id": "acme/payments#1", "repo": "acme/payments", "number": 1, "author": "asha-k", "title": "Add refunds",
       "url": "https://github.example/acme/payments/pull/1", "created_at": at("2026-05-04T09:00:00Z"),
       "ready_at": at("2026-05-04T09:00:00Z"), "first_commit_at": at("2026-05-03T18:00:00Z"),
       "merged_at": at("2026-05-05T12:00:00Z"), "closed_at": at("2026-05-05T12:00:00Z"), "additions": 120,
       "deletions": 30, "updated_at": at("2026-05-05T12:00:00Z"), "author_is_bot": False}


@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_full_sync_fills_every_table_with_the_same_rows_in_both_apis(fake, tmp_path, api):
    engine, result = run(fake, tmp_path, api=api)
    rows = activity(engine)
    assert result.failures == []
    assert rows["pull_requests"][0] == PR1
    by_pr = {r["pr_id"]: r for r in rows["pull_requests"]}
    # a deleted user's draft: author ghost, ready when marked ready for review
    assert (by_pr["acme/payments#2"]["author"], by_pr["acme/payments#2"]["ready_at"]) == (
        "ghost", at("2026-05-06T10:00:00Z"))
    assert by_pr["acme/payments#3"]["author_is_bot"] is True and by_pr["acme/web#7"]["author"] == "chen"
    reviews = [(r["review_id"], r["reviewer"], r["state"], r["reviewer_is_bot"], r["topics"]) for r in rows["reviews"]]
    assert reviews == [
        ("101", "bo", "APPROVED", False, "tests"), ("102", "dependabot[bot]", "COMMENTED", True, None),
        ("701", "asha-k", "CHANGES_REQUESTED", False, "rollback"), ("702", "asha-k", "APPROVED", False, None)]
    assert [(r["comment_id"], r["pr_id"], r["author"], r["path"], r["topics"]) for r in rows["review_comments"]] == [
        ("issue-comment:301", "acme/payments#1", "asha-k", None, None),
        ("review-comment:201", "acme/payments#1", "bo", "api/pay.py", "failure_modes"),
        ("review-comment:202", "acme/payments#1", "ghost", "api/pay.py", None)]
    assert [(r["deployment_id"], r["environment"], r["status"], r["finished_at"], r["is_production"])
            for r in rows["deployments"]] == [
        ("deployment:11", "production", "success", at("2026-05-05T13:04:00Z"), True),
        ("deployment:12", "staging", "failure", at("2026-05-05T14:02:00Z"), False),
        ("deployment:13", "production", None, None, True)]
    assert result.rows == {"pull_requests": 4, "reviews": 4, "review_comments": 3, "deployments": 3}


def test_graphql_full_sync_takes_one_request_per_repo_and_reports_points(fake, tmp_path):
    _, result = run(fake, tmp_path)
    assert (result.requests, fake.count("POST /api/graphql"), fake.count("GET")) == (2, 2, 0)
    assert "rate-limit points used: " in result.notes[0]


@pytest.mark.parametrize("source,expected", [
    ("releases", [("release:21", "production", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "success",
                   at("2026-05-05T15:05:00Z"))]),
    ("workflow_runs", [("run:31", "production", "a" * 40, "success", at("2026-05-05T13:06:00Z")),
                       ("run:33", "production", "b" * 40, "failure", at("2026-05-06T13:03:00Z")),
                       ("run:34", "production", "c" * 40, None, None)]),
])
@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_deployments_come_from_the_configured_source(fake, tmp_path, api, source, expected):
    engine, result = run(fake, tmp_path, api=api, source=source)
    rows = activity(engine)["deployments"]
    assert [(r["deployment_id"], r["environment"], r["sha"], r["status"], r["finished_at"]) for r in rows] == expected
    assert all(r["is_production"] for r in rows)


def change_things(fake):
    """A changed PR, a new review, a new comment on an open PR (no update stamp), a new deployment."""
    pay = fake.repos["acme/payments"]
    pay.pulls[1].title, pay.pulls[1].updated = "Add refunds (v2)", "2026-05-07T08:00:00Z"
    pay.pulls[2].reviews.append(Review(103, "bo", "APPROVED", "2026-05-07T09:00:00Z", "Ship it"))
    pay.pulls[2].updated = "2026-05-07T09:00:00Z"
    pay.pulls[2].comments.append(Comment(302, "chen", "2026-05-07T09:30:00Z", "Also check the logs"))
    pay.deployments.append(Deployment(14, "production", "d" * 40, "2026-05-07T10:00:00Z",
                                      [("success", "2026-05-07T10:05:00Z")]))
    pay.deployments[2].statuses.append(("success", "2026-05-07T11:00:00Z"))  # the pending one finished


@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_incremental_sync_picks_up_changes_and_equals_a_full_resync(fake, tmp_path, api):
    engine, _ = run(fake, tmp_path, api=api)
    change_things(fake)
    before = len(fake.log)
    _, result = run(fake, tmp_path, engine=engine, api=api)
    rows = activity(engine)
    assert result.failures == []
    assert rows["pull_requests"][0]["title"] == "Add refunds (v2)"
    assert ("103", "acme/payments#2", "bo") in [(r["review_id"], r["pr_id"], r["reviewer"]) for r in rows["reviews"]]
    assert "issue-comment:302" in [r["comment_id"] for r in rows["review_comments"]]
    deployments = {r["deployment_id"]: (r["status"], r["finished_at"]) for r in rows["deployments"]}
    assert deployments["deployment:14"] == ("success", at("2026-05-07T10:05:00Z"))
    assert deployments["deployment:13"] == ("success", at("2026-05-07T11:00:00Z"))
    if api == "graphql":
        assert len(fake.log) - before == 2  # one page per repo: updated PRs, open PRs and deployments together
    (tmp_path / "fresh").mkdir()
    fresh, _ = run(fake, tmp_path / "fresh", full=True, api=api)
    assert activity(fresh) == rows


def test_incremental_sync_with_nothing_changed_costs_one_request_per_repo(fake, tmp_path):
    engine, _ = run(fake, tmp_path)
    before = len(fake.log)
    _, result = run(fake, tmp_path, engine=engine)
    assert len(fake.log) - before == 2 and result.requests == 2


def test_full_ignores_bookmarks_and_rereads_old_prs(fake, tmp_path):
    one_per_page = replace(FAST, prs=1)  # so paging stops right after the overlap window
    engine, _ = run(fake, tmp_path, tuning=one_per_page)
    fake.repos["acme/payments"].pulls[3].title = "Bump lib (renamed, no update stamp)"
    run(fake, tmp_path, engine=engine, tuning=one_per_page)
    assert activity(engine)["pull_requests"][2]["title"] == "Bump lib"  # older than the overlap window
    run(fake, tmp_path, engine=engine, full=True, tuning=one_per_page)
    assert activity(engine)["pull_requests"][2]["title"] == "Bump lib (renamed, no update stamp)"


def test_overflowing_nested_lists_are_followed_up_only_where_they_overflow(fake, tmp_path):
    big = Pull(9, "asha-k", "Huge", created="2026-05-01T00:00:00Z", updated="2026-05-01T00:00:00Z",
               reviews=[Review(5000 + i, "bo", "COMMENTED", "2026-05-01T01:00:00Z", "") for i in range(250)],
               comments=[Comment(6000 + i, "bo", "2026-05-01T01:00:00Z", "x", f"f{i}.py", thread=i) for i in range(25)]
               + [Comment(7000 + i, "chen", "2026-05-01T02:00:00Z", "y", "f0.py", thread=0) for i in range(14)])
    fake.repos["acme/web"].add(big)
    engine, result = run(fake, tmp_path, repos=("acme/web",))
    rows = activity(engine)
    assert len([r for r in rows["reviews"] if r["pr_id"] == "acme/web#9"]) == 250
    assert len([r for r in rows["review_comments"] if r["pr_id"] == "acme/web#9"]) == 25 + 14
    # 1 page + reviews 40 → +100 +100 +10 (3) + threads 20 → +5 (1) + thread 0's 10 comments → +5 (1)
    assert fake.count("POST /api/graphql") == 1 + 3 + 1 + 1 == result.requests


def test_a_missing_repo_fails_alone_and_the_others_are_synced(fake, tmp_path):
    fake.repo("acme/gone").missing = True
    engine, result = run(fake, tmp_path, repos=("acme/payments", "acme/gone", "acme/web"))
    assert len(result.failures) == 1 and result.failures[0].startswith("acme/gone: ")
    assert "not found" in result.failures[0].lower() or "Could not resolve" in result.failures[0]
    assert {r["repo"] for r in activity(engine)["pull_requests"]} == {"acme/payments", "acme/web"}


def test_github_com_style_base_url_gives_the_same_rows_as_enterprise(fake, tmp_path, monkeypatch):
    ghe, _ = run(fake, tmp_path)
    with FakeGitHub(prefix="") as dotcom:
        populate(dotcom)
        (tmp_path / "dotcom").mkdir()
        engine, result = run(dotcom, tmp_path / "dotcom")
        assert dotcom.log[0] == "POST /graphql" and result.failures == []
    assert fake.log[0] == "POST /api/graphql"
    assert activity(engine) == activity(ghe)


def test_page_sizes_over_the_node_limit_are_refused_before_any_request(fake, tmp_path):
    _, result = run(fake, tmp_path, tuning=Tuning(prs=100, threads=100, thread_comments=100))
    assert "over GitHub's 500,000" in result.failures[0] and fake.log == []


def test_missing_token_is_one_clear_failure(fake, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    _, result = run(fake, tmp_path)
    assert result.failures == ["environment variable GITHUB_TOKEN (github.token_env) is not set"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_per_repo_on_a_terminal(fake, tmp_path):
    cfg = load_config(str(write_config(tmp_path / "teams.yaml", fake.base_url)))
    screen = Terminal()
    sync(open_engine("sqlite://"), cfg, False, screen, FAST)
    assert "\r\x1b[Kacme/payments: 3/3 items, 1 requests [########################]" in screen.getvalue()
    assert screen.getvalue().endswith("acme/web: 1/1 items, 1 requests in 0.0s\n")


@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_open_prs_are_reread_until_they_close(fake, tmp_path, api):
    slow = fake.repos["acme/payments"].add(Pull(4, "chen", "Slow burner", created="2026-04-01T00:00:00Z",
                                                updated="2026-04-02T00:00:00Z"))
    one_per_page = replace(FAST, prs=1)  # so the updated-PR stream stops long before PR 4
    engine, _ = run(fake, tmp_path, api=api, tuning=one_per_page)
    slow.reviews.append(Review(401, "bo", "COMMENTED", "2026-05-08T00:00:00Z", "Any news?"))  # no update stamp
    run(fake, tmp_path, engine=engine, api=api, tuning=one_per_page)
    assert "401" in [r["review_id"] for r in activity(engine)["reviews"]]
    slow.closed = slow.updated = "2026-05-09T00:00:00Z"
    run(fake, tmp_path, engine=engine, api=api, tuning=one_per_page)
    pulls = fake.repos["acme/payments"].pulls  # two newer updates push PR 4 out of the overlap window
    pulls[1].updated, pulls[2].updated = "2026-05-12T00:00:00Z", "2026-05-11T00:00:00Z"
    run(fake, tmp_path, engine=engine, api=api, tuning=one_per_page)
    slow.reviews.append(Review(402, "bo", "COMMENTED", "2026-05-13T00:00:00Z", "Closed anyway"))  # no update stamp
    run(fake, tmp_path, engine=engine, api=api, tuning=one_per_page)
    rows = activity(engine)
    assert [r["closed_at"] for r in rows["pull_requests"] if r["number"] == 4] == [at("2026-05-09T00:00:00Z")]
    assert "402" not in [r["review_id"] for r in rows["reviews"]]  # closed: no longer re-read


@pytest.mark.postgres
@pytest.mark.parametrize("api", ["graphql", "rest"])
def test_full_then_incremental_sync_on_postgresql_equals_sqlite(fake, tmp_path, postgres_url, api):
    pg = open_engine(postgres_url)
    try:
        run(fake, tmp_path, engine=pg, api=api)
        change_things(fake)
        run(fake, tmp_path, engine=pg, api=api)
        (tmp_path / "lite").mkdir()
        lite, _ = run(fake, tmp_path / "lite", full=True, api=api)
        assert activity(pg) == activity(lite)
    finally:
        pg.dispose()
