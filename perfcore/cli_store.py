"""Store subcommands of `python -m perfcore`: ingest, history, restore, seed, recompute.

Exit codes: 0 done (a duplicate upload is done too: nothing needed changing), 1 rejected or
not found, 75 the store is busy in another process (try again later).
"""

from __future__ import annotations

import argparse
import getpass
import shlex
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import pandas as pd

from perfcore.cli import full_option
from perfcore.cli_text import lists_each, print_summary
from perfcore.connection import BadSetting, StoreBusy, WriteFailed
from perfcore.model import EvaluationKey, UploadFile
from perfcore.progress import on_terminal
from perfcore.rules import UnknownRuleSet, available_rule_sets
from perfcore.scoring import fmt
from perfcore.store import IngestOutcome, Store, db_path, open_store, prepare_upload
from perfcore.versions import VersionNotFound

EXIT_BUSY = 75


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _store_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else db_path()


def _existing_store(args: argparse.Namespace) -> Store | None:
    path = _store_path(args)
    if not path.exists():
        print(f"错误：数据库文件「{path}」不存在（store not found: {path}）", file=sys.stderr)
        return None
    return open_store(path, seed=False)


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the store's expected failures into a message and an exit code, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except StoreBusy as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return EXIT_BUSY
        except (VersionNotFound, BadSetting, WriteFailed) as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        except UnknownRuleSet as exc:
            known = "、".join(info.name for info in available_rule_sets())
            print(
                f"错误：评分规则「{exc.name}」不存在，可选：{known}（unknown rule set {exc.name!r}）",
                file=sys.stderr,
            )
            return 1

    return run


def print_outcome(
    outcome: IngestOutcome, out: TextIO | None = None, db: str | None = None, *, full: bool = False
) -> None:
    """The assessment summary, then what happened to the upload, in Chinese.

    `db` is the --db the command was given, repeated in the restore commands it suggests.
    `full` lists every evaluation even of a large upload (see `perfcore.cli_text`).
    """
    out = out or sys.stdout
    print_summary(outcome.assessment, out, full=full)
    if outcome.status == "rejected":
        print("结果：文件有错误，未保存任何数据（rejected: nothing stored）。", file=out)
    elif outcome.status == "duplicate":
        print(
            f"结果：与第 {outcome.upload_id} 次上传的文件完全相同，未做任何更改"
            "（duplicate: nothing changed）。",
            file=out,
        )
        _print_earlier(outcome, out, db)
    else:
        stored = outcome.versions
        if lists_each(len(stored), full):
            print(f"结果：已保存为第 {outcome.upload_id} 次上传（stored）：", file=out)
            for key, version in stored.items():
                print(f"  {key.label()} → 第 {version} 版（当前）", file=out)
        else:
            made = "，".join(
                f"第 {v} 版 {n:,} 个" for v, n in sorted(Counter(stored.values()).items())
            )
            print(
                f"结果：已保存为第 {outcome.upload_id} 次上传（stored）：{len(stored):,} 个评价，"
                f"均为当前版本（{made}）；逐个列出请加 --full，"
                "各评价的版本可用 python -m perfcore history 查看。",
                file=out,
            )


def _print_earlier(outcome: IngestOutcome, out: TextIO, db: str | None) -> None:
    """Which version the duplicate files are; for one no longer current, the restore command."""
    for earlier in outcome.earlier:
        print(f"  {earlier.describe_zh()}。", file=out)
        if earlier.is_current:
            continue
        key = earlier.key
        command = [
            "python -m perfcore restore",
            f"--year {key.year}",
            f"--department {shlex.quote(key.department)}",
            f"--project {shlex.quote(key.project)}",
            f"--version {earlier.version}",
            *([f"--db {shlex.quote(db)}"] if db else []),
        ]
        print(
            f"    重新上传不会使第 {earlier.version} 版成为当前版本；如要以这些文件为准，请恢复：\n"
            f"    {' '.join(command)}\n"
            f"    (these files are version {earlier.version}, version {earlier.current} is "
            f"current; re-uploading changes nothing, restore makes version {earlier.version} "
            "current again)",
            file=out,
        )
    more = len(outcome.assessment.results) - len(outcome.earlier)
    if more > 0:
        print(
            f"  另有 {more} 个评价未逐一列出，可用 python -m perfcore history 查看各版本，"
            "用 python -m perfcore restore 恢复。",
            file=out,
        )


@_guarded
def cmd_ingest(args: argparse.Namespace) -> int:
    missing = [p for p in args.files if not Path(p).is_file()]
    for p in missing:
        print(f"错误：找不到文件「{p}」（file not found: {p}）", file=sys.stderr)
    if missing:
        return 1
    files = [UploadFile(Path(p).name, Path(p).read_bytes()) for p in args.files]
    with on_terminal(sys.stderr) as progress:
        # Read and score first: the store file stays free for other processes meanwhile.
        prepared = prepare_upload(files, rule_set=args.rule_set, progress=progress)
        with open_store(_store_path(args), seed=False) as store:
            outcome = store.ingest_prepared(prepared, uploaded_by=args.user, progress=progress)
    print_outcome(outcome, db=args.db, full=args.full)
    return 1 if outcome.status == "rejected" else 0


