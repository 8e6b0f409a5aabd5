"""The common data row, read straight from its cells: the reader's fast path.

Almost every row of a large upload is well formed: its key, names, numbers and 评分方法 read
without a finding. Such a row needs none of `rows.Row`'s machinery (a Row, its findings list,
a field lookup per cell, a Location per question), which was most of the reading time of a
province's upload. `quick_reader` returns the line of such an indicator, funds or spending
row, or None for any row that might need a finding or a note — a placeholder, a missing or
unreadable cell, traditional characters, an unknown 评分方法 or funds source, an amount in
元 — which the reader then reads the full way. The cells go through the same cached parsers
as the full way, so a line read quickly equals the line the full way reads
(tests/test_quickrows.py reads uploads both ways and compares).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter

from perfcore.headers import CONVERTED_MONEY_UNITS, TableKind
from perfcore.model import EvaluationKey, Expenditure, FundsLine, IndicatorLine, Location
from perfcore.rows import (
    CELL_CACHE,
    FUNDS_SOURCES,
    Columns,
    is_not_given,
    key_of,
    normalise_level,
    normalise_method,
    normalise_text,
    parse_amount_wan,
    parse_fraction,
    parse_number,
    parse_value,
    source_key,
)
from perfcore.values import ValueParseError, tidy_decimal

Cells = tuple[str, ...]
Levels = dict[EvaluationKey, tuple[str, str]]  # 一级/二级指标 filled down, per evaluation
Line = IndicatorLine | FundsLine | Expenditure
QuickReader = Callable[[int, Cells, Levels], tuple[EvaluationKey, Line] | None]
_Field = Callable[[Cells], str]

# Split target columns (指标性质 | 年度指标值 | 度量单位, as some provinces print them) are rare.
_SPLIT_TARGET = ("target_operator", "target_unit")


def quick_reader(kind: TableKind, columns: Columns) -> QuickReader | None:
    """A reader of `columns`' well-formed rows of table `kind`, or None where every row goes
    the full way (the 评价信息 table, whose rows repeat and merge; split target columns).

    The returned function takes (Excel row number, cells, the levels filled down so far) and
    returns (key, line), or None for a row the full way must read. It changes nothing: the
    caller records the line, its identity and its levels.
    """
    if kind is TableKind.INDICATORS and not any(f in columns.index for f in _SPLIT_TARGET):
        return _indicator_reader(columns)
    if kind is TableKind.FUNDS:
        return _funds_reader(columns)
    if kind is TableKind.EXPENDITURES:
        return _spending_reader(columns)
    return None


def _fields(columns: Columns, names: tuple[str, ...]) -> tuple[int, list[_Field]]:
    """(width, one getter per name): a row shorter than width is padded with blank cells, as
    `Row.text` reads a cell past the row's end; a column the table lacks reads blank."""
    at = [columns.index.get(name) for name in names]
    width = max((i for i in at if i is not None), default=-1) + 1
    return width, [_blank if i is None else itemgetter(i) for i in at]


def _blank(_cells: Cells) -> str:
    return ""


def _padded(cells: Cells, width: int) -> Cells:
    return cells if len(cells) >= width else (*cells, *("",) * (width - len(cells)))


@lru_cache(maxsize=CELL_CACHE)
def _points(text: str) -> tuple[bool, Decimal | None]:
    """(readable, what `Row.number_or_none` gives) for a weight or score cell; an unreadable
    one is a NUMBER_INVALID finding the full way reports."""
    try:
        parsed = parse_number(text)
    except ValueParseError:
        return False, None
    return True, None if parsed is None else tidy_decimal(parsed.value)


@lru_cache(maxsize=CELL_CACHE)
def _wan(text: str, table_unit: str) -> tuple[bool, Decimal | None]:
    """(plain, what `Row.amount` gives) for a money cell: not plain when it is unreadable or
    converted from 元 or 千元 (the file then gets a FUNDS_IN_YUAN note the full way adds)."""
    try:
        parsed = parse_number(text)
        amount = parse_amount_wan(text, table_unit)
    except ValueParseError:
        return False, None
    converted = parsed is not None and (parsed.unit or table_unit) in CONVERTED_MONEY_UNITS
    return not converted, amount


@lru_cache(maxsize=CELL_CACHE)
def _rate(text: str) -> tuple[bool, Decimal | None]:
    try:
        return True, parse_fraction(text)
    except ValueParseError:
        return False, None


def _table_unit(columns: Columns, name: str) -> str:
    header = columns.headers.get(name)
    return (header.unit if header else None) or columns.unit or "万元"


