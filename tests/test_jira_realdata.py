"""The normaliser on real Jira Cloud payloads recorded by Apache DevLake (skipped without ../shared)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from collectors.config import Config
from collectors.jira import normalise

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "jira"
pytestmark = pytest.mark.skipif(not (REAL / "devlake_raw").exists(),
                                reason=f"real Jira payloads not found at {REAL} (../shared absent)")


def raw_rows(name: str) -> list[dict]:
    csv.field_size_limit(10**8)
    with (REAL / "devlake_raw" / name).open(encoding="utf-8") as handle:
        return [json.loads(row["data"]) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def statuses():
    return normalise.status_categories(raw_rows("_raw_jira_api_status.csv"))


@pytest.fixture(scope="module")
def board8():
    return json.loads((REAL / "devlake_board8_issues_expand_changelog.json").read_text())["issues"]


def test_real_issues_become_rows(board8, statuses):
    config = Config(path="teams.yaml")
    rows = {r["issue_key"]: r for r in (normalise.issue_row(i, config, statuses, "customfield_10024",
                                                             "customfield_10020") for i in board8)}
    assert len(rows) == 30
    ee1, ee2 = rows["EE-1"], rows["EE-2"]
    # EE-1's payload still carries an old inline category ("new") for "已完成"; the site's status list says done.
    assert (ee1["status"], ee1["status_category"], ee1["project"]) == ("已完成", "done", "EE")
    assert ee1["story_points"] is None  # the site stores "-1"
    assert ee2["story_points"] == 2.0
    assert ee1["sprint_id"] == "7"  # closed sprint 7 from the Sprint field
    assert ee1["labels"] == "frontEnd;Saas"
    assert ee1["created_at"].isoformat() == "2020-06-12T00:13:13.360000+00:00"  # +0800 read as such
    assert all(r["status_category"] in ("todo", "in_progress", "done") for r in rows.values())


def test_real_changelogs_become_transitions(board8, statuses):
    histories = [h for i in board8 for h in i["changelog"]["histories"]]
    expected = sum(1 for h in histories for item in h["items"] if item["field"] == "status")
    rows = [t for i in board8 for t in normalise.transition_rows(i["key"], i["changelog"]["histories"], statuses)]
    assert len(rows) == expected == 165
    # "Resolved" and "Ready for Dev" are no longer in the site's status list: their category is unknown.
    unknown = {r["to_status"] for r in rows if r["to_category"] is None}
    assert unknown == {"Resolved", "Ready for Dev"}


def test_a_paged_changelog_of_100_histories_has_its_6_status_changes():
    values = json.loads((REAL / "devlake_issue13954_changelog_values.json").read_text())["values"]
    statuses = normalise.status_categories(raw_rows("_raw_jira_api_status.csv"))
    rows = normalise.transition_rows("EE-13954", values, statuses)
    assert len(rows) == 6
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)


def test_real_sprints_become_rows():
    values = json.loads((REAL / "devlake_board8_sprints.json").read_text())["values"]
    rows = [normalise.sprint_row(s, "8", (None, None, None)) for s in values]
    assert len(rows) == 30
    first = rows[0]
    assert (first["sprint_id"], first["state"], first["start_at"].isoformat(), first["completed_at"].isoformat()) \
        == ("7", "closed", "2020-06-12T00:38:51.882000+00:00", "2020-06-22T05:59:58.980000+00:00")
