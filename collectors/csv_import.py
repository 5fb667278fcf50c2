"""The CSV interchange format (data.md): validate every row of a directory, then load it all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from collectors.classify import is_production, issue_classes
from collectors.config import Config
from collectors.review_topics import topics_for
from store import upsert, writing
from store.schema import metadata


class CsvError(Exception):
    """A bad file or row: one line naming the file, the line and the column."""


def _text(value: str) -> str:
    return value


def _int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"not a number: '{value}'") from None
    if number < 0:
        raise ValueError(f"must not be negative: '{value}'")
    return number


def _float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"not a number: '{value}'") from None
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"must be a non-negative number: '{value}'")
    return number


def _timestamp(value: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: '{value}'") from None
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp without an offset or Z: '{value}'")
    return parsed.astimezone(dt.UTC)


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        for option in allowed:
            if value.lower() == option.lower():
                return option
        raise ValueError(f"must be one of {', '.join(allowed)}: '{value}'")
    return parse


@dataclass(frozen=True)
class FileSpec:
    """One interchange file: its table, its typed columns and which must never be empty."""

    table: str
    columns: dict[str, Callable[[str], object]]
    required: tuple[str, ...]
    optional: dict[str, Callable[[str], object]]

    @property
    def key(self) -> tuple[str, ...]:
        """The columns of the table's primary key."""
        return tuple(c.name for c in metadata.tables[self.table].primary_key.columns)


TIMESTAMP, INT, FLOAT, TEXT = _timestamp, _int, _float, _text
FILES: dict[str, FileSpec] = {
    "pull_requests.csv": FileSpec(
        "pull_requests",
        {"pr_id": TEXT, "repo": TEXT, "number": INT, "author": TEXT, "title": TEXT, "url": TEXT,
         "created_at": TIMESTAMP, "ready_at": TIMESTAMP, "first_commit_at": TIMESTAMP,
         "merged_at": TIMESTAMP, "closed_at": TIMESTAMP, "additions": INT, "deletions": INT},
        ("pr_id", "repo", "created_at"),
        {"updated_at": TIMESTAMP},
    ),
    "reviews.csv": FileSpec(
        "reviews",
        {"review_id": TEXT, "pr_id": TEXT, "reviewer": TEXT,
         "state": _choice("APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED"),
         "submitted_at": TIMESTAMP, "body": TEXT},
        ("review_id", "pr_id", "submitted_at"),
        {},
    ),
    "review_comments.csv": FileSpec(
        "review_comments",
        {"comment_id": TEXT, "pr_id": TEXT, "author": TEXT, "created_at": TIMESTAMP, "body": TEXT,
         "path": TEXT},
        ("comment_id", "pr_id", "created_at"),
        {},
    ),
    "deployments.csv": FileSpec(
        "deployments",
        {"deployment_id": TEXT, "repo": TEXT, "environment": TEXT, "sha": TEXT,
         "created_at": TIMESTAMP, "finished_at": TIMESTAMP, "status": _choice("success", "failure")},
        ("deployment_id", "repo"),
        {},
    ),
    "issues.csv": FileSpec(
        "issues",
        {"issue_key": TEXT, "project": TEXT, "issue_type": TEXT, "priority": TEXT, "status": TEXT,
         "status_category": _choice("todo", "in_progress", "done"), "created_at": TIMESTAMP,
         "resolved_at": TIMESTAMP, "assignee": TEXT, "story_points": FLOAT, "labels": TEXT,
         "sprint_id": TEXT},
        ("issue_key", "project", "created_at"),
        {"updated_at": TIMESTAMP},
    ),
    "issue_transitions.csv": FileSpec(
        "issue_transitions",
        {"issue_key": TEXT, "at": TIMESTAMP, "from_status": TEXT, "to_status": TEXT,
         "from_category": _choice("todo", "in_progress", "done"),
         "to_category": _choice("todo", "in_progress", "done")},
        ("issue_key", "at", "from_status", "to_status"),
        {},
    ),
    "sprints.csv": FileSpec(
        "sprints",
        {"sprint_id": TEXT, "board_id": TEXT, "name": TEXT, "state": TEXT, "start_at": TIMESTAMP,
         "end_at": TIMESTAMP, "completed_at": TIMESTAMP, "committed_points": FLOAT,
         "completed_points": FLOAT},
        ("sprint_id", "board_id"),
        {"points_source": TEXT},
    ),
}
# The order in which files are written (and reported).
TABLE_ORDER = tuple(FILES)


