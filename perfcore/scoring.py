"""Recompute every score of an evaluation by a rule set: funds, each indicator, total, grade.

The reported score is never overwritten: each line keeps `score_reported` beside the computed
one, and where the rules cannot decide (a qualitative target whose tier cannot be told, a
missing value) the reported score is carried over and a finding says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from perfcore.codes import finding
from perfcore.model import (
    Evaluation,
    EvaluationResult,
    Finding,
    FundsLine,
    FundsScore,
    FundsSource,
    IndicatorLine,
    IndicatorScore,
    Location,
    Operator,
    ParsedValue,
    ValueKind,
)
from perfcore.phrases import negated_by
from perfcore.rules import RuleSet, canonical_grade
from perfcore.values import is_not_applicable, is_not_given, to_comparable

# The scoring engine's version, stored with every scoring run. Bump it whenever a change can
# alter a computed score, tier, explanation or finding of data already stored: runs made by an
# older engine are then reported stale, and `perfcore seed` (run by `make run` and at service
# start) rescores them. Stores written before the stamp existed read as engine 0.
# 2: 比例 and 扣分:K follow a ≤ target; text actuals band-checked, 基本按时 is the second band;
#    SCORE_KEPT; 不适用 in both values excluded; 目标设定偏低 on rows without 分值; funds messages.
ENGINE_VERSION = 2

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

_DEDUCT = re.compile(r"^扣分[:：]\s*(\d+(?:\.\d+)?)$")


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """A Decimal as people write it: 7.13, 30, 0.5 (no exponent, no trailing zeros)."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return text


@dataclass(frozen=True)
class Method:
    """A 评分方法 cell: kind is proportional, deduct, qualitative, pass_fail, not_applicable, parent.

    比例 scores B ÷ A as higher-is-better unless the target has its own operator (≤2000元 stays
    lower-is-better); 扣分:K takes the row's own direction, like every other method.
    """

    kind: str | None
    points_per_pp: Decimal | None = None


@lru_cache(maxsize=256)  # a handful of distinct texts, met on every line of every rule set
def parse_method(text: str | None) -> Method:
    if not text or not text.strip():
        return Method(None)
    text = text.strip()
    simple = {
        "比例": "proportional",
        "定性": "qualitative",
        "达标": "pass_fail",
        "不适用": "not_applicable",
        "汇总": "parent",
    }
    if text in simple:
        return Method(simple[text])
    match = _DEDUCT.match(text)
    if match:
        return Method("deduct", Decimal(match.group(1)))
    raise ValueError(f"unknown scoring method {text!r}")


# --- funds -----------------------------------------------------------------------------------


def _funds_total(lines: Sequence[FundsLine]) -> tuple[FundsLine | None, bool]:
    """The line to score funds on, and whether it was summed from the sub-rows."""
    total = next((f for f in lines if f.source is FundsSource.TOTAL), None)
    subs = [f for f in lines if f.source is not FundsSource.TOTAL]
    total_empty = total is None or not any(
        v for v in (total.annual_budget, total.executed, total.initial_budget)
    )
    subs_have_money = any(v for f in subs for v in (f.annual_budget, f.executed))
    if total_empty and subs_have_money:

        def add(attr: str) -> Decimal | None:
            values = [getattr(f, attr) for f in subs if getattr(f, attr) is not None]
            return sum(values, ZERO) if values else None

        summed = FundsLine(
            source=FundsSource.TOTAL,
            annual_budget=add("annual_budget"),
            executed=add("executed"),
            initial_budget=add("initial_budget"),
            weight=total.weight if total else None,
            score_reported=total.score_reported if total else None,
            execution_rate_reported=total.execution_rate_reported if total else None,
            location=total.location if total else subs[0].location,
        )
        return summed, True
    return total, False


def _rate_score(rate: Decimal, weight: Decimal, rules: RuleSet) -> Decimal:
    return (
        (weight * _rate_share(rate, rules)[0])
        .quantize(rules.funds_rounding, rounding=ROUND_HALF_UP)
        .quantize(CENT)
    )


def _rate_share(rate: Decimal, rules: RuleSet) -> tuple[Decimal, Decimal | None]:
    """The share of the funds weight an execution rate earns, and (tiered) the tier's minimum."""
    effective = min(rate, Decimal(1)) if rules.funds_cap else rate
    if rules.funds_formula == "tiered":
        tier = next(((m, s) for m, s in rules.funds_tiers if effective >= m), None)
        return (ZERO, None) if tier is None else (tier[1], tier[0])
    return effective, None


