"""The common indicator row, read straight from its cells: the reader's fast path.

Almost every row of a large upload is well formed: its key, names, numbers and 评分方法 read
without a finding. Such a row needs none of `rows.Row`'s machinery (a Row, its findings list,
a field lookup per cell, a Location per question), which was most of the reading time of a
province's upload. `quick_indicator_reader` returns the line of such a row, or None for any
row that might need a finding — a placeholder, a missing or unreadable cell, traditional
characters, an unknown 评分方法 — which the reader then reads the full way. The cells go
through the same cached parsers as the full way, so a line read quickly equals the line the
full way reads (tests/test_quickrows.py holds the two ways to that).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

from perfcore.model import EvaluationKey, IndicatorLine, Location
from perfcore.rows import (
    CELL_CACHE,
    Columns,
    _key_of,
    is_not_given,
    normalise_level,
    normalise_method,
    normalise_text,
    parse_number,
    parse_value,
)
from perfcore.values import ValueParseError, tidy_decimal

QuickIndicator = Callable[
    [int, tuple[str, ...], dict[EvaluationKey, tuple[str, str]]],
    tuple[EvaluationKey, IndicatorLine] | None,
]

# Every field the fast path reads; a table without one of them is read the full way.
_FIELDS = (
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
)
# Split target columns (运算符 | 指标值 | 单位, as some provinces print them) are rare: full way.
_SPLIT_TARGET = ("target_operator", "target_unit")


@lru_cache(maxsize=CELL_CACHE)
def _points(text: str) -> tuple[bool, Decimal | None]:
    """(readable, what `Row.number_or_none` gives) for a weight or score cell: unreadable is
    a NUMBER_INVALID finding the full way reports."""
    try:
        parsed = parse_number(text)
    except ValueParseError:
        return False, None
    return True, None if parsed is None else tidy_decimal(parsed.value)


def quick_indicator_reader(columns: Columns) -> QuickIndicator | None:
    """A reader of `columns`' well-formed indicator rows, or None when the table's layout
    always needs the full way (a missing column, split target columns).

    The returned function takes (Excel row number, cells, the levels filled down so far per
    evaluation) and returns (key, line), or None for a row the full way must read. It changes
    nothing: the caller records the levels, the draft and the line's identity.
    """
    index = columns.index
    if any(name in index for name in _SPLIT_TARGET) or any(f not in index for f in _FIELDS):
        return None
    (year, department, project, level1_at, level2_at, name_at) = (index[f] for f in _FIELDS[:6])
    (target_at, actual_at, weight_at, score_at, reason_at, method_at) = (
        index[f] for f in _FIELDS[6:]
    )
    width = max(index[f] for f in _FIELDS) + 1
    file = columns.file

    def read(
        number: int, cells: tuple[str, ...], levels: dict[EvaluationKey, tuple[str, str]]
    ) -> tuple[EvaluationKey, IndicatorLine] | None:
        if len(cells) < width:
            return None
        target, actual = cells[target_at], cells[actual_at]
        (weight_read, weight), (score_read, score) = (
            _points(cells[weight_at]),
            _points(cells[score_at]),
        )
        if not (weight_read and score_read):
            return None
        if weight is None and score is None and is_not_given(target) and is_not_given(actual):
            return None  # a placeholder row: the full way notes it
        key = _key_of(cells[year], cells[department], cells[project])
        name = cells[name_at]
        if key is None or is_not_given(name):
            return None
        method, understood = normalise_method(cells[method_at])
        if not understood:
            return None
        levels_read = _filled_levels(cells[level1_at], cells[level2_at], levels.get(key))
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
            deviation_reason=cells[reason_at].strip(),
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
