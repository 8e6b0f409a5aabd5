"""The ways in, in Debian's Chromium: the password form, the trusted proxy header, and the
example nginx site with basic auth in front of a real server.

Each server gets its own secrets file through `--secrets.files` (never the repository's
.streamlit/secrets.toml) and its own seeded DuckDB file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboard import auth
from tests.browser.conftest import _free_port, _wait_healthy, open_app, wait_for_app_run
from tests.test_deploy import nginx_prefix, site_for_test

ROOT = Path(__file__).resolve().parents[2]
SEED_DEPT = "中共益阳市委组织部"
PROXY_SECRET = "browser-test-" + "k3" * 16
PASSWORDS = {"zhangsan": "查看者的密码-1", "lisi": "上传者的密码-2"}
USERS = {
    "zhangsan": {"role": "viewer", "departments": [SEED_DEPT]},
    "lisi": {"role": "uploader"},
    "wangwu": {"role": "viewer", "departments": ["别的部门"]},
}


def toml_users() -> str:
    lines = []
    for name, rule in USERS.items():
        lines += [f"[users.{name}]", f'role = "{rule["role"]}"']
        if "departments" in rule:
            lines.append("departments = [" + ", ".join(f'"{d}"' for d in rule["departments"]) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Start `streamlit run dashboard/serve.py` with the given secrets.toml text; returns its URL."""
    procs: list[tuple[subprocess.Popen, object]] = []

    def start(secrets: str | None, address: str = "127.0.0.1") -> str:
        folder = tmp_path_factory.mktemp("auth-server")
        if secrets is not None:  # None: no secrets file at all, i.e. local mode
            (folder / "secrets.toml").write_text(secrets, encoding="utf-8")
        port = _free_port()
        log = (folder / "streamlit.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/serve.py",
             "--server.headless", "true", "--server.address", address,
             "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none",
             "--secrets.files", str(folder / "secrets.toml")],
            cwd=ROOT, env={**os.environ, "PERF_DB": str(folder / "perf.duckdb")},
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        procs.append((proc, log))
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        return url

    yield start
    for proc, log in procs:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def password_url(serve: Callable[..., str]) -> str:
    blocks = [f'[passwords.{n}]\nhash = "{auth.hash_password(p)}"' for n, p in PASSWORDS.items()]
    return serve(toml_users() + "\n" + "\n".join(blocks) + "\n")


@pytest.fixture(scope="module")
def proxy_url(serve: Callable[..., str]) -> str:
    return serve(toml_users() + f'\n[proxy]\nsecret = "{PROXY_SECRET}"\n')


def log_in(page: Page, name: str, password: str) -> None:
    page.get_by_label("用户名 User name").fill(name)
    page.get_by_label("密码 Password").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_for_app_run(page)


def heading(page: Page, title: str):
    return page.get_by_role("heading", name=title, exact=True)


# --- passwords -------------------------------------------------------------------------------


