"""Consistency checks on a scored evaluation: the arithmetic a reviewer would redo by hand.

Each check returns findings with its own code (see perfcore.codes); none of them changes a
score. They run after scoring because several compare reported figures with computed ones.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from perfcore.codes import finding
from perfcore.model import EvaluationResult, Finding, FundsSource, IndicatorScore, Location
from perfcore.rules import OLD_STYLE_GRADE_LABELS, RuleSet
from perfcore.scoring import fmt, round2

ZERO = Decimal(0)
_BLANK_REASONS = frozenset({"", "0", "无", "/", "—", "-", "——", "无偏差"})


def _at(location: Location | None, column: str) -> Location:
    return replace(location, column=column) if location else Location(column=column)


def check_evaluation(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    """Every evaluation-level and line-level consistency check."""
    findings: list[Finding] = []
    for score in result.indicators:
        findings.extend(check_line(score, rules))
    findings.extend(check_weights(result, rules))
    findings.extend(check_reported_total(result, rules))
    findings.extend(check_funds_score(result))
    findings.extend(check_funds_rows(result, rules))
    findings.extend(check_expenditures(result, rules))
    findings.extend(check_grade(result, rules))
    return findings


def check_line(score: IndicatorScore, rules: RuleSet) -> list[Finding]:
    line = score.line
    if score.rule in ("not_applicable", "parent"):
        return []
    out: list[Finding] = []
    name = line.name
    for column, value in (("年度指标值", line.target), ("实际完成值", line.actual)):
        if value.is_missing:
            out.append(
                finding(
                    "VALUE_MISSING",
                    f"「{name}」的{column}为空。",
                    f"{name!r}: {column} is empty.",
                    _at(line.location, column),
                )
            )
        elif not value.confident:
            out.append(
                finding(
                    "VALUE_UNCERTAIN",
                    f"「{name}」的{column}「{value.raw}」识别存疑：{value.note or '写法不规范'}。",
                    f"{name!r}: {column} {value.raw!r} was parsed with low confidence.",
                    _at(line.location, column),
                )
            )
    reported, weight = line.score_reported, line.weight
    if reported is not None and reported < 0:
        out.append(
            finding(
                "SCORE_NEGATIVE",
                f"「{name}」得分为 {fmt(reported)}，不能为负数。",
                f"{name!r}: negative score {fmt(reported)}.",
                _at(line.location, "得分"),
            )
        )
    if reported is not None and weight is not None and reported > weight:
        out.append(
            finding(
                "SCORE_ABOVE_WEIGHT",
                f"「{name}」得分 {fmt(reported)} 超过分值 {fmt(weight)}。",
                f"{name!r}: score {fmt(reported)} above weight {fmt(weight)}.",
                _at(line.location, "得分"),
            )
        )
    computed = score.score_computed
    if (
        reported is not None
        and computed is not None
        and abs(reported - computed) > rules.score_tolerance
    ):
        direction = "高于" if reported > computed else "低于"
        out.append(
            finding(
                "SCORE_DIFFERS",
                f"「{name}」自评 {fmt(reported)} 分，按规则复核为 {fmt(computed)} 分，"
                f"自评{direction}复核 {fmt(abs(reported - computed))} 分。依据：{score.explanation}",
                f"{name!r}: reported {fmt(reported)}, computed {fmt(computed)}.",
                _at(line.location, "得分"),
            )
        )
    shown = reported if reported is not None else computed
    if (
        shown is not None
        and weight is not None
        and shown < weight - rules.score_tolerance
        and line.deviation_reason.strip() in _BLANK_REASONS
    ):
        out.append(
            finding(
                "NO_DEVIATION_REASON",
                f"「{name}」得分 {fmt(shown)}（分值 {fmt(weight)}）未得满分，但未填写偏差原因分析及改进措施。",
                f"{name!r}: {fmt(shown)} of {fmt(weight)} without a deviation reason.",
                _at(line.location, "偏差原因分析及改进措施"),
            )
        )
    return out


def check_weights(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    lines = [s for s in result.indicators if s.rule != "parent"]
    weights = [s.line.weight for s in lines]
    if not lines or all(w is None for w in weights):
        return []  # each row already says WEIGHT_MISSING
    total = result.funds.weight + sum((w for w in weights if w is not None), ZERO)
    if total == rules.total_weight:
        return []
    return [
        finding(
            "WEIGHTS_NOT_100",
            f"资金执行分值 {fmt(result.funds.weight)} 与各指标分值合计为 {fmt(total)} 分，"
            f"应为 {fmt(rules.total_weight)} 分。",
            f"Weights add up to {fmt(total)}, not {fmt(rules.total_weight)}.",
        )
    ]


def reported_rows_total(result: EvaluationResult) -> Decimal | None:
    """Funds score plus the counted rows' reported scores, as the unit would add them up."""
    parts = [result.funds.score_reported] + [
        s.line.score_reported for s in result.indicators if s.counted
    ]
    present = [p for p in parts if p is not None]
    return round2(sum(present, ZERO)) if present else None


