"""End to end: a hand-made import directory → import + roster sync → `python -m metrics report` → expected numbers."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "metrics_e2e"
WINDOW = ["--from", "2026-03-02", "--to", "2026-03-29"]


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=120)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """The scenario imported into a fresh SQLite database, roster included."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'legible.db'}"
    config = str(DATA / "teams.yaml")
    assert run("collectors", "sync", "--source", "roster", "--config", config, "--db", url).returncode == 0
    done = run("collectors", "import", str(DATA), "--config", config, "--db", url)
    assert done.returncode == 0, done.stderr
    return url


def report(db: str, *extra: str, fmt: str = "json") -> subprocess.CompletedProcess:
    return run("metrics", "report", *WINDOW, "--config", str(DATA / "teams.yaml"), "--db", db, "--format", fmt, *extra)


@pytest.fixture(scope="module")
def teams(db) -> dict:
    done = report(db)
    assert done.returncode == 0, done.stderr
    return {t["id"]: t for t in json.loads(done.stdout)["teams"]}


def value(teams, team, key):
    return teams[team]["metrics"][key]["value"]


def test_every_key_for_every_team_and_unassigned_present(teams):
    from metrics.registry import KEYS

    assert list(teams) == ["atlas", "hq", "unassigned"]
    for team in teams.values():
        assert list(team["metrics"]) == list(KEYS)
    assert teams["atlas"]["name"] == "Atlas" and teams["atlas"]["vendor"] == "Acme Dev"
    assert teams["atlas"]["flags"] == []


def test_delivery_numbers(teams):
    # Deploys d1-d4 finish on Kolkata days 03-03, 03-05, 03-06, 03-19; d7 (03-29 20:00Z) is 03-30 there.
    assert value(teams, "atlas", "deployments") == 4
    assert value(teams, "atlas", "deploy_days_per_week") == 0.5  # weeks [3, 0, 1, 0]
    assert teams["atlas"]["metrics"]["deploy_days_per_week"]["n"] == 4
    assert value(teams, "atlas", "deploy_frequency_band") == "medium"
    # w1 at 03-29 20:00Z is still 03-29 in UTC: inside hq's window.
    assert value(teams, "hq", "deployments") == 1
    assert value(teams, "atlas", "merged_prs") == 5  # pr5 is a bot's: unassigned
    assert value(teams, "atlas", "merge_time_hours") == 24.0  # [1, 6, 24, 24, 36]
    assert value(teams, "atlas", "pickup_time_hours") == 4.0  # pr1 5h, pr2 4h, pr4 2h
    assert value(teams, "atlas", "lead_time_hours") == 28.0  # [3, 26, 28, 50, 50]
    assert value(teams, "unassigned", "lead_time_hours") == 246.0  # pr5: created 03-09 00:00, d4 03-19 06:00
    assert value(teams, "atlas", "change_failure_rate") == 0.5  # d2 (revert pr6), d4 (incident PAY-9) of 4
    assert value(teams, "atlas", "time_to_restore_hours") == 2.0
    assert [value(teams, "atlas", k) for k in ("lead_time_band", "change_failure_band", "time_to_restore_band")] \
        == ["high", "low", "high"]


def test_review_numbers(teams):
    assert value(teams, "atlas", "review_depth") == 0.6  # pr1: r1 + c1, pr4: r4 → 3 / 5
    assert value(teams, "atlas", "reviewers_per_pr") == 0.8  # 1 + 1 + 0 + 2 + 0
    assert value(teams, "atlas", "unreviewed_merge_rate") == 0.4  # pr3 (bot review only), pr6
    assert value(teams, "atlas", "rubber_stamp_rate") == pytest.approx(1 / 3)  # pr2 of pr1, pr2, pr4
    assert value(teams, "atlas", "cross_team_review_rate") == 0.4  # carol (hq) on pr1 and pr4
    assert value(teams, "atlas", "review_topic_coverage") == pytest.approx(2 / 3)
    assert value(teams, "atlas", "review_topics.rollback") == pytest.approx(1 / 3)
    assert value(teams, "atlas", "review_topics.security") == 0.0
    assert value(teams, "atlas", "pr_size_lines") == 60.0  # [10, 10, 60, 100, 200]
    assert value(teams, "hq", "review_depth") is None and teams["hq"]["metrics"]["review_depth"]["n"] == 0