def _indicator_reader(columns: Columns) -> QuickReader:
    width, fields = _fields(
        columns,
        (
            "year",
            "department",
            "project",
            "level1",
            "level2",
            "name",
            "target",
            "actual",
            "weight",
            "score_reported",
            "deviation_reason",
            "method",
        ),
    )
    year, department, project, level1_of, level2_of, name_of = fields[:6]
    target_of, actual_of, weight_of, score_of, reason_of, method_of = fields[6:]
    file = columns.file

    def read(number: int, cells: Cells, levels: Levels) -> tuple[EvaluationKey, Line] | None:
        cells = _padded(cells, width)
        target, actual = target_of(cells), actual_of(cells)
        (weight_read, weight), (score_read, score) = (
            _points(weight_of(cells)),
            _points(score_of(cells)),
        )
        if not (weight_read and score_read):
            return None
        if weight is None and score is None and is_not_given(target) and is_not_given(actual):
            return None  # a placeholder row: the full way notes it
        key = key_of(year(cells), department(cells), project(cells))
        name = name_of(cells)
        if key is None or is_not_given(name):
            return None
        method, understood = normalise_method(method_of(cells))
        if not understood:
            return None
        levels_read = _filled_levels(level1_of(cells), level2_of(cells), levels.get(key))
        if levels_read is None:
            return None
        level1, level2 = levels_read
        return key, IndicatorLine(
            level1=level1,
            level2=level2,
            name=normalise_text(name),
            target=parse_value(target),
            actual=parse_value(actual),
            weight=weight,
            score_reported=score,
            deviation_reason=reason_of(cells).strip(),
            method=method,
            location=Location(file, number, None),
        )

    return read


def _filled_levels(cell1: str, cell2: str, above: tuple[str, str] | None) -> tuple[str, str] | None:
    """一级/二级指标 filled down as `reader._levels` does, or None when that would need a
    finding (a level still empty) or a note (traditional characters)."""
    level1, traditional1 = normalise_level(cell1)
    level2, traditional2 = normalise_level(cell2)
    if traditional1 or traditional2:
        return None
    above1, above2 = above or ("", "")
    if not level1:
        level1 = above1
        level2 = level2 or above2
    elif not level2 and level1 == above1:
        level2 = above2
    if not level1 or not level2:
        return None
    return level1, level2


def _funds_reader(columns: Columns) -> QuickReader:
    money = ("initial_budget", "annual_budget", "executed")
    width, fields = _fields(
        columns,
        ("year", "department", "project", "source", *money, "weight", "score_reported"),
    )
    year, department, project, source_of, initial_of, annual_of, executed_of = fields[:7]
    weight_of, score_of = fields[7:]
    (rate_of,) = _fields(columns, ("execution_rate",))[1]
    units = [_table_unit(columns, name) for name in money]
    file = columns.file

    def read(number: int, cells: Cells, _levels: Levels) -> tuple[EvaluationKey, Line] | None:
        cells = _padded(cells, width)
        label, traditional = source_key(source_of(cells))
        source = FUNDS_SOURCES.get(label)
        if source is None or traditional:
            return None
        amounts = [
            _wan(get(cells), unit)
            for get, unit in zip((initial_of, annual_of, executed_of), units, strict=True)
        ]
        numbers = _points(weight_of(cells)), _points(score_of(cells)), _rate(rate_of(cells))
        if not all(plain for plain, _ in amounts) or not all(ok for ok, _ in numbers):
            return None
        key = key_of(year(cells), department(cells), project(cells))
        if key is None:
            return None
        (_, initial), (_, annual), (_, executed) = amounts
        (_, weight), (_, score), (_, rate) = numbers
        return key, FundsLine(
            source=source,
            annual_budget=annual,
            executed=executed,
            initial_budget=initial,
            weight=weight,
            score_reported=score,
            execution_rate_reported=rate,
            location=Location(file, number, None),
        )

    return read


def _spending_reader(columns: Columns) -> QuickReader:
    width, fields = _fields(
        columns, ("year", "department", "project", "item", "executed", "annual_budget")
    )
    year, department, project, item_of, executed_of, annual_of = fields
    executed_unit = _table_unit(columns, "executed")
    annual_unit = _table_unit(columns, "annual_budget")
    file = columns.file

    def read(number: int, cells: Cells, _levels: Levels) -> tuple[EvaluationKey, Line] | None:
        cells = _padded(cells, width)
        item = item_of(cells)
        (executed_plain, executed), (annual_plain, annual) = (
            _wan(executed_of(cells), executed_unit),
            _wan(annual_of(cells), annual_unit),
        )
        if not (executed_plain and annual_plain) or executed is None or is_not_given(item):
            return None
        key = key_of(year(cells), department(cells), project(cells))
        if key is None:
            return None
        return key, Expenditure(
            item=normalise_text(item),
            executed=executed,
            annual_budget=annual,
            location=Location(file, number, None),
        )

    return read
