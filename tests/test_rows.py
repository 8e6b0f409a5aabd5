"""perfcore.rows: one data row → one typed line, with findings that name file, Excel row and column.

The reader tests feed whole files; here a `Row` is built directly, so the row number the user
sees in Excel and the printed column title are pinned where they are made.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfcore.headers import TableKind, read_header
from perfcore.model import EvaluationKey, FundsSource, Location
from perfcore.rows import (
    Columns,
    Row,
    is_placeholder,
    normalise_level,
    normalise_method,
    read_expenditure,
    read_funds_line,
    read_key,
)

FUNDS_TITLES = ["年度", "部门", "项目名称", "资金来源", "全年预算数（元）", "全年执行数", "分值"]


def columns(titles: list[str], file: str = "资金.csv", unit: str | None = None) -> Columns:
    headers = [read_header(t) for t in titles]
    index = {h.field: i for i, h in enumerate(headers) if h.field}
    return Columns(file, index, {h.field: h for h in headers if h.field}, unit)


def funds_row(number: int, *cells: str) -> Row:
    return Row(columns(FUNDS_TITLES), number, ("2022", "甲单位", "乙项目", *cells))


def test_a_row_knows_its_excel_row_and_printed_column_titles() -> None:
    row = funds_row(7, "年度资金总额", "100", "1")
    assert row.location() == Location("资金.csv", 7, None)
    assert row.location("annual_budget") == Location("资金.csv", 7, "全年预算数（元）")
    assert row.location("initial_budget").column is None  # a column the table does not have
    assert row.text("initial_budget") == ""


def test_a_bad_cell_names_file_row_column_and_value_in_both_languages() -> None:
    row = funds_row(12, "年度资金总额", "100", "abc", "10")
    line = read_funds_line(row)
    assert line is not None and line.executed is None
    (problem,) = row.findings
    assert problem.code == "NUMBER_INVALID" and problem.severity == "error"
    assert problem.location == Location("资金.csv", 12, "全年执行数")
    assert problem.message.startswith("文件「资金.csv」，第 12 行，「全年执行数」列：")
    assert "abc" in problem.message
    assert problem.message_en.startswith("file '资金.csv', row 12, column '全年执行数': ")


def test_amounts_convert_from_yuan_by_column_title_cell_suffix_or_table_unit() -> None:
    row = funds_row(3, "年度资金总额", "2,614,600", "261.46万元", "10分")
    line = read_funds_line(row)
    assert (line.annual_budget, line.executed, line.weight) == (
        Decimal("261.46"),
        Decimal("261.46"),
        Decimal(10),
    )
    assert row.converted_from == "元" and not row.findings
    plain = ["年度", "部门", "项目名称", "资金来源", "全年预算数", "全年执行数"]
    in_yuan = Row(columns(plain, unit="元"), 4, ("2022", "甲", "乙", "年度资金总额", "15000", "1"))
    assert read_funds_line(in_yuan).annual_budget == Decimal("1.5")
    in_wan = Row(columns(plain), 4, ("2022", "甲", "乙", "年度资金总额", "15000", "1"))
    assert read_funds_line(in_wan).annual_budget == Decimal(15000)
    assert in_wan.converted_from is None


@pytest.mark.parametrize(
    ("written", "source", "traditional"),
    [
        ("年度资金总额", FundsSource.TOTAL, False),
        ("其中：本年财政拨款", FundsSource.APPROPRIATION, False),
        ("其中：當年財政撥款", FundsSource.APPROPRIATION, True),
        ("上年结转", FundsSource.CARRYOVER, False),
        ("other", FundsSource.OTHER, False),
    ],
)
def test_funds_sources_as_printed(written: str, source: FundsSource, traditional: bool) -> None:
    row = funds_row(2, written, "1", "1")
    assert read_funds_line(row).source is source
    assert row.traditional is traditional


def test_an_unknown_funds_source_is_an_error_on_its_cell() -> None:
    row = funds_row(5, "自筹", "1", "1")
    assert read_funds_line(row) is None
    (problem,) = row.findings
    assert (problem.code, problem.location.column) == ("FUNDS_SOURCE_UNKNOWN", "资金来源")


def test_read_key_normalises_the_year_and_names_each_empty_key_cell() -> None:
    ok = Row(columns(FUNDS_TITLES), 2, ("２０２２年度", " 甲单位 ", "乙项目"))
    assert read_key(ok) == EvaluationKey(2022, "甲单位", "乙项目")
    empty = Row(columns(FUNDS_TITLES), 9, ("2022", "", "/"))
    assert read_key(empty) is None
    assert [(f.code, f.location.column) for f in empty.findings] == [
        ("KEY_MISSING", "部门"),
        ("KEY_MISSING", "项目名称"),
    ]
    bad_year = Row(columns(FUNDS_TITLES), 9, ("22", "甲", "乙"))
    assert read_key(bad_year) is None
    assert [f.code for f in bad_year.findings] == ["YEAR_INVALID"]


def test_levels_drop_spaces_weight_notes_and_traditional_forms() -> None:
    assert normalise_level("產出指標\n(50分)") == ("产出指标", True)
    assert normalise_level(" 效益 指标（30分）") == ("效益指标", False)


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("扣分：1", ("扣分:1", True)),
        ("扣分: 0.5分", ("扣分:0.5", True)),
        ("彙總", ("汇总", True)),
        ("", (None, True)),
        ("/", (None, True)),
        ("扣分:1元", (None, False)),  # points, not money
        ("看情况", (None, False)),
    ],
)
def test_methods(written: str, normalised: tuple[str | None, bool]) -> None:
    assert normalise_method(written) == normalised


def test_placeholder_rows_are_per_table() -> None:
    slashes = funds_row(3, "/", "/", "/", "/")
    assert is_placeholder(slashes, TableKind.FUNDS)
    assert not is_placeholder(slashes, TableKind.EVALUATIONS)  # details have no such rows
    assert not is_placeholder(funds_row(3, "年度资金总额", "/", "1"), TableKind.FUNDS)


def test_a_spending_item_without_an_amount_says_which_cell() -> None:
    titles = ["年度", "部门", "项目名称", "明细项目", "全年执行数"]
    row = Row(columns(titles, "支出.csv"), 6, ("2022", "甲", "乙", "培训费", ""))
    assert read_expenditure(row) is None
    (problem,) = row.findings
    assert (problem.code, problem.location) == (
        "CELL_MISSING",
        Location("支出.csv", 6, "全年执行数"),
    )