def test_quality_and_flow_numbers(teams):
    assert value(teams, "atlas", "bugs_opened") == 3  # PAY-5 is created on 03-30 in Kolkata
    assert value(teams, "atlas", "bugs_resolved") == 2
    assert value(teams, "atlas", "bug_resolution_hours") == 36.0  # PAY-1 24h (first done), PAY-2 48h
    assert value(teams, "atlas", "bug_resolution_hours_p85") == pytest.approx(44.4)
    assert value(teams, "atlas", "open_bugs") == 1
    assert value(teams, "atlas", "bug_reopen_rate") == 0.5
    assert value(teams, "atlas", "escaped_defect_rate") == pytest.approx(1 / 3)
    assert value(teams, "atlas", "bugs_per_100_prs") == 60.0
    assert value(teams, "hq", "bugs_opened") == 1  # OPS-1: unowned project, assignee carol
    assert value(teams, "unassigned", "open_bugs") == 1  # OPS-2: nobody's
    assert value(teams, "atlas", "sprint_velocity_points") == 17.5
    assert value(teams, "atlas", "sprint_commitment_ratio") == 0.875
    assert value(teams, "atlas", "issues_resolved") == 3


def test_people_numbers(teams):
    atlas = {k: value(teams, "atlas", k) for k in ("headcount", "joiners", "leavers", "retention_rate",
                                                    "senior_leavers", "active_contributors", "quiet_members")}
    assert atlas == {"headcount": 2, "joiners": 1, "leavers": 1, "retention_rate": 0.5, "senior_leavers": 0,
                     "active_contributors": 3, "quiet_members": 0}
    assert value(teams, "atlas", "median_tenure_months") == pytest.approx((87 + 13) / 2 / 30.4375)
    assert value(teams, "hq", "quiet_members") == 1  # erin
    assert value(teams, "hq", "median_tenure_months") == pytest.approx(452 / 30.4375)


def test_csv_markdown_and_table_formats(db):
    rows = list(csv.DictReader(io.StringIO(report(db, fmt="csv").stdout)))
    assert {"team": "atlas", "key": "merged_prs", "value": "5", "n": "5"} in rows
    markdown = report(db, fmt="markdown").stdout
    assert "| Merged PRs | 5 | 0 | 1 |" in markdown
    assert "Merged PRs" in report(db, fmt="table").stdout


def test_team_filter_is_repeatable(db):
    done = report(db, "--team", "hq", "--team", "atlas")
    assert [t["id"] for t in json.loads(done.stdout)["teams"]] == ["atlas", "hq"]


@pytest.mark.parametrize(("args", "message"), [
    (["--from", "2026-03-29", "--to", "2026-03-02"], "after"),
    (["--from", "2026-03-02", "--to", "29/03/2026"], "not a date"),
    ([*WINDOW, "--team", "nope"], "unknown team 'nope'"),
    ([*WINDOW, "--format", "xml"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_one_line(db, args, message):
    done = run("metrics", "report", *args, "--config", str(DATA / "teams.yaml"), "--db", db)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_config_is_optional_when_the_default_is_absent(db, tmp_path):
    done = run("metrics", "report", *WINDOW, "--db", db, "--format", "json", cwd=tmp_path,
               env={"PATH": "/usr/bin", "PYTHONPATH": str(Path(__file__).parents[1])})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["teams"][0]["id"] == "atlas"


def test_missing_sqlite_database_is_one_line(tmp_path):
    done = run("metrics", "report", *WINDOW, "--db", f"sqlite:///{tmp_path / 'none.db'}")
    assert done.returncode == 2 and "no database" in done.stderr
    assert not (tmp_path / "none.db").exists()
