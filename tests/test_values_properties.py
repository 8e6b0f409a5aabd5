"""Property tests for perfcore.values: round trips and never raising, on generated input."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from perfcore.model import Operator, ParsedValue, ValueKind
from perfcore.values import (
    ParsedNumber,
    ValueParseError,
    format_value,
    parse_number,
    parse_value,
)

_FULL_WIDTH = str.maketrans("0123456789.,-%", "０１２３４５６７８９．，－％")
_SPACES = st.sampled_from(["", " ", "　", "\u3000\u3000", "\t"])


def _without_raw(value: ParsedValue) -> ParsedValue:
    return replace(value, raw="")


amounts = st.integers(0, 4).flatmap(
    lambda places: st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=places)
)


@given(
    number=amounts,
    unit=st.sampled_from(["", "%", "元", "万元", "分"]),
    separators=st.booleans(),
    full_width=st.booleans(),
    before=_SPACES,
    after=_SPACES,
)
def test_parse_number_round_trips_formatted_decimals(
    number: Decimal, unit: str, separators: bool, full_width: bool, before: str, after: str
) -> None:
    text = format(number, ",f" if separators else "f") + unit
    if full_width:
        text = text.translate(_FULL_WIDTH)
    assert parse_number(before + text + after) == ParsedNumber(number, unit or None)


@given(st.text(max_size=30))
def test_parse_number_raises_only_its_own_error(text: str) -> None:
    try:
        result = parse_number(text)
    except ValueParseError as error:
        assert error.message_zh and error.message_en
    else:
        assert result is None or isinstance(result.value, Decimal)


# Units a formatted number may carry. 年 and 月 only with an operator: a bare `2022年` or `7月`
# is a deadline, not a count of years or months.
_UNITS = [None, "次", "人", "个", "户", "组", "亩", "件", "项", "天", "批次", "元", "万元"]
_UNITS += ["元/人", "元/亩", "分", "个月", "万人", "km"]

numbers_with_units = st.builds(
    lambda operator, number, unit: ParsedValue(
        raw="", kind=ValueKind.NUMBER, operator=operator, number=number, unit=unit
    ),
    operator=st.none() | st.sampled_from(Operator),
    number=amounts,
    unit=st.sampled_from(_UNITS),
)
# Percentages up to 200 %: a bare 2xx % above that is read as OCR damage of ≥xx % on purpose.
percentages = st.builds(
    lambda operator, number: ParsedValue(
        raw="", kind=ValueKind.NUMBER, operator=operator, number=number, unit="%"
    ),
    operator=st.none() | st.sampled_from(Operator),
    number=st.decimals(min_value=0, max_value=200, places=2),
)
years_and_months = st.builds(
    lambda operator, number, unit: ParsedValue(
        raw="", kind=ValueKind.NUMBER, operator=operator, number=number, unit=unit
    ),
    operator=st.sampled_from(Operator),
    number=st.integers(0, 3000).map(Decimal),
    unit=st.sampled_from(["年", "月"]),
)
deadlines = st.builds(
    lambda year, month, completion: ParsedValue(
        raw="",
        kind=ValueKind.DEADLINE,
        year=year,
        month=month,
        number=completion,
        unit="%" if completion is not None else None,
    ),
    year=st.none() | st.integers(1990, 2099),
    month=st.integers(1, 12),
    completion=st.none() | st.decimals(min_value=0, max_value=100, places=2),
) | st.builds(
    lambda year: ParsedValue(raw="", kind=ValueKind.DEADLINE, year=year),
    year=st.integers(1990, 2099),
)
undated_deadlines = st.sampled_from(
    ["按时完成", "及时", "在项目计划完成时间内完成", "按期完成"]
).map(lambda text: ParsedValue(raw="", kind=ValueKind.DEADLINE, text=text))
_PHRASES = ["持续保证", "不断增强", "有效提升", "效果明显", "达成预期指标", "合规", "完成"]
_PHRASES += [
    "可持续",
    "根据实际工作需要录用",
    "严格执行相关制度规定",
    "部分达成年度指标并具有一定效果",
]
phrases = st.sampled_from(_PHRASES).map(
    lambda text: ParsedValue(raw="", kind=ValueKind.QUALITATIVE, text=text)
)


@given(
    numbers_with_units | percentages | years_and_months | deadlines | undated_deadlines | phrases
)
def test_parse_value_inverts_format_value(value: ParsedValue) -> None:
    parsed = parse_value(format_value(value))
    assert parsed.confident, parsed.note
    assert _without_raw(parsed) == value


# Text made of the characters real cells are made of, so the generator hits the grammar.
_CELL_ALPHABET = (
    "0123456789０１２３.,，%％≥≤≧≦<>=﹦＝ -—/*()（）年月底前完成元万次人个按时达成WX以上内不低于　"
)


@given(st.text(alphabet=_CELL_ALPHABET, max_size=16) | st.text(max_size=16))
def test_parse_value_never_raises_and_is_stable(text: str) -> None:
    value = parse_value(text)
    assert value.raw == text
    assert value.confident or value.note
    if value.confident and not value.is_missing:
        assert _without_raw(parse_value(format_value(value))) == _without_raw(value)
