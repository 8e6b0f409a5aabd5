"""One `streamlit run dashboard/serve.py` per session on a free local port, with its own PERF_DB in
a temp dir, driven by Debian's /usr/bin/chromium. The store holds the seed (data version 1) and
the seed again as 2023 (version 2): the pages show two evaluations, and a link pinned to
version 1 has newer data to differ from.

Playwright never downloads a browser here. Without /usr/bin/chromium the suite is skipped on a
developer machine and fails in CI (CI=true), where `.ci/run` installs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from bench.browser import settle
from perfcore.model import UploadFile
from perfcore.store import SEED_DIR, open_store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
DESKTOP = {"width": 1366, "height": 768}
TABLET = {"width": 1024, "height": 1366}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{CHROMIUM} is missing; .ci/run installs Debian's chromium for the browser tests"
        )
    pytest.skip(
        f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped outside CI"
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": DESKTOP, "locale": "zh-CN"}


def seed_as_year(year: int) -> list[UploadFile]:
    """The seed tables as an upload for another year: a new evaluation, not a duplicate."""
    return [
        UploadFile(p.name, p.read_text(encoding="utf-8").replace("\n2022,", f"\n{year},").encode())
        for p in sorted(SEED_DIR.glob("*.csv"))
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    port = _free_port()
    log = (folder / "streamlit.log").open("wb")
    db = folder / "perf.duckdb"
    with open_store(db) as store:  # seeded on creation: version 1
        assert store.ingest(seed_as_year(2023), uploaded_by="browser-test").status == "stored"
    env = {**os.environ, "PERF_DB": str(db)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard/serve.py",
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_app_run(page: Page, timeout: float = 90_000) -> None:
    """The bench's wait (`bench.browser.settle`), after the run a click started has begun.

    Generous timeouts: a plotly chart shows a skeleton until plotly's script has loaded, which
    takes long on a busy 2-core machine."""
    page.wait_for_timeout(210)
    settle(page, timeout)
    page.wait_for_timeout(100)


def open_app(page: Page, url: str) -> Page:
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", state="attached", timeout=30_000)
    wait_for_app_run(page)
    return page
