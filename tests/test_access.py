"""Team-scoped access: each role on every page and export sees exactly its teams; sign-in and open-access rules."""

from __future__ import annotations

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from collectors.cli import main as collectors
from dashboard import access
from tests.test_app import APP, DATA, PAGES, WEEK, run

LEADER, MANAGER, STRANGER = "cto@northwind.example", "pm@kestrel.example", "someone@elsewhere.example"
AUTH = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "legible", "client_secret": "s3cret-client",
                 "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}}

pytestmark = pytest.mark.usefixtures("loopback")  # the app listens on 127.0.0.1


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """The dashboard fixture organisation with access rules: leadership by domain, a manager for Atlas."""
    folder = tmp_path_factory.mktemp("access")
    doc = yaml.safe_load((DATA / "teams.yaml").read_text())
    doc["access"] = {"leadership": ["@northwind.example"], "teams": {"atlas": [MANAGER]}}
    config = folder / "teams.yaml"
    config.write_text(yaml.safe_dump(doc))
    url = f"sqlite:///{folder / 'legible.db'}"
    assert collectors(["sync", "--source", "roster", "--config", str(config), "--db", url]) == 0
    assert collectors(["import", str(DATA), "--config", str(config), "--db", url]) == 0
    return url


def run_as(url: str, monkeypatch, user: dict | None, page: str | None = None, **params: str) -> AppTest:
    """Run the app with sign-in configured, as USER (None: signed out), then switch to PAGE."""

    def sign_in(at: AppTest) -> None:
        at.secrets.update(AUTH)
        at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, "email_verified": True, **user}

    return run(url, monkeypatch, page, sign_in, **{**WEEK, **params})


def everything_shown(at: AppTest) -> str:
    """Every element's content on the page and in the sidebar, as one text."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_a_vendor_manager_sees_only_their_team_on_every_page(db, monkeypatch, page):
    at = run_as(db, monkeypatch, {"email": MANAGER}, page)
    shown = everything_shown(at)
    assert "Borealis" not in shown and "borealis" not in shown
    assert "Atlas" in shown
    assert not at.error


@pytest.mark.parametrize("page", PAGES)
def test_leadership_sees_every_team(db, monkeypatch, page):
    at = run_as(db, monkeypatch, {"email": LEADER}, page)
    assert not at.error
    options = at.sidebar.multiselect[0].options
    assert set(options) == {"Atlas", "Borealis"}


def test_a_link_to_a_forbidden_team_says_so_and_shows_nothing(db, monkeypatch):
    at = run_as(db, monkeypatch, {"email": MANAGER}, "views/team.py", team="borealis")
    at = run_as(db, monkeypatch, {"email": MANAGER}, None, team="borealis")
    at.switch_page("views/team.py").run()
    assert at.error and "No team" in at.error[0].value
    assert "Borealis" not in everything_shown(at)


def test_a_link_filtering_a_forbidden_team_shows_nothing_of_it(db, monkeypatch):
    at = run_as(db, monkeypatch, {"email": MANAGER}, None, teams="borealis")
    shown = everything_shown(at)
    assert "Borealis" not in shown and any("you may not see" in w.value for w in at.sidebar.warning)


def test_a_vendor_managers_exports_hold_only_their_team(db, monkeypatch, downloads):
    for page in PAGES:  # every table's CSV is prepared as the page draws
        run_as(db, monkeypatch, {"email": MANAGER}, page)
    text = b"".join(downloads.values()).decode("utf-8", "replace")
    assert len(downloads) >= 10 and "Atlas" in text
    assert "Borealis" not in text and "borealis" not in text


@pytest.mark.parametrize("page", PAGES)
def test_a_signed_in_user_without_a_rule_sees_the_no_access_page(db, monkeypatch, page):
    at = run_as(db, monkeypatch, {"email": STRANGER}, page)
    assert at.title[0].value == "No access"
    assert "Atlas" not in everything_shown(at)


def test_an_unverified_email_gets_no_access(db, monkeypatch):
    at = run_as(db, monkeypatch, {"email": LEADER, "email_verified": False})
    assert at.title[0].value == "No access"


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_users_see_only_the_sign_in_page(db, monkeypatch, page):
    at = run_as(db, monkeypatch, None, page)
    assert [b.label for b in at.button] == ["Sign in"]
    shown = everything_shown(at)
    assert "Atlas" not in shown and "Borealis" not in shown


def test_named_providers_each_get_a_button(db, monkeypatch):
    monkeypatch.setenv("LEGIBLE_DATABASE_URL", db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets.update({"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                                "google": {"client_id": "a", "client_secret": "b", "server_metadata_url": "u"},
                                "microsoft": {"client_id": "a", "client_secret": "b", "server_metadata_url": "u"}}})
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]


def test_without_auth_the_app_refuses_a_public_address(db, monkeypatch):
    from streamlit import config

    monkeypatch.setenv("LEGIBLE_DATABASE_URL", db)
    monkeypatch.delenv(access.ALLOW_OPEN_ENV, raising=False)
    config.set_option("server.address", "0.0.0.0")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "Sign-in required" and "Atlas" not in everything_shown(at)
    monkeypatch.setenv(access.ALLOW_OPEN_ENV, "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.error and any("Sign-in is off" in c.value for c in at.sidebar.caption)


def test_access_rules_match_addresses_and_domains():
    rules = [("@northwind.example", "*"), (MANAGER, "atlas"), ("@kestrel.example", "nimbus")]
    assert access.allowed_teams(rules, "CTO@Northwind.example") is None
    assert access.allowed_teams(rules, MANAGER) == {"atlas", "nimbus"}
    assert access.allowed_teams(rules, "dev@kestrel.example") == {"nimbus"}
    assert access.allowed_teams(rules, "x@northwind.example.evil.com") == frozenset()
    assert access.allowed_teams(rules, "nobody") == frozenset()
    viewer = access.Viewer("pm@kestrel.example", frozenset({"atlas"}))
    assert viewer.restrict(None, ["atlas", "borealis"]) == ("atlas",)
    assert viewer.restrict(["borealis"], ["atlas", "borealis"]) == ()
    assert access.LOCAL.restrict(None, ["atlas"]) is None


@pytest.mark.parametrize(("address", "loopback_only"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
    ("0.0.0.0", False), ("", False), (None, False), ("10.0.0.5", False), ("example.com", False)])
def test_loopback_addresses(address, loopback_only):
    assert access.is_loopback(address) is loopback_only
