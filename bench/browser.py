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

import json
import os
import statistics
import time
from dataclasses import dataclass
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
# The same moment timed inside the page: when the first content element enters the document
# (a MutationObserver), then the frame after it, from navigation start. Playwright's own wait
# runs on the page's busy main thread and can see the element a second or more later.
MARK_FIRST_CONTENT = """
new MutationObserver((_, observer) => {
  if (document.querySelector(CONTENT)) {
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__firstContentMs = performance.now(); }));
  }
}).observe(document, {subtree: true, childList: true});
""".replace("CONTENT", json.dumps(CONTENT))


def settle(page: Page, timeout_ms: float = TIMEOUT_MS) -> None:
    """Streamlit's own e2e wait (connected, script not running, no skeletons; tech-notes §3),
    and on a session's first page also its second run (dashboard/fold.py). The browser tests
    wait the same way."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout_ms
    )
    while True:
        page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
            state="attached", timeout=timeout_ms
        )
        expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)
        if page.locator(FOLD).count() == 0:
            return
        page.locator(FOLD).wait_for(state="detached", timeout=timeout_ms)


@dataclass(frozen=True)
class Opened:
    """One navigation: first paint as Playwright saw it and as the page timed it, the time
    until the script finished with no skeleton left, and whether an exception showed."""

    painted: float
    painted_in_page: float | None
    settled: float
    failed: bool


def _open(page: Page, url: str) -> Opened:
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(f"{CONTENT}, {FAILED}").first.wait_for(state="visible", timeout=TIMEOUT_MS)
    painted = time.perf_counter() - started
    settle(page)
    settled = time.perf_counter() - started
    failed = page.locator(FAILED).count() > 0
    in_page = None if failed else page.evaluate("window.__firstContentMs")
    return Opened(painted, None if in_page is None else in_page / 1000, settled, failed)


def _visit(browser, url: str) -> tuple[Opened, Opened]:
    """A fresh context's first visit, then a second visit in the same context, with the
    browser cache filled."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.add_init_script(MARK_FIRST_CONTENT)
    try:
        page = context.new_page()
        return _open(page, url), _open(page, url)
    finally:
        context.close()


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


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
    return (
        statistics.median(first.painted for first, _ in visited),
        statistics.median(repeat.painted for _, repeat in visited),
    )


def first_paint(url: str, warm_visits: int) -> dict[str, dict[str, float]]:
    """{page: {cold_first_paint_s, cold_settled_s, first_paint_s, settled_s,
    repeat_first_paint_s, in_page_first_paint_s, in_page_repeat_first_paint_s, page_errors}}
    (warm = median of `warm_visits`; in_page = timed by the page itself; page_errors = visits
    that showed an exception)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing (apt-get install chromium)")
    times: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        try:
            for title, path in PAGES.items():
                cold, _ = _visit(browser, f"{url}/{path}")
                warm = [_visit(browser, f"{url}/{path}") for _ in range(warm_visits)]
                times[title] = {
                    "cold_first_paint_s": cold.painted,
                    "cold_settled_s": cold.settled,
                    "first_paint_s": statistics.median(first.painted for first, _ in warm),
                    "settled_s": statistics.median(first.settled for first, _ in warm),
                    "repeat_first_paint_s": statistics.median(again.painted for _, again in warm),
                    "in_page_first_paint_s": _median([first.painted_in_page for first, _ in warm]),
                    "in_page_repeat_first_paint_s": _median(
                        [again.painted_in_page for _, again in warm]
                    ),
                    "page_errors": sum(
                        opened.failed for visit in ((cold,), *warm) for opened in visit
                    ),
                }
        finally:
            browser.close()
    return times
