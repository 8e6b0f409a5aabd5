"""The real app in Debian's Chromium: every page, a real upload, a shared link, screenshots."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from bench.browser import FOLD
from dashboard.fold import DELAY_S
from tests.browser.conftest import DESKTOP, TABLET, open_app, wait_for_app_run

ROOT = Path(__file__).resolve().parents[2]
# Committed screenshots change only on purpose: UPDATE_SCREENSHOTS=1 writes docs/screenshots/,
# otherwise they go to the git-ignored tests/artifacts/ (CI keeps them there too).
SHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else ROOT / "tests" / "artifacts" / "screenshots"
)
SEED = ROOT / "data" / "seed"
PAGES = {
    "overview": ("", "总览"),
    "funds": ("funds", "资金执行"),
    "indicators": ("indicators", "指标得分"),
    "satisfaction": ("satisfaction", "满意度与成本"),
    "review": ("review", "复核"),
    "upload": ("upload", "数据上传"),
}


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def settle_charts(page: Page) -> None:
    """Plotly draws after the script run ends; wait until every chart has its SVG."""
    charts = page.get_by_test_id("stPlotlyChart")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(state="attached", timeout=15_000)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_loads_and_is_screenshotted(page: Page, app_url: str, name: str):
    path, title = PAGES[name]
    open_app(page, f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    no_exception(page)
    settle_charts(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1366x768.png")
    page.set_viewport_size(TABLET)
    wait_for_app_run(page)
    settle_charts(page)
    no_exception(page)
    page.screenshot(path=SHOTS / f"{name}-1024x1366.png")
    page.set_viewport_size(DESKTOP)


# Records, in the page itself, what was there when the first card entered it, and whether the
# placeholder below the cards (dashboard/fold.py) was ever shown.
WATCH_THE_FOLD = """
window.__fold = {};
new MutationObserver(() => {
  const w = window.__fold;
  if (document.querySelector(FOLD)) w.placeholder = true;
  if (w.cardsAlone === undefined && document.querySelector("[data-testid='stMetric']")) {
    w.cardsAlone = !document.querySelector(
      "[data-testid='stPlotlyChart'], [data-testid='stDataFrame']");
  }
}).observe(document, {subtree: true, childList: true});
""".replace("FOLD", json.dumps(FOLD))


def test_a_first_visit_paints_the_cards_before_the_charts_and_then_stops(page: Page, app_url: str):
    """A fresh browser's first page gets its cards alone, then the whole page in one more run,
    and then the browser asks for nothing more (the placeholder's timer ends)."""
    page.add_init_script(WATCH_THE_FOLD)
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    open_app(page, app_url)
    assert page.evaluate("window.__fold") == {"placeholder": True, "cardsAlone": True}
    expect(page.locator(FOLD)).to_have_count(0)
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    no_exception(page)
    settled = len(sent)
    page.wait_for_timeout(int(3 * DELAY_S * 1000))
    assert len(sent) == settled, "the browser kept asking for reruns after the page was drawn"


def test_a_real_upload_appears_on_the_overview(page: Page, app_url: str):
    open_app(page, f"{app_url}/upload")
    # The served server runs with the repository's config: its upload limit reaches the page.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = config["server"]["maxUploadSize"]
    expect(page.get_by_test_id("stFileUploaderDropzoneInstructions")).to_contain_text(f"{limit}MB")
    files = []
    for path in sorted(SEED.glob("*.csv")):
        text = path.read_text(encoding="utf-8").replace("\n2022,", "\n2024,")
        files.append({"name": path.name, "mimeType": "text/csv", "buffer": text.encode("utf-8")})
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(files=files)
    wait_for_app_run(page)
    expect(page.get_by_text("可以保存").first).to_be_visible()
    page.get_by_role("button", name="确认保存").click()
    wait_for_app_run(page)
    expect(page.get_by_text("已保存 1 个评价")).to_be_visible(timeout=30_000)
    no_exception(page)

    page.get_by_role("link", name="总览").first.click()
    wait_for_app_run(page)
    expect(page.get_by_text("2022–2024年")).to_be_visible()
    no_exception(page)


def test_a_copied_link_opens_the_same_view(page: Page, app_url: str, browser: Browser):
    open_app(page, f"{app_url}/funds")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").filter(has_text="部门").click()
    page.get_by_role("option", name="中共益阳市委组织部").click()
    page.keyboard.press("Escape")
    wait_for_app_run(page)
    sidebar.get_by_test_id("stMultiSelect").filter(has_text="年度").click()
    page.get_by_role("option", name="2022", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app_run(page)
    # The link as a leader copies it: from the share box, written when it opens.
    sidebar.get_by_role("button", name="复制分享链接").click()
    links = page.get_by_test_id("stCode")
    expect(links).to_have_count(2)
    shared, pinned = (links.nth(i).inner_text().strip() for i in range(2))
    query = parse_qs(urlparse(shared).query)
    assert shared.split("?")[0] == page.url.split("?")[0]
    assert urlparse(shared).path == "/funds"
    assert query == {"dept": ["中共益阳市委组织部"], "year": ["2022"]}
    assert query == parse_qs(urlparse(page.url).query)
    pinned_query = parse_qs(urlparse(pinned).query)
    assert pinned_query.pop("asof")[0].isdigit() and pinned_query == query
    page.keyboard.press("Escape")
    executed = (
        page.get_by_test_id("stMetric")
        .filter(has_text="全年执行数")
        .get_by_test_id("stMetricValue")
    )
    expect(executed).to_have_text("261.46 万元")

    fresh = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        other = fresh.new_page()
        open_app(other, shared)
        expect(other.get_by_role("heading", name="资金执行", exact=True)).to_be_visible()
        chips = other.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        expect(chips.filter(has_text="部门")).to_contain_text("中共益阳市委组织部")
        expect(chips.filter(has_text="年度")).to_contain_text("2022")
        metric = other.get_by_test_id("stMetric").filter(has_text="全年执行数")
        expect(metric.get_by_test_id("stMetricValue")).to_have_text("261.46 万元")
        no_exception(other)
    finally:
        fresh.close()


def test_a_name_search_on_the_indicators_page_is_a_link(page: Page, app_url: str, browser: Browser):
    open_app(page, f"{app_url}/indicators")
    search = page.get_by_test_id("stTextInput").filter(has_text="三级指标名称包含")
    search.locator("input").fill("满意度")
    search.locator("input").press("Enter")
    wait_for_app_run(page)
    shared = page.url
    assert parse_qs(urlparse(shared).query)["indicator_search"] == ["满意度"]
    found = page.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^共 \d+ 行"))
    counted = found.first.inner_text()
    assert int(re.search(r"\d+", counted)[0]) >= 2  # one line per evaluation in the store
    fresh = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        other = open_app(fresh.new_page(), shared)
        again = other.get_by_test_id("stTextInput").filter(has_text="三级指标名称包含")
        expect(again.locator("input")).to_have_value("满意度")
        caption = other.get_by_test_id("stCaptionContainer").filter(has_text=re.compile(r"^共 "))
        expect(caption.first).to_have_text(counted)
        no_exception(other)
    finally:
        fresh.close()


def test_a_pinned_link_stays_pinned_across_pages(page: Page, app_url: str):
    """`asof` is no widget, so Streamlit drops it on a page switch unless the app puts it back."""
    open_app(page, f"{app_url}/?asof=1")
    note = page.get_by_text("这是数据版本 1 时的快照")
    expect(note).to_be_visible()
    page.get_by_role("link", name="资金执行").first.click()
    wait_for_app_run(page)
    expect(page).to_have_url(re.compile(r"/funds\?(.*&)?asof=1(&|$)"))
    expect(note).to_be_visible()
    executed = page.get_by_test_id("stMetric").filter(has_text="全年执行数")
    expect(executed.get_by_test_id("stMetricValue")).to_have_text("261.46 万元")  # 2022 alone
    page.get_by_role("button", name="查看最新数据").click()
    wait_for_app_run(page)
    expect(note).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/funds$"))
    no_exception(page)


def test_a_link_with_unknown_values_explains_itself(page: Page, app_url: str):
    open_app(page, f"{app_url}/indicators?dept=不存在的部门&year=2022")
    expect(page.get_by_text("不存在，已忽略")).to_be_visible()
    expect(page.get_by_role("heading", name="指标得分", exact=True)).to_be_visible()
    no_exception(page)


def test_chinese_font_is_installed_for_the_screenshots():
    if not Path("/usr/bin/fc-list").exists():
        pytest.skip("fontconfig is not installed")
    families = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout
    if "Noto Sans CJK" not in families and os.environ.get("CI") != "true":
        pytest.skip("fonts-noto-cjk is not installed on this machine")
    assert "Noto Sans CJK" in families, "fonts-noto-cjk is needed for CJK text in screenshots"
