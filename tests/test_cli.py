"""The collectors command line as a user runs it: exit codes, one-line errors, roster sync, import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import store
from metrics.frames import policy_from_settings
from tests.conftest import FOUNDATION

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    """Run `python -m collectors ARGS` and capture its output."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("LEGIBLE_DATABASE_URL", None)
    full_env.pop("LEGIBLE_CONFIG", None)
    return subprocess.run([sys.executable, "-m", "collectors", *args], cwd=cwd or ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize("command", ["sync", "import", "demo", "check"])
def test_every_command_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage: collectors" in result.stdout


def test_wrong_arguments_exit_2_with_one_line():
    result = run("sync", "--source", "gitlab")
    assert result.returncode == 2
    assert "argument --source: invalid choice: 'gitlab'" in one_line(result.stderr)
    assert run("demo", "--scale", "0").returncode == 2
    assert run("frobnicate").returncode == 2


def test_bad_config_exits_2_and_writes_nothing(tmp_path, sqlite_url):
    doc = yaml.safe_load((FOUNDATION / "teams.yaml").read_text())
    doc["teams"][1]["members"][0]["joined_on"] = "2026-02-30"
    (tmp_path / "teams.yaml").write_text(yaml.safe_dump(doc))
    result = run("sync", "--source", "roster", "--db", sqlite_url, cwd=tmp_path, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "error: teams.yaml: teams[1].members[0].joined_on: not a valid date (YYYY-MM-DD): '2026-02-30'")
    assert not (tmp_path / "legible.db").exists()


def test_roster_sync_writes_and_replaces_the_roster(tmp_path, sqlite_url):
    config = tmp_path / "teams.yaml"
    shutil.copy(FOUNDATION / "teams.yaml", config)
    assert run("sync", "--source", "roster", "--config", str(config), "--db", sqlite_url).returncode == 0
    eng = store.open_engine(sqlite_url)
    f = store.read_frames(eng, {"teams": ["team_id"], "memberships": ["team_id", "person_id"],
                                "identities": None, "team_boards": None, "settings": None})
    assert sorted(f["teams"]["team_id"]) == ["atlas", "core"]
    assert len(f["memberships"]) == 4 and (f["memberships"]["person_id"] == "github:bo").sum() == 2
    ids = f["identities"].set_index(["source", "identity"])["person_id"].to_dict()
    assert ids[("github", "ada-l")] == ids[("jira", "acc-ada")] == "github:ada-l"
    assert ids[("email", "chitra@acme.example")] == "github:chitra"
    settings = dict(zip(f["settings"]["key"], f["settings"]["value"], strict=True))
    assert (settings["rubber_stamp_min_lines"], settings["jira_url"]) == ("50", "null")  # no jira.url yet
    doc = yaml.safe_load(config.read_text())
    doc["teams"][1]["members"].pop()  # Chitra leaves teams.yaml
    doc["jira"]["url"] = "https://acme.atlassian.net/"
    config.write_text(yaml.safe_dump(doc))
    assert run("sync", "--source", "roster", "--config", str(config), "--db", sqlite_url).returncode == 0
    settings = store.read_frames(eng, {"settings": None})["settings"]
    assert policy_from_settings(settings).jira_url == "https://acme.atlassian.net"  # Jira links in bug_facts
    people = store.read_frames(eng, {"people": ["person_id"]})["people"]
    assert "github:chitra" not in set(people["person_id"])
    with eng.connect() as conn:
        assert list(store.last_success(conn)) == ["roster"]


def test_import_reports_rows_and_is_idempotent(sqlite_url):
    first = run("import", str(FOUNDATION / "import"), "--config", str(FOUNDATION / "teams.yaml"), "--db", sqlite_url)
    assert first.returncode == 0, first.stderr
    assert "imported 19 rows" in first.stderr and "rows/s" in first.stderr
    assert run("import", str(FOUNDATION / "import"), "--db", sqlite_url).returncode == 0
    frames = store.read_frames(store.open_engine(sqlite_url), {"pull_requests": ["pr_id"]})
    assert len(frames["pull_requests"]) == 4


def test_import_of_a_bad_row_exits_2_with_file_line_and_column(tmp_path, sqlite_url):
    folder = tmp_path / "in"
    shutil.copytree(FOUNDATION / "import", folder)
    (folder / "reviews.csv").write_text((folder / "reviews.csv").read_text().replace("2026-03-03T09:00:00Z", "3 March"))
    result = run("import", str(folder), "--db", sqlite_url)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "error: reviews.csv: line 3: column submitted_at: not an ISO 8601 timestamp: '3 March'")


def test_explicit_missing_config_is_an_error(sqlite_url):
    result = run("import", str(FOUNDATION / "import"), "--config", "nope.yaml", "--db", sqlite_url)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith("error: nope.yaml: file not found")
