"""The deployment examples: nginx site validated by Debian's nginx, Dockerfile and systemd unit
checked for what hosting relies on (a Docker daemon is not available in CI, so the image is not
built here; `systemd-analyze verify` runs when present)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "perf-dashboard.conf"
DOCKERFILE = DEPLOY / "Dockerfile"
DOCKERIGNORE = DEPLOY / "Dockerfile.dockerignore"
UNIT = DEPLOY / "systemd" / "perf-dashboard.service"
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "site.crt", folder / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def site_for_test(
    folder: Path,
    *,
    proxy_auth: bool,
    listen: tuple[int, int] | None = None,
    upstream: int | None = None,
) -> str:
    """The example site with test certificates; optionally the basic-auth lines switched on,
    and the (https, http) ports and the upstream moved so that it can run next to other tests."""
    cert, key = self_signed_cert(folder)
    site = NGINX_SITE.read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/certs/perf-dashboard.crt", str(cert))
    site = site.replace("/etc/ssl/private/perf-dashboard.key", str(key))
    if proxy_auth:
        site = site.replace("#proxy-auth ", "")
        site = site.replace("/etc/nginx/perf-dashboard.htpasswd", str(folder / "htpasswd"))
    if listen is not None:
        https, http = listen
        site = re.sub(r"listen 80;\n\s*listen \[::\]:80;", f"listen 127.0.0.1:{http};", site)
        site = re.sub(
            r"listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;",
            f"listen 127.0.0.1:{https} ssl http2;",
            site,
        )
    if upstream is not None:
        site = site.replace("127.0.0.1:8501", f"127.0.0.1:{upstream}")
    return site


def nginx_prefix(folder: Path, site: str) -> Path:
    """A minimal nginx.conf in `folder` that includes `site` inside http {}; returns its path.
    Run as root, the workers stay root so that they can read the 0700 pytest temp dir."""
    (folder / "site.conf").write_text(site, encoding="utf-8")
    conf = folder / "nginx.conf"
    temp = "\n".join(
        f"    {kind}_temp_path {folder / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\ndaemon off;\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n    include {folder / 'site.conf'};\n}}\n",
        encoding="utf-8",
    )
    return conf


def nginx_test(conf: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["nginx", "-t", "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx not installed (.ci/run installs nginx-light)",
)


@pytest.fixture(autouse=True)
def _sbin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


@needs_nginx
@pytest.mark.parametrize("proxy_auth", [False, True], ids=["plain", "proxy-auth"])
def test_nginx_accepts_the_site(tmp_path: Path, proxy_auth: bool) -> None:
    done = nginx_test(nginx_prefix(tmp_path, site_for_test(tmp_path, proxy_auth=proxy_auth)))
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


@needs_nginx
def test_nginx_refuses_a_broken_site(tmp_path: Path) -> None:
    """The check above can fail: a missing semicolon is reported."""
    broken = site_for_test(tmp_path, proxy_auth=False).replace(
        "proxy_buffering off;", "proxy_buffering off"
    )
    assert nginx_test(nginx_prefix(tmp_path, broken)).returncode != 0


def test_nginx_site_carries_websocket_upload_and_identity_settings() -> None:
    site = NGINX_SITE.read_text(encoding="utf-8")
    assert "proxy_http_version 1.1;" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert re.search(r"proxy_set_header Connection \$\w+;", site)
    assert "proxy_pass http://127.0.0.1:8501;" in site
    body = re.search(r"client_max_body_size (\d+)m;", site)
    assert body and int(body[1]) >= CONFIG["server"]["maxUploadSize"]
    # the identity headers are always overwritten, whether or not basic auth is on
    assert re.search(r"^\s+proxy_set_header X-Remote-User \$remote_user;", site, re.M)
    assert re.search(r"^\s+proxy_set_header X-Proxy-Secret \$perf_proxy_secret;", site, re.M)
    assert re.search(r"^\s+ssl_certificate\s", site, re.M)


def test_config_is_hardened_for_hosting() -> None:
    assert CONFIG["server"]["headless"] is True
    assert CONFIG["server"]["address"] == "127.0.0.1"  # local mode never listens on the network
    assert CONFIG["server"]["enableXsrfProtection"] is True
    assert 0 < CONFIG["server"]["maxUploadSize"] <= 200
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["toolbarMode"] == "viewer"


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def test_dockerfile_structure() -> None:
    instructions = dockerfile_instructions()
    kinds = [kind for kind, _ in instructions]
    args = {kind: [a for k, a in instructions if k == kind] for kind in kinds}
    assert args["FROM"] == ["python:3.11-slim"]
    assert any("fonts-noto-cjk" in run for run in args["RUN"])
    users = args["USER"]
    assert users and users[-1] not in ("root", "0")
    assert kinds.index("USER") < kinds.index("CMD")
    health = " ".join(args["HEALTHCHECK"])
    assert "/_stcore/health" in health and "8501" in health
    env = " ".join(args["ENV"])
    db_dir = re.search(r"PERF_DB=(\S+)/[^/\s]+\.duckdb", env)
    assert db_dir and db_dir[1] in " ".join(args["VOLUME"])
    cmd = " ".join(args["CMD"])
    assert "dashboard/serve.py" in cmd and "--client.showErrorDetails=none" in cmd
    assert cmd.index("-m perfcore seed &&") < cmd.index("exec python -m streamlit run")
    assert "8501" in " ".join(args["EXPOSE"])


def test_dockerfile_never_copies_secrets_or_databases() -> None:
    instructions = dockerfile_instructions()
    sources = [a.split()[0] for k, a in instructions if k == "COPY"]
    assert "." not in sources and "secrets.toml" not in " ".join(sources)
    for source in sources:
        assert (ROOT / source).exists(), f"COPY source {source} missing"
    ignore = [
        line
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert ignore[0] == "*"  # an allow-list
    allowed = [line[1:] for line in ignore if line.startswith("!")]
    assert not any("secrets" in a or "duckdb" in a or a.rstrip("/") == "data" for a in allowed)


def unit_values() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_systemd_unit_structure() -> None:
    values = unit_values()
    assert values["User"] not in (["root"], ["0"])
    exec_start = values["ExecStart"][0]
    assert "--server.address=127.0.0.1" in exec_start
    assert "--client.showErrorDetails=none" in exec_start
    assert "dashboard/serve.py" in exec_start
    assert values["ExecStartPre"] == ["/opt/perf-dashboard/.venv/bin/python -m perfcore seed"]
    db = values["Environment"]
    assert any(v.startswith("PERF_DB=/var/lib/perf-dashboard/") for v in db)
    assert values["StateDirectory"] == ["perf-dashboard"]
    assert values["ProtectSystem"] == ["strict"] and values["NoNewPrivileges"] == ["true"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not available")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    # Paths moved to this checkout so that verify can check the command exists.
    unit = UNIT.read_text(encoding="utf-8")
    unit = unit.replace("/opt/perf-dashboard/.venv/bin/python", sys.executable)
    unit = unit.replace("WorkingDirectory=/opt/perf-dashboard", f"WorkingDirectory={ROOT}")
    target = tmp_path / "perf-dashboard.service"
    target.write_text(unit, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert not re.search(r"Unknown (key|section)|Invalid|Failed to parse", done.stderr), done.stderr


def test_backup_by_copying_the_closed_file_restores_the_same_data(
    seeded_db: Path, tmp_path: Path
) -> None:
    """deploy/README.md §4: stop the server, copy the file, check it read-only, copy it back."""
    from perfcore.store import open_store

    with open_store(seeded_db) as store:
        version = store.data_version()
    backup = tmp_path / "backup" / "perf-2026-01-31.duckdb"
    backup.parent.mkdir()
    shutil.copy2(seeded_db, backup)
    check = re.search(r'python -c "(.+?)" \\\n\s+\S+', (DEPLOY / "README.md").read_text("utf-8"))
    assert check, "the README's backup check command"
    counted = subprocess.run(
        [sys.executable, "-c", check[1], str(backup)], capture_output=True, text=True, check=True
    )
    assert int(counted.stdout) >= 1
    restored = tmp_path / "restored.duckdb"
    shutil.copy2(backup, restored)
    with open_store(restored, seed=False) as store:
        assert store.data_version() == version
