"""The dashboard in a real browser: `streamlit run` on the demo organisation, driven by headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.streamlit_server import CHROMIUM, streamlit

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"": "Weekly review", "team": "Team", "review": "Review quality", "delivery": "Delivery",
         "quality": "Quality", "people": "People", "month-three": "Month three"}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
CHART = ".js-plotly-plot .main-svg"
METRIC = '[data-testid="stMetric"]'

playwright_api = pytest.importorskip("playwright.sync_api")
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):  # .ci/run installs it: in CI a missing browser is a failure, not a skip
        pytest.fail("CI needs Debian's /usr/bin/chromium (.ci/run installs it)", pytrace=False)
    pytest.skip("needs Debian's /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run dashboard/app.py` against a fresh demo database; yields its base URL."""
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'legible.db'}"
    subprocess.run([sys.executable, "-m", "collectors", "demo", "--db", url, "--out", str(tmp / "demo")],
                   cwd=ROOT, check=True, capture_output=True)
    env = {**os.environ, "LEGIBLE_DATABASE_URL": url}
    with streamlit(ROOT / "dashboard" / "app.py", free_port(), ROOT, env, tmp / "streamlit.log") as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1680, "height": 1050}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go (the pytest tmp dir; LEGIBLE_UPDATE_SCREENSHOT=1 also refreshes docs/screenshot.png)."""
    return tmp_path_factory.mktemp("screenshots")


def settle(page, wait_for: str) -> None:
    """Wait until WAIT_FOR is visible and the app has stopped running."""
    page.wait_for_selector(wait_for, timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=60_000)
    page.wait_for_timeout(800)  # let plotly finish its transitions before a screenshot


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_charts_and_no_error(server, page, shots, path):
    page.set_viewport_size({"width": 1680, "height": 3400})  # Streamlit scrolls inside the page: shoot it tall
    page.goto(f"{server}/{path}")
    chart = METRIC if path == "" else CHART  # the weekly review's charts are the metrics' sparklines
    settle(page, chart)
    assert page.locator(chart).count() >= 1
    assert page.locator(ERRORS).count() == 0, page.locator(ERRORS).all_inner_texts()
    assert page.get_by_role("heading", level=1).first.is_visible()
    page.screenshot(path=str(shots / f"{path or 'weekly'}.png"), full_page=True)


def test_weekly_review_shows_the_scorecard(server, page, shots):
    page.goto(server)
    settle(page, METRIC)
    assert page.locator(METRIC).count() >= 6 * 9
    assert page.get_by_text("Flags of the week").is_visible()
    page.screenshot(path=str(shots / "landing.png"))
    if os.environ.get("LEGIBLE_UPDATE_SCREENSHOT"):  # refresh the README's picture on request, never in CI
        shutil.copy(shots / "landing.png", ROOT / "docs" / "screenshot.png")


def test_a_deep_link_reproduces_the_view(server, page):
    page.goto(f"{server}/review?from=2026-08-03&to=2026-08-30&teams=atlas")
    settle(page, CHART)
    assert page.get_by_role("heading", name="Review quality").is_visible()
    assert page.get_by_text("Mon 03 Aug 2026 – Sun 30 Aug 2026").is_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Atlas").first.is_visible()
    assert "teams=atlas" in page.url and "from=2026-08-03" in page.url


def test_clicking_a_team_link_opens_its_page_with_the_filters(server, page):
    page.goto(f"{server}/?from=2026-08-03&to=2026-08-09")
    settle(page, METRIC)
    page.locator('[data-testid="stPageLink"] a').first.click()
    settle(page, CHART)
    assert "/team" in page.url and "team=" in page.url and "from=2026-08-03" in page.url
    assert page.locator(ERRORS).count() == 0


def test_the_scorecard_downloads_as_excel_safe_csv(server, page, tmp_path):
    page.goto(server)
    settle(page, METRIC)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download scorecard (CSV)").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    body = target.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines()[0].startswith("team,team_name,key,kpi,value")


def test_clicking_a_teams_bar_opens_its_page(server, page):
    page.goto(f"{server}/review?from=2026-08-03&to=2026-08-30")
    settle(page, CHART)
    box = page.locator(".js-plotly-plot .bars .point path").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # through plotly's drag layer
    page.wait_for_url("**/team?**", timeout=60_000)
    settle(page, CHART)
    assert "team=" in page.url and "from=2026-08-03" in page.url
    assert page.locator(ERRORS).count() == 0
