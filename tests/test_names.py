"""A 三级指标 search compares folded text: traditional or simplified, full or half width, any case."""

from __future__ import annotations

import pytest

from perfcore import names

WRITTEN = ["群眾對幹部的滿意度", "ＡＰＰ月活跃用户数", "培训人次", "任务完成率(%)"]


@pytest.mark.parametrize(
    ("searched", "found"),
    [
        ("满意度", ["群眾對幹部的滿意度"]),  # simplified text, a name written in traditional
        ("對幹部", ["群眾對幹部的滿意度"]),
        ("app", ["ＡＰＰ月活跃用户数"]),  # half width, any case, for a full-width name
        ("ａｐｐ月活躍", ["ＡＰＰ月活跃用户数"]),
        ("（％）", ["任务完成率(%)"]),
        ("人次", ["培训人次"]),
    ],
)
def test_a_search_finds_a_name_however_either_is_written(searched: str, found: list[str]) -> None:
    assert names.containing(WRITTEN, searched) == found


@pytest.mark.parametrize(
    ("searched", "found"),
    [
        ("%", ["任务完成率(%)"]),  # the character itself, not "anything"
        ("_", ["培训_人次"]),
        (".*", []),
        ("满意%", []),
        ("培训 人次", []),
        ("'; DROP TABLE x; --", []),
    ],
)
def test_a_search_is_plain_text_never_a_pattern(searched: str, found: list[str]) -> None:
    assert names.containing([*WRITTEN, "培训_人次"], searched) == found


def test_folding_keeps_what_the_upload_wrote_apart_from_case_width_and_script() -> None:
    assert names.fold("群眾ＡＢＣ") == names.fold("群众abc") == "群众abc"
    assert names.fold("满意度 ") != names.fold("满意度")  # spaces are text like any other