def _rate_formula(rate: Decimal, weight: Decimal, rules: RuleSet) -> str:
    """How the funds score follows from the rate, in the rule set's own terms."""
    share, minimum = _rate_share(rate, rules)
    if rules.funds_formula != "tiered":
        return f"{fmt(weight)} × {_pct(share)}"
    if minimum is None:
        return f"执行率 {_pct(rate)} 低于最低一档，得 0 分"
    return f"执行率 {_pct(rate)} 达到 {_pct(minimum)} 档：{fmt(weight)} × {_pct(share)}"


def score_funds(lines: Sequence[FundsLine], rules: RuleSet) -> tuple[FundsScore, list[Finding]]:
    findings: list[Finding] = []
    total, summed = _funds_total(lines)
    if total is None:
        findings.append(
            finding(
                "FUNDS_MISSING",
                "没有资金执行数据（年度资金总额），资金执行得分按 0 计。",
                "No funds rows: the funds score counts as 0.",
            )
        )
        return FundsScore(None, None, None, None, rules.funds_weight, ZERO, None), findings
    weight = total.weight if total.weight is not None else rules.funds_weight
    loc = total.location
    if summed:
        findings.append(
            finding(
                "FUNDS_TOTAL_EMPTY",
                f"年度资金总额行为空或为 0，已按分项合计计算：全年预算数 {fmt(total.annual_budget)} 万元，"
                f"全年执行数 {fmt(total.executed)} 万元。",
                "The 年度资金总额 row is empty or zero; the sub-rows were added up instead.",
                loc,
            )
        )
    rate: Decimal | None = None
    if total.annual_budget and total.executed is not None:
        rate = total.executed / total.annual_budget
    score = _rate_score(rate, weight, rules) if rate is not None else ZERO
    if rate is None:
        findings.append(
            finding(
                "FUNDS_MISSING",
                "全年预算数或全年执行数缺失（或预算数为 0），无法计算执行率，资金执行得分按 0 计。",
                "Annual budget or executed amount missing (or budget 0): no execution rate.",
                loc,
            )
        )
    else:
        findings.extend(_funds_rate_findings(total, rate, score, weight, rules))
    return (
        FundsScore(
            annual_budget=total.annual_budget,
            executed=total.executed,
            initial_budget=total.initial_budget,
            execution_rate=rate,
            weight=weight,
            score_computed=score,
            score_reported=total.score_reported,
        ),
        findings,
    )


def _pct(rate: Decimal) -> str:
    return f"{fmt(round2(rate * HUNDRED))}%"


def _over_executed(
    total: FundsLine, rate: Decimal, score: Decimal, weight: Decimal, rules: RuleSet
) -> Finding:
    """FUNDS_OVER_EXECUTED, saying what the rule set does with a rate above 100 %."""
    if rules.funds_cap:
        how, how_en = "执行率得分按 100% 封顶", "the score is capped at 100 %"
    else:
        how = f"本规则执行率不封顶，得 {fmt(score)} 分（分值 {fmt(weight)}）"
        how_en = f"this rule set does not cap the rate: {fmt(score)} of {fmt(weight)}"
    return finding(
        "FUNDS_OVER_EXECUTED",
        f"全年执行数 {fmt(total.executed)} 万元超过全年预算数 {fmt(total.annual_budget)} 万元"
        f"（执行率 {_pct(rate)}），{how}。",
        f"Executed exceeds the annual budget (rate {_pct(rate)}); {how_en}.",
        total.location,
    )


def _funds_rate_findings(
    total: FundsLine, rate: Decimal, score: Decimal, weight: Decimal, rules: RuleSet
) -> list[Finding]:
    out: list[Finding] = []
    loc = total.location
    if rate > 1:
        out.append(_over_executed(total, rate, score, weight, rules))
    reported_rate = total.execution_rate_reported
    if reported_rate is not None and abs(reported_rate - rate) > rules.rate_tolerance:
        out.append(
            finding(
                "EXECUTION_RATE_MISMATCH",
                f"表中执行率为 {_pct(reported_rate)}，按金额计算应为 {_pct(rate)}"
                f"（{fmt(total.executed)} ÷ {fmt(total.annual_budget)}）。",
                f"Reported execution rate {_pct(reported_rate)}, the amounts give {_pct(rate)}.",
                replace(loc, column="执行率") if loc else None,
            )
        )
    reported = total.score_reported
    if reported is not None and reported < 0:
        out.append(
            finding(
                "SCORE_NEGATIVE",
                f"预算执行率得分为 {fmt(reported)}，不能为负数。",
                f"Negative funds score {fmt(reported)}.",
                replace(loc, column="得分") if loc else None,
            )
        )
    if reported is not None and abs(reported - score) > rules.score_tolerance:
        out.append(
            finding(
                "FUNDS_SCORE_DIFFERS",
                f"预算执行率得分自评 {fmt(reported)} 分，按规则应为 {fmt(score)} 分"
                f"（{_rate_formula(rate, weight, rules)}）。",
                f"Funds score reported {fmt(reported)}, computed {fmt(score)}.",
                replace(loc, column="得分") if loc else None,
            )
        )
    return out