def check_reported_total(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    reported = result.total_reported
    rows = reported_rows_total(result)
    if reported is None or rows is None or abs(reported - rows) <= rules.score_tolerance:
        return []
    return [
        finding(
            "TOTAL_MISMATCH",
            f"自评总分填写为 {fmt(reported)} 分，但资金执行得分与各指标自评得分合计为 {fmt(rows)} 分。",
            f"Reported total {fmt(reported)} but the reported rows add up to {fmt(rows)}.",
            Location(column="自评得分"),
        )
    ]


def check_funds_score(result: EvaluationResult) -> list[Finding]:
    """The funds score, like an indicator's, may not pass its weight (12 of 10)."""
    reported, weight = result.funds.score_reported, result.funds.weight
    if reported is None or reported <= weight:
        return []
    return [
        finding(
            "SCORE_ABOVE_WEIGHT",
            f"预算执行率得分 {fmt(reported)} 超过分值 {fmt(weight)}。",
            f"Funds score {fmt(reported)} above weight {fmt(weight)}.",
            _at(_funds_location(result), "得分"),
        )
    ]


def _funds_location(result: EvaluationResult) -> Location | None:
    """The 年度资金总额 row, which carries the funds score, else the first funds row."""
    funds = result.evaluation.funds
    total = next((f for f in funds if f.source is FundsSource.TOTAL), funds[0] if funds else None)
    return total.location if total else None


def check_funds_rows(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    funds = result.evaluation.funds
    total = next((f for f in funds if f.source is FundsSource.TOTAL), None)
    subs = [f for f in funds if f.source is not FundsSource.TOTAL]
    if total is None or not subs:
        return []
    out: list[Finding] = []
    for attr, column in (
        ("initial_budget", "年初预算数"),
        ("annual_budget", "全年预算数"),
        ("executed", "全年执行数"),
    ):
        stated = getattr(total, attr)
        parts = [getattr(f, attr) for f in subs if getattr(f, attr) is not None]
        if not stated or not parts:
            continue  # an empty total row is FUNDS_TOTAL_EMPTY, found while scoring
        added = sum(parts, ZERO)
        if abs(stated - added) > rules.amount_tolerance:
            out.append(
                finding(
                    "FUNDS_ROWS_MISMATCH",
                    f"年度资金总额的{column}为 {fmt(stated)} 万元，但当年财政拨款、上年结转资金与其他资金合计 "
                    f"{fmt(added)} 万元。",
                    f"{column}: total {fmt(stated)} but the sources add up to {fmt(added)}.",
                    _at(total.location, column),
                )
            )
    return out


def check_expenditures(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    items = result.evaluation.expenditures
    executed = result.funds.executed
    if not items or executed is None:
        return []
    added = sum((i.executed for i in items), ZERO)
    if abs(added - executed) <= rules.amount_tolerance:
        return []
    return [
        finding(
            "EXPENDITURES_MISMATCH",
            f"{len(items)} 项支出明细合计 {fmt(round2(added))} 万元，与全年执行数 {fmt(executed)} 万元不符"
            f"（相差 {fmt(round2(added - executed))} 万元）。",
            f"{len(items)} spending items add up to {fmt(round2(added))}, executed is {fmt(executed)}.",
            _at(items[0].location, "全年执行数"),
        )
    ]


def check_grade(result: EvaluationResult, rules: RuleSet) -> list[Finding]:
    printed = result.grade_reported
    if printed is None or not printed.strip():
        return []
    canonical = result.grade_reported_canonical
    location = Location(column="自评等级")
    if canonical is None:
        return [
            finding(
                "GRADE_UNKNOWN",
                f"自评等级「{printed}」无法识别，应为 优、良、中、差（或 优秀、良好、合格、不合格）。",
                f"Reported grade {printed!r} is not a known grade label.",
                location,
            )
        ]
    out: list[Finding] = []
    if printed.strip() in OLD_STYLE_GRADE_LABELS:
        out.append(
            finding(
                "GRADE_LABEL_OLD",
                f"自评等级「{printed}」按「{canonical}」处理。",
                f"Grade label {printed!r} read as {canonical!r}.",
                location,
            )
        )
    if result.total_reported is not None:
        expected = rules.grade_for(result.total_reported)
        if expected != canonical:
            out.append(
                finding(
                    "GRADE_MISMATCH",
                    f"自评总分 {fmt(result.total_reported)} 分对应等级「{expected}」，但自评等级填写为「{printed}」。",
                    f"Reported total {fmt(result.total_reported)} means grade {expected!r}, "
                    f"reported {printed!r}.",
                    location,
                )
            )
    return out
