"""Reading tables as typed pandas frames: UTC timestamps, nullable ints, only the columns asked for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Connection, Engine, Float, Integer, select

from store.schema import metadata
from store.types import Day, Timestamp


def _timestamps(values: np.ndarray) -> pd.Series:
    """UTC timestamps from SQLite's fixed-width ISO text (parsed by numpy in C) or from driver datetimes."""
    if any(isinstance(v, str) for v in values[:1000]):
        parsed = np.array([v[:-1] if v else "NaT" for v in values], dtype="datetime64[us]")  # drop the Z
        return pd.Series(parsed).dt.tz_localize("UTC").astype("datetime64[ns, UTC]")
    return pd.Series(pd.to_datetime(values, utc=True), dtype="datetime64[ns, UTC]")


def _typed(values: np.ndarray, column) -> pd.Series:
    """Turn raw driver values of COLUMN into a pandas series of its type."""
    kind = column.type
    if isinstance(kind, Timestamp):
        return _timestamps(values)
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
    cursor = conn.connection.cursor()  # the driver's own rows, in this connection's transaction
    try:
        cursor.execute(str(compiled))
        raw = cursor.fetchall()
    finally:
        cursor.close()
    grid = np.array(raw, dtype=object).reshape(len(raw), len(cols))  # one C pass over the driver's tuples
    return pd.DataFrame({c.name: _typed(grid[:, i], c) for i, c in enumerate(cols)})


def empty_frame(table_name: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A frame with no rows and the types read_frame gives COLUMNS (default: all) of TABLE_NAME."""
    table = metadata.tables[table_name]
    names = list(columns) if columns is not None else [c.name for c in table.columns]
    return pd.DataFrame({n: _typed(np.array([], dtype=object), table.c[n]) for n in names})


def read_frames(engine: Engine, wanted: Mapping[str, Iterable[str] | None]) -> dict[str, pd.DataFrame]:
    """Read several tables in one transaction, so they show one consistent state of the database."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return {name: read_frame(conn, name, cols) for name, cols in wanted.items()}
