"""perfcore.values: cells as people write them, from the seed and the five real tables."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfcore.model import Operator, ParsedValue, ValueKind
from perfcore.values import (
    ParsedNumber,
    ValueParseError,
    format_value,
    is_not_applicable,
    normalise_text,
    parse_amount_wan,
    parse_fraction,
    parse_number,
    parse_value,
    split_target,
    to_comparable,
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


# --- parse_value: every notation of scoring-rules.md §9, the seed and the five real tables ---

GE, GT, LE, LT, EQ = Operator.GE, Operator.GT, Operator.LE, Operator.LT, Operator.EQ
NUMBER, DEADLINE = ValueKind.NUMBER, ValueKind.DEADLINE


@pytest.mark.parametrize(
    ("text", "operator", "number", "unit"),
    [
        # seed (益阳 2022)
        ("≥6次", GE, "6", "次"),
        ("30次", None, "30", "次"),
        ("≤2000元", LE, "2000", "元"),
        ("1756元", None, "1756", "元"),
        ("≥85%", GE, "85", "%"),
        ("99.85%", None, "99.85", "%"),
        ("100%", None, "100", "%"),
        ("0%", None, "0", "%"),
        ("582人", None, "582", "人"),
        # 04 廊坊: bare numbers
        ("100", None, "100", None),
        ("43.2", None, "43.2", None),
        # 05 棠溪: =8个, bare actual, 万元 bound, ≥100百分比
        ("=8个", EQ, "8", "个"),
        ("=42个", EQ, "42", "个"),
        ("8", None, "8", None),
        ("≤202.6万元", LE, "202.6", "万元"),
        ("≥100百分比", GE, "100", "%"),
        # 06 金寨: bounds without units
        ("≤4", LE, "4", None),
        ("≥2000", GE, "2000", None),
        # 07 隆阳: ≧, 亩, 组, 户
        ("≧20000亩", GE, "20000", "亩"),
        ("≧15组", GE, "15", "组"),
        ("5000户", None, "5000", "户"),
        ("85.6%", None, "85.6", "%"),
        # 08 丽江: ﹦ (U+FE66)
        ("﹦72890元", EQ, "72890", "元"),
        ("﹦100%", EQ, "100", "%"),
        # §9 and other real forms
        ("≥90%", GE, "90", "%"),
        ("≤90万元", LE, "90", "万元"),
        ("≤10次", LE, "10", "次"),
        ("≤5%", LE, "5", "%"),
        ("足额保障率=100%", EQ, "100", "%"),
        ("98%以上", GE, "98", "%"),
        ("3次以上", GE, "3", "次"),
        ("不低于95%", GE, "95", "%"),
        ("满意度不低于90%", GE, "90", "%"),
        ("不少于10人", GE, "10", "人"),
        ("95%以下", LE, "95", "%"),
        ("不高于5%", LE, "5", "%"),
        ("不超过2000元", LE, "2000", "元"),
        ("控制在5%以内", LE, "5", "%"),
        ("3天内", LE, "3", "天"),
        ("大于等于90%", GE, "90", "%"),
        ("低于1%", LT, "1", "%"),
        ("1756元/人", None, "1756", "元/人"),
        ("≤300元/亩", LE, "300", "元/亩"),
        ("≥2批次", GE, "2", "批次"),
        ("≥5项", GE, "5", "项"),
        ("≥10件", GE, "10", "件"),
        ("≥12个月", GE, "12", "个月"),
        # operators in every spelling
        (">=5", GE, "5", None),
        ("＞=5", GE, "5", None),
        ("<=5", LE, "5", None),
        ("＜=5", LE, "5", None),
        ("≦5", LE, "5", None),
        (">5", GT, "5", None),
        ("＞5", GT, "5", None),
        ("<5", LT, "5", None),
        ("＜5", LT, "5", None),
        ("=5", EQ, "5", None),
        ("＝5", EQ, "5", None),
        # full-width, spaces, thousands separators, brackets
        ("　≥　６　次", GE, "6", "次"),
        ("１２３人", None, "123", "人"),
        ("≤1,234.5元", LE, "1234.5", "元"),
        ("≥95%（含）", GE, "95", "%"),
        ("(≥80%)", GE, "80", "%"),
        ("72890", None, "72890", None),
        ("-3", None, "-3", None),
        ("≥7.29萬元", GE, "7.29", "万元"),
    ],
)
def test_parse_value_numbers(
    text: str, operator: Operator | None, number: str, unit: str | None
) -> None:
    value = parse_value(text)
    assert (value.kind, value.operator, value.number, value.unit) == (
        NUMBER,
        operator,
        D(number),
        unit,
    )
    assert value.confident, value.note
    assert value.raw == text
    assert isinstance(value.number, Decimal)


@pytest.mark.parametrize(
    ("text", "year", "month", "completion"),
    [
        ("2022年底", 2022, 12, None),
        ("2022年12月底前", 2022, 12, None),
        ("12月底之前完成", None, 12, None),
        ("9月前", None, 9, None),
        ("11月前", None, 11, None),
        ("7月", None, 7, None),
        ("10月", None, 10, None),
        ("年底前完成", None, 12, None),
        ("2022年", 2022, None, None),
        ("2022年6月30日前", 2022, 6, None),
        ("在2022年12月底前完成", 2022, 12, None),
        ("2022-12-31", 2022, 12, None),
        ("2022年年前完成97.13%", 2022, 12, "97.13"),
        ("2022年底前完成率100%", 2022, 12, "100"),
        ("验收时间7月", None, 7, None),
        ("((2022年底))", 2022, 12, None),
    ],
)
def test_parse_value_dated_deadlines(
    text: str, year: int | None, month: int | None, completion: str | None
) -> None:
    value = parse_value(text)
    assert (value.kind, value.year, value.month) == (DEADLINE, year, month)
    assert value.number == (D(completion) if completion else None)
    assert value.unit == ("%" if completion else None)
    assert value.confident


@pytest.mark.parametrize("text", ["按时完成", "及时", "在项目计划完成时间内完成", "按期完成"])
def test_parse_value_undated_deadlines(text: str) -> None:
    value = parse_value(text)
    assert (value.kind, value.text, value.year, value.month) == (DEADLINE, text, None, None)


@pytest.mark.parametrize(
    "text",
    [
        "持续保证",
        "不断增强",
        "有效提升",
        "效果明显",
        "达成预期指标",
        "合规",
        "完成",
        "根据实际工作需要录用",
        "严格执行相关制度规定",
        "符合相关规定",
        "可持续",
    ],
)
def test_parse_value_phrases(text: str) -> None:
    value = parse_value(text)
    assert value == ParsedValue(raw=text, kind=ValueKind.QUALITATIVE, text=text)


def test_parse_value_phrase_is_normalised_but_raw_kept() -> None:
    value = parse_value("　持续  保证 ")
    assert (value.kind, value.text, value.raw) == (
        ValueKind.QUALITATIVE,
        "持续 保证",
        "　持续  保证 ",
    )


@pytest.mark.parametrize("text", [None, "", "  ", "/", "／", "—", "——", "*", "-", "— —", "( )"])
def test_parse_value_missing(text: str | None) -> None:
    value = parse_value(text)
    assert value.kind is ValueKind.MISSING
    assert value.raw == (text or "")
    assert value.confident


@pytest.mark.parametrize(
    ("text", "operator", "number", "unit", "note"),
    [
        ("W5%", LE, "5", "%", "≤"),
        ("280%", GE, "80", "%", "≥ 读成 2"),
        ("(280酚", GE, "80", "%", "括号不完整"),
        ("≥6次，实际30次", GE, "6", "次", "多个数字（6、30）"),
        ("1-2次", None, "1", None, "多个数字"),
        ("90%-100%", None, "90", "%", "多个数字"),
        ("100%左右", None, "100", "%", "无法识别的文字「左右」"),
        ("2X", None, "2", "X", "单位「X」不常见"),
        ("≥5以下", GE, "5", None, "矛盾"),
        ("0内内", LE, "0", "内", "单位「内」不常见"),
    ],
)
def test_parse_value_guesses_are_flagged(
    text: str, operator: Operator | None, number: str, unit: str | None, note: str
) -> None:
    value = parse_value(text)
    assert (value.kind, value.operator, value.number, value.unit) == (
        NUMBER,
        operator,
        D(number),
        unit,
    )
    assert not value.confident
    assert value.note is not None and note in value.note


@pytest.mark.parametrize("text", ["WX", "≥X", "≥X%", "X%"])
def test_parse_value_placeholders_are_flagged(text: str) -> None:
    value = parse_value(text)
    assert value.kind is ValueKind.QUALITATIVE
    assert not value.confident
    assert value.note is not None and "占位" in value.note


@pytest.mark.parametrize("text", ["102.59%", "250次", "200%"])
def test_parse_value_does_not_cry_ocr_on_plausible_numbers(text: str) -> None:
    assert parse_value(text).confident


# --- format_value --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("≥6次", "≥6次"),
        ("≤2000元", "≤2000元"),
        ("﹦72890元", "=72890元"),
        ("≧20000亩", "≥20000亩"),
        ("≥100百分比", "≥100%"),
        ("98%以上", "≥98%"),
        ("99.85％", "99.85%"),
        ("2022年底", "2022年12月"),
        ("9月前", "9月"),
        ("2022年年前完成97.13%", "2022年12月完成97.13%"),
        ("按时完成", "按时完成"),
        ("持续保证", "持续保证"),
        ("/", ""),
    ],
)
def test_format_value(text: str, expected: str) -> None:
    assert format_value(parse_value(text)) == expected


# --- to_comparable -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥6次", "30次", ("6", "30")),
        ("﹦100%", "100", ("100", "100")),
        ("≥95%", "95", ("95", "95")),
        ("100", "100%", ("100", "100")),
        ("=8个", "8", ("8", "8")),
        ("≤202.6万元", "132.9", ("202.6", "132.9")),
        ("﹦72890元", "7.289万元", ("72890", "72890")),
        ("≤90万元", "720000元", ("90", "72")),
        ("≤2000元/人", "0.1756万元/人", ("2000", "1756")),
        ("≤5‰", "0.4%", ("5", "4")),
        ("≤3天", "2日", ("3", "2")),
    ],
)
def test_to_comparable(target: str, actual: str, expected: tuple[str, str]) -> None:
    result = to_comparable(parse_value(target), parse_value(actual))
    assert result == (D(expected[0]), D(expected[1]))


@pytest.mark.parametrize(
    ("target", "actual"),
    [
        ("≥6次", "30人"),
        ("≤2000元/人", "1756元/亩"),
        ("≥95%", "95分"),
        ("≥95%", "达成预期指标"),
        ("持续保证", "持续保证"),
        ("≥6次", "/"),
        ("9月前", "7月"),
        ("2022年底", "2022年年前完成97.13%"),
    ],
)
def test_to_comparable_refuses_what_does_not_compare(target: str, actual: str) -> None:
    assert to_comparable(parse_value(target), parse_value(actual)) is None


# --- split_target --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("﹦", "72890", "元"), "=72890元"),
        (("﹦", "100", "%"), "=100%"),
        (("≥", "95", "%"), "≥95%"),
        (("=", "100", "%"), "=100%"),
        ((">=", "0.5", "万元"), "≥0.5万元"),
        (("正向", "95", "%"), "≥95%"),
        (("反向指标", "2000", "元"), "≤2000元"),
        (("不低于", "90", "%"), "≥90%"),
        (("定性", "效果明显", ""), "效果明显"),
        (("定性", "效果明显", "/"), "效果明显"),
        (("", "100", "%"), "100%"),
        ((None, "≥6", "次"), "≥6次"),
        (("≥", "≥95", "%"), "≥95%"),
        (("=", "100%", "%"), "=100%"),
        (("≥", "/", "%"), ""),
        (("≥", None, "%"), ""),
        (("　≥　", "　６　", "　次　"), "≥6次"),
    ],
)
def test_split_target(cells: tuple[str | None, str | None, str | None], expected: str) -> None:
    assert split_target(*cells) == expected


def test_split_target_feeds_parse_value() -> None:
    value = parse_value(split_target("﹦", "72890", "元"))
    assert (value.operator, value.number, value.unit) == (EQ, D(72890), "元")


@pytest.mark.parametrize(
    "text",
    ["不适用", " 不 适 用 ", "（不适用）", "不涉及", "未涉及", "无此项", "本项不适用", "N/A"],
)
def test_not_applicable_words(text: str) -> None:
    assert is_not_applicable(text)


@pytest.mark.parametrize(
    "text", [None, "", "/", "—", "无", "0", "适用", "不适用于农村", "持续保证", "≥10个"]
)
def test_not_applicable_words_are_whole_cells(text: str | None) -> None:
    """无 is a valid actual (无投诉), a / marker only means "not given"."""
    assert not is_not_applicable(text)


@pytest.mark.parametrize(
    ("text", "year", "month"),
    [
        ("第1季度", None, 3),
        ("第三季度", None, 9),
        ("一季度前", None, 3),
        ("2022年第4季度末前", 2022, 12),
        ("二季度内完成", None, 6),
    ],
)
def test_a_quarter_is_read_as_a_deadline_at_its_last_month(text, year, month):
    value = parse_value(text)
    assert (value.kind, value.year, value.month, value.confident) == (
        ValueKind.DEADLINE,
        year,
        month,
        True,
    )


def test_a_bare_count_of_quarters_stays_a_number():
    for text in ("4季度", "≥4季度"):
        value = parse_value(text)
        assert value.kind is ValueKind.NUMBER and value.number == 4 and value.unit == "季度"


@pytest.mark.parametrize(
    ("text", "word"), [("约30次", "约"), ("大约95%", "大约"), ("近200人", "近")]
)
def test_an_approximate_number_is_read_but_not_trusted(text, word):
    value = parse_value(text)
    assert value.kind is ValueKind.NUMBER and value.operator is None
    assert not value.confident and value.note.startswith(f"「{word}」表示约数")