def _points(value: object) -> str:
    """A score from a query frame (float, Decimal or missing) as people write it."""
    return "—" if pd.isna(value) else fmt(Decimal(str(value)))


@_guarded
def cmd_history(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if store is None:
        return 1
    with store:
        table = store.history(year=args.year, department=args.department, project=args.project)
    if table.empty:
        print("没有找到符合条件的评价。")
        return 0
    for row in table.itertuples(index=False):
        how = "上传" if pd.isna(row.restored_from) else f"由第 {int(row.restored_from)} 版恢复"
        current = "［当前］" if row.is_current else ""
        print(
            f"{row.year}年 {row.department}「{row.project}」 第 {row.version} 版{current}"
            f"  {how}  {row.created_by}  {row.created_at:%Y-%m-%d %H:%M:%S}"
            f"  复核 {_points(row.total_computed)}（{row.grade_computed}）"
            f"  文件 {'、'.join(row.file_names)}"
        )
    return 0


@_guarded
def cmd_restore(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if store is None:
        return 1
    key = EvaluationKey(args.year, args.department, args.project)
    with store:
        new_version = store.restore(key, args.version, restored_by=args.user)
    if new_version == args.version:
        print(f"{key.label()} 第 {args.version} 版已是当前版本，未做更改。")
    else:
        print(f"已将 {key.label()} 第 {args.version} 版恢复为第 {new_version} 版（当前）。")
    return 0


@_guarded
def cmd_seed(args: argparse.Namespace) -> int:
    path = _store_path(args)
    existed = path.exists()
    with open_store(path, seed=True) as store:
        state = "已存在" if existed else "已创建并导入示例数据"
        print(f"数据库「{path}」{state}，数据版本 {store.data_version()}。")
        _rescore_stale(store)
    return 0


def _rescore_stale(store: Store) -> None:
    """Scores an older scoring engine computed are recomputed now, so no page shows them."""
    stale = store.stale_rule_sets()
    if not stale:
        return
    names = "、".join(f"{name}（{count} 个评价）" for name, count in stale.items())
    print(f"评分程序已更新，以下规则的复核得分由旧版计算，正在重新复核：{names}", flush=True)
    done = store.recompute_stale(
        lambda _fraction, message: print(f"  {message}", flush=True), requested_by="seed"
    )
    left = sorted(set(stale) - set(done))
    if left:
        print(
            f"注意：规则 {'、'.join(left)} 已不随本程序提供，其复核得分无法更新"
            f"（rule sets no longer shipped, left as they are: {', '.join(left)}）。"
        )


@_guarded
def cmd_recompute(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    if store is None:
        return 1
    with store:
        count = store.recompute(args.rule_set, requested_by=args.user)
    print(f"已按规则「{args.rule_set}」重新复核 {count} 个评价版本。")
    return 0


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库文件（默认取环境变量 PERF_DB，否则 data/perf.duckdb）")


def _user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", default=_user(), help="记录为操作人（默认当前系统用户）")


def _key_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--year", type=int, required=required, help="年度")
    parser.add_argument("--department", required=required, help="部门")
    parser.add_argument("--project", required=required, help="项目名称")


def add_store_commands(sub: argparse._SubParsersAction) -> None:
    """Add the store subcommands to `python -m perfcore`'s subparsers."""
    rule_sets = [info.name for info in available_rule_sets()]

    ingest = sub.add_parser("ingest", help="校验、复核并入库（有错误时不保存，退出码为 1）")
    ingest.add_argument("files", nargs="+", metavar="FILE", help="CSV / .xlsx / .zip")
    ingest.add_argument("--rule-set", choices=rule_sets, help="按此规则评分，而非评价自带的规则")
    _db_option(ingest)
    _user_option(ingest)
    full_option(ingest)
    ingest.set_defaults(func=cmd_ingest)

    history = sub.add_parser("history", help="列出评价的全部版本（谁、何时）")
    _key_options(history, required=False)
    _db_option(history)
    history.set_defaults(func=cmd_history)

    restore = sub.add_parser("restore", help="把某个旧版本恢复为当前版本（生成新版本）")
    _key_options(restore, required=True)
    restore.add_argument("--version", type=int, required=True, help="要恢复的版本号")
    _db_option(restore)
    _user_option(restore)
    restore.set_defaults(func=cmd_restore)

    seed = sub.add_parser(
        "seed", help="数据库不存在时创建并导入示例数据；评分程序更新后重新复核旧得分"
    )
    _db_option(seed)
    seed.set_defaults(func=cmd_seed)

    recompute = sub.add_parser("recompute", help="按指定规则重新复核全部已保存的评价")
    recompute.add_argument("--rule-set", required=True, help="规则名称，如 " + "、".join(rule_sets))
    _db_option(recompute)
    _user_option(recompute)
    recompute.set_defaults(func=cmd_recompute)
