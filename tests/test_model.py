"""perfcore.model: the frozen domain dataclasses and their few derived properties."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from perfcore.model import (
    Evaluation,
    EvaluationKey,
    EvaluationResult,
    Finding,
    FundsScore,
    FundsSource,
    Location,
    ParsedValue,
    ReadResult,
    ValueKind,
)

KEY = EvaluationKey(2022, "中共益阳市委组织部", "业务工作开展专项经费")


def test_locations_describe_only_what_is_known_in_both_languages() -> None:
    full = Location("资金.csv", 4, "全年预算数")
    assert full.describe_zh() == "文件「资金.csv」，第 4 行，「全年预算数」列"
    assert full.describe_en() == "file '资金.csv', row 4, column '全年预算数'"
    assert Location("book.xlsx › 指标", 7).describe_zh() == "文件「book.xlsx › 指标」，第 7 行"
    assert Location(row=0).describe_en() == "row 0"  # row 0 is a row, not "unknown"
    assert Location().describe_zh() == Location().describe_en() == ""


def test_finding_as_dict_is_the_json_contract() -> None:
    item = Finding("error", "NUMBER_INVALID", "第 2 行：……", "row 2: …", Location("f.csv", 2))
    assert item.as_dict() == {
        "severity": "error",
        "code": "NUMBER_INVALID",
        "message": "第 2 行：……",
        "message_en": "row 2: …",
        "location": {"file": "f.csv", "row": 2, "column": None},
    }
    bare = Finding("info", "SHEET_IGNORED", "…", "…").as_dict()
    assert bare["location"] == {"file": None, "row": None, "column": None}


def test_keys_order_by_year_then_department_then_project_and_label_all_three() -> None:
    keys = [
        EvaluationKey(2023, "A局", "a"),
        EvaluationKey(2022, "B局", "a"),
        EvaluationKey(2022, "A局", "b"),
        EvaluationKey(2022, "A局", "a"),
    ]
    assert sorted(keys) == [keys[3], keys[2], keys[1], keys[0]]
    assert KEY.label() == "2022年 中共益阳市委组织部 业务工作开展专项经费"
    assert len({KEY, EvaluationKey(2022, "中共益阳市委组织部", "业务工作开展专项经费")}) == 1


def test_model_objects_are_frozen() -> None:
    for item in (KEY, Location("f.csv"), Evaluation(KEY), ParsedValue("", ValueKind.MISSING)):
        field = dataclasses.fields(item)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(item, field, None)


def test_read_result_has_errors_only_for_error_findings() -> None:
    note = Finding("warning", "VALUE_MISSING", "…", "…")
    assert not ReadResult((), (note,)).has_errors
    assert ReadResult((), (note, dataclasses.replace(note, severity="error"))).has_errors


def test_parsed_value_is_missing_by_kind() -> None:
    assert ParsedValue("/", ValueKind.MISSING).is_missing
    assert not ParsedValue("0", ValueKind.NUMBER, number=Decimal(0)).is_missing


def test_funds_sources_are_their_printed_names() -> None:
    assert [s.value for s in FundsSource] == [
        "年度资金总额",
        "当年财政拨款",
        "上年结转资金",
        "其他资金",
    ]
    assert FundsSource("当年财政拨款") is FundsSource.APPROPRIATION


def test_an_evaluation_result_is_keyed_by_its_evaluation() -> None:
    funds = FundsScore(None, None, None, None, Decimal(10), Decimal(0), None)
    warning = Finding("warning", "FUNDS_MISSING", "…", "…")
    result = EvaluationResult(
        Evaluation(KEY), "national", funds, (), None, Decimal(0), None, None, "差"
    )
    assert result.key == KEY
    assert result.findings == () and not result.has_errors
    failing = dataclasses.replace(
        result, findings=(warning, dataclasses.replace(warning, severity="error"))
    )
    assert failing.has_errors
