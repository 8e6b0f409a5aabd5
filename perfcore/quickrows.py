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
from operator import itemgetter

from perfcore.headers import TableKind
from perfcore.model import EvaluationKey, Expenditure, FundsLine, IndicatorLine, Location
from perfcore.rows import (
    FUNDS_SOURCES,
    Columns,
    fill_down_levels,
    is_not_given,
    key_of,
    normalise_level,
    normalise_method,
    normalise_text,
    parse_value,
    read_amount,
    read_fraction,
    read_points,
    source_key,
)

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


def _plain(amount: tuple[object, str | None, object]) -> bool:
    """A money cell `rows.read_amount` read without a problem or a conversion from 元 or 千元
    (which gives the file a FUNDS_IN_YUAN note the full way adds)."""
    _, converted_from, problem = amount
    return converted_from is None and problem is None


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
        (weight, weight_problem), (score, score_problem) = (
            read_points(weight_of(cells)),
            read_points(score_of(cells)),
        )
        if weight_problem is not None or score_problem is not None:
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
    level1, level2 = fill_down_levels(level1, level2, above or ("", ""))
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
    units = [columns.unit_of(name) for name in money]
    file = columns.file

    def read(number: int, cells: Cells, _levels: Levels) -> tuple[EvaluationKey, Line] | None:
        cells = _padded(cells, width)
        label, traditional = source_key(source_of(cells))
        source = FUNDS_SOURCES.get(label)
        if source is None or traditional:
            return None
        amounts = [
            read_amount(get(cells), unit)
            for get, unit in zip((initial_of, annual_of, executed_of), units, strict=True)
        ]
        numbers = (
            read_points(weight_of(cells)),
            read_points(score_of(cells)),
            read_fraction(rate_of(cells)),
        )
        if not all(_plain(amount) for amount in amounts) or any(
            problem is not None for _, problem in numbers
        ):
            return None
        key = key_of(year(cells), department(cells), project(cells))
        if key is None:
            return None
        (initial, _, _), (annual, _, _), (executed, _, _) = amounts
        (weight, _), (score, _), (rate, _) = numbers
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
    executed_unit, annual_unit = columns.unit_of("executed"), columns.unit_of("annual_budget")
    file = columns.file

    def read(number: int, cells: Cells, _levels: Levels) -> tuple[EvaluationKey, Line] | None:
        cells = _padded(cells, width)
        item = item_of(cells)
        executed_read = read_amount(executed_of(cells), executed_unit)
        annual_read = read_amount(annual_of(cells), annual_unit)
        executed, annual = executed_read[0], annual_read[0]
        if not (_plain(executed_read) and _plain(annual_read)):
            return None
        if executed is None or is_not_given(item):
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