# --- indicators ------------------------------------------------------------------------------


def _at(line: IndicatorLine, column: str) -> Location | None:
    return replace(line.location, column=column) if line.location else Location(column=column)


def _direction(line: IndicatorLine, rules: RuleSet, target_number: Decimal) -> str:
    """higher, lower or equal, from the operator, else the name, else the target value."""
    op = line.target.operator
    if op in (Operator.GE, Operator.GT):
        return "higher"
    if op in (Operator.LE, Operator.LT):
        return "lower"
    if op is Operator.EQ:
        return "lower" if target_number == 0 else "equal"
    if target_number == 0 or _any_word(rules.lower_is_better_words).search(line.name + line.level2):
        return "lower"
    return "higher"


def _method_direction(line: IndicatorLine, rules: RuleSet, method: Method, target: Decimal) -> str:
    """The direction a row is scored in once its 评分方法 is taken into account.

    比例 asks for the proportional B ÷ A of a higher-is-better row, but only where the target
    gives no direction of its own: `≤2000元` with 比例 stays lower-is-better (w × A ÷ B).
    """
    if method.kind == "proportional" and line.target.operator is None:
        return "higher"
    return _direction(line, rules, target)


@lru_cache(maxsize=32)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of `words` (one per rule set), instead of a scan per line."""
    return re.compile("|".join(map(re.escape, words)) if words else "(?!)")


@dataclass
class _Scored:
    score: Decimal | None
    rule: str
    explanation: str
    tier: str | None = None
    unconfirmed: tuple[str, str] | None = None  # why the score was kept (zh, en): SCORE_KEPT


def _kept(line: IndicatorLine, why: str) -> _Scored:
    """Keep the reported score where another finding already says why (a blank value, units)."""
    return _Scored(line.score_reported, "kept_reported", f"{why}，沿用自评得分。")


def _kept_unconfirmed(line: IndicatorLine, why: str, why_en: str) -> _Scored:
    """Keep the reported score where nothing else would tell the reviewer: SCORE_KEPT does."""
    return replace(_kept(line, why), unconfirmed=(why, why_en))


def _achieved_word(value: ParsedValue, rules: RuleSet) -> int | None:
    """Index of the qualitative band whose words the value's text contains (most specific first).

    A band word written negated (不及时, 未按时, 不能完成) places the value in the last band, not
    in the word's own; on a tie in length the lower band wins, so 延期完成 is not 达成.
    """
    text = value.text or value.raw or ""
    last = len(rules.qualitative_bands) - 1
    best: tuple[int, int] | None = None  # (matched length, band index)
    for index, band in enumerate(rules.qualitative_bands):
        for word in band.words:
            at = text.find(word)
            while at >= 0:
                negation = negated_by(text[:at])
                found = (len(word) + len(negation), last if negation else index)
                if (
                    best is None
                    or found[0] > best[0]
                    or (found[0] == best[0] and found[1] > best[1])
                ):
                    best = found
                at = text.find(word, at + 1)
    return best[1] if best else None


def _quantitative(
    line: IndicatorLine,
    weight: Decimal,
    rules: RuleSet,
    method: Method,
    pair: tuple[Decimal, Decimal] | None,
) -> _Scored:
    if pair is None:
        return _Scored(None, "unit_mismatch", "")
    a, b = pair
    direction = _method_direction(line, rules, method, a)
    if method.kind == "deduct":
        in_points = line.target.unit == "%" and line.actual.unit == "%"
        return _deduct_quantitative(weight, a, b, direction, method, in_points)
    met = b >= a if direction in ("higher", "equal") else b <= a
    if method.kind == "pass_fail":
        score = weight if met else ZERO
        return _Scored(
            score, "pass_fail", f"达标即满分：{'已达标' if met else '未达标'}，得 {fmt(score)} 分。"
        )
    if direction in ("higher", "equal"):
        if met:
            return _Scored(
                weight, "higher", f"正向指标：实际 {fmt(b)} ≥ 目标 {fmt(a)}，得满分 {fmt(weight)}。"
            )
        score = round2(weight * max(b, ZERO) / a) if a > 0 else ZERO
        return _Scored(
            score,
            "higher",
            f"正向指标未达目标：{fmt(weight)} × 实际 {fmt(b)} ÷ 目标 {fmt(a)} = {fmt(score)}。",
        )
    if a == 0:
        return _zero_target(weight, b)
    if met:
        return _Scored(
            weight, "lower", f"反向指标：实际 {fmt(b)} ≤ 目标 {fmt(a)}，得满分 {fmt(weight)}。"
        )
    if rules.reverse_formula == "linear" and method.kind != "proportional":
        score = round2(max(ZERO, weight * (1 - (b - a) / a)))
        how = f"{fmt(weight)} × (1 − (实际 {fmt(b)} − 目标 {fmt(a)}) ÷ 目标)"
        return _Scored(score, "lower_linear", f"反向指标超出目标：{how} = {fmt(score)}。")
    score = round2(weight * a / b)
    how = f"{fmt(weight)} × 目标 {fmt(a)} ÷ 实际 {fmt(b)}"
    return _Scored(score, "lower_ratio", f"反向指标超出目标：{how} = {fmt(score)}。")


def _zero_target(weight: Decimal, actual: Decimal) -> _Scored:
    """A lower-is-better target of 0 (差错率 0%): full only at 0, since A ÷ B means nothing."""
    score = weight if actual <= 0 else ZERO
    verdict = "实际为 0，得满分" if actual <= 0 else f"实际为 {fmt(actual)}，得 0 分"
    return _Scored(score, "zero_target", f"目标为 0 的反向指标：{verdict}。")


def _deduct_quantitative(
    weight: Decimal, a: Decimal, b: Decimal, direction: str, method: Method, in_points: bool
) -> _Scored:
    """扣分:K in the row's own direction: short of a floor, or over a cap (≤1% 差错率).

    A gap between two percentages is counted in percentage points, as the rules say it
    (「每超过一个百分点扣0.5分」: ≤100% → 102% is 2 points over; ≥95% → 90% is 5 short).
    Between other quantities it is the share of the target, (A − B) ÷ A or (B − A) ÷ A.
    """
    if direction != "lower":
        if in_points:
            return _deduct(weight, HUNDRED - max(a - b, ZERO), method, "目标 − 实际，百分点")
        return _deduct(weight, b / a * HUNDRED if a else HUNDRED, method, "实际 ÷ 目标")
    if a == 0 and not in_points:
        return _zero_target(weight, b)
    return _deduct_over_cap(weight, a, b, method, in_points)


def _deduct_over_cap(
    weight: Decimal, a: Decimal, b: Decimal, method: Method, in_points: bool
) -> _Scored:
    """Lower-is-better 扣分:K: full at B ≤ A, else K off per percentage point over the cap."""
    k = method.points_per_pp or ZERO
    if b <= a:
        return _Scored(
            weight, "deduct", f"扣分法（反向指标）：实际 {fmt(b)} ≤ 目标 {fmt(a)}，得满分。"
        )
    over = b - a if in_points else (b - a) / a * HUNDRED
    gap = f"{fmt(round2(over))} 个百分点" if in_points else f"的 {fmt(round2(over))}%"
    score = round2(max(ZERO, weight - over * k))
    return _Scored(
        score,
        "deduct",
        f"扣分法（反向指标）：每超出目标 1 个百分点扣 {fmt(k)} 分，实际 {fmt(b)} 超出目标 {fmt(a)} "
        f"{gap}，{fmt(weight)} − {fmt(round2(over))} × {fmt(k)} = {fmt(score)}。",
    )


def _deduct(weight: Decimal, percent: Decimal, method: Method, basis: str) -> _Scored:
    k = method.points_per_pp or ZERO
    if percent >= HUNDRED:
        return _Scored(
            weight, "deduct", f"扣分法：完成 {fmt(round2(percent))}%（{basis}），得满分。"
        )
    short = HUNDRED - percent
    score = round2(max(ZERO, weight - short * k))
    return _Scored(
        score,
        "deduct",
        f"扣分法：每差 1 个百分点扣 {fmt(k)} 分，完成 {fmt(round2(percent))}%，"
        f"{fmt(weight)} − {fmt(round2(short))} × {fmt(k)} = {fmt(score)}。",
    )


def _completion_percent(actual: ParsedValue) -> Decimal | None:
    if actual.number is not None and actual.unit == "%":
        return actual.number
    return None


def _deadline(line: IndicatorLine, weight: Decimal, rules: RuleSet, method: Method) -> _Scored:
    target, actual = line.target, line.actual
    percent = _completion_percent(actual)
    if percent is not None:
        if method.kind == "deduct":
            return _deduct(weight, percent, method, "完成比例")
        if percent >= HUNDRED:
            return _Scored(weight, "deadline", f"时效指标：按期完成 {fmt(percent)}%，得满分。")
        score = round2(weight * max(percent, ZERO) / HUNDRED)
        return _Scored(
            score,
            "deadline",
            f"时效指标：完成 {fmt(percent)}%，按比例 {fmt(weight)} × {fmt(percent)}% = {fmt(score)}。",
        )
    if actual.kind is ValueKind.DEADLINE and actual.month is not None and target.month is not None:
        year = target.year or 0
        done = ((actual.year or year), actual.month)
        due = (year, target.month)
        if done <= due:
            return _Scored(
                weight,
                "deadline",
                f"时效指标：{actual.raw} 完成，早于或等于 {target.raw}，得满分。",
            )
        return _kept_unconfirmed(
            line,
            f"时效指标：{actual.raw} 完成，晚于 {target.raw}，未按期完成，规则未规定逾期扣分",
            f"finished {actual.raw!r}, after {target.raw!r}; the rules set no penalty for lateness",
        )
    band = _achieved_word(actual, rules)
    if band == 0:
        return _Scored(
            weight, "deadline", f"时效指标：实际为「{actual.raw}」，视为按期完成，得满分。"
        )
    if band is not None:
        return _banded(line, weight, rules, band, f"时效指标：实际为「{actual.raw}」")
    return _kept_unconfirmed(
        line,
        f"时效指标：完成情况「{actual.raw}」无法与「{target.raw}」比较",
        f"the completion {actual.raw!r} cannot be compared with the deadline {target.raw!r}",
    )


def _qualitative(line: IndicatorLine, weight: Decimal, rules: RuleSet) -> _Scored:
    target, actual = line.target, line.actual
    if actual.kind is ValueKind.QUALITATIVE and target.text and actual.text == target.text:
        return _banded(line, weight, rules, 0, "定性指标：完成情况与目标表述一致")
    band = _achieved_word(actual, rules)
    if band is None:
        return _Scored(
            line.score_reported,
            "qualitative_unknown",
            "定性指标：无法从文字判断完成档次，沿用自评得分。",
        )
    return _banded(line, weight, rules, band, f"定性指标：完成情况「{actual.raw}」")


def _banded(line: IndicatorLine, weight: Decimal, rules: RuleSet, band: int, how: str) -> _Scored:
    """A row placed in qualitative band `band` by its text: the reported score is kept and
    `_tier_findings` checks it lies in the band, since perfcore never invents a score inside a
    band (DESIGN §4). Only the top band has a score to give when none was reported: full."""
    label = rules.qualitative_bands[band].label
    low, high = rules.band_range(band, weight)
    span = f"{fmt(round2(low))}–{fmt(round2(high))} 分"
    reported = line.score_reported
    if reported is None:
        score = weight if band == 0 else None
        note = "未填自评得分，按满分计" if band == 0 else "未填自评得分，无法在档内确定分数"
        return _Scored(score, "qualitative", f"{how}，属「{label}」档（{span}），{note}。", label)
    return _Scored(
        reported,
        "qualitative",
        f"{how}，属「{label}」档（{span}），自评 {fmt(reported)} 分。",
        label,
    )


def _text_actual(line: IndicatorLine, weight: Decimal, rules: RuleSet) -> _Scored:
    """A numeric target with a text actual (≥100人 → 部分完成): the words decide the band."""
    actual = line.actual
    band = _achieved_word(actual, rules)
    if band == 0:
        return _Scored(weight, "higher", f"实际完成值为文字「{actual.raw}」，视为达成，得满分。")
    if band is not None:
        return _banded(line, weight, rules, band, f"实际完成值为文字「{actual.raw}」")
    return _kept_unconfirmed(
        line,
        f"实际完成值为文字「{actual.raw}」，无法与数值目标「{line.target.raw}」比较",
        f"the text actual {actual.raw!r} cannot be compared with the target {line.target.raw!r}",
    )


def _in_band(score: Decimal, band: int, weight: Decimal, rules: RuleSet) -> bool:
    low, high = rules.band_range(band, weight)
    return low <= score <= high if band == 0 else low <= score < high


def score_indicator(line: IndicatorLine, rules: RuleSet) -> tuple[IndicatorScore, list[Finding]]:
    """Score one 三级指标 line (parent rows are handled by score_evaluation)."""
    method = parse_method(line.method)
    if method.kind == "not_applicable":
        return IndicatorScore(line, None, "not_applicable", "评分方法为不适用，不计分。", False), []
    if method.kind == "parent":
        return IndicatorScore(line, None, "parent", "汇总行，得分为下级指标之和。", False), []
    if _values_say_not_applicable(line):
        return _not_applicable_by_values(line)
    if line.weight is None:
        return _weightless(line, rules, method)
    return _weighted(line, line.weight, rules, method)


def _values_say_not_applicable(line: IndicatorLine) -> bool:
    """Both cells say 不适用 (or one does and the other is a / marker): the unit's way of
    writing 评分方法 不适用. A blank cell is an omission, not an exemption."""
    return _cells_say_not_applicable(line.target.raw, line.actual.raw)


@lru_cache(maxsize=1 << 16)  # asked for every line under every rule set: 13 % of scoring
def _cells_say_not_applicable(*cells: str) -> bool:
    said = [is_not_applicable(cell) for cell in cells]
    marked = [bool(cell.strip()) and is_not_given(cell) for cell in cells]
    return any(said) and all(s or m for s, m in zip(said, marked, strict=True))


def _not_applicable_by_values(line: IndicatorLine) -> tuple[IndicatorScore, list[Finding]]:
    """Excluded exactly as 评分方法 不适用 is (the total is rescaled), with a note saying why."""
    target, actual = line.target.raw, line.actual.raw
    why = f"年度指标值「{target}」与实际完成值「{actual}」写明不适用"
    excluded = IndicatorScore(line, None, "not_applicable", f"{why}，按不适用处理，不计分。", False)
    note = finding(
        "VALUES_NOT_APPLICABLE",
        f"「{line.name}」的{why}，按评分方法“不适用”处理：不计分，总分按适用指标折算为百分制。",
        f"{line.name!r}: target {target!r} and actual {actual!r} say not applicable; "
        "the row is excluded and the total rescaled.",
        _at(line, "实际完成值"),
    )
    return excluded, [note]


def _is_quantitative(line: IndicatorLine, method: Method) -> bool:
    """Both values are numbers to compare by formula: not qualitative, blank, deadline or text."""
    target, actual = line.target, line.actual
    return not (
        method.kind == "qualitative"
        or target.kind in (ValueKind.QUALITATIVE, ValueKind.DEADLINE)
        or target.is_missing
        or actual.is_missing
        or actual.kind is ValueKind.QUALITATIVE
    )


def _weightless(
    line: IndicatorLine, rules: RuleSet, method: Method
) -> tuple[IndicatorScore, list[Finding]]:
    """No 分值: nothing to score, but a target set too low is still worth a reviewer's look."""
    findings: list[Finding] = []
    if _is_quantitative(line, method):
        findings.extend(_over_achievement(line, rules, to_comparable(line.target, line.actual)))
    findings.append(
        finding(
            "WEIGHT_MISSING",
            f"「{line.name}」没有分值，无法复核，沿用自评得分。",
            f"{line.name!r} has no weight; the reported score is kept.",
            _at(line, "分值"),
        )
    )
    kept = IndicatorScore(line, line.score_reported, "kept_reported", "没有分值，沿用自评得分。")
    return kept, findings


