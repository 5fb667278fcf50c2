"""Sync bookkeeping: bookmarks per source, stream and scope, and the record of each run."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, select

from store.engine import writing
from store.schema import sync_runs, sync_state
from store.write import upsert


def now_utc() -> dt.datetime:
    """The current instant in UTC."""
    return dt.datetime.now(dt.UTC)


def get_bookmark(conn: Connection, source: str, stream: str, scope: str) -> str | None:
    """The bookmark of a stream, or None before its first complete run."""
    row = conn.execute(
        select(sync_state.c.bookmark).where(
            sync_state.c.source == source, sync_state.c.stream == stream, sync_state.c.scope == scope
        )
    ).first()
    return row[0] if row else None


def set_bookmark(conn: Connection, source: str, stream: str, scope: str, bookmark: str) -> None:
    """Move a stream's bookmark; call it in the transaction that writes the rows it covers."""
    upsert(conn, "sync_state", [{"source": source, "stream": stream, "scope": scope,
                                 "bookmark": bookmark, "updated_at": now_utc()}])


def start_run(engine: Engine, source: str) -> int:
    """Record the start of a run of SOURCE and return its id."""
    with writing(engine) as conn, conn.begin():
        result = conn.execute(sync_runs.insert().values(
            source=source, started_at=now_utc(), status="running", rows_written=0))
        return int(result.inserted_primary_key[0])


def finish_run(engine: Engine, run_id: int, status: str, rows_written: int,
               error: str | None = None) -> None:
    """Record the end of a run: status ok, partial or failed, rows written and the error if any."""
    with writing(engine) as conn, conn.begin():
        conn.execute(sync_runs.update().where(sync_runs.c.run_id == run_id).values(
            finished_at=now_utc(), status=status, rows_written=rows_written, error=error))


def last_success(conn: Connection) -> dict[str, dt.datetime]:
    """When each source last finished a run successfully ("data as of")."""
    rows = conn.execute(
        select(sync_runs.c.source, sync_runs.c.finished_at)
        .where(sync_runs.c.status == "ok")
        .order_by(sync_runs.c.finished_at)
    ).all()
    return dict(rows)
