"""`python -m collectors sync --source jira` and `check` end to end, and no token anywhere."""

from __future__ import annotations

import base64
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from collectors.cli import main
from tests.fake_jira import EMAIL, TOKEN, FakeJira
from tests.fake_jira_data import standard_site, write_config

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, token: str = TOKEN) -> subprocess.CompletedProcess:
    """`python -m collectors ARGS` in a child process (its stderr is the real one)."""
    env = {**os.environ, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": token, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "collectors", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


SECRETS = (TOKEN, base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode(), f"Bearer {TOKEN}")


@pytest.fixture(params=["Cloud", "DataCenter"])
def fake(request, monkeypatch):
    monkeypatch.setenv("JIRA_EMAIL", EMAIL)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    with FakeJira(deployment=request.param) as site:
        yield standard_site(site)


def test_check_prints_a_line_per_project_and_board_and_counts_problems(tmp_path, fake, capsys):
    config = write_config(tmp_path, fake, projects=("PAY", "OPS", "NOPE"), boards=("12", "13", "99"))
    assert main(["check", "--config", config]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if line.startswith("jira")]
    kind = "e-mail + API token" if fake.cloud else "personal access token"
    assert f"jira {fake.url}: ok: {fake.deployment} " in out[0] and kind in out[0]
    assert out[1:] == [
        "jira project PAY: ok: Project PAY, 4 issue types",
        "jira project OPS: ok: Project OPS, 2 issue types; not an issue type here: Incident (incident_types)",
        "jira project NOPE: FAILED: HTTP 404: No project could be found with key 'NOPE'.",
        "jira board 12: ok: story points customfield_10016 (board estimation field)",
        "jira board 13: ok: story points unknown (neither estimation field nor sprint report)",
        "jira board 99: FAILED: HTTP 404: The requested board cannot be viewed because it either does not exist "
        "or you do not have permission to view it.",
        "jira story points: customfield_10016 (estimation field of board 12)"]


def test_sync_command_exits_1_naming_the_failed_project_and_keeps_the_rest(tmp_path, fake):
    config = write_config(tmp_path, fake, projects=("PAY", "NOPE", "OPS"))
    done = cli("sync", "--source", "jira", "--config", config, "--db", f"sqlite:///{tmp_path / 'legible.db'}")
    assert done.returncode == 1
    err = done.stderr
    assert "jira: partial: issue_transitions 6, issues 7, sprints 4;" in err
    assert "jira: story points: customfield_10016 (estimation field of board 12)" in err
    assert "jira: FAILED project NOPE: search: HTTP 400: The value 'NOPE' does not exist" in err


def _database_text(path) -> str:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return "\n".join(str(row) for t in tables for row in conn.execute(f"select * from {t}"))


def test_tokens_never_reach_output_logs_or_database(tmp_path, fake, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    config = write_config(tmp_path, fake, projects=("PAY", "NOPE"), boards=("12", "99"))
    db = f"sqlite:///{tmp_path / 'legible.db'}"
    runs = [cli("sync", "--source", "jira", "--config", config, "--db", db),
            cli("sync", "--source", "jira", "--config", config, "--db", db, token=TOKEN + "-wrong")]
    assert "HTTP 401" in runs[1].stderr  # refused: the error path must not leak either
    main(["check", "--config", config])  # in-process, so the library's logs reach caplog
    seen = "".join(r.stdout + r.stderr for r in runs) + capsys.readouterr().out + caplog.text
    seen += _database_text(tmp_path / "legible.db")
    for secret in SECRETS:
        assert secret not in seen
