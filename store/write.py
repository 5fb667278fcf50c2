"""Writing rows: batched upserts on each table's primary key, and whole-table replacement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from store.schema import metadata

BATCH_ROWS = 2000


def _batches(rows: Iterable[Mapping], size: int):
    """Yield lists of at most SIZE rows."""
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def upsert(conn: Connection, table_name: str, rows: Iterable[Mapping], batch: int = BATCH_ROWS) -> int:
    """Insert ROWS into TABLE_NAME, updating rows whose primary key exists; return rows written."""
    table = metadata.tables[table_name]
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    keys = [c.name for c in table.primary_key.columns]
    written = 0
    for chunk in _batches(rows, batch):
        stmt = insert(table)
        updates = {name: stmt.excluded[name] for name in chunk[0] if name not in keys}
        stmt = (stmt.on_conflict_do_update(index_elements=keys, set_=updates) if updates
                else stmt.on_conflict_do_nothing(index_elements=keys))
        conn.execute(stmt, chunk)
        written += len(chunk)
    return written


def replace(conn: Connection, table_name: str, rows: Iterable[Mapping]) -> int:
    """Replace every row of TABLE_NAME by ROWS (inside the caller's transaction)."""
    table = metadata.tables[table_name]
    conn.execute(table.delete())
    written = 0
    for chunk in _batches(rows, BATCH_ROWS):
        conn.execute(table.insert(), chunk)
        written += len(chunk)
    return written
