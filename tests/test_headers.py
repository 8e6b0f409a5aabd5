"""perfcore.headers: printed column titles → canonical fields, header rows → table kinds.

The reader tests cover whole files with these titles; here each title rule is pinned on its own.
"""

from __future__ import annotations

import pytest

from perfcore.headers import (
    FIELD_TITLES,
    TABLE_FIELDS,
    Detection,
    TableKind,
    detect_table,
    header_key,
    header_score,
    read_header,
    title_unit,
)

KEY = {"year", "department", "project"}


@pytest.mark.parametrize(
    ("printed", "field"),
    [
        ("权重", "weight"),  # DESIGN §3 synonyms
        ("指标值", "target"),
        ("年初目标值", "target"),
        ("完成值", "actual"),
        ("调整后预算数", "annual_budget"),
        ("调整预算数", "annual_budget"),
        ("未完成原因分析", "deviation_reason"),
        ("年初目标值（A）", "target"),  # full-width brackets of the printed national form
        ("执行率(B/A)", "execution_rate"),
        ("annual_budget", "annual_budget"),  # English aliases, any case
        ("Score_Reported", "score_reported"),
        ("年度*", "year"),  # the template's required-column star
        ("年度\n指标值", "target"),  # a line break inside a merged header cell
        ("  分 值 ", "weight"),  # spaces people type to centre a title
    ],
)
def test_titles_and_synonyms_map_to_their_field(printed: str, field: str) -> None:
    header = read_header(printed)
    assert header.field == field
    assert not header.traditional


def test_every_official_title_maps_to_its_own_field() -> None:
    assert {read_header(title).field for title in FIELD_TITLES.values()} == set(FIELD_TITLES)
    for field, title in FIELD_TITLES.items():
        assert read_header(title).field == field, title


@pytest.mark.parametrize(
    ("printed", "field"),
    [("三級指標", "name"), ("資金來源", "source"), ("實際完成值", "actual"), ("權重", "weight")],
)
def test_traditional_titles_are_read_as_simplified_and_flagged(printed: str, field: str) -> None:
    header = read_header(printed)
    assert (header.field, header.traditional) == (field, True)
    assert header.printed == printed  # findings quote the title as the clerk wrote it


@pytest.mark.parametrize(
    ("printed", "field", "unit"),
    [
        ("全年预算数（元）", "annual_budget", "元"),
        ("全年执行数(万元)", "executed", "万元"),
        ("全年預算數（萬元）", "annual_budget", "万元"),
        ("全年预算数【万元】", "annual_budget", "万元"),
        ("全年执行数（亿元）", "executed", None),  # a note, but not a unit we convert from
    ],
)
def test_a_unit_in_the_title_is_kept_apart_from_the_field(
    printed: str, field: str, unit: str | None
) -> None:
    header = read_header(printed)
    assert (header.field, header.unit) == (field, unit)


@pytest.mark.parametrize("printed", ["序号", "备注", "备注（元）", "", "合计"])
def test_columns_we_do_not_read_have_no_field(printed: str) -> None:
    assert read_header(printed).field is None


def test_header_key_is_the_comparable_form() -> None:
    assert header_key(" 全年預算數（萬元）* ") == "全年预算数(万元)"
    assert header_key("Annual Budget") == "annualbudget"


def test_header_score_counts_known_titles_only() -> None:
    assert header_score(["序号", "年度", "部门", "项目名称", "备注", ""]) == 3
    assert header_score(["项目支出绩效自评表（2022年度）"]) == 0


def test_a_deciding_column_decides_the_table_and_names_what_is_missing() -> None:
    assert detect_table({*KEY, "source", "annual_budget"}) == Detection(
        TableKind.FUNDS, ("executed",)
    )
    assert detect_table({*KEY, "item", "executed"}) == Detection(TableKind.EXPENDITURES, ())
    required, _ = TABLE_FIELDS[TableKind.INDICATORS]
    assert detect_table(set(required)) == Detection(TableKind.INDICATORS, ())


def test_two_deciding_columns_are_ambiguous() -> None:
    found = detect_table({*KEY, "source", "name"})
    assert found.kind is None
    assert found.ambiguous == (TableKind.FUNDS, TableKind.INDICATORS)


def test_the_sheet_name_helps_only_when_the_columns_cannot() -> None:
    assert detect_table(set(KEY)).kind is None
    assert detect_table(set(KEY), "資金").kind is TableKind.FUNDS  # traditional sheet name
    assert detect_table(set(KEY), "绩效指标").kind is TableKind.INDICATORS
    # the columns win over a misleading sheet name
    assert detect_table({*KEY, "item", "executed"}, "资金").kind is TableKind.EXPENDITURES


def test_evaluation_details_without_line_columns_are_the_evaluations_table() -> None:
    assert detect_table({*KEY, "authority", "grade_reported"}) == Detection(
        TableKind.EVALUATIONS, ()
    )


@pytest.mark.parametrize(
    ("cells", "unit"),
    [
        (("单位：元",), "元"),
        (("项目资金（单位：元）",), "元"),
        (("", "金额单位: 万元"), "万元"),
        (("單位：萬元",), "万元"),
        (("填报单位：元宝山区财政局",), None),  # a name that starts with 元 is not a unit
        (("项目支出绩效自评表",), None),
    ],
)
def test_title_unit_of_a_line_above_the_header(cells: tuple[str, ...], unit: str | None) -> None:
    assert title_unit(cells) == unit
