"""`python -m dashboard.users add NAME --role uploader --departments A,B [--file PATH]`.

Adds a user to secrets.toml: a `[users.NAME]` block with the role and department scope and,
unless `--no-password`, a `[passwords.NAME]` block with a salted scrypt hash of a password typed
twice (or one line on stdin with `--password-stdin`). Without `--file` the TOML is printed to
paste; with it, the user's earlier blocks are replaced and the file is rewritten only if the
result still loads as a valid access configuration. Plain-text passwords are never written.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

from dashboard.auth import ROLES, AccessConfigError, hash_password, load_config, user_key

_SECTIONS = ("users", "passwords")


class UsageError(Exception):
    """A problem with the command line or the file; printed, exit status 2."""


def toml_key(name: str) -> str:
    """`name` as a TOML key: bare when it can be, otherwise a quoted string (e-mail addresses)."""
    if name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        return name
    return json.dumps(name, ensure_ascii=False)


def toml_string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def user_block(
    name: str, role: str, departments: Sequence[str] | None, password_hash: str | None
) -> str:
    """The TOML for one user, ready to append to secrets.toml."""
    key = toml_key(name)
    lines = [f"[users.{key}]", f"role = {toml_string(role)}"]
    if departments is not None:
        lines.append(f"departments = [{', '.join(toml_string(d) for d in departments)}]")
    if password_hash is not None:
        lines += ["", f"[passwords.{key}]", f"hash = {toml_string(password_hash)}"]
    return "\n".join(lines) + "\n"


def _header_path(line: str) -> tuple[str, ...] | None:
    """The key path of a `[a.b]` table header line, or None when the line is not one."""
    stripped = line.strip()
    if not stripped.startswith("[") or stripped.startswith("[["):
        return None
    try:
        parsed = tomllib.loads(stripped + "\n")
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(parsed, dict) and len(parsed) == 1:
        key, parsed = next(iter(parsed.items()))
        path.append(key)
    return tuple(path)


def without_user(text: str, name: str) -> str:
    """`text` minus the `[users.NAME]` and `[passwords.NAME]` tables (header to next header);
    names match regardless of case, as they do at login."""
    kept: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        path = _header_path(line)
        if path is not None:
            skipping = (
                len(path) == 2 and path[0] in _SECTIONS and user_key(path[1]) == user_key(name)
            )
        if not skipping:
            kept.append(line)
    return "".join(kept)


def updated_secrets(text: str, block: str, name: str) -> str:
    """The secrets file with this user's block in place of any earlier one; validated."""
    base = without_user(text, name).rstrip("\n")
    result = f"{base}\n\n{block}" if base else block
    try:
        load_config(tomllib.loads(result))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"secrets 文件不是有效的 TOML（invalid TOML）：{exc}") from exc
    except AccessConfigError as exc:
        raise UsageError(f"写入后配置无效，未修改文件：{exc}") from exc
    return result


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with a file only its owner can read."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("密码 Password: ")
        if getpass.getpass("再输入一次 Repeat: ") != password:
            raise UsageError("两次输入的密码不一致（passwords differ）。")
    if len(password) < 8:
        raise UsageError("密码至少 8 个字符（password must have at least 8 characters）。")
    return password


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.users", description="为看板添加用户（add a dashboard user）"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="添加或替换一个用户（add or replace a user）")
    add.add_argument("name", help="登录名，或 OIDC 模式下的电子邮箱")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--departments", help="逗号分隔的部门；省略 = 全部部门")
    add.add_argument("--file", type=Path, help="要更新的 secrets.toml；省略则只打印")
    add.add_argument("--no-password", action="store_true", help="OIDC / 代理模式：只写角色")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读一行密码")
    return parser


def _departments(raw: str | None) -> list[str] | None:
    if raw is None:
        return None
    return [d.strip() for d in raw.replace("，", ",").split(",") if d.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    name = args.name.strip()
    try:
        if not name:
            raise UsageError("用户名不能为空（empty user name）。")
        password_hash = (
            None if args.no_password else hash_password(_read_password(args.password_stdin))
        )
        block = user_block(name, args.role, _departments(args.departments), password_hash)
        if args.file is None:
            sys.stdout.write(block)
            return 0
        text = args.file.read_text(encoding="utf-8") if args.file.exists() else ""
        _write_private(args.file, updated_secrets(text, block, name))
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"已写入 {args.file}：用户 {name}，角色 {args.role}（written）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
