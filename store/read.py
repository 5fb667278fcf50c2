"""Reading tables as typed pandas frames: UTC timestamps, nullable ints, only the columns asked for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
from sqlalchemy import Boolean, Connection, Engine, Float, Integer, select

from store.schema import metadata
from store.types import Day, Timestamp


def _typed(values: list, column) -> pd.Series:
    """Turn raw driver values of COLUMN into a pandas series of its type."""
    kind = column.type
    if isinstance(kind, Timestamp):
        return pd.Series(pd.to_datetime(values, utc=True, format="ISO8601"), dtype="datetime64[ns, UTC]")
    if isinstance(kind, Day):
        return pd.Series(pd.to_datetime(values, format="ISO8601"), dtype="datetime64[ns]")
    if isinstance(kind, Boolean):
        return pd.Series(values, dtype="boolean")
    if isinstance(kind, Integer):
        return pd.Series(values, dtype="Int64")
    if isinstance(kind, Float):
        return pd.Series(values, dtype="float64")
    return pd.Series(values, dtype="object")


def read_frame(conn: Connection, table_name: str, columns: Iterable[str] | None = None,
               where=None) -> pd.DataFrame:
    """Read COLUMNS (default: all) of TABLE_NAME, optionally filtered by a WHERE clause."""
    table = metadata.tables[table_name]
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    unknown = [n for n in names if n not in table.c]
    if unknown:
        raise KeyError(f"{table_name} has no column(s) {', '.join(unknown)}")
    cols = [table.c[n] for n in names]
    stmt = select(*cols)
    if where is not None:
        stmt = stmt.where(where)
    compiled = stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    raw = conn.exec_driver_sql(str(compiled)).fetchall()
    data = list(zip(*raw, strict=False)) if raw else [[] for _ in cols]
    return pd.DataFrame({c.name: _typed(list(v), c) for c, v in zip(cols, data, strict=False)})


def read_frames(engine: Engine, wanted: Mapping[str, Iterable[str] | None]) -> dict[str, pd.DataFrame]:
    """Read several tables in one transaction, so they show one consistent state of the database."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return {name: read_frame(conn, name, cols) for name, cols in wanted.items()}
