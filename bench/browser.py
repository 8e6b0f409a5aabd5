"""Time to first meaningful paint in Debian's Chromium (Playwright; never `playwright install`).

Measured from navigation start to the first metric, chart or table visible in the page body
(`first_paint_s`), and to the script finished with no skeleton left (`settled_s`), the wait
Streamlit's own e2e tests use. The first visit after the server starts runs with cold caches;
the following visits, each in a fresh browser context (no shared session), are the warm ones.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PAGES = {"总览": "", "指标得分": "indicators"}  # title → url path
CONTENT = (
    "[data-testid='stMain'] :is([data-testid='stMetric'], [data-testid='stPlotlyChart'],"
    " [data-testid='stDataFrame'], [data-testid='stTable'])"
)
FAILED = "[data-testid='stMain'] [data-testid='stException']"
TIMEOUT_MS = 300_000


def _settle(page: Page) -> None:
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)


def _visit(browser, url: str) -> tuple[float, float, bool]:
    """(first paint s, settled s, whether the page showed an exception)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.locator(f"{CONTENT}, {FAILED}").first.wait_for(state="visible", timeout=TIMEOUT_MS)
        painted = time.perf_counter() - started
        _settle(page)
        settled = time.perf_counter() - started
        return painted, settled, page.locator(FAILED).count() > 0
    finally:
        context.close()


def floor_paint(url: str, visits: int) -> float:
    """Median first paint of `bench/floor_app.py` (one metric) served at `url`: what Streamlit's
    own page load costs in this browser on this machine, before any of our code."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            return statistics.median(_visit(browser, url)[0] for _ in range(visits))
        finally:
            browser.close()


def first_paint(url: str, warm_visits: int) -> dict[str, dict[str, float]]:
    """{page: {cold_first_paint_s, cold_settled_s, first_paint_s, settled_s, page_errors}}
    (warm = median of `warm_visits`; page_errors = visits that showed an exception)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
    times: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            for title, path in PAGES.items():
                cold = _visit(browser, f"{url}/{path}")
                warm = [_visit(browser, f"{url}/{path}") for _ in range(warm_visits)]
                times[title] = {
                    "cold_first_paint_s": cold[0],
                    "cold_settled_s": cold[1],
                    "first_paint_s": statistics.median(w[0] for w in warm),
                    "settled_s": statistics.median(w[1] for w in warm),
                    "page_errors": sum(visit[2] for visit in (cold, *warm)),
                }
        finally:
            browser.close()
    return times
