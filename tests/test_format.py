"""Display rules: 万元 with two decimals, percentages, grades, inert user text."""

import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from dashboard import format as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("261.46"), "261.46 万元"),
        (261.46, "261.46 万元"),
        (Decimal("0"), "0.00 万元"),
        (1234.5, "1,234.50 万元"),
        (2.655, "2.66 万元"),
        (None, "—"),
        (float("nan"), "—"),
        (pd.NA, "—"),
    ],
)
def test_wan(value, expected):
    assert fmt.wan(value) == expected


def test_wan_without_unit():
    assert fmt.amount(Decimal("155.68")) == "155.68"
    assert fmt.amount(Decimal("9760014.786")) == "9,760,014.79"
    assert fmt.amount(None) == fmt.wan(None) == fmt.MISSING


@pytest.mark.parametrize(
    ("rate", "digits", "expected"),
    [
        (1, 2, "100.00%"),
        (Decimal("1.0000"), 2, "100.00%"),
        (0.862, 1, "86.2%"),
        (1.0259, 2, "102.59%"),
        (0.1077, 2, "10.77%"),
        (None, 2, "—"),
    ],
)
def test_pct(rate, digits, expected):
    assert fmt.pct(rate, digits) == expected


def test_score_groups_thousands_of_a_sum():
    assert fmt.score(Decimal("8899520")) == "8,899,520.00"
    assert fmt.score(Decimal("97.125")) == "97.13"


def test_score_and_change():
    assert fmt.score(Decimal("97.13")) == "97.13"
    assert fmt.score(7.1) == "7.10"
    assert fmt.score(None) == "—"
    assert fmt.change(Decimal("97.13"), 95) == pytest.approx(2.13)
    assert fmt.change(97.13, None) is None


def test_quantity_keeps_the_unit_as_written():
    assert fmt.quantity(Decimal("1756"), "元") == "1,756 元"
    assert fmt.quantity(99.85, "%") == "99.85%"
    assert fmt.quantity(6, None) == "6"
    assert fmt.quantity(None, "元") == "—"


def test_grade_badge_uses_a_fixed_vocabulary():
    assert fmt.grade_badge("优") == fmt.GradeBadge("优", "green")
    assert fmt.grade_badge("差").color == "red"
    assert fmt.grade_badge("<b>优秀</b>") == fmt.GradeBadge("未评级", "gray")
    assert fmt.grade_badge(None).label == "未评级"
    assert fmt.grade_word("优") == "优秀"


@pytest.mark.parametrize(
    "text",
    ["**加粗**项目", "[点我](http://x)", ":red[红色]", "<b>x</b>", "$x^2$", "# 标题", "a_b_c"],
)
def test_md_escape_leaves_no_unescaped_markdown(text):
    escaped = fmt.md_escape(text)
    for i, ch in enumerate(escaped):
        if ch in "*[]():<>$#_":
            assert escaped[i - 1] == "\\", f"{ch!r} unescaped in {escaped!r}"


def test_md_escape_keeps_chinese_and_joins_lines():
    assert fmt.md_escape("业务工作\n开展专项经费") == "业务工作 开展专项经费"
    assert fmt.md_escape(None) == ""
    assert fmt.md_escape("“大组工网”风险评估") == "“大组工网”风险评估"


def test_rounding_is_half_up_like_the_tables():
    assert fmt.wan(Decimal("2.665")) == "2.67 万元"
    assert fmt.score(Decimal("7.125")) == "7.13"
    assert fmt.pct(Decimal("0.86205"), 2) == "86.21%"


def test_every_rule_the_scorer_writes_has_a_chinese_label():
    """A rule code new in perfcore/scoring.py must get its label here, or the page shows the code."""
    source = (Path(__file__).resolve().parents[1] / "perfcore" / "scoring.py").read_text("utf-8")
    written = set(re.findall(r'\(\s*[\w.]+,\s*"([a-z_]+)",\s*f?"', source))
    assert {"higher", "lower", "deduct", "qualitative"} <= written  # the pattern still finds them
    assert {code for code in written if fmt.rule_label(code) == code} == set()


def test_rule_label():
    assert fmt.rule_label("higher") == "越高越好（按比例）"
    assert fmt.rule_label("kept_reported") == "无法复核，保留自评"
    assert fmt.rule_label("new_rule") == "new_rule"
    assert fmt.rule_label(None) == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("90"), "90.00 分"),
        (Decimal("99999.994"), "99,999.99 分"),
        (Decimal("889640.00"), "88.96 万分"),
        (Decimal("8899520.0000"), "889.95 万分"),
        (None, fmt.MISSING),
    ],
)
def test_card_points_switch_to_wan_for_sums_that_would_not_fit(value, expected):
    assert fmt.card_points(value) == expected


@pytest.mark.parametrize(
    ("value", "signed", "expected"),
    [
        (Decimal("261.46"), False, "261.46 万元"),
        (Decimal("99999.994"), False, "99,999.99 万元"),
        (Decimal("9751423.50"), False, "975.14 亿元"),
        (Decimal("46082812.34"), False, "4,608 亿元"),
        (Decimal("-10000000"), True, "-1,000 亿元"),
        (-114181.97, True, "-11.42 亿元"),
        (Decimal("1234.5"), True, "+1,234.50 万元"),
        (None, False, fmt.MISSING),
    ],
)
def test_card_money_switches_to_yi_for_sums_that_would_not_fit(value, signed, expected):
    assert fmt.card_money(value, signed=signed) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["评价.csv"], "评价.csv"),
        (["a.csv", "b.csv", "c.csv"], "3 个文件：a.csv、b.csv、c.csv"),
        (
            [f"part-{i:02d}.csv" for i in range(40)],
            "40 个文件：part-00.csv、part-01.csv、part-02.csv 等",
        ),
        ([], fmt.MISSING),
        (None, fmt.MISSING),
        (float("nan"), fmt.MISSING),
    ],
)
def test_file_list_names_a_few_and_counts_the_rest(names, expected):
    assert fmt.file_list(names) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "0 B"), (1023, "1,023 B"), (1536, "1.5 KB"), (41_644_800, "39.7 MB"), (None, fmt.MISSING)],
)
def test_file_size_in_the_unit_people_say(size, expected):
    assert fmt.file_size(size) == expected


def test_version_origin_says_upload_or_which_version_was_restored():
    assert fmt.version_origin(None) == "上传"
    assert fmt.version_origin(float("nan")) == "上传"
    assert fmt.version_origin(2) == "由第 2 版恢复"
