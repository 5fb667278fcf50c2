"""Shared fixtures: temporary databases (SQLite and PostgreSQL) and the small foundation dataset."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

import store
from collectors.config import load_config

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
FOUNDATION = DATA / "foundation"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_answers() -> bool:
    """True when a PostgreSQL server listens on 127.0.0.1:5432."""
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite database file."""
    return f"sqlite:///{tmp_path / 'legible.db'}"


@pytest.fixture
def postgres_url():
    """A fresh PostgreSQL database, dropped afterwards."""
    if not postgres_answers():
        pytest.skip("no PostgreSQL answering on 127.0.0.1:5432 (.ci/run starts one)")
    from sqlalchemy import create_engine, text

    name = f"legible_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request) -> str:
    """Each supported database in turn."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture
def engine(sqlite_url):
    """An opened SQLite store."""
    eng = store.open_engine(sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture
def foundation_config():
    """The two-team config of tests/data/foundation."""
    return load_config(str(FOUNDATION / "teams.yaml"))


@pytest.fixture
def loopback():
    """The app listens on 127.0.0.1, as .streamlit/config.toml says (the tests run from tests/)."""
    before = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", before)


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """Every file the app offers for download during the test, by its file name."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if filename:
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return files


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    from tests.streamlit_server import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _keeps_the_user_database(request):
    """No test may create the checkout's own database (make run would then skip the demo)."""
    user_db = ROOT / "data" / "legible.db"
    existed = user_db.exists()
    yield
    assert existed or not user_db.exists(), f"{request.node.nodeid} created {user_db}"
