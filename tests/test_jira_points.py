"""Story-point field discovery (14 real sites' field lists) and sprint points rebuilt from changelogs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from collectors.config import load_config
from collectors.jira import points
from collectors.jira.check import check
from collectors.jira.sync import sync
from store import open_engine
from tests.fake_jira import EMAIL, TOKEN, FakeJira
from tests.fake_jira_data import standard_site, write_config
from tests.test_jira_sync import options

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realdata" / "jira"
SITES = REAL / "public_jira_dataset_field_information.json"
needs_real = pytest.mark.skipif(not SITES.exists(), reason=f"real Jira payloads not found at {REAL} (../shared absent)")

# Hand-read from each site's /field list: "Story Points" first, then "Story point estimate".
EXPECTED = {
    "Apache": "customfield_12310293", "Hyperledger": "customfield_10002", "IntelDAOS": "customfield_10026",
    "JFrog": "customfield_14600", "Jira": "customfield_10571", "JiraEcosystem": "customfield_10133",
    "Mojang": None, "MongoDB": "customfield_10555", "Qt": "customfield_10183", "RedHat": "customfield_12310243",
    "Sakai": "customfield_10026", "SecondLife": "customfield_10163", "Sonatype": "customfield_10132",
    "Spring": "customfield_10142",
}


@pytest.fixture(autouse=True)
def credentials(monkeypatch):
    monkeypatch.setenv("JIRA_EMAIL", EMAIL)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)


@needs_real
@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_field_found_by_name_on_each_real_site(site):
    fields = json.loads(SITES.read_text())[site]
    assert points.by_name(fields).field_id == EXPECTED[site]


@needs_real
def test_three_story_points_fields_on_one_site_pick_the_oldest_and_name_the_others():
    chosen = points.by_name(json.loads(SITES.read_text())["Jira"])
    assert (chosen.field_id, chosen.rivals) == ("customfield_10571", ("customfield_10623", "customfield_10653"))
    assert "other fields with that name: customfield_10623, customfield_10653" in chosen.describe()


def test_jira_softwares_own_field_wins_over_a_same_named_plain_one():
    fields = [{"id": "customfield_10002", "name": "Story Points", "schema": {"custom": "float"}},
              {"id": "customfield_10500", "name": "Story Points", "schema": {"custom": points.JSW_POINTS}}]
    assert points.by_name(fields).field_id == "customfield_10500"


def test_order_config_then_board_then_report_then_name():
    fields = [{"id": "customfield_1", "name": "Story Points"}]
    assert points.choose("customfield_9", {"12": "customfield_2"}, {}, fields).how == \
        "config jira.story_points_field, NOT in the site's field list"
    assert points.choose("auto", {"12": "customfield_2", "13": None}, {"12": "customfield_3"}, fields).field_id \
        == "customfield_2"
    assert points.choose("auto", {"12": None}, {"12": "customfield_3"}, fields).how \
        == "sprint report statFieldId of board 12"
    assert points.choose("auto", {"12": None}, {"12": None}, fields).field_id == "customfield_1"
    assert points.estimation_field({"estimation": {"field": {"fieldId": "timeoriginalestimate"}}}) is None


@needs_real
def test_sync_on_a_site_with_two_story_points_fields_and_no_board_hint(tmp_path):
    with FakeJira() as fake:
        standard_site(fake)
        fake.fields = json.loads(SITES.read_text())["Jira"]
        fake.boards["12"]["configuration"] = None
        fake.boards["12"]["reports"] = {}
        engine = open_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
        config = load_config(write_config(tmp_path, fake))
        result = sync(engine, config, False, io.StringIO(), options())
        out = io.StringIO()
        problems = check(config, out)
    assert "story points: customfield_10571 (field list: 'Story Points'); other fields with that name: " \
           "customfield_10623, customfield_10653" in result.notes
    assert "jira story points: customfield_10571 (field list: 'Story Points')" in out.getvalue()
    assert problems == 0


def _at(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
