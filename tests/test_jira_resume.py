"""Kill `sync --source jira` mid-run (SIGKILL), run it again: the same rows as an uninterrupted run."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.fake_jira import EMAIL, TOKEN, FakeJira, issue
from tests.fake_jira_data import write_config
from tests.test_jira_cli import ROOT


def many_issues(fake: FakeJira, count: int) -> None:
    """COUNT issues in PAY, one a minute, each moved Open → In Progress → Closed."""
    start = dt.datetime(2026, 3, 1, 8, 0)
    for n in range(1, count + 1):
        t = start + dt.timedelta(minutes=n)
        mid, end = t + dt.timedelta(hours=1), t + dt.timedelta(hours=2)
        fake.add(issue(f"PAY-{n}", created=str(t), updated=str(end), status="Closed", points=n % 5,
                       moves=[(str(mid), "Open", "In Progress"), (str(end), "In Progress", "Closed")]))


def sync_process(config: str, db: str) -> subprocess.Popen:
    env = {**os.environ, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "collectors", "sync", "--source", "jira", "--config", config,
                             "--db", f"sqlite:///{db}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def dump(db) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"select * from {t}").fetchall())
                for t in ("issues", "issue_transitions", "sprints")} | {
            "bookmark": conn.execute("select bookmark from sync_state where stream = 'issues'").fetchall()}


def test_killed_sync_resumes_to_the_same_rows(tmp_path):
    with FakeJira() as fake:
        fake.add_project("PAY")
        many_issues(fake, 250)  # three pages of 100
        config = write_config(tmp_path, fake, projects=("PAY",), boards=())
        assert sync_process(config, tmp_path / "whole.db").wait(timeout=120) == 0

        fake.log.clear()
        fake.delay = 0.2
        killed = sync_process(config, tmp_path / "killed.db")
        deadline = time.monotonic() + 60
        while len(fake.paths("/search/jql")) < 2 and time.monotonic() < deadline:  # page 2 asked: page 1 is in
            time.sleep(0.02)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
        with sqlite3.connect(tmp_path / "killed.db") as conn:
            assert conn.execute("select count(*) from issues").fetchone()[0] == 100

        fake.delay = 0
        fake.log.clear()
        resumed = sync_process(config, tmp_path / "killed.db")
        assert resumed.wait(timeout=120) == 0, resumed.stderr.read()
        jqls = [q["jql"] for _, p, q in fake.log if p.endswith("/search/jql")]
    # The pass resumes from the created time of the last committed issue (PAY-100, 09:40 UTC = 04:40 in New York).
    assert jqls[0] == 'project = "PAY" AND created >= "2026/03/01 04:40" ORDER BY created ASC'
    assert dump(tmp_path / "killed.db") == dump(tmp_path / "whole.db")
