"""A sync killed with SIGKILL at several points, then run again, ends with exactly an uninterrupted run's rows."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from store import open_engine
from tests.fake_github import TOKEN, FakeGitHub
from tests.fake_github_scenario import activity, populate, run, write_config
from tests.test_github_sync import change_things

ROOT = Path(__file__).resolve().parents[1]
# Tiny pages so a repo takes several requests and a kill lands between pages.
TUNING = ("prs=1,deployments=1,reviews=1,comments=1,threads=1,thread_comments=1,"
          "backoff_base=0.001,backoff_cap=0.01,secondary_wait=0.002")


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with FakeGitHub() as server:
        populate(server)
        yield server


def cli_sync(config: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "LEGIBLE_GITHUB_TUNING": TUNING, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "collectors", "sync", "--source", "github", "--config",
                             str(config), "--db", f"sqlite:///{db}"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_at(fake: FakeGitHub, config: Path, db: Path, request: int) -> None:
    """Run the CLI sync and SIGKILL it while the fake holds its REQUEST-th request."""
    fake.reached, fake.release = threading.Event(), threading.Event()
    fake.hold_at = len(fake.log) + request
    proc = cli_sync(config, db)
    assert fake.reached.wait(30), proc.communicate()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    fake.hold_at = None
    fake.release.set()


def rows(tables: dict) -> int:
    return sum(len(v) for v in tables.values())


@pytest.mark.parametrize("api,requests", [("graphql", 2), ("graphql", 6), ("rest", 5), ("rest", 24)])
def test_killed_full_sync_rerun_equals_uninterrupted(fake, tmp_path, api, requests):
    config = write_config(tmp_path / "teams.yaml", fake.base_url, api=api)
    (tmp_path / "ref").mkdir()
    reference = activity(run(fake, tmp_path / "ref", full=True, api=api)[0])
    killed = open_engine(f"sqlite:///{tmp_path / 'killed.db'}")
    kill_at(fake, config, tmp_path / "killed.db", requests)
    assert rows(activity(killed)) < rows(reference)  # killed part-way
    done = cli_sync(config, tmp_path / "killed.db")
    assert done.wait(60) == 0, done.communicate()
    assert activity(killed) == reference


def test_killed_incremental_sync_rerun_equals_uninterrupted(fake, tmp_path):
    config = write_config(tmp_path / "teams.yaml", fake.base_url)
    first = cli_sync(config, tmp_path / "killed.db")
    assert first.wait(60) == 0
    change_things(fake)
    kill_at(fake, config, tmp_path / "killed.db", 3)
    done = cli_sync(config, tmp_path / "killed.db")
    assert done.wait(60) == 0, done.communicate()
    (tmp_path / "ref").mkdir()
    reference, _ = run(fake, tmp_path / "ref", full=True)
    assert activity(open_engine(f"sqlite:///{tmp_path / 'killed.db'}")) == activity(reference)
