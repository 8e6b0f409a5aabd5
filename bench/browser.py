"""Time to first meaningful paint in Debian's Chromium (Playwright; never `playwright install`).

Measured from navigation start to the first metric, chart or table visible in the page body
(`first_paint_s`), and to the script finished with no skeleton left (`settled_s`), the wait
Streamlit's own e2e tests use. The first visit after the server starts runs with cold caches;
the following visits, each in a fresh browser context (no shared session, no browser cache),
are the warm ones. Each visit then opens the page once more in the same context
(`repeat_first_paint_s`): a new session, but Streamlit's and plotly's scripts come from the
browser cache, as on a leader's second visit.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from dashboard.fold import PENDING_KEY

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
PAGES = {"总览": "", "指标得分": "indicators"}  # title → url path
CONTENT = (
    "[data-testid='stMain'] :is([data-testid='stMetric'], [data-testid='stPlotlyChart'],"
    " [data-testid='stDataFrame'], [data-testid='stTable'])"
)
FAILED = "[data-testid='stMain'] [data-testid='stException']"
FOLD = f".st-key-{PENDING_KEY}"  # the placeholder below the cards until the second run
TIMEOUT_MS = 300_000


def _settle(page: Page) -> None:
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=TIMEOUT_MS
    )
    while True:
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=TIMEOUT_MS
        )
        expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=TIMEOUT_MS)
        if page.locator(FOLD).count() == 0:
            return
        # The first page of a session sends what is below its cards in a second run.
        page.locator(FOLD).wait_for(state="detached", timeout=TIMEOUT_MS)


def _open(page: Page, url: str) -> tuple[float, float, bool]:
    """(first paint s, settled s, whether the page showed an exception) of one navigation."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(f"{CONTENT}, {FAILED}").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    painted = time.perf_counter() - started
    _settle(page)
    settled = time.perf_counter() - started
    return painted, settled, page.locator(FAILED).count() > 0


def _visit(browser, url: str) -> tuple[float, float, bool, float]:
    """A fresh context's first visit (paint, settled, exception shown), then the first paint
    of a second visit in the same context, with the browser cache filled."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    try:
        page = context.new_page()
        painted, settled, failed = _open(page, url)
        repeat_painted, _, repeat_failed = _open(page, url)
        return painted, settled, failed or repeat_failed, repeat_painted
    finally:
        context.close()


def floor_paint(url: str, visits: int) -> tuple[float, float]:
    """Median first paint of `bench/floor_app.py` (one metric) served at `url`, first visit and
    repeat visit: what Streamlit's own page load costs in this browser on this machine, before
    any of our code."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            visited = [_visit(browser, url) for _ in range(visits)]
        finally:
            browser.close()
    return statistics.median(v[0] for v in visited), statistics.median(v[3] for v in visited)


def first_paint(url: str, warm_visits: int) -> dict[str, dict[str, float]]:
    """{page: {cold_first_paint_s, cold_settled_s, first_paint_s, settled_s,
    repeat_first_paint_s, page_errors}} (warm = median of `warm_visits`; page_errors = visits
    that showed an exception)."""
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
                    "repeat_first_paint_s": statistics.median(w[3] for w in warm),
                    "page_errors": sum(visit[2] for visit in (cold, *warm)),
                }
        finally:
            browser.close()
    return times
