"""Hostile and broken input, fuzzed: teams.yaml and CSV imports fail with one clear line and write nothing."""

from __future__ import annotations

import copy
import csv
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import store
from collectors.cli import main
from collectors.config import ConfigError, parse_config
from collectors.csv_import import FILES, CsvError, import_directory
from tests.conftest import FOUNDATION
from tests.test_import import snapshot

BASE = yaml.safe_load((FOUNDATION / "teams.yaml").read_text())
CONFIG = parse_config(BASE)
CASES = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=30), st.sampled_from(["2026-02-30", "2026-05-04", "", "=cmd|' /C calc'!A0",
                                           "<script>alert(1)</script>", "core", "atlas", "[bot]", "UTC",
                                           "Mars/Olympus", "offshoring", "senior"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=12), inner, max_size=3), max_leaves=8)


def paths(doc, prefix=()):
    """Every path to a value inside DOC."""
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from paths(value, (*prefix, i))


ALL_PATHS = list(paths(BASE))[1:]


@st.composite
def mutated_configs(draw):
    """The foundation config with one to three places replaced, removed or added to."""
    doc = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["replace", "remove", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(values)
            elif action == "remove" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif isinstance(parent, dict):
                parent[draw(st.text(max_size=10))] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


@CASES
@given(mutated_configs())
def test_fuzzed_configs_are_valid_or_one_clear_line(doc):
    try:
        parse_config(doc, "teams.yaml")
    except ConfigError as err:
        message = str(err)
        assert message.startswith("teams.yaml: ") and "\n" not in message and "Traceback" not in message


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.one_of(mutated_configs().map(lambda d: yaml.safe_dump(d, allow_unicode=True)), st.text(max_size=200)))
def test_fuzzed_config_files_exit_2_and_write_nothing(text):
    with tempfile.TemporaryDirectory() as tmp:
        config, db = Path(tmp) / "teams.yaml", Path(tmp) / "legible.db"
        config.write_text(text, encoding="utf-8")
        try:
            valid = parse_config(yaml.safe_load(text), str(config)) is not None
        except Exception:
            valid = False
        code = main(["sync", "--source", "roster", "--config", str(config), "--db", f"sqlite:///{db}"])
        assert code == (0 if valid else 2)
        if not valid:
            assert not db.exists()


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


FOUNDATION_FILES = {name: list(csv.reader((FOUNDATION / "import" / name).open())) for name in FILES}


@st.composite
def damaged_directories(draw):
    """The foundation import files with a few cells, rows or headers damaged."""
    files = copy.deepcopy(FOUNDATION_FILES)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        rows = files[name]
        r = draw(st.integers(0, len(rows) - 1))
        if not rows[r]:
            continue
        c = draw(st.integers(0, len(rows[r]) - 1))
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop_cell", "extra_cell", "blank_row", "dup_row"]))
        if action == "cell":
            rows[r][c] = draw(st.one_of(st.text(max_size=20), st.sampled_from(
                ["", "-1", "1e309", "NaN", "2026-03-01T10:00:00", "2026-03-01 10:00+02:00", "done", "APPROVED",
                 "=SUM(A1)", "<b>x</b>", "\x00", "9" * 30])))
        elif action == "drop_cell":
            rows[r].pop(c)
        elif action == "extra_cell":
            rows[r].append(draw(st.text(max_size=5)))
        elif action == "blank_row":
            rows.insert(r + 1, [])
        elif r > 0:
            rows.append(list(rows[r]))
    return {name: csv_text(rows) for name, rows in files.items()}


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    """A SQLite store holding the foundation import, and its snapshot."""
    engine = store.open_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
    import_directory(engine, FOUNDATION / "import", CONFIG)
    yield engine, snapshot(engine)
    engine.dispose()


@CASES
@given(files=damaged_directories())
def test_fuzzed_imports_load_whole_or_fail_with_one_line_and_write_nothing(fuzz_db, files):
    engine, before = fuzz_db
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        try:
            import_directory(engine, tmp, CONFIG)
        except CsvError as err:
            message = str(err)
            assert "\n" not in message and message.split(":")[0] in FILES
            assert snapshot(engine) == before
        else:  # a damage that is still valid data: put the database back
            with store.writing(engine) as conn, conn.begin():
                for spec in FILES.values():
                    conn.exec_driver_sql(f"DELETE FROM {spec.table}")
            import_directory(engine, FOUNDATION / "import", CONFIG)
