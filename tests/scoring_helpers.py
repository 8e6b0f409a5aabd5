"""Small builders for scoring tests: an indicator line or an evaluation from cell texts."""

from __future__ import annotations

from decimal import Decimal

from perfcore.model import (
    Evaluation,
    EvaluationKey,
    Expenditure,
    FundsLine,
    FundsSource,
    IndicatorLine,
)
from perfcore.values import parse_value

KEY = EvaluationKey(2022, "测试部门", "测试项目")


def d(value: str | int | float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def line(
    target: str,
    actual: str,
    weight: str | int | None = 10,
    reported: str | int | None = None,
    *,
    name: str = "测试指标",
    level1: str = "产出指标",
    level2: str = "数量指标",
    reason: str = "",
    method: str | None = None,
) -> IndicatorLine:
    return IndicatorLine(
        level1=level1,
        level2=level2,
        name=name,
        target=parse_value(target),
        actual=parse_value(actual),
        weight=d(weight),
        score_reported=d(reported),
        deviation_reason=reason,
        method=method,
    )


def funds(
    budget: str | None = "100", executed: str | None = "100", *, reported=None, rate=None, **subs
) -> tuple[FundsLine, ...]:
    total = FundsLine(
        FundsSource.TOTAL,
        annual_budget=d(budget),
        executed=d(executed),
        weight=None,
        score_reported=d(reported),
        execution_rate_reported=d(rate),
    )
    extra = tuple(
        FundsLine(FundsSource(name), annual_budget=d(b), executed=d(e))
        for name, (b, e) in subs.items()
    )
    return (total, *extra)


def evaluation(
    *lines: IndicatorLine,
    funds_lines: tuple[FundsLine, ...] | None = None,
    total: str | None = None,
    grade: str | None = None,
    items: tuple[tuple[str, str], ...] = (),
) -> Evaluation:
    return Evaluation(
        key=KEY,
        funds=funds() if funds_lines is None else funds_lines,
        indicators=lines,
        expenditures=tuple(Expenditure(name, Decimal(x)) for name, x in items),
        total_reported=d(total),
        grade_reported=grade,
    )