def read_file(path: Path, spec: FileSpec) -> list[dict]:
    """Parse and validate one interchange file into typed rows; raise CsvError on the first bad cell."""
    name = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise CsvError(f"{name}: cannot read: {exc.strerror}") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise CsvError(f"{name}: line 1: empty file (a header row is required)") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CsvError(f"{name}: line 1: unreadable: {exc}") from None
        missing = [c for c in spec.columns if c not in header]
        if missing:
            raise CsvError(f"{name}: line 1: missing column(s): {', '.join(missing)}")
        duplicated = sorted({h for h in header if header.count(h) > 1})
        if duplicated:
            raise CsvError(f"{name}: line 1: duplicate column(s): {', '.join(duplicated)}")
        parsers = {**spec.columns, **{c: p for c, p in spec.optional.items() if c in header}}
        index = {c: header.index(c) for c in parsers}
        rows, seen, key_columns = [], {}, spec.key
        try:
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != len(header):
                    raise CsvError(
                        f"{name}: line {line}: {len(cells)} cells, the header has {len(header)}")
                row = {}
                for col, parse in parsers.items():
                    raw = cells[index[col]].strip() if parse is not TEXT else cells[index[col]]
                    if raw.strip() == "":
                        if col in spec.required:
                            raise CsvError(f"{name}: line {line}: column {col}: must not be empty")
                        row[col] = None
                        continue
                    try:
                        row[col] = parse(raw)
                    except ValueError as exc:
                        raise CsvError(f"{name}: line {line}: column {col}: {exc}") from None
                key = tuple(row[k] for k in key_columns)
                if key in seen:
                    raise CsvError(
                        f"{name}: line {line}: duplicate key {'/'.join(map(str, key))} (first on line {seen[key]})")
                seen[key] = line
                rows.append(row)
        except UnicodeDecodeError:
            raise CsvError(f"{name}: line {reader.line_num + 1}: not UTF-8 text") from None
        except csv.Error as exc:
            raise CsvError(f"{name}: line {reader.line_num}: malformed CSV: {exc}") from None
    return rows


def classify(config: Config, table: str, rows: list[dict]) -> list[dict]:
    """Add the columns classified at ingest (bots, topics, production, bug/incident/escaped)."""
    for row in rows:
        if table == "pull_requests":
            row["author_is_bot"] = config.is_bot(row["author"])
        elif table == "reviews":
            row["reviewer_is_bot"] = config.is_bot(row["reviewer"])
            row["topics"] = topics_for(config, row["body"])
        elif table == "review_comments":
            row["author_is_bot"] = config.is_bot(row["author"])
            row["topics"] = topics_for(config, row["body"])
        elif table == "deployments":
            row["is_production"] = is_production(config, row["environment"])
        elif table == "issues":
            row.update(issue_classes(config, row["issue_type"], row["labels"]))
    return rows


def load_directory(directory: str | Path, config: Config) -> dict[str, list[dict]]:
    """Validate every interchange file of DIRECTORY; return the typed, classified rows per table."""
    folder = Path(directory)
    if not folder.is_dir():
        raise CsvError(f"{directory}: not a directory")
    csvs = sorted(p.name for p in folder.glob("*.csv"))
    unknown = [n for n in csvs if n not in FILES]
    if unknown:
        raise CsvError(f"{unknown[0]}: not an interchange file (expected any of {', '.join(FILES)})")
    if not csvs:
        raise CsvError(f"{directory}: no interchange files (expected any of {', '.join(FILES)})")
    return {FILES[n].table: classify(config, FILES[n].table, read_file(folder / n, FILES[n]))
            for n in TABLE_ORDER if n in csvs}


def write_tables(engine: Engine, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Upsert every table's rows in one transaction; return rows written per table."""
    with writing(engine) as conn, conn.begin():
        return {table: upsert(conn, table, rows) for table, rows in tables.items()}


def import_directory(engine: Engine, directory: str | Path, config: Config) -> dict[str, int]:
    """Load DIRECTORY all or nothing: every row is checked before any is written."""
    return write_tables(engine, load_directory(directory, config))