def _weighted(
    line: IndicatorLine, weight: Decimal, rules: RuleSet, method: Method
) -> tuple[IndicatorScore, list[Finding]]:
    target, actual = line.target, line.actual
    findings: list[Finding] = []
    scored: _Scored
    if method.kind == "qualitative" or target.kind is ValueKind.QUALITATIVE:
        scored = _qualitative(line, weight, rules)
    elif target.is_missing or actual.is_missing:
        scored = _kept(line, "年度指标值或实际完成值为空，无法按公式复核")
    elif target.kind is ValueKind.DEADLINE:
        scored = _deadline(line, weight, rules, method)
    elif actual.kind is ValueKind.QUALITATIVE:
        scored = _text_actual(line, weight, rules)
    else:
        pair = to_comparable(target, actual)
        scored = _quantitative(line, weight, rules, method, pair)
        if scored.rule == "unit_mismatch":
            findings.append(
                finding(
                    "UNIT_MISMATCH",
                    f"「{line.name}」的年度指标值「{target.raw}」与实际完成值「{actual.raw}」单位不同，"
                    "无法比较，沿用自评得分。",
                    f"{line.name!r}: target {target.raw!r} and actual {actual.raw!r} are not comparable.",
                    _at(line, "实际完成值"),
                )
            )
            scored = _kept(line, "单位不同，无法比较")
        else:
            findings.extend(_over_achievement(line, rules, pair))

    findings.extend(_tier_findings(line, scored, weight, rules))
    score, explanation = scored.score, scored.explanation
    if score is not None and score > weight:
        # Rules that keep the reported score (qualitative, not comparable) must not keep more
        # than the row is worth: SCORE_ABOVE_WEIGHT reports it, the computed score stops here.
        score = weight
        explanation += f"自评得分超过分值，复核得分以分值 {fmt(weight)} 分为上限。"
    if scored.unconfirmed is not None:
        findings.append(_score_kept(line, score, weight, *scored.unconfirmed))
    return (
        IndicatorScore(
            line=line,
            score_computed=score,
            rule=scored.rule,
            explanation=explanation,
            tier=scored.tier,
        ),
        findings,
    )


