"""Sign-in in a real browser: `streamlit run` with [auth] against a mock OIDC provider, then the access rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from collectors.cli import main as collectors
from tests.mock_oidc import CLIENT_ID, CLIENT_SECRET, MockOIDC
from tests.streamlit_server import CHROMIUM, streamlit
from tests.test_browser import ERRORS, free_port, settle

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):  # .ci/run installs it: in CI a missing browser is a failure, not a skip
        pytest.fail("CI needs Debian's /usr/bin/chromium (.ci/run installs it)", pytrace=False)
    pytest.skip("needs Debian's /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "dashboard"
MANAGER, LEADER = "pm@kestrel.example", "cto@northwind.example"
COOKIE_SECRET = "cookie-secret-for-tests-0123456789abcdef"


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory):
    """The dashboard with sign-in configured against a mock OIDC provider; yields (app URL, workdir)."""
    work = tmp_path_factory.mktemp("signin")
    doc = yaml.safe_load((DATA / "teams.yaml").read_text())
    doc["access"] = {"leadership": ["@northwind.example"], "teams": {"atlas": [MANAGER]}}
    (work / "teams.yaml").write_text(yaml.safe_dump(doc))
    url = f"sqlite:///{work / 'legible.db'}"
    assert collectors(["sync", "--source", "roster", "--config", str(work / "teams.yaml"), "--db", url]) == 0
    assert collectors(["import", str(DATA), "--config", str(work / "teams.yaml"), "--db", url]) == 0
    port = free_port()
    with MockOIDC() as provider:
        (work / ".streamlit").mkdir()
        (work / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{COOKIE_SECRET}"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n')
        env = {**os.environ, "LEGIBLE_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        env.pop("LEGIBLE_ALLOW_OPEN_ACCESS", None)
        with streamlit(ROOT / "dashboard" / "app.py", port, work, env, work / "streamlit.log") as base:
            yield base, work


def sign_in(browser, base: str, email: str):
    """A fresh browser that signs in as EMAIL through the provider's form; returns its page."""
    context = browser.new_context(viewport={"width": 1680, "height": 1400})
    page = context.new_page()
    page.goto(base)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("#email", timeout=60_000)
    page.fill("#email", email)
    page.click("#signin")
    page.wait_for_url(f"{base}/**", timeout=60_000)
    return page


def test_signed_out_browser_sees_only_the_sign_in_page(signed_app, browser, tmp_path):
    base, work = signed_app
    page = browser.new_context().new_page()
    page.goto(base)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    body = page.inner_text("body")
    assert "Atlas" not in body and "Borealis" not in body and "Scorecard" not in body
    page.screenshot(path=str(work / "signed-out.png"))
    page.goto(f"{base}/review?teams=borealis")
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    assert "Borealis" not in page.inner_text("body")


def test_a_vendor_manager_signs_in_and_sees_only_their_team(signed_app, browser):
    base, work = signed_app
    page = sign_in(browser, base, MANAGER)
    settle(page, '[data-testid="stMetric"]')
    body = page.inner_text("body")
    assert f"Signed in as {MANAGER}" in body and "Atlas" in body and "Borealis" not in body
    assert page.locator(ERRORS).count() == 0
    page.screenshot(path=str(work / "vendor-manager.png"), full_page=True)
    page.goto(f"{base}/team?team=borealis")
    page.get_by_text("No team").wait_for(timeout=60_000)
    assert "Borealis" not in page.inner_text("body")


def test_leadership_signs_in_and_sees_every_team(signed_app, browser):
    base, _ = signed_app
    page = sign_in(browser, base, LEADER)
    settle(page, '[data-testid="stMetric"]')
    body = page.inner_text("body")
    assert "Atlas" in body and "Borealis" in body


def test_a_stranger_signs_in_and_sees_no_access(signed_app, browser):
    base, _ = signed_app
    page = sign_in(browser, base, "someone@elsewhere.example")
    page.get_by_role("heading", name="No access").wait_for(timeout=60_000)
    body = page.inner_text("body")
    assert "Atlas" not in body and "Borealis" not in body


def test_secrets_stay_out_of_logs_and_pages(signed_app, browser):
    base, work = signed_app
    page = sign_in(browser, base, MANAGER)
    settle(page, '[data-testid="stMetric"]')
    log = (work / "streamlit.log").read_text()
    for secret in (CLIENT_SECRET, COOKIE_SECRET):
        assert secret not in log and secret not in page.content()
