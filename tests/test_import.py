"""CSV import: typed and validated rows, classification at ingest, all or nothing, idempotent."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import store
from collectors.csv_import import CsvError, import_directory
from store.schema import ACTIVITY_TABLES
from tests.conftest import FOUNDATION

IMPORT = FOUNDATION / "import"


def snapshot(engine) -> dict[str, list]:
    """Every activity table's rows, sorted, for comparison."""
    frames = store.read_frames(engine, dict.fromkeys(ACTIVITY_TABLES))
    return {t: sorted(map(tuple, f.astype(str).values.tolist())) for t, f in frames.items()}


def test_import_loads_every_file_with_types(engine, foundation_config):
    written = import_directory(engine, IMPORT, foundation_config)
    assert written == {"pull_requests": 4, "reviews": 3, "review_comments": 2, "deployments": 3,
                       "issues": 3, "issue_transitions": 2, "sprints": 2}
    frames = store.read_frames(engine, {"pull_requests": None, "sprints": None, "issues": None})
    prs = frames["pull_requests"].set_index("pr_id")
    assert prs.loc["pr2", "created_at"] == pd.Timestamp("2026-03-04T00:00:00Z")  # +05:30 → UTC
    assert prs.loc["pr2", "title"] == "Fix rounding, again"
    assert pd.isna(prs.loc["pr2", "merged_at"]) and pd.isna(prs.loc["pr4", "additions"])
    assert frames["issues"].set_index("issue_key").loc["PAY-1", "story_points"] == 3.5
    assert frames["sprints"].set_index("sprint_id").loc["s1", "board_id"] == "1"


def test_classification_at_ingest(engine, foundation_config):
    import_directory(engine, IMPORT, foundation_config)
    f = store.read_frames(engine, {"pull_requests": ["pr_id", "author_is_bot"], "deployments": None,
                                   "issues": ["issue_key", "is_bug", "is_incident", "is_escaped"],
                                   "reviews": ["review_id", "topics"], "review_comments": ["comment_id", "topics"]})
    bots = f["pull_requests"].set_index("pr_id")["author_is_bot"].to_dict()
    assert bots == {"pr1": False, "pr2": False, "pr3": True, "pr4": True}  # [bot] suffix and policy.bots
    assert f["deployments"].set_index("deployment_id")["is_production"].to_dict() == {
        "d1": True, "d2": True, "d3": False}  # environments compared case-insensitively
    issues = f["issues"].set_index("issue_key")
    assert issues.loc["CORE-1"].tolist() == [True, False, True]
    assert issues.loc["CORE-2"].tolist() == [False, True, False]
    assert issues.loc["PAY-1"].tolist() == [False, False, False]
    topics = f["reviews"].set_index("review_id")["topics"].to_dict()
    assert topics["r1"] == "failure_modes;tests" and topics["r2"] is None
    assert f["review_comments"].set_index("comment_id")["topics"].to_dict()["c1"] == "failure_modes;observability"


def test_second_import_changes_nothing(engine, foundation_config):
    import_directory(engine, IMPORT, foundation_config)
    first = snapshot(engine)
    import_directory(engine, IMPORT, foundation_config)
    assert snapshot(engine) == first


def bad_copy(tmp_path, file: str, old: str, new: str):
    """A copy of the import directory with one cell of FILE changed."""
    folder = tmp_path / "import"
    shutil.copytree(IMPORT, folder)
    path = folder / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return folder


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("sprints.csv", "2026-03-06T17:05:00Z", "2026-03-06T17:05:00",
     "sprints.csv: line 2: column completed_at: timestamp without an offset or Z: '2026-03-06T17:05:00'"),
    ("pull_requests.csv", ",120,30", ",12O,30", "pull_requests.csv: line 2: column additions: not a number: '12O'"),
    ("pull_requests.csv", ",120,30", ",-5,30", "pull_requests.csv: line 2: column additions: must not be negative"),
    ("sprints.csv", ",20,18", ",1e309,18", "sprints.csv: line 2: column committed_points: must be a non-negative number: '1e309'"),
    ("reviews.csv", "APPROVED", "LGTM", "reviews.csv: line 3: column state: must be one of APPROVED, CHANGES_REQUESTED,"),
    ("issues.csv", "in_progress,2026", "doing,2026", "issues.csv: line 4: column status_category: must be one of todo"),
    ("deployments.csv", "d2,acme/core", "d1,acme/core", "deployments.csv: line 3: duplicate key d1 (first on line 2)"),
    ("issues.csv", "PAY-1,PAY", "PAY-1,", "issues.csv: line 4: column project: must not be empty"),
    ("review_comments.csv", "comment_id,pr_id,author,created_at,body,path", "comment_id,pr_id,author,body,path",
     "review_comments.csv: line 1: missing column(s): created_at"),
    ("deployments.csv", "2026-03-01T10:10:00Z", "yesterday", "deployments.csv: line 2: column finished_at: not an ISO"),
])
def test_a_bad_row_is_named_and_nothing_is_written(engine, foundation_config, tmp_path, file, old, new, message):
    folder = bad_copy(tmp_path, file, old, new)
    with pytest.raises(CsvError) as err:
        import_directory(engine, folder, foundation_config)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)
    assert all(not rows for rows in snapshot(engine).values())


def test_a_bad_row_leaves_earlier_imports_untouched(engine, foundation_config, tmp_path):
    import_directory(engine, IMPORT, foundation_config)
    before = snapshot(engine)
    folder = bad_copy(tmp_path, "sprints.csv", "Core 1,closed", "Core 1 renamed,closed")
    (folder / "sprints.csv").write_text((folder / "sprints.csv").read_text().replace(",20,18", ",20,lots"))
    with pytest.raises(CsvError):
        import_directory(engine, folder, foundation_config)
    assert snapshot(engine) == before


def test_unknown_files_and_empty_directories_are_refused(engine, foundation_config, tmp_path):
    (tmp_path / "pull_request.csv").write_text("pr_id\n")
    with pytest.raises(CsvError, match="pull_request.csv: not an interchange file"):
        import_directory(engine, tmp_path, foundation_config)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CsvError, match="no interchange files"):
        import_directory(engine, empty, foundation_config)
    with pytest.raises(CsvError, match="not a directory"):
        import_directory(engine, tmp_path / "missing", foundation_config)


def test_byte_order_mark_and_extra_columns_are_accepted(engine, foundation_config, tmp_path):
    (tmp_path / "deployments.csv").write_text(
        "\ufeffdeployment_id,repo,environment,sha,created_at,finished_at,status,tool\n"
        "d9,acme/core,prod,x,2026-03-01T10:00:00Z,2026-03-01T10:05:00Z,SUCCESS,argo\n", encoding="utf-8")
    assert import_directory(engine, tmp_path, foundation_config) == {"deployments": 1}
    with engine.connect() as conn:
        row = store.read_frame(conn, "deployments", ["status", "is_production"]).iloc[0].tolist()
    assert row == ["success", False]  # "prod" is not among this config's environments