def _score_kept(
    line: IndicatorLine, score: Decimal | None, weight: Decimal, why: str, why_en: str
) -> Finding:
    """SCORE_KEPT: a warning when the kept score is full marks the rules cannot confirm."""
    full = score is not None and weight > 0 and score >= weight
    if full:
        verdict = f"自评为满分 {fmt(weight)} 分，规则无法确认该指标已达成，请核实是否应当扣分"
    elif score is None:
        verdict = "未填自评得分，复核得分空缺（合计时按 0 分计）"
    else:
        verdict = f"复核得分沿用自评得分 {fmt(score)} 分（分值 {fmt(weight)}）"
    return finding(
        "SCORE_KEPT",
        f"「{line.name}」{why}；{verdict}。",
        f"{line.name!r}: reported score {fmt(score)} of {fmt(weight)} kept: {why_en}.",
        _at(line, "得分"),
        escalate=full,
    )


def _over_achievement(
    line: IndicatorLine, rules: RuleSet, pair: tuple[Decimal, Decimal] | None
) -> list[Finding]:
    if pair is None or line.target.operator in (Operator.LE, Operator.LT):
        return []
    a, b = pair
    if a <= 0 or _direction(line, rules, a) == "lower" or b < rules.over_achievement * a:
        return []
    ratio = round2(b / a * HUNDRED)
    return [
        finding(
            "TARGET_TOO_LOW",
            f"「{line.name}」实际完成 {line.actual.raw}，是目标 {line.target.raw} 的 {fmt(ratio)}%"
            f"（达到 {fmt(rules.over_achievement * HUNDRED)}% 即提示），年初目标可能设定偏低，请分析原因。",
            f"{line.name!r}: actual {line.actual.raw!r} is {fmt(ratio)}% of target "
            f"{line.target.raw!r}; the target looks set too low.",
            _at(line, "实际完成值"),
        )
    ]


