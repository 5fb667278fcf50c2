"""Page timings: `python -m bench.dashboard --db URL [--browser]` prints each page's script run, cold and warm."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py")
PAGES = ("views/weekly.py", "views/team.py", "views/review.py", "views/delivery.py", "views/quality.py",
         "views/people.py", "views/month_three.py")


def _run(page: str) -> float:
    """Seconds for one script run of PAGE (app.py's navigation and filters included)."""
    at = AppTest.from_file(APP, default_timeout=600)
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    return elapsed


def script_runs() -> list[tuple[str, float, float]]:
    """(page, cold seconds with empty caches, warm seconds) per page."""
    rows = []
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        cold = _run(page)
        warm = min(_run(page) for _ in range(3))
        rows.append((page, cold, warm))
    return rows


def browser_scorecard(url: str) -> float:
    """Seconds from navigating to the weekly review until its scorecard is visible, in headless Chromium."""
    import socket
    import subprocess
    import sys
    import urllib.request

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", APP, "--server.port", str(port),
                             "--server.headless", "true", "--server.fileWatcherType", "none"],
                            env={**os.environ, "LEGIBLE_DATABASE_URL": url}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            tab = browser.new_page(viewport={"width": 1680, "height": 1050})
            tab.goto(base)  # warm the caches once, as a weekly review that has been opened before
            tab.wait_for_selector('[data-testid="stMetric"]', timeout=600_000)
            tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                  timeout=600_000)
            tab.wait_for_timeout(2000)
            started = time.perf_counter()
            tab.goto(base)
            tab.wait_for_selector('[data-testid="stMetric"]', timeout=600_000)
            elapsed = time.perf_counter() - started
            browser.close()
        return elapsed
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    """Print the timings of every page against --db."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="database URL (e.g. the demo at --scale 10)")
    parser.add_argument("--browser", action="store_true", help="also time the scorecard in headless Chromium")
    args = parser.parse_args()
    os.environ["LEGIBLE_DATABASE_URL"] = args.db
    print(f"{'page':<24} {'cold s':>8} {'warm s':>8}")
    for page, cold, warm in script_runs():
        print(f"{page:<24} {cold:>8.2f} {warm:>8.2f}")
    if args.browser:
        print(f"browser: weekly review scorecard visible {browser_scorecard(args.db):.2f} s after navigation")


if __name__ == "__main__":
    main()
