"""`python -m collectors sync --source github` and `check` end to end, and the token never leaking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_github import TOKEN, FakeGitHub
from tests.fake_github_scenario import populate, write_config

ROOT = Path(__file__).resolve().parents[1]
# The CLI in a child process; LOG set: with DEBUG logging (PyGithub and urllib3 log every request) to that file.
CHILD = ("import logging, os, sys; log = os.environ.get('LOG'); "
         "log and logging.basicConfig(filename=log, level=logging.DEBUG); "
         "from collectors.cli import main; sys.exit(main(sys.argv[1:]))")


@pytest.fixture
def fake():
    with FakeGitHub() as server:
        populate(server)
        server.repo("acme/gone").missing = True
        yield server


def cli(*args: str, log: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN,
           "LEGIBLE_GITHUB_TUNING": "backoff_base=0.001,backoff_cap=0.01,secondary_wait=0.002",
           "PYTHONPATH": str(ROOT), "LOG": str(log or "")}
    return subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def test_sync_exits_1_naming_the_failed_repo_and_keeps_the_others(fake, tmp_path):
    config = write_config(tmp_path / "teams.yaml", fake.base_url, repos=("acme/payments", "acme/gone", "acme/web"))
    done = cli("sync", "--source", "github", "--config", str(config), "--db", f"sqlite:///{tmp_path / 'l.db'}")
    assert done.returncode == 1
    assert "github: partial: deployments 3, pull_requests 4, review_comments 3, reviews 4; 3 requests;" in done.stderr
    assert ("github: FAILED acme/gone: GraphQL: Could not resolve to a Repository with the name 'acme/gone'. "
            "(rows written before the failure are kept; the next run resumes)") in done.stderr
    assert "acme/web: 1/1 items, 1 requests in" in done.stderr  # pull requests read of the total


def test_check_reports_graphql_and_each_repo(fake, tmp_path):
    config = write_config(tmp_path / "teams.yaml", fake.base_url, repos=("acme/payments", "acme/gone"))
    done = cli("check", "--config", str(config))
    assert done.returncode == 1
    assert done.stdout.splitlines()[1:4] == [
        "github: GraphQL ok as fake-user; 4999/5000 points left", "github: acme/payments: ok",
        "github: acme/gone: not found, or not visible to the token"]


def test_the_token_is_nowhere_in_output_logs_or_database(fake, tmp_path):
    # a server that echoes the Authorization header back in its error messages
    fake.fail("POST", times=10, status=400, body={"message": f"Bad header 'token {TOKEN}'"})
    fake.fail(r"/pulls\?", times=1, status=502)
    outputs = []
    for api in ("graphql", "rest"):
        config = write_config(tmp_path / "teams.yaml", fake.base_url, api=api,
                              repos=("acme/payments", "acme/gone", "acme/web"))
        outputs.append(cli("sync", "--source", "github", "--config", str(config), "--db",
                           f"sqlite:///{tmp_path / 'l.db'}", log=tmp_path / "debug.log"))
        outputs.append(cli("check", "--config", str(config), log=tmp_path / "debug.log"))
    assert "Bad header 'token ***'" in outputs[0].stderr  # the failure was reported, redacted
    assert outputs[2].returncode == 1 and "pull_requests 4" in outputs[2].stderr  # REST synced the rest
    assert (tmp_path / "debug.log").stat().st_size > 5000  # requests were logged
    texts = [o.stdout + o.stderr for o in outputs] + [(tmp_path / "debug.log").read_text()]
    texts += [p.read_bytes().decode("latin-1") for p in tmp_path.glob("l.db*")]
    assert [t for t in texts if TOKEN in t] == []