def _tier_findings(
    line: IndicatorLine, scored: _Scored, weight: Decimal, rules: RuleSet
) -> list[Finding]:
    if scored.rule == "qualitative_unknown":
        return [
            finding(
                "QUALITATIVE_TIER_UNKNOWN",
                f"「{line.name}」目标「{line.target.raw}」、完成情况「{line.actual.raw}」无法判断完成档次，"
                "保留自评得分。",
                f"{line.name!r}: the qualitative tier cannot be told from the text; reported score kept.",
                _at(line, "实际完成值"),
            )
        ]
    if scored.rule != "qualitative" or scored.tier is None or line.score_reported is None:
        return []
    band = next(i for i, b in enumerate(rules.qualitative_bands) if b.label == scored.tier)
    if _in_band(line.score_reported, band, weight, rules):
        return []
    low, high = rules.band_range(band, weight)
    return [
        finding(
            "QUALITATIVE_OUT_OF_TIER",
            f"「{line.name}」属「{scored.tier}」档，得分应在 {fmt(round2(low))}–{fmt(round2(high))} 分，"
            f"自评 {fmt(line.score_reported)} 分不在此区间。",
            f"{line.name!r}: tier {scored.tier!r} allows {fmt(round2(low))}–{fmt(round2(high))}, "
            f"reported {fmt(line.score_reported)}.",
            _at(line, "得分"),
        )
    ]