def test_a_fresh_context_sees_only_the_login_form(page: Page, password_url: str) -> None:
    open_app(page, f"{password_url}/funds")
    expect(page.get_by_label("密码 Password")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    assert SEED_DEPT not in page.content()


def test_a_wrong_password_is_refused(page: Page, password_url: str) -> None:
    open_app(page, password_url)
    log_in(page, "lisi", "不是这个密码")
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    log_in(page, "nobody", PASSWORDS["lisi"])
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()


def test_a_viewer_cannot_reach_upload_by_url(page: Page, password_url: str) -> None:
    open_app(page, f"{password_url}/upload")
    log_in(page, "zhangsan", PASSWORDS["zhangsan"])
    expect(heading(page, "总览")).to_be_visible()
    expect(heading(page, "数据上传")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
    expect(page.get_by_role("link", name="数据上传")).to_have_count(0)
    expect(page.get_by_text("97.13").first).to_be_visible()


def test_an_uploaders_deep_link_survives_the_login(page: Page, password_url: str) -> None:
    open_app(page, f"{password_url}/upload")
    log_in(page, "lisi", PASSWORDS["lisi"])
    expect(heading(page, "数据上传")).to_be_visible()
    assert page.url.split("?")[0].endswith("/upload")
    page.get_by_role("button", name="退出登录").click()
    wait_for_app_run(page)
    expect(page.get_by_label("密码 Password")).to_be_visible()


# --- trusted proxy header --------------------------------------------------------------------


def context_page(browser: Browser, **kwargs) -> Page:
    return browser.new_context(viewport={"width": 1366, "height": 768}, **kwargs).new_page()


def test_the_proxy_header_gets_the_mapped_role(browser: Browser, proxy_url: str) -> None:
    page = context_page(
        browser, extra_http_headers={"X-Remote-User": "lisi", "X-Proxy-Secret": PROXY_SECRET}
    )
    open_app(page, f"{proxy_url}/upload")
    expect(heading(page, "数据上传")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("lisi")).to_be_visible()
    page.context.close()


def test_a_scoped_proxy_user_sees_only_their_departments(browser: Browser, proxy_url: str) -> None:
    page = context_page(
        browser, extra_http_headers={"X-Remote-User": "wangwu", "X-Proxy-Secret": PROXY_SECRET}
    )
    open_app(page, proxy_url)
    expect(page.get_by_text("97.13")).to_have_count(0)
    assert SEED_DEPT not in page.content()
    page.context.close()


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Remote-User": "lisi"}, {"X-Remote-User": "lisi", "X-Proxy-Secret": "x" * 40}],
    ids=["no-header", "no-secret", "wrong-secret"],
)
def test_without_the_proxys_word_nobody_gets_in(
    browser: Browser, proxy_url: str, headers: dict[str, str]
) -> None:
    page = context_page(browser, extra_http_headers=headers)
    open_app(page, f"{proxy_url}/upload")
    expect(page.get_by_text("未通过统一登录")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    assert SEED_DEPT not in page.content()
    page.context.close()


# --- the example nginx site in front of it ------------------------------------------------------


@pytest.fixture(scope="module")
def nginx_url(tmp_path_factory: pytest.TempPathFactory, proxy_url: str) -> Iterator[str]:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("nginx not installed (.ci/run installs nginx-light)")
    folder = tmp_path_factory.mktemp("nginx")
    hashed = subprocess.run(
        ["openssl", "passwd", "-apr1", PASSWORDS["lisi"]],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (folder / "htpasswd").write_text(f"lisi:{hashed}\n", encoding="utf-8")
    https, http = _free_port(), _free_port()
    upstream = int(proxy_url.rsplit(":", 1)[1])
    site = site_for_test(folder, proxy_auth=True, listen=(https, http), upstream=upstream)
    site = site.replace("<same random string as [proxy] secret>", PROXY_SECRET)
    conf = nginx_prefix(folder, site)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    proc = subprocess.Popen(
        [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while not (folder / "nginx.pid").exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "error.log").read_text(encoding="utf-8"))
            time.sleep(0.1)
        yield f"https://127.0.0.1:{https}"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_through_nginx_basic_auth_names_the_user(browser: Browser, nginx_url: str) -> None:
    page = context_page(
        browser,
        ignore_https_errors=True,
        http_credentials={"username": "lisi", "password": PASSWORDS["lisi"]},
        extra_http_headers={"X-Remote-User": "wangwu"},  # nginx overwrites a forged header
    )
    open_app(page, f"{nginx_url}/upload")  # the websocket goes through nginx too
    expect(heading(page, "数据上传")).to_be_visible()
    expect(page.get_by_test_id("stSidebar").get_by_text("lisi")).to_be_visible()
    page.context.close()


def test_through_nginx_http2_and_compressed_scripts(browser: Browser, nginx_url: str) -> None:
    page = context_page(
        browser,
        ignore_https_errors=True,
        http_credentials={"username": "lisi", "password": PASSWORDS["lisi"]},
    )
    open_app(page, nginx_url)  # the app runs: its websocket still works beside HTTP/2
    protocol = page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")
    assert protocol == "h2"
    scripts = page.evaluate(
        "performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('/static/js/') && e.decodedBodySize > 100000)"
        ".map(e => [e.encodedBodySize, e.decodedBodySize])"
    )
    assert scripts, "no large script was loaded"
    assert all(0 < encoded < decoded / 2 for encoded, decoded in scripts), scripts
    page.context.close()


def test_nginx_turns_away_a_browser_without_credentials(browser: Browser, nginx_url: str) -> None:
    context = browser.new_context(ignore_https_errors=True)
    assert context.request.get(nginx_url).status == 401
    forged = {"X-Remote-User": "lisi", "X-Proxy-Secret": PROXY_SECRET}
    assert context.request.get(f"{nginx_url}/upload", headers=forged).status == 401
    context.close()


# --- local mode reached over the network -------------------------------------------------------


def network_address() -> str | None:
    """This machine's address on its default route (no packet is sent), unless only loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_local_mode_refuses_a_visitor_from_the_network(page: Page, serve) -> None:
    address = network_address()
    if address is None:
        pytest.skip("no non-loopback address on this machine")
    url = serve(None, address="0.0.0.0")
    port = url.rsplit(":", 1)[1]
    open_app(page, f"http://{address}:{port}/upload")
    expect(page.get_by_text("本地模式只允许本机访问")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    assert SEED_DEPT not in page.content()
    open_app(page, url)  # the same server from this computer: local mode as usual
    expect(page.get_by_text("本地模式：未启用登录")).to_be_visible()
