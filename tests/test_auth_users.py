"""`python -m dashboard.users`: TOML blocks, file updates, and the hash it writes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard import auth, users

ROOT = Path(__file__).resolve().parent.parent


def _add(monkeypatch: pytest.MonkeyPatch, *argv: str, password: str = "a good password") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return users.main(["add", *argv, "--password-stdin"])


def test_block_parses_back_with_role_scope_and_hash() -> None:
    block = users.user_block(
        "李四@example.cn", "uploader", ["市委组织部", '带"引号"的局'], "scrypt$x"
    )
    parsed = tomllib.loads(block)
    assert parsed["users"]["李四@example.cn"] == {
        "role": "uploader",
        "departments": ["市委组织部", '带"引号"的局'],
    }
    assert parsed["passwords"]["李四@example.cn"] == {"hash": "scrypt$x"}


def test_printed_block_holds_a_verifiable_hash_not_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(monkeypatch, "alice", "--role", "viewer", "--departments", "财政局，教育局") == 0
    out = capsys.readouterr().out
    assert "a good password" not in out
    parsed = tomllib.loads(out)
    assert parsed["users"]["alice"]["departments"] == ["财政局", "教育局"]
    assert auth.verify_password(parsed["passwords"]["alice"]["hash"], "a good password")


def test_file_update_replaces_the_user_and_keeps_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('# 我们的配置\n[users.bob]\nrole = "viewer"\n', encoding="utf-8")
    assert _add(monkeypatch, "alice", "--role", "viewer", "--file", str(secrets)) == 0
    assert (
        _add(
            monkeypatch,
            "ALICE",
            "--role",
            "admin",
            "--file",
            str(secrets),
            password="新的密码 12345",
        )
        == 0
    )
    text = secrets.read_text(encoding="utf-8")
    parsed = tomllib.loads(text)
    assert text.startswith("# 我们的配置\n")
    assert set(parsed["users"]) == {"bob", "ALICE"}
    assert parsed["users"]["ALICE"] == {"role": "admin"}
    assert auth.verify_password(parsed["passwords"]["ALICE"]["hash"], "新的密码 12345")
    assert os.stat(secrets).st_mode & 0o077 == 0
    config = auth.load_config(parsed)
    assert config.mode == "passwords" and auth.check_password(config, "alice", "新的密码 12345")


def test_file_is_left_alone_when_the_result_would_be_invalid(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secrets = tmp_path / "secrets.toml"
    before = f'[proxy]\nsecret = "{"p" * 32}"\n'
    secrets.write_text(before, encoding="utf-8")
    # a password in a proxy-mode file would configure two modes at once
    assert _add(monkeypatch, "alice", "--role", "viewer", "--file", str(secrets)) == 2
    assert "未修改文件" in capsys.readouterr().err
    assert secrets.read_text(encoding="utf-8") == before
    assert (
        users.main(["add", "alice", "--role", "viewer", "--no-password", "--file", str(secrets)])
        == 0
    )
    assert auth.load_config(tomllib.loads(secrets.read_text(encoding="utf-8"))).resolve("alice")


def test_short_password_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _add(monkeypatch, "alice", "--role", "viewer", password="short") == 2


def test_module_runs_as_a_command() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard.users",
            "add",
            "x@y.cn",
            "--role",
            "uploader",
            "--password-stdin",
        ],
        input="a good password\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert tomllib.loads(done.stdout)["users"]["x@y.cn"]["role"] == "uploader"
    assert (
        "streamlit"
        not in subprocess.run(
            [sys.executable, "-c", "import sys, dashboard.users; print(sorted(sys.modules))"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
    )
