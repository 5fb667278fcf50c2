"""Opening the database: URL resolution, SQLite settings, schema creation and version checks."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from store.schema import SCHEMA_VERSION, meta, metadata

DEFAULT_URL = "sqlite:///data/legible.db"
BUSY_TIMEOUT_MS = 30_000

# Steps that bring a database from version N-1 to N; each is a function of a connection.
MIGRATIONS: dict[int, object] = {}


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line and holds no secret."""


def resolve_url(cli_url: str | None = None, config_url: str | None = None,
                secrets_url: str | None = None) -> str:
    """Pick the database URL: --db, LEGIBLE_DATABASE_URL, secrets.toml, the config, the default."""
    for url in (cli_url, os.environ.get("LEGIBLE_DATABASE_URL"), secrets_url, config_url):
        if url:
            return url
    return DEFAULT_URL


def safe_url(url: str) -> str:
    """The URL with any password masked, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def _sqlite_setup(engine: Engine) -> None:
    """WAL, a busy timeout, and explicit BEGIN (IMMEDIATE for writers) so snapshots are real."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get("legible_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_engine(url: str, create: bool = True) -> Engine:
    """Open the database at URL, creating or checking its schema."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {safe_url(url)}") from None
    kwargs: dict = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    elif parsed.get_backend_name() != "postgresql":
        raise StoreError(f"unsupported database (use sqlite or postgresql+psycopg): {safe_url(url)}")
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database {safe_url(url)}: {type(exc).__name__}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    try:
        ensure_schema(engine, create=create)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).splitlines()[0] if exc.orig else "cannot connect"
        raise StoreError(f"cannot open database {safe_url(url)}: {reason}") from None
    return engine


def writing(engine: Engine):
    """A connection whose transactions take the write lock at BEGIN (use: with writing(e).begin())."""
    return engine.connect().execution_options(legible_write=True)


def ensure_schema(engine: Engine, create: bool = True) -> int:
    """Create missing tables, record the schema version and run pending migrations."""
    with writing(engine) as conn, conn.begin():
        if create:
            metadata.create_all(conn, checkfirst=True)
        row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
        version = int(row[0]) if row else None
        if version is None:
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            return SCHEMA_VERSION
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database schema version {version} is newer than this Legible's ({SCHEMA_VERSION});"
                " upgrade Legible"
            )
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        if version < SCHEMA_VERSION:
            conn.execute(
                meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
            )
    return SCHEMA_VERSION


__all__ = ["StoreError", "open_engine", "resolve_url", "safe_url", "writing", "SQLAlchemyError"]
