"""The readable Chinese summary the CLI prints for an assessment (DESIGN.md §5, without --json).

Up to LISTED_EVALUATIONS evaluations (or with --full) every evaluation is listed with its
totals and every finding. A larger upload — a province's, 10^4 evaluations and 10^5 findings —
would print tens of thousands of lines nobody reads; it gets a digest instead: every error
(what must be fixed before storing), the other findings counted by code, the computed grades,
and the evaluations whose self-score is furthest above the rules'. The complete detail stays
one flag away (--full), and `score --json` gives it all to a machine.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import TextIO

from perfcore.codes import CODES, SEVERITY_ZH
from perfcore.engine import Assessment
from perfcore.model import EvaluationResult, Finding
from perfcore.scoring import fmt

LISTED_EVALUATIONS = 50  # beyond this, a digest
WIDEST_GAPS = 10  # evaluations named in the digest, self-score furthest above the rules'
_SEVERITY_ORDER = ("error", "warning", "info")


def finding_line(f: Finding) -> str:
    """One finding for the readable summary; an error gets its English detail on a second line.

    Errors are what a clerk must fix before the upload can be stored (an unreadable file, cell
    or header); they are few, and the English names the file, row and column for whoever
    helps. Warnings and notes stay one Chinese line each, so a long list remains readable.
    """
    where = f.location.describe_zh() if f.location else ""
    # Reading findings start with their place already (「文件「x」，第 2 行，「分值」列：…」).
    where = f"［{where}］" if where and not f.message.startswith(where) else ""
    line = f"  {SEVERITY_ZH[f.severity]} {f.code}{where} {f.message}"
    if f.severity == "error" and f.message_en:
        line += f"\n      en: {f.message_en}"
    return line


def lists_each(count: int, full: bool) -> bool:
    """Whether `count` evaluations are listed one by one (else the output is a digest)."""
    return full or count <= LISTED_EVALUATIONS


def print_summary(assessment: Assessment, out: TextIO, *, full: bool = False) -> None:
    """Every evaluation and finding, or (over LISTED_EVALUATIONS and not `full`) a digest."""
    for f in assessment.findings:
        print(finding_line(f), file=out)
    if lists_each(len(assessment.results), full):
        for result in assessment.results:
            _print_evaluation(result, out)
    else:
        _print_digest(assessment.results, out)
    errors = sum(1 for _, f in assessment.all_findings() if f.severity == "error")
    if not assessment.results and not errors:
        print("没有读到任何评价。", file=out)
    print(f"共 {len(assessment.results):,} 个评价，{errors:,} 个错误。", file=out)


def _print_evaluation(result: EvaluationResult, out: TextIO) -> None:
    key = result.key
    print(f"{key.year}年 {key.department}「{key.project}」（规则：{result.rule_set}）", file=out)
    print(
        f"  自评得分 {fmt(result.total_reported)}（{result.grade_reported or '未填等级'}）"
        f"  复核得分 {fmt(result.total_computed)}（{result.grade_computed}）"
        f"  执行率 {_rate(result)}",
        file=out,
    )
    for f in result.findings:
        print(finding_line(f), file=out)


def _rate(result: EvaluationResult) -> str:
    rate = result.funds.execution_rate
    return "—" if rate is None else f"{fmt((rate * 100).quantize(Decimal('0.01')))}%"


def _print_digest(results: tuple[EvaluationResult, ...], out: TextIO) -> None:
    print(
        f"评价较多（{len(results):,} 个），以下为汇总；逐个列出全部评价与问题请加 --full，"
        "机器可读的完整结果请用 score --json。",
        file=out,
    )
    errors = [(r, f) for r in results for f in r.findings if f.severity == "error"]
    for result, f in errors:
        print(f"{result.key.label()}：", file=out)
        print(finding_line(f), file=out)
    grades = Counter(r.grade_computed for r in results)
    print("复核等级：" + "，".join(f"{g} {n:,} 个" for g, n in grades.most_common()), file=out)
    by_code = Counter((f.severity, f.code) for r in results for f in r.findings)
    if by_code:
        print("问题按类型：", file=out)
    for (severity, code), n in sorted(
        by_code.items(), key=lambda item: (_SEVERITY_ORDER.index(item[0][0]), -item[1])
    ):
        title = CODES[code].title if code in CODES else code
        print(f"  {SEVERITY_ZH[severity]} {code}（{title}）：{n:,} 条", file=out)
    _print_widest_gaps(results, out)


def _print_widest_gaps(results: tuple[EvaluationResult, ...], out: TextIO) -> None:
    gaps = [
        (r.total_reported - r.total_computed, r)
        for r in results
        if r.total_reported is not None and r.total_computed is not None
    ]
    above = sorted((g for g in gaps if g[0] > 0), key=lambda g: (-g[0], g[1].key))
    if not above:
        return
    print(f"自评得分高于复核得分最多的 {min(WIDEST_GAPS, len(above))} 个评价：", file=out)
    for gap, r in above[:WIDEST_GAPS]:
        print(
            f"  {r.key.label()}  自评 {fmt(r.total_reported)}  复核 {fmt(r.total_computed)}"
            f"（{r.grade_computed}）  相差 {fmt(gap)}",
            file=out,
        )
