"""Faults from the fake GitHub: every kind is retried as GitHub asks, and a repo that keeps failing fails alone."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.fake_github import TOKEN, FakeGitHub
from tests.fake_github_scenario import FAST, activity, populate, run

SECONDARY = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again"}
PRIMARY = {"message": "API rate limit exceeded for user ID 1.", "documentation_url": "https://docs.github.com/rest"}
RATE_LIMITED = {"data": None, "errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}]}


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with FakeGitHub() as server:
        populate(server)
        yield server


class Sleeps(list):
    """Records the waits the collector asks for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def reset_in(seconds: int) -> dict:
    return {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + seconds)}


# (fault, check on the recorded waits); FAST: backoff 0.001 s capped at 0.01 s, secondary_wait 0.002 s;
# rate-limit headers are made when the test runs
FAULTS = {
    "5xx twice": ({"times": 2, "status": 502}, lambda w: len(w) == 2 and max(w) <= 0.01),
    "dropped connection": ({"kind": "drop"}, lambda w: len(w) == 1 and w[0] <= 0.01),
    "429 with Retry-After": ({"status": 429, "headers": {"Retry-After": "7"}, "body": SECONDARY}, lambda w: w == [7.0]),
    "429 without Retry-After": ({"status": 429, "body": {"message": "Too Many Requests"}},
                                lambda w: len(w) == 1 and 0.001 <= w[0] <= 0.002),  # secondary_wait 0.002 s
    "403 secondary limit": ({"status": 403, "body": SECONDARY}, lambda w: len(w) == 1 and 0.001 <= w[0] <= 0.002),
    "403 primary limit until reset": ({"status": 403, "headers": lambda: reset_in(30), "body": PRIMARY},
                                      lambda w: len(w) == 1 and 29 <= w[0] <= 31),
    "GraphQL RATE_LIMITED": ({"kind": "graphql", "headers": lambda: reset_in(20), "body": RATE_LIMITED},
                             lambda w: len(w) == 1 and 19 <= w[0] <= 21),
}


@pytest.mark.parametrize("name,api", [(n, api) for n in FAULTS for api in ("graphql", "rest")
                                      if not (n.startswith("GraphQL") and api == "rest")])
def test_each_fault_is_retried_and_the_sync_ends_as_if_nothing_happened(fake, tmp_path, name, api):
    fault, waits_ok = FAULTS[name]
    fault = {**fault, "headers": fault["headers"]()} if callable(fault.get("headers")) else fault
    fake.fail("POST /api/graphql" if api == "graphql" else r"GET .*/pulls\?", **fault)
    waits = Sleeps()
    engine, result = run(fake, tmp_path, api=api, repos=("acme/web",), sleep=waits)
    assert result.failures == []
    assert [r["pr_id"] for r in activity(engine)["pull_requests"]] == ["acme/web#7"]
    assert waits_ok(waits), waits


def test_a_timeout_is_retried(fake, tmp_path):
    fake.fail("POST /api/graphql", kind="slow", delay=1.6)
    engine, result = run(fake, tmp_path, repos=("acme/web",), tuning=replace(FAST, timeout=1))
    assert result.failures == [] and len(activity(engine)["pull_requests"]) == 1
    assert fake.count("POST") == 2


def test_slows_down_before_the_limit_by_spreading_what_is_left_until_the_reset(fake, tmp_path):
    fake.rate["graphql"] = [50, 5000]
    fake.reset = int(time.time()) + 3000
    waits = Sleeps()
    run(fake, tmp_path, repos=("acme/web",), sleep=waits)
    left = fake.rate["graphql"][0]  # 50 minus the page query's cost
    assert len(waits) == 1 and abs(waits[0] - 3000 / left) < 2, (waits, left)


def test_a_repo_that_keeps_failing_fails_alone_and_keeps_what_was_written(fake, tmp_path):
    fake.fail(r"GET /api/v3/repos/acme/web/pulls/comments", times=100, status=503)
    engine, result = run(fake, tmp_path, api="rest", repos=("acme/web", "acme/payments"))
    assert result.failures == ["acme/web: gave up after 6 attempts; last: HTTP 503: Server Error (rows written "
                               "before the failure are kept; the next run resumes)"]
    prs = [r["pr_id"] for r in activity(engine)["pull_requests"]]
    assert "acme/web#7" in prs and "acme/payments#1" in prs  # web's PRs kept, payments synced
    assert result.rows["pull_requests"] == 1 + 3  # the summary counts what the failed repo wrote too
    assert fake.count("comments") == 6 + 2  # six attempts on web; payments' two comment lists


def test_a_wait_longer_than_max_wait_fails_the_repo_instead_of_hanging(fake, tmp_path):
    fake.fail("POST", status=403, headers=reset_in(7200), body=PRIMARY)
    _, result = run(fake, tmp_path, repos=("acme/web",), sleep=Sleeps())
    assert result.failures[0].startswith("acme/web: would have to wait 72")
    assert "more than max_wait 3600s" in result.failures[0]


def test_bad_credentials_are_not_retried_and_say_so(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrongWRONGwrong0000000000000000000")
    _, result = run(fake, tmp_path, repos=("acme/web",))
    assert result.failures == ["acme/web: HTTP 401: Bad credentials (rows written before the failure are kept; "
                               "the next run resumes)"]
    assert fake.count("POST") == 1


def test_backoff_is_exponential_capped_and_jittered(fake, tmp_path):
    from collectors.config import parse_config
    from collectors.github.client import Client, Tuning

    client = Client(parse_config({}), Tuning(backoff_base=1, backoff_cap=8, secondary_wait=60))
    for attempt, ceiling in enumerate([1, 2, 4, 8, 8, 8], start=1):
        waits = {client._backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits) and len(waits) > 1  # jittered
    assert 30 <= client._backoff(1, 60) <= 60 and 30 <= client._backoff(4, 60) <= 60  # secondary limits: ~1 min


def test_tuning_comes_from_the_environment_variable_and_refuses_typos():
    from collectors.github.client import GitHubError, Tuning

    assert Tuning.from_env("prs=10, backoff_base=0.5") == replace(Tuning(), prs=10, backoff_base=0.5)
    with pytest.raises(GitHubError, match="unknown name 'pr'"):
        Tuning.from_env("pr=10")
    with pytest.raises(GitHubError, match="prs must be a number, got 'ten'"):
        Tuning.from_env("prs=ten")
