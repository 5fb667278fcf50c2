"""The store on SQLite and PostgreSQL: schema, upserts, typed frames, bookmarks and runs."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import select

import store
from store.schema import SCHEMA_VERSION, meta, sync_runs

UTC = dt.UTC


def pr(pr_id, author="ada", merged=None, additions=1, **extra):
    """A pull_requests row with sensible defaults."""
    return {"pr_id": pr_id, "repo": "acme/core", "number": int(pr_id[2:]), "author": author,
            "title": f"PR {pr_id}", "url": None, "created_at": dt.datetime(2026, 3, 2, 9, tzinfo=UTC),
            "ready_at": None, "first_commit_at": None, "merged_at": merged, "closed_at": None,
            "additions": additions, "deletions": None, "author_is_bot": False, **extra}


def test_round_trip_keeps_values_and_types(any_url):
    eng = store.open_engine(any_url)
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    with store.writing(eng) as conn, conn.begin():
        store.upsert(conn, "pull_requests", [pr("pr1", merged=dt.datetime(2026, 3, 3, 15, 30, tzinfo=ist)),
                                             pr("pr2", additions=None)])
        store.upsert(conn, "memberships", [{"team_id": "core", "person_id": "github:ada",
                                            "joined_on": dt.date(2025, 1, 6), "left_on": None,
                                            "seniority": "staff"}])
    frames = store.read_frames(eng, {"pull_requests": ["pr_id", "merged_at", "additions", "author_is_bot"],
                                     "memberships": ["joined_on", "left_on"]})
    prs = frames["pull_requests"].sort_values("pr_id").reset_index(drop=True)
    assert list(prs.columns) == ["pr_id", "merged_at", "additions", "author_is_bot"]
    assert str(prs["merged_at"].dtype) == "datetime64[ns, UTC]"
    assert prs.loc[0, "merged_at"] == pd.Timestamp("2026-03-03T10:00:00Z")  # 15:30 IST in UTC
    assert pd.isna(prs.loc[1, "merged_at"])
    assert str(prs["additions"].dtype) == "Int64" and prs["additions"].isna().tolist() == [False, True]
    assert str(prs["author_is_bot"].dtype) == "boolean"
    members = frames["memberships"]
    assert members.loc[0, "joined_on"] == pd.Timestamp("2025-01-06") and pd.isna(members.loc[0, "left_on"])
    eng.dispose()


def test_upsert_updates_on_the_key_and_is_idempotent(any_url):
    eng = store.open_engine(any_url)
    for _ in range(2):
        with store.writing(eng) as conn, conn.begin():
            store.upsert(conn, "pull_requests", [pr("pr1"), pr("pr2")])
    with store.writing(eng) as conn, conn.begin():
        store.upsert(conn, "pull_requests", [pr("pr1", author="bo")])
    with eng.connect() as conn:
        prs = store.read_frame(conn, "pull_requests", ["pr_id", "author"]).sort_values("pr_id")
    assert prs.values.tolist() == [["pr1", "bo"], ["pr2", "ada"]]
    eng.dispose()


def test_upsert_writes_in_batches(engine):
    rows = [pr(f"pr{i}") for i in range(1, 5006)]
    with store.writing(engine) as conn, conn.begin():
        assert store.upsert(conn, "pull_requests", rows, batch=1000) == 5005
    with engine.connect() as conn:
        assert len(store.read_frame(conn, "pull_requests", ["pr_id"])) == 5005


def test_a_failed_transaction_writes_nothing(engine):
    with pytest.raises(ValueError), store.writing(engine) as conn, conn.begin():
        store.upsert(conn, "pull_requests", [pr("pr1")])
        raise ValueError("crash in the middle of a sync")
    with engine.connect() as conn:
        assert store.read_frame(conn, "pull_requests").empty


def test_naive_timestamps_are_refused(engine):
    with pytest.raises(Exception, match="without a time zone"), store.writing(engine) as conn, conn.begin():
        store.upsert(conn, "pull_requests", [pr("pr1", merged=dt.datetime(2026, 3, 3))])


def test_empty_table_reads_with_its_types(engine):
    with engine.connect() as conn:
        frame = store.read_frame(conn, "issues", ["issue_key", "created_at", "story_points", "is_bug"])
    assert frame.empty and list(frame.columns) == ["issue_key", "created_at", "story_points", "is_bug"]
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]"


def test_unknown_column_is_a_clear_error(engine):
    with pytest.raises(KeyError, match="pull_requests has no column"), engine.connect() as conn:
        store.read_frame(conn, "pull_requests", ["nope"])


def test_schema_version_is_recorded_and_a_newer_one_refused(any_url):
    eng = store.open_engine(any_url)
    with eng.connect() as conn:
        assert conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar() == str(
            SCHEMA_VERSION)
    with store.writing(eng) as conn, conn.begin():
        conn.execute(meta.update().values(value=str(SCHEMA_VERSION + 1)))
    eng.dispose()
    with pytest.raises(store.StoreError, match="newer than this Legible"):
        store.open_engine(any_url)


def test_bookmarks_and_runs(any_url):
    eng = store.open_engine(any_url)
    with store.writing(eng) as conn, conn.begin():
        assert store.get_bookmark(conn, "github", "pulls", "acme/core") is None
        store.set_bookmark(conn, "github", "pulls", "acme/core", "2026-03-01T00:00:00Z")
        store.set_bookmark(conn, "github", "pulls", "acme/core", "2026-03-02T00:00:00Z")
    with eng.connect() as conn:
        assert store.get_bookmark(conn, "github", "pulls", "acme/core") == "2026-03-02T00:00:00Z"
    run = store.start_run(eng, "github")
    store.finish_run(eng, run, "ok", 12)
    failed = store.start_run(eng, "jira")
    store.finish_run(eng, failed, "failed", 0, "project PAY: HTTP 404")
    with eng.connect() as conn:
        runs = conn.execute(select(sync_runs.c.source, sync_runs.c.status, sync_runs.c.rows_written,
                                   sync_runs.c.error).order_by(sync_runs.c.run_id)).all()
        assert [tuple(r) for r in runs] == [("github", "ok", 12, None), ("jira", "failed", 0, "project PAY: HTTP 404")]
        assert set(store.last_success(conn)) == {"github"}
    eng.dispose()


def test_bad_urls_give_one_line_without_the_password():
    with pytest.raises(store.StoreError) as err:
        store.open_engine("mysql://u:hunter22@localhost/db")
    assert "hunter22" not in str(err.value) and "unsupported database" in str(err.value)
    with pytest.raises(store.StoreError) as err:
        store.open_engine("postgresql+psycopg://u:hunter22@127.0.0.1:1/db")
    assert "hunter22" not in str(err.value) and "\n" not in str(err.value)


def test_url_resolution_order(monkeypatch):
    monkeypatch.delenv("LEGIBLE_DATABASE_URL", raising=False)
    assert store.resolve_url() == "sqlite:///data/legible.db"
    assert store.resolve_url(None, "sqlite:///cfg.db") == "sqlite:///cfg.db"
    assert store.resolve_url(None, "sqlite:///cfg.db", "sqlite:///secrets.db") == "sqlite:///secrets.db"
    monkeypatch.setenv("LEGIBLE_DATABASE_URL", "sqlite:///env.db")
    assert store.resolve_url(None, "sqlite:///cfg.db", "sqlite:///secrets.db") == "sqlite:///env.db"
    assert store.resolve_url("sqlite:///cli.db", "sqlite:///cfg.db") == "sqlite:///cli.db"


def test_empty_frame_has_the_types_of_a_read(engine):
    cols = ["issue_key", "created_at", "story_points", "is_bug"]
    with engine.connect() as conn:
        read = store.read_frame(conn, "issues", cols)
    assert read.dtypes.to_dict() == store.empty_frame("issues", cols).dtypes.to_dict()
