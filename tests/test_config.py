"""teams.yaml validation: every mistake of data.md gives one line naming file, path and problem."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from collectors.config import ConfigError, load_config, parse_config
from tests.conftest import FOUNDATION

BASE = yaml.safe_load((FOUNDATION / "teams.yaml").read_text())


def mistake(edit) -> str:
    """The error message for the foundation config after EDIT(doc)."""
    doc = copy.deepcopy(BASE)
    edit(doc)
    with pytest.raises(ConfigError) as err:
        parse_config(doc, "teams.yaml")
    message = str(err.value)
    assert "\n" not in message and message.startswith("teams.yaml: ")
    return message


def test_the_example_and_the_foundation_configs_are_valid():
    config = load_config(str(FOUNDATION / "teams.yaml"))
    assert [t.id for t in config.teams] == ["core", "atlas"]
    assert config.teams[1].members[0].joined_on == dt.date(2026, 3, 1)
    assert config.teams[0].jira_boards == ("1",)
    assert config.policy.bots == ("ci-robot",) and config.is_bot("ci-robot") and config.is_bot("x[bot]")
    assert not config.is_bot("ada")
    assert load_config("teams.example.yaml").teams[0].timezone == "Asia/Kolkata"


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["teams"][0].update(membrs=[]), "teams.yaml: teams[0].membrs: unknown key (did you mean 'members'?)"),
    (lambda d: d.update(polcy={}), "teams.yaml: polcy: unknown key (did you mean 'policy'?)"),
    (lambda d: d["github"].update(deploy={}), "teams.yaml: github.deploy: unknown key (did you mean 'deployments'?)"),
    (lambda d: d["teams"][1]["members"][0].update(joined_on="2026-13-01"),
     "teams.yaml: teams[1].members[0].joined_on: not a valid date (YYYY-MM-DD): '2026-13-01'"),
    (lambda d: d["teams"][0].update(started_on="soon"),
     "teams.yaml: teams[0].started_on: not a valid date (YYYY-MM-DD): 'soon'"),
    (lambda d: d["teams"][1].update(id="core"), "teams.yaml: teams[1].id: duplicate team id 'core' (also teams[0])"),
    (lambda d: d["teams"][1].update(id="Atlas Team"), "teams.yaml: teams[1].id: must match [a-z0-9_-]+, got 'Atlas Team'"),
    (lambda d: d["teams"][0]["members"][1].update(left_on="2025-01-06"),
     "teams.yaml: teams[0].members[1].left_on: must be after joined_on (2025-01-06), got 2025-01-06"),
    (lambda d: d["teams"][0]["members"][1].update(left_on="2026-03-02"),
     "teams.yaml: teams[1].members[0]: bo would be on two teams on 2026-03-01: already on 'core' "
     "(teams[0].members[1]) from 2025-01-06"),
    (lambda d: d["teams"][1]["repos"].append("acme/core"),
     "teams.yaml: teams[1].repos[1]: repo 'acme/core' is already owned by team 'core'"),
    (lambda d: d["teams"][1]["jira_projects"].append("CORE"),
     "teams.yaml: teams[1].jira_projects[1]: Jira project 'CORE' is already owned by team 'core'"),
    (lambda d: d["teams"][1]["jira_boards"].append(1),
     "teams.yaml: teams[1].jira_boards[1]: board '1' is already owned by team 'core'"),
    (lambda d: d["teams"][0].update(sourcing_model="offshore"),
     "teams.yaml: teams[0].sourcing_model: must be one of in_house, outsourcing, offshoring, nearshoring, "
     "staff_augmentation, got 'offshore'"),
    (lambda d: d["teams"][0].update(timezone="Mars/Olympus"),
     "teams.yaml: teams[0].timezone: unknown IANA time zone 'Mars/Olympus'"),
    (lambda d: d["teams"][0]["members"][0].update(seniority="guru"),
     "teams.yaml: teams[0].members[0].seniority: must be one of junior, mid, senior, staff, principal, lead, got 'guru'"),
    (lambda d: d["teams"][0]["members"][0].pop("joined_on"), "teams.yaml: teams[0].members[0].joined_on: is required"),
    (lambda d: d["teams"][0]["members"].append({"name": "Nobody", "joined_on": "2025-02-01"}),
     "teams.yaml: teams[0].members[2]: needs at least one of github, jira or email to identify the person"),
    (lambda d: d["policy"].update(rubber_stamp_min_lines="fifty"),
     "teams.yaml: policy.rubber_stamp_min_lines: must be a whole number, got text"),
    (lambda d: d["github"]["deployments"].update(workflow="deploy(["),
     "teams.yaml: github.deployments.workflow: not a valid regular expression"),
    (lambda d: d.update(teams={"id": "x"}), "teams.yaml: teams: must be a list, got a mapping"),
])
def test_each_mistake_is_one_clear_line(edit, expected):
    assert mistake(edit).startswith(expected)


def test_a_move_on_one_day_is_valid():
    doc = copy.deepcopy(BASE)  # bo leaves core on 2026-03-01 and joins atlas the same day
    config = parse_config(doc)
    bo_core, bo_atlas = config.teams[0].members[1], config.teams[1].members[0]
    assert bo_core.person_id == bo_atlas.person_id == "github:bo"
    assert not bo_core.covers(dt.date(2026, 3, 1)) and bo_atlas.covers(dt.date(2026, 3, 1))
    assert bo_core.covers(dt.date(2026, 2, 28))


def test_yaml_problems_name_the_line(tmp_path):
    bad = tmp_path / "teams.yaml"
    bad.write_text("teams:\n  - id: a\n    id: b\n")
    with pytest.raises(ConfigError, match=r"teams.yaml: line 3, column 5: invalid YAML: duplicate key 'id'"):
        load_config(str(bad))
    bad.write_text("teams: [\n")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(str(bad))


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml: file not found"):
        load_config(str(tmp_path / "nope.yaml"))


def test_review_topics_override_is_validated():
    config = parse_config({"policy": {"review_topics": {"security": ["vault"]}}})
    assert dict(config.policy.review_topics) == {"security": ("vault",)}
    with pytest.raises(ConfigError, match=r"policy.review_topics.securty: unknown key \(did you mean 'security'\?\)"):
        parse_config({"policy": {"review_topics": {"securty": ["vault"]}}})


def test_access_rules_are_validated_and_normalised():
    doc = copy.deepcopy(BASE)
    doc["access"] = {"leadership": ["CTO@Acme.example", "@acme.example"], "teams": {"atlas": ["pm@vendor.example"]}}
    access = parse_config(doc).access
    assert access.leadership == ("cto@acme.example", "@acme.example")
    assert access.teams == (("atlas", ("pm@vendor.example",)),)
    doc["access"]["teams"] = {"atlsa": ["pm@vendor.example"]}
    assert mistake(lambda d: d.update(access=doc["access"])) == (
        "teams.yaml: access.teams.atlsa: unknown key (did you mean 'atlas'?)")
    assert mistake(lambda d: d.update(access={"leadership": ["boss"]})) == (
        "teams.yaml: access.leadership[0]: must be an e-mail address or an @domain, got 'boss'")
