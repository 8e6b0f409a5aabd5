"""No real secret is committed, the real secrets file is git-ignored, and the example stays true."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from dashboard import auth

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / ".streamlit" / "secrets.example.toml"

# A placeholder is "<…>", or plainly made up (repeated letters, x/*), never a real value.
_PLACEHOLDER = re.compile(r"^<.*>$|^(.)\1*$|^[x*]+$", re.IGNORECASE)
SECRET_PATTERNS: dict[str, re.Pattern[str]] = {
    "private key": re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "password hash": re.compile(r"scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]{12,}\$[A-Za-z0-9+/=]{24,}"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
}
# `cookie_secret = "…"`, `password: '…'`, `X-Proxy-Secret "…"`: a long quoted value.
_ASSIGNED = re.compile(
    r"(?i)(secret|password|passwd|cookie|token|api[_-]?key|private[_-]?key)[\w-]*[\"']?"
    r"\s*[:=]?\s*[\"']([^\"'\s]{20,})[\"']"
)


def find_secrets(text: str) -> list[str]:
    """What in `text` looks like a real credential, by kind."""
    found = [kind for kind, pattern in SECRET_PATTERNS.items() if pattern.search(text)]
    for match in _ASSIGNED.finditer(text):
        value = match.group(2)
        if not _PLACEHOLDER.match(value) and not value.startswith("$"):
            found.append(f"{match.group(1)} value {value[:4]}…")
    return found


def tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in listed.split("\0") if name]


# Built at run time so that this file does not itself contain what it looks for.
_TOKEN = "q8Zr3kPp1Lw9" * 2


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE",
        "-----BEGIN " + "PRIVATE KEY-----",
        "aws_key = AKIA" + "IOSFODNN7EXAMPLE",
        f'cookie_secret = "{_TOKEN}"',
        f'proxy_set_header X-Proxy-Secret "{_TOKEN}";',
        f'[passwords.a]\nhash = "{auth.hash_password("x" * 12)}"',
    ],
)
def test_the_scanner_recognises_secrets(text: str) -> None:
    assert find_secrets(text)


@pytest.mark.parametrize(
    "text",
    [
        'cookie_secret = "<random string from the command above>"',
        'secret = "xxxxxxxxxxxxxxxxxxxxxxxx"',
        'PROXY_SECRET = "s" * 40',
        "password = st.text_input('密码')",
    ],
)
def test_the_scanner_lets_placeholders_pass(text: str) -> None:
    assert find_secrets(text) == []


def test_no_tracked_file_contains_a_secret() -> None:
    offenders = {}
    for path in tracked_files():
        if not path.is_file():
            continue  # deleted in the working tree, not yet committed
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            text = path.read_bytes().decode("latin-1")
        if found := find_secrets(text):
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_real_secrets_file_is_ignored_and_untracked() -> None:
    for name in (".streamlit/secrets.toml", "data/perf.duckdb"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{name} is not git-ignored"
    assert ROOT / ".streamlit" / "secrets.toml" not in tracked_files()


def example_block(mode: str) -> str:
    """One commented-out mode block of the example, uncommented."""
    text = EXAMPLE.read_text(encoding="utf-8")
    block = re.search(rf"^# >>> {mode}\b.*?\n(.*?)^# <<< {mode}$", text, re.S | re.M)
    assert block, f"no {mode} block in the example"
    return "\n".join(line.removeprefix("# ") for line in block.group(1).splitlines()) + "\n"


def test_example_as_committed_is_local_mode_with_valid_users() -> None:
    config = auth.load_config(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert config.mode == "local"
    assert set(config.users) == {"leader@example.gov.cn", "zhangsan", "admin"}


@pytest.mark.parametrize("mode", ["oidc", "proxy", "passwords"])
def test_each_example_block_loads_once_filled_in(mode: str) -> None:
    users = EXAMPLE.read_text(encoding="utf-8")
    block = example_block(mode)
    with pytest.raises(auth.AccessConfigError):  # the placeholders themselves are refused
        auth.load_config(tomllib.loads(users + block))
    filled = re.sub(
        r'"<[^"]*>"',
        lambda m: (
            f'"{auth.hash_password("x" * 12)}"'
            if mode == "passwords"
            else '"https://a.example/oauth2callback-' + "f" * 30 + '"'
        ),
        block,
    )
    config = auth.load_config(tomllib.loads(users + filled))
    assert config.mode == mode
    assert config.resolve("ZhangSan") == auth.Access("ZhangSan", "uploader", ("市委组织部",))