# --- parent rows -------------------------------------------------------------------------------

_PARENT_NAME = re.compile(r"^[一二三四五六七八九十]+[、.．]")
_CHILD_NAME = re.compile(r"^\(?\d+[)）、.．]")


def detect_parent_rows(lines: Sequence[IndicatorLine]) -> set[int]:
    """Indexes of rows whose reported score is the sum of the rows right under them.

    A parent needs at least two children in the same 二级指标 whose reported scores add up to
    its own, and either the 一、/1、 numbering or targets that add up too; rows marked 汇总
    are parents already and are not returned here. A row claimed as a child is never itself a
    parent (in 一、 … 1、 2、 3、 4、 the run 2、 = 3、 + 4、 is a coincidence, not a subtotal).
    """
    parents: set[int] = set()
    i = 0
    while i < len(lines):
        children = _children_of(lines, i)
        if children:
            parents.add(i)
            i += len(children)
        i += 1
    return parents


def _children_of(lines: Sequence[IndicatorLine], i: int) -> list[IndicatorLine]:
    parent = lines[i]
    if parent.score_reported is None or parse_method(parent.method).kind is not None:
        return []
    running, children = ZERO, []
    for child in lines[i + 1 :]:
        if child.level2 != parent.level2 or child.score_reported is None:
            break
        running += child.score_reported
        children.append(child)
        if running >= parent.score_reported:
            break
    if len(children) < 2 or running != parent.score_reported:
        return []
    numbered = bool(_PARENT_NAME.match(parent.name)) and all(
        _CHILD_NAME.match(c.name) for c in children
    )
    # Percentages and zero targets never add up to a subtotal (0% + ≥85% is not 85%).
    targets = [c.target.number for c in children if c.target.unit != "%"]
    targets_add_up = (
        parent.target.number is not None
        and parent.target.unit != "%"
        and len(targets) == len(children)
        and all(t for t in targets)
        and sum(targets, ZERO) == parent.target.number
    )
    return children if numbered or targets_add_up else []


