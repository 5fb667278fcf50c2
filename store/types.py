"""Column types that store UTC timestamps and calendar days the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, String
from sqlalchemy.types import TypeDecorator

SQLITE_TS_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def to_utc(value: dt.datetime) -> dt.datetime:
    """Return an aware datetime in UTC; a naive one is refused (data.md: offsets are required)."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValueError(f"timestamp without a time zone offset: {value!r}")
    return value.astimezone(dt.UTC)


class Timestamp(TypeDecorator):
    """A UTC instant: timestamptz on PostgreSQL, fixed-width ISO text ending in Z on SQLite."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        """Pick the storage type for the dialect."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(27))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        """Normalise to UTC (and to text on SQLite)."""
        if value is None or value != value:  # None or NaT
            return None
        value = to_utc(value)
        return value.strftime(SQLITE_TS_FORMAT) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Read back an aware UTC datetime."""
        if value is None or isinstance(value, dt.datetime):
            return value
        return dt.datetime.strptime(value, SQLITE_TS_FORMAT).replace(tzinfo=dt.UTC)


class Day(TypeDecorator):
    """A calendar day: date on PostgreSQL, YYYY-MM-DD text on SQLite."""

    impl = Date
    cache_ok = True

    def load_dialect_impl(self, dialect):
        """Pick the storage type for the dialect."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(10))
        return dialect.type_descriptor(Date())

    def process_bind_param(self, value, dialect):
        """Store a date (text on SQLite)."""
        if value is None:
            return None
        return value.isoformat() if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        """Read back a date."""
        if value is None or isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(value)
