"""perfcore.values: cells as people write them, from the seed and the five real tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfcore.values import (
    ParsedNumber,
    ValueParseError,
    normalise_text,
    parse_amount_wan,
    parse_fraction,
    parse_number,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("　155.68", "155.68"),
        ("１２３．４５", "123.45"),
        ("  持续   保证 ", "持续 保证"),
        ("１００％", "100%"),
        ("＞＝５", ">=5"),
        ("﹦72890元", "=72890元"),
        ("≥6次", "≥6次"),
        ("≤2000元", "≤2000元"),
        ("≧20000亩", "≧20000亩"),
        ("\ufeff达成预期指标\u200b", "达成预期指标"),
        ("ＡＢＣ　ｄ", "ABC d"),
        ("−3", "-3"),
    ],
)
def test_normalise_text(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("　155.68", "155.68", None),
        ("261.46", "261.46", None),
        ("1,234.5", "1234.5", None),
        ("１２３", "123", None),
        ("１，２３４", "1234", None),
        ("10分", "10", "分"),
        ("100%", "100", "%"),
        ("100％", "100", "%"),
        ("102.59%", "102.59", "%"),
        ("100百分比", "100", "%"),
        ("2.65万元", "2.65", "万元"),
        ("7.29萬元", "7.29", "万元"),
        ("72890元", "72890", "元"),
        ("-3", "-3", None),
        ("0", "0", None),
        ("15.0", "15.0", None),
        ("100 %", "100", "%"),
    ],
)
def test_parse_number_accepts(text: str, value: str, unit: str | None) -> None:
    assert parse_number(text) == ParsedNumber(D(value), unit)


@pytest.mark.parametrize("text", ["", "   ", "　", "/", "／", "—", "-", "--", "*", "——", "— —"])
def test_parse_number_not_given(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("abc", "应为数字，如 261.46"),
        ("约10", "应为数字"),
        ("1,23", "应为数字"),
        ("10分左右", "单位「分左右」无法识别"),
        ("5户", "单位「户」无法识别"),
        ("1.2.3", "应为数字"),
        ("≥6", "应为数字"),
    ],
)
def test_parse_number_rejects_with_message(text: str, fragment: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_number(text)
    assert fragment in caught.value.message_zh
    assert "expected a number" in caught.value.message_en
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "table_unit", "expected"),
    [
        ("261.46", "万元", D("261.46")),
        ("72890元", "万元", D("7.289")),
        ("72890", "元", D("7.289")),
        ("2.65万元", "元", D("2.65")),
        ("1329120.67", "元", D("132.912067")),
        ("0", "万元", D("0")),
        ("—", "万元", None),
        ("1,000,000元", "万元", D("100")),
    ],
)
def test_parse_amount_wan(text: str, table_unit: str, expected: Decimal | None) -> None:
    result = parse_amount_wan(text, table_unit)
    assert result == expected
    assert result is None or isinstance(result, Decimal)


def test_parse_amount_wan_rejects_percent() -> None:
    with pytest.raises(ValueParseError, match="应为金额"):
        parse_amount_wan("86%")


def test_parse_amount_wan_rejects_unknown_table_unit() -> None:
    with pytest.raises(ValueError, match="table_unit"):
        parse_amount_wan("1", "美元")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100%", D(1)),
        ("86%", D("0.86")),
        ("102.59％", D("1.0259")),
        ("10.77%", D("0.1077")),
        ("0.862", D("0.862")),
        ("1.0259", D("1.0259")),
        ("86", D("0.86")),
        ("0", D(0)),
        ("/", None),
    ],
)
def test_parse_fraction(text: str, expected: Decimal | None) -> None:
    assert parse_fraction(text) == expected


def test_parse_fraction_rejects_money() -> None:
    with pytest.raises(ValueParseError, match="应为比率"):
        parse_fraction("86万元")
