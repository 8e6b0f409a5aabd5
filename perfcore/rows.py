"""One data row of an upload table → one typed line (funds, indicator, spending item, details).

Cells are read as people write them through `perfcore.values`; anything that cannot be read
becomes a finding that names the file, the Excel row, the column title as printed and the
value, in Chinese and English. Fixed names (funds sources, indicator levels, 评分方法) are
normalised here; free text is kept as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from perfcore import values
from perfcore.codes import finding
from perfcore.headers import (
    CONVERTED_MONEY_UNITS,
    FIELD_TITLES,
    Header,
    TableKind,
    to_simplified,
)
from perfcore.model import (
    EvaluationKey,
    Expenditure,
    Finding,
    FundsLine,
    FundsSource,
    IndicatorLine,
    Location,
)
from perfcore.values import ValueParseError, tidy_decimal

# Uploads repeat the same cell texts thousands of times (≥95%, 10, 产出指标, the key); the
# parsers are pure, so a file parses each distinct text once. 2^16 entries hold the distinct
# targets and actuals of 10^4 evaluations (about 40,000: 8,192 missed half of them, and reading
# took 30 % longer), at some 40 MB when full.
CELL_CACHE = 1 << 16
is_not_given = lru_cache(maxsize=CELL_CACHE)(values.is_not_given)
normalise_text = lru_cache(maxsize=CELL_CACHE)(values.normalise_text)
parse_number = lru_cache(maxsize=CELL_CACHE)(values.parse_number)
parse_amount_wan = lru_cache(maxsize=CELL_CACHE)(values.parse_amount_wan)
parse_fraction = lru_cache(maxsize=8192)(values.parse_fraction)
parse_value = lru_cache(maxsize=CELL_CACHE)(values.parse_value)
split_target = lru_cache(maxsize=1024)(values.split_target)


def _quiet(problem: ValueParseError) -> ValueParseError:
    """A problem kept in a cache without the frames it was raised in."""
    return problem.with_traceback(None)


# What a number cell reads as, or the problem it is: one definition for the full way (`Row`)
# and the fast path (`perfcore.quickrows`), cached as the parsers above are.
@lru_cache(maxsize=CELL_CACHE)
def read_points(text: str) -> tuple[Decimal | None, ValueParseError | None]:
    """A weight, score or total cell: (value, None), or (None, the problem)."""
    try:
        parsed = parse_number(text)
    except ValueParseError as problem:
        return None, _quiet(problem)
    return None if parsed is None else tidy_decimal(parsed.value), None


@lru_cache(maxsize=CELL_CACHE)
def read_amount(
    text: str, table_unit: str
) -> tuple[Decimal | None, str | None, ValueParseError | None]:
    """A money cell in 万元: (amount, the unit it was converted from or None, None), or
    (None, None, the problem)."""
    try:
        parsed = parse_number(text)
        amount = parse_amount_wan(text, table_unit)
    except ValueParseError as problem:
        return None, None, _quiet(problem)
    unit = None if parsed is None else parsed.unit or table_unit
    return amount, unit if unit in CONVERTED_MONEY_UNITS else None, None


@lru_cache(maxsize=8192)
def read_fraction(text: str) -> tuple[Decimal | None, ValueParseError | None]:
    """An execution rate cell as a fraction: (value, None), or (None, the problem)."""
    try:
        return parse_fraction(text), None
    except ValueParseError as problem:
        return None, _quiet(problem)


@dataclass(frozen=True)
class Columns:
    """A located header: which column holds which field, and how each title was printed."""

    file: str
    index: dict[str, int]  # field → column index (the first column wins)
    headers: dict[str, Header]  # field → its header
    unit: str | None = None  # 元 or 万元 when a title line above the header says so (单位：元)

    def unit_of(self, name: str) -> str:
        """The money unit of column `name`: its title's (全年预算数（元）), else the table's."""
        header = self.headers.get(name)
        return (header.unit if header else None) or self.unit or "万元"


@dataclass(frozen=True)
class Details:
    """One row of the 评价信息 table."""

    authority: str = ""
    implementer: str = ""
    kind: str = "项目支出"
    goal_expected: str = ""
    goal_actual: str = ""
    total_reported: Decimal | None = None
    grade_reported: str | None = None
    rule_set: str | None = None


@dataclass
class Row:
    """The cells of one data row, read field by field; problems pile up in `findings`."""

    columns: Columns
    number: int  # as Excel shows it
    cells: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    converted_from: str | None = None  # the unit (元, 千元) an amount was converted from
    traditional: bool = False  # a fixed name was written in traditional characters
    _here: Location | None = field(default=None, repr=False, compare=False)

    def text(self, name: str) -> str:
        column = self.columns.index.get(name)
        if column is None or column >= len(self.cells):
            return ""
        return self.cells[column]

    def given(self, name: str) -> bool:
        return not is_not_given(self.text(name))

    def location(self, name: str | None = None) -> Location:
        if name is None:
            # Asked for several times per row (draft, line, duplicates); Location is frozen.
            if self._here is None:
                self._here = Location(self.columns.file, self.number, None)
            return self._here
        header = self.columns.headers.get(name)
        return Location(self.columns.file, self.number, header.printed if header else None)

    def error(self, code: str, name: str | None, message_zh: str, message_en: str) -> None:
        loc = self.location(name)
        self.findings.append(
            finding(
                code,
                f"{loc.describe_zh()}：{message_zh}",
                f"{loc.describe_en()}: {message_en}",
                loc,
            )
        )

    def number_or_none(self, name: str) -> Decimal | None:
        """Weights, scores, totals: `10`, `10分`, `7.13`; a % sign is tolerated (points of 100)."""
        value, problem = read_points(self.text(name))
        if problem is not None:
            self._invalid(name, problem)
        return value

    def amount(self, name: str) -> Decimal | None:
        """Money in 万元; a 元 suffix in the cell, a 元 column title or a 单位：元 title line
        above the header (in that order of precedence) converts."""
        amount, converted_from, problem = read_amount(self.text(name), self.columns.unit_of(name))
        if problem is not None:
            self._invalid(name, problem)
        elif converted_from is not None:
            self.converted_from = converted_from
        return amount

    def fraction(self, name: str) -> Decimal | None:
        value, problem = read_fraction(self.text(name))
        if problem is not None:
            self._invalid(name, problem)
        return value

    def _invalid(self, name: str, problem: ValueParseError) -> None:
        title = FIELD_TITLES[name]
        self.error(
            "NUMBER_INVALID",
            name,
            f"{problem.message_zh}（{title}）",
            f"{problem.message_en} ({name})",
        )


_YEAR = re.compile(r"(\d{4})(?:年度?)?")


def read_key(row: Row) -> EvaluationKey | None:
    """年度, 部门, 项目名称 of a row; each empty one is a KEY_MISSING error."""
    key = key_of(row.text("year"), row.text("department"), row.text("project"))
    if key is None:
        _key_problems(row)
    return key


@lru_cache(maxsize=8192)
def key_of(year: str, department: str, project: str) -> EvaluationKey | None:
    """The key of three well-formed cells, else None. Every row of an evaluation repeats them."""
    if is_not_given(year) or is_not_given(department) or is_not_given(project):
        return None
    match = _YEAR.fullmatch(_year_text(year))
    if match is None:
        return None
    return EvaluationKey(int(match[1]), normalise_text(department), normalise_text(project))


def _year_text(text: str) -> str:
    return normalise_text(text).replace(" ", "")


def _key_problems(row: Row) -> None:
    """The findings for a row whose key `key_of` refused: missing cells, else the year."""
    missing = [name for name in ("year", "department", "project") if not row.given(name)]
    for name in missing:
        row.error(
            "KEY_MISSING",
            name,
            f"{FIELD_TITLES[name]}为空，年度、部门、项目名称每行必填",
            f"{name} is empty; year, department and project are required on every row",
        )
    if missing:
        return
    year_text = _year_text(row.text("year"))
    row.error(
        "YEAR_INVALID",
        "year",
        f"年度「{year_text}」无法识别，应为四位数字，如 2022",
        f"year {year_text!r} not understood; expected four digits such as 2022",
    )


def read_details(row: Row) -> Details:
    return Details(
        authority=normalise_text(row.text("authority")),
        implementer=normalise_text(row.text("implementer")),
        kind=normalise_text(row.text("kind")) or "项目支出",
        goal_expected=row.text("goal_expected").strip(),
        goal_actual=row.text("goal_actual").strip(),
        total_reported=row.number_or_none("total_reported"),
        grade_reported=normalise_text(row.text("grade_reported")) or None,
        rule_set=normalise_text(row.text("rule_set")) or None,
    )


# Funds source labels as printed, in the comparable form of `source_key`.
FUNDS_SOURCES: dict[str, FundsSource] = {
    "年度资金总额": FundsSource.TOTAL,
    "年度财政资金总额": FundsSource.TOTAL,
    "资金总额": FundsSource.TOTAL,
    "total": FundsSource.TOTAL,
    "当年财政拨款": FundsSource.APPROPRIATION,
    "本年财政拨款": FundsSource.APPROPRIATION,
    "财政拨款": FundsSource.APPROPRIATION,
    "appropriation": FundsSource.APPROPRIATION,
    "上年结转资金": FundsSource.CARRYOVER,
    "上年结转": FundsSource.CARRYOVER,
    "上年结余结转资金": FundsSource.CARRYOVER,
    "carryover": FundsSource.CARRYOVER,
    "其他资金": FundsSource.OTHER,
    "other": FundsSource.OTHER,
}
_SOURCE_DECORATION = re.compile(r"^其中[:,]?|[:]$|\((万?元)\)$")


@lru_cache(maxsize=256)
def source_key(text: str) -> tuple[str, bool]:
    compact = normalise_text(text).replace(" ", "").lower()
    simplified = to_simplified(compact)
    return _SOURCE_DECORATION.sub("", simplified), simplified != compact


def read_funds_line(row: Row) -> FundsLine | None:
    key, traditional = source_key(row.text("source"))
    row.traditional |= traditional
    source = FUNDS_SOURCES.get(key)
    if source is None:
        printed = normalise_text(row.text("source"))
        row.error(
            "FUNDS_SOURCE_UNKNOWN",
            "source",
            f"资金来源「{printed}」无法识别，应为 年度资金总额、当年财政拨款、上年结转资金 或 其他资金",
            f"funds source {printed!r} not recognised; expected 年度资金总额, 当年财政拨款, "
            "上年结转资金 or 其他资金",
        )
        return None
    return FundsLine(
        source=source,
        annual_budget=row.amount("annual_budget"),
        executed=row.amount("executed"),
        initial_budget=row.amount("initial_budget"),
        weight=row.number_or_none("weight"),
        score_reported=row.number_or_none("score_reported"),
        execution_rate_reported=row.fraction("execution_rate"),
        location=row.location(),
    )


_LEVEL_WEIGHT_NOTE = re.compile(r"\(\d+(?:\.\d+)?分\)$")


@lru_cache(maxsize=1024)
def normalise_level(text: str) -> tuple[str, bool]:
    """`產出指標\\n(50分)` → (产出指标, True): no spaces, simplified, weight note dropped."""
    compact = normalise_text(text).replace(" ", "")
    simplified = to_simplified(compact)
    return _LEVEL_WEIGHT_NOTE.sub("", simplified), simplified != compact


def fill_down_levels(level1: str, level2: str, above: tuple[str, str]) -> tuple[str, str]:
    """一级/二级指标 of a row, the blank ones filled from the row above (merged cells): a blank
    一级 takes both from above, a blank 二级 under the same 一级 takes the 二级 above."""
    above1, above2 = above
    if not level1:
        return above1, level2 or above2
    if not level2 and level1 == above1:
        return level1, above2
    return level1, level2


_METHODS = ("比例", "定性", "达标", "不适用", "汇总")
_DEDUCT = re.compile(r"扣分:?(?P<points>.+)")


@lru_cache(maxsize=256)
def normalise_method(text: str) -> tuple[str | None, bool]:
    """评分方法 → (canonical or None when blank, understood): `扣分：1` → 扣分:1."""
    if is_not_given(text):
        return None, True
    compact = to_simplified(normalise_text(text).replace(" ", ""))
    if compact in _METHODS:
        return compact, True
    match = _DEDUCT.fullmatch(compact)
    if match is None:
        return None, False
    try:
        points = parse_number(match["points"])
    except ValueParseError:
        return None, False
    if points is None or points.unit not in (None, "分"):
        return None, False
    return f"扣分:{tidy_decimal(points.value)}", True


def read_indicator_line(row: Row, level1: str, level2: str) -> IndicatorLine | None:
    """`level1`/`level2` come from the caller, which fills merged cells down."""
    if not row.given("name"):
        row.error(
            "CELL_MISSING",
            "name",
            "三级指标为空，请填写指标名称",
            "the indicator name (三级指标) is empty",
        )
        return None
    method, understood = normalise_method(row.text("method"))
    if not understood:
        printed = normalise_text(row.text("method"))
        row.error(
            "METHOD_UNKNOWN",
            "method",
            f"评分方法「{printed}」无法识别，应为 比例、扣分:K、定性、达标、不适用、汇总 或留空",
            f"scoring method {printed!r} not recognised; expected 比例, 扣分:K, 定性, 达标, "
            "不适用, 汇总 or blank",
        )
    if "target_operator" in row.columns.index or "target_unit" in row.columns.index:
        target_text = split_target(
            row.text("target_operator"), row.text("target"), row.text("target_unit")
        )
    else:
        target_text = row.text("target")
    weight = row.number_or_none("weight")
    score = row.number_or_none("score_reported")
    return IndicatorLine(
        level1=level1,
        level2=level2,
        name=normalise_text(row.text("name")),
        target=parse_value(target_text),
        actual=parse_value(row.text("actual")),
        weight=weight,
        score_reported=score,
        deviation_reason=row.text("deviation_reason").strip(),
        method=method,
        location=row.location(),
    )


def read_expenditure(row: Row) -> Expenditure | None:
    if not row.given("item"):
        row.error(
            "CELL_MISSING",
            "item",
            "明细项目为空，请填写支出项目名称",
            "the spending item name (明细项目) is empty",
        )
        return None
    executed = row.amount("executed")
    annual_budget = row.amount("annual_budget")
    if executed is None:
        if not row.findings:
            row.error(
                "CELL_MISSING",
                "executed",
                "全年执行数为空，请填写该项目的执行金额",
                "the executed amount (全年执行数) is empty",
            )
        return None
    return Expenditure(
        item=normalise_text(row.text("item")),
        executed=executed,
        annual_budget=annual_budget,
        location=row.location(),
    )


# The fields whose absence makes a row a not-applicable placeholder (`/` rows), per table.
PLACEHOLDER_FIELDS: dict[TableKind, tuple[str, ...]] = {
    TableKind.FUNDS: (
        "source",
        "initial_budget",
        "annual_budget",
        "executed",
        "weight",
        "score_reported",
    ),
    TableKind.INDICATORS: ("target", "actual", "weight", "score_reported"),
    TableKind.EXPENDITURES: ("executed", "annual_budget"),
}


def is_placeholder(row: Row, kind: TableKind) -> bool:
    """A row of `/` (or blank besides the key and the names) with no weight."""
    fields = PLACEHOLDER_FIELDS.get(kind)
    return fields is not None and not any(row.given(name) for name in fields)
