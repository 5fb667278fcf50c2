"""The docs and the registry agree: every KPI is documented, every catalogue key is registered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics.dora import DORA_THRESHOLDS
from metrics.registry import HEADLINE, KEYS, KPIS, WATCHED, kpi

ROOT = Path(__file__).parents[1]
DOCS = (ROOT / "docs" / "METRICS.md").read_text(encoding="utf-8")
SPEC = ROOT.parent / "shared" / "spec" / "metrics.md"


@pytest.mark.parametrize("key", KEYS)
def test_every_registry_kpi_has_a_section_in_the_docs(key):
    assert f"`{key}`" in DOCS, f"docs/METRICS.md does not document `{key}`"


def test_every_kpi_has_a_definition_a_question_and_a_known_direction():
    for k in KPIS:
        assert k.definition and k.question.endswith((".", "?")), k.key
        assert k.direction in ("higher", "lower", None) and k.family in ("delivery", "review", "quality", "flow",
                                                                          "people")
    assert set(HEADLINE) <= set(KEYS) and set(WATCHED) <= set(KEYS)
    with pytest.raises(KeyError, match="unknown KPI 'nope'"):
        kpi("nope")


def test_the_docs_cite_the_dora_source_and_show_a_benchmark_table():
    assert "State of DevOps Report 2023" in DOCS and "2023" in DORA_THRESHOLDS
    assert "| scale | rows read |" in DOCS


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec/metrics.md is not beside the project")
def test_the_registry_holds_exactly_the_keys_of_the_spec_catalogue():
    spec = SPEC.read_text(encoding="utf-8")
    keys = set(re.findall(r"^\| `([a-z_0-9.]+)`", spec, flags=re.M))  # first key of each table row
    keys |= {"leavers", "change_failure_band", "time_to_restore_band", "bug_resolution_hours_p85"}  # named beside
    keys |= {f"review_topics.{d}" for d in re.findall(r"`(?:review_topics)?\.(\w+)`", spec)}
    assert keys == set(KEYS)
