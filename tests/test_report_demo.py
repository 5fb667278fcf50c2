"""`python -m metrics report` on the demo organisation: every key for every team, the planted month-three
team flagged and the healthy ones not."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from metrics.registry import KEYS

pytest.importorskip("collectors.demo")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{out / 'legible.db'}"
    done = subprocess.run([sys.executable, "-m", "collectors", "demo", "--out", str(out), "--db", url],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return url, str(out / "teams.yaml")


def report(demo, start: str, end: str) -> dict:
    url, config = demo
    done = subprocess.run([sys.executable, "-m", "metrics", "report", "--from", start, "--to", end, "--db", url,
                           "--config", config, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {t["id"]: t for t in json.loads(done.stdout)["teams"]}


def test_month_three_flag_only_for_the_planted_team_in_the_week_of_its_day_89(demo):
    teams = report(demo, "2026-08-24", "2026-08-30")  # nimbus's day 89 is 2026-08-29
    for team in teams.values():
        assert list(team["metrics"]) == list(KEYS)
    flagged = {tid for tid, t in teams.items() if any(f["kind"] == "month_three_slippage" for f in t["flags"])}
    assert flagged == {"nimbus"}
    flag = next(f for f in teams["nimbus"]["flags"] if f["kind"] == "month_three_slippage")
    assert {"review_depth", "unreviewed_merge_rate"} <= set(flag["metrics"])
    assert flag["detail"]["review_depth"]["baseline"] > flag["detail"]["review_depth"]["month3"]


def test_last_four_weeks_flag_the_swapped_senior_team_and_show_the_platform_as_elite(demo):
    teams = report(demo, "2026-10-26", "2026-11-22")
    assert [f["kind"] for f in teams["harbor"]["flags"]] == ["slippage"]
    assert teams["harbor"]["metrics"]["senior_leavers"]["value"] == 0  # the senior left on 2026-10-12
    assert teams["platform"]["metrics"]["deploy_frequency_band"]["value"] == "elite"
    assert teams["meridian"]["metrics"]["quiet_members"]["value"] == 1