# --- evaluation ------------------------------------------------------------------------------


def score_evaluation(evaluation: Evaluation, rules: RuleSet) -> EvaluationResult:
    """Funds score, every indicator, total and grade, with every finding (checks included)."""
    return score_evaluation_with(
        evaluation, rules, lambda _index, line: score_indicator(line, rules)
    )


# Scores the indicator line at an index of the evaluation's indicators, as score_indicator does.
LineScorer = Callable[[int, IndicatorLine], tuple[IndicatorScore, list[Finding]]]


def score_evaluation_with(
    evaluation: Evaluation, rules: RuleSet, score_line: LineScorer
) -> EvaluationResult:
    """`score_evaluation`, with every line that is not a parent row scored by `score_line`.

    perfcore.rescoring passes a scorer that notes what each line read of the rules, or one that
    reuses the lines another rule set scored alike; everything else is computed here as ever.
    """
    from perfcore.checks import check_evaluation  # checks reads results; avoid an import cycle

    funds, findings = score_funds(evaluation.funds, rules)
    parents = detect_parent_rows(evaluation.indicators)
    scores: list[IndicatorScore] = []
    for index, line in enumerate(evaluation.indicators):
        if index in parents:
            scores.append(
                IndicatorScore(
                    line, None, "parent", "检测为汇总行：得分等于下级指标之和，不重复计分。", False
                )
            )
            findings.append(
                finding(
                    "PARENT_ROW",
                    f"「{line.name}」的得分 {fmt(line.score_reported)} 等于其下级指标得分之和，按汇总行处理，不重复计分。",
                    f"{line.name!r} is a parent row (its score is the sum of the rows under it).",
                    _at(line, "得分"),
                )
            )
            continue
        score, line_findings = score_line(index, line)
        scores.append(score)
        findings.extend(line_findings)

    findings = _merge_weight_missing(findings)
    total = _total(funds, scores, rules, findings)
    reported = evaluation.total_reported
    grade_printed = evaluation.grade_reported
    result = EvaluationResult(
        evaluation=evaluation,
        rule_set=rules.name,
        funds=funds,
        indicators=tuple(scores),
        total_reported=reported,
        total_computed=total,
        grade_reported=grade_printed,
        grade_reported_canonical=canonical_grade(grade_printed),
        grade_computed=rules.grade_for(total),
    )
    findings.extend(check_evaluation(result, rules))
    return replace(result, findings=tuple(findings))


def _merge_weight_missing(findings: list[Finding]) -> list[Finding]:
    """A table with no 分值 column at all gets one finding, not one per row."""
    missing = [f for f in findings if f.code == "WEIGHT_MISSING"]
    if len(missing) < 3:
        return findings
    first = missing[0]
    merged = finding(
        "WEIGHT_MISSING",
        f"{len(missing)} 个指标没有分值（权重），无法复核，沿用自评得分。",
        f"{len(missing)} indicators have no weight; their reported scores are kept.",
        first.location,
    )
    rest = [f for f in findings if f.code != "WEIGHT_MISSING"]
    return [*rest, merged]


def _total(
    funds: FundsScore, scores: Sequence[IndicatorScore], rules: RuleSet, findings: list[Finding]
) -> Decimal:
    counted = [s for s in scores if s.counted]
    total = funds.score_computed + sum((s.score_computed or ZERO for s in counted), ZERO)
    excluded = [s for s in scores if s.rule == "not_applicable"]
    if not excluded:
        return round2(total)
    applicable = funds.weight + sum((s.line.weight or ZERO for s in counted), ZERO)
    if applicable <= 0:
        return round2(total)
    rescaled = round2(total * rules.total_weight / applicable)
    names = "、".join(s.line.name for s in excluded)
    findings.append(
        finding(
            "NOT_APPLICABLE_RESCALED",
            f"不适用指标（{names}）不计分；适用分值 {fmt(applicable)} 分中得 {fmt(round2(total))} 分，"
            f"折算为百分制 {fmt(rescaled)} 分。",
            f"Not-applicable rows excluded; {fmt(round2(total))} of {fmt(applicable)} rescaled to "
            f"{fmt(rescaled)}.",
        )
    )
    return rescaled
