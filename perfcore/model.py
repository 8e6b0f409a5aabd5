"""The domain model: what one 项目支出绩效自评表 holds, and what perfcore says about it.

Plain frozen dataclasses, no behaviour beyond small derived properties. Amounts, weights and
scores are `Decimal` so that 261.46 stays 261.46; money is always in 万元 here (the reader
converts 元).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: the file, the row as Excel shows it (header = 1), the column title."""

    file: str | None = None
    row: int | None = None
    column: str | None = None

    def describe_zh(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件「{self.file}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return "，".join(parts)

    def describe_en(self) -> str:
        parts = []
        if self.file:
            parts.append(f"file {self.file!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing perfcore noticed. `code` is a key of `perfcore.codes.CODES`."""

    severity: Severity
    code: str
    message: str
    message_en: str
    location: Location | None = None

    def as_dict(self) -> dict:
        loc = self.location or Location()
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "location": {"file": loc.file, "row": loc.row, "column": loc.column},
        }


@dataclass(frozen=True, order=True, slots=True)
class EvaluationKey:
    """An evaluation is identified by (年度, 部门, 项目名称)."""

    year: int
    department: str
    project: str

    def label(self) -> str:
        return f"{self.year}年 {self.department} {self.project}"


class Operator(StrEnum):
    GE = "≥"
    GT = ">"
    LE = "≤"
    LT = "<"
    EQ = "="


class ValueKind(StrEnum):
    MISSING = "missing"  # blank, / — * : not given
    NUMBER = "number"  # a number with an optional unit (percentages carry unit "%")
    DEADLINE = "deadline"  # 2022年底, 9月前, 按时完成; an actual may also carry a completion %
    QUALITATIVE = "qualitative"  # 持续保证, 不断增强, 达成预期指标 …


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """A target (年度指标值) or actual (实际完成值) as perfcore understood it.

    `confident` is False when the parse is a guess (OCR damage, two numbers, a unit that does
    not fit); `note` then says why, in Chinese.
    """

    raw: str
    kind: ValueKind
    operator: Operator | None = None
    number: Decimal | None = None
    unit: str | None = None
    text: str | None = None
    year: int | None = None
    month: int | None = None
    confident: bool = True
    note: str | None = None

    @property
    def is_missing(self) -> bool:
        return self.kind is ValueKind.MISSING


class FundsSource(StrEnum):
    TOTAL = "年度资金总额"
    APPROPRIATION = "当年财政拨款"
    CARRYOVER = "上年结转资金"
    OTHER = "其他资金"


@dataclass(frozen=True, slots=True)
class FundsLine:
    source: FundsSource
    annual_budget: Decimal | None
    executed: Decimal | None
    initial_budget: Decimal | None = None
    weight: Decimal | None = None
    score_reported: Decimal | None = None
    execution_rate_reported: Decimal | None = None  # a fraction, 1 = 100 %
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    level1: str
    level2: str
    name: str
    target: ParsedValue
    actual: ParsedValue
    weight: Decimal | None
    score_reported: Decimal | None = None
    deviation_reason: str = ""
    method: str | None = None  # 评分方法 as written: 比例, 扣分:1, 定性, 达标, 不适用, 汇总
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Expenditure:
    item: str
    executed: Decimal
    annual_budget: Decimal | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One filled-in 项目支出绩效自评表, as read from the upload."""

    key: EvaluationKey
    funds: tuple[FundsLine, ...] = ()
    indicators: tuple[IndicatorLine, ...] = ()
    expenditures: tuple[Expenditure, ...] = ()
    authority: str = ""
    implementer: str = ""
    kind: str = "项目支出"
    goal_expected: str = ""
    goal_actual: str = ""
    total_reported: Decimal | None = None
    grade_reported: str | None = None
    rule_set: str | None = None  # as named in the upload; None = the default
    source_files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UploadFile:
    """One uploaded file as the app and the CLI hand it over: its name and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What the reader made of an upload: evaluations, plus findings (errors block storing)."""

    evaluations: tuple[Evaluation, ...]
    findings: tuple[Finding, ...]

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True, slots=True)
class FundsScore:
    annual_budget: Decimal | None
    executed: Decimal | None
    initial_budget: Decimal | None
    execution_rate: Decimal | None  # against 全年预算数, a fraction
    weight: Decimal
    score_computed: Decimal
    score_reported: Decimal | None


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """An indicator line with the score perfcore gives it and how.

    `rule` is a short code (higher, lower_ratio, lower_linear, zero_target, deadline, deduct,
    pass_fail, qualitative, kept_reported, not_applicable, parent); `explanation` says in
    Chinese how the computed score came about, for reviewers.
    """

    line: IndicatorLine
    score_computed: Decimal | None
    rule: str
    explanation: str
    counted: bool = True  # False for parent (汇总) and not-applicable rows
    tier: str | None = None  # qualitative tier picked, when one was


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    evaluation: Evaluation
    rule_set: str
    funds: FundsScore
    indicators: tuple[IndicatorScore, ...]
    total_reported: Decimal | None
    total_computed: Decimal
    grade_reported: str | None  # as printed, e.g. 优秀
    grade_reported_canonical: str | None  # 优/良/中/差
    grade_computed: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def key(self) -> EvaluationKey:
        return self.evaluation.key

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)
