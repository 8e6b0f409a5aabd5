"""`python -m perfcore validate|score|ingest …` (DESIGN.md §5). Never prints a traceback.

Exit codes: 0 fine, 1 errors found (or a file missing), 130 interrupted, 141 the output pipe
was closed early (`… | head -1`); the store commands add theirs (see `perfcore.cli_store`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from perfcore.cli_text import LISTED_EVALUATIONS, print_summary
from perfcore.engine import Assessment, assess_paths
from perfcore.model import EvaluationResult
from perfcore.progress import on_terminal
from perfcore.rules import available_rule_sets

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_to_json(result: EvaluationResult) -> dict:
    key, funds = result.key, result.funds
    return {
        "year": key.year,
        "department": key.department,
        "project": key.project,
        "rule_set": result.rule_set,
        "total_reported": _number(result.total_reported),
        "total_computed": _number(result.total_computed),
        "grade_reported": result.grade_reported,
        "grade_computed": result.grade_computed,
        "execution_rate": _number(funds.execution_rate),
        "funds": {
            "annual_budget": _number(funds.annual_budget),
            "executed": _number(funds.executed),
            "initial_budget": _number(funds.initial_budget),
            "weight": _number(funds.weight),
            "score_reported": _number(funds.score_reported),
            "score_computed": _number(funds.score_computed),
        },
        "indicators": [
            {
                "level1": s.line.level1,
                "level2": s.line.level2,
                "name": s.line.name,
                "target": s.line.target.raw,
                "actual": s.line.actual.raw,
                "weight": _number(s.line.weight),
                "score_reported": _number(s.line.score_reported),
                "score_computed": _number(s.score_computed),
                "counted": s.counted,
                "rule": s.rule,
                "explanation": s.explanation,
            }
            for s in result.indicators
        ],
        "findings": [f.as_dict() for f in result.findings],
    }


def _assess(args: argparse.Namespace) -> Assessment | None:
    missing = [p for p in args.files if not Path(p).is_file()]
    if missing:
        for p in missing:
            print(f"错误：找不到文件「{p}」（file not found: {p}）", file=sys.stderr)
        return None
    with on_terminal(sys.stderr) as progress:
        return assess_paths(args.files, rule_set=args.rule_set, progress=progress)


def cmd_validate(args: argparse.Namespace) -> int:
    assessment = _assess(args)
    if assessment is None:
        return 1
    print_summary(assessment, sys.stdout, full=args.full)
    return 1 if assessment.has_errors else 0


def cmd_score(args: argparse.Namespace) -> int:
    assessment = _assess(args)
    if assessment is None:
        return 1
    if args.json:
        payload = [result_to_json(r) for r in assessment.results]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        if assessment.findings:
            reading = {"findings": [f.as_dict() for f in assessment.findings]}
            print(json.dumps(reading, ensure_ascii=False), file=sys.stderr)
    else:
        print_summary(assessment, sys.stdout, full=args.full)
    return 1 if assessment.has_errors else 0


def full_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--full",
        action="store_true",
        help=f"逐个列出全部评价与问题（超过 {LISTED_EVALUATIONS} 个评价时默认只列汇总）",
    )


def _add_file_command(sub, name: str, help_text: str, func) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text)
    parser.add_argument("files", nargs="+", metavar="FILE", help="CSV / .xlsx / .zip")
    parser.add_argument(
        "--rule-set",
        choices=[info.name for info in available_rule_sets()],
        help="score under this rule set instead of each evaluation's own",
    )
    full_option(parser)
    parser.set_defaults(func=func)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m perfcore", description="项目支出绩效自评表：校验、复核评分、入库"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_file_command(sub, "validate", "校验文件，列出全部问题（有错误时退出码为 1）", cmd_validate)
    score = _add_file_command(sub, "score", "按规则复核评分", cmd_score)
    score.add_argument(
        "--json", action="store_true", help="print a JSON array, one object per evaluation"
    )
    # store commands (ingest, history, restore, seed, recompute):
    from perfcore.cli_store import add_store_commands

    add_store_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at interpreter exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `… | head -1`: the reader has gone. As the Python docs recommend, point stdout at
        # devnull so the flush at exit cannot fail again, and end quietly; 141 is what a shell
        # reports for a program ended by SIGPIPE, and says "output cut", not "errors found".
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
