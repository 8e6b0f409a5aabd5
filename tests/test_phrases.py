"""perfcore.phrases: the vocabulary of targets and actuals — negations, comparison words,
deadlines and units. `test_values` covers the parsers built on it; here each word list's rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfcore.model import Operator
from perfcore.phrases import (
    MONEY_IN_YUAN,
    NEGATIONS,
    WORDS_AFTER,
    WORDS_BEFORE,
    Deadline,
    is_deadline_phrase,
    is_trusted_unit,
    match_deadline,
    negated_by,
    operator_before,
    split_operator_after,
)


@pytest.mark.parametrize(
    ("before", "word"),
    [
        ("尚未", "尚未"),  # not just 未
        ("工作未能", "未能"),
        ("没有", "没有"),
        ("不", "不"),
        ("经费非", "非"),
        ("按时", ""),
        ("", ""),
    ],
)
def test_negated_by_finds_the_longest_negation_at_the_end(before: str, word: str) -> None:
    assert negated_by(before) == word


def test_no_negation_is_shadowed_by_a_shorter_one_listed_before_it() -> None:
    for i, shorter in enumerate(NEGATIONS):
        for longer in NEGATIONS[i + 1 :]:
            assert not longer.endswith(shorter), (shorter, longer)
    for word in NEGATIONS:
        assert negated_by(f"工作{word}") == word


@pytest.mark.parametrize(
    ("label", "operator"),
    [
        ("满意度不低于", Operator.GE),  # 不低于, not 低于
        ("满意度低于", Operator.LT),
        ("投诉率不超过", Operator.LE),
        ("成本控制在", Operator.LE),
        ("满意度", None),
    ],
)
def test_operator_before(label: str, operator: Operator | None) -> None:
    assert operator_before(label) is operator


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("98%以上", ("98%", Operator.GE)),
        ("95%及以上", ("95%", Operator.GE)),
        ("3天内", ("3天", Operator.LE)),
        ("5%以内", ("5%", Operator.LE)),
        ("以上", ("以上", None)),  # the word alone is no comparison
        ("100", ("100", None)),
    ],
)
def test_split_operator_after(text: str, split: tuple[str, Operator | None]) -> None:
    assert split_operator_after(text) == split


def test_every_comparison_word_is_understood_through_the_lookups() -> None:
    for word, operator in WORDS_BEFORE.items():
        assert operator_before(f"满意度{word}") is operator, word
    for word, operator in WORDS_AFTER.items():
        assert split_operator_after(f"90%{word}") == ("90%", operator), word


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("2022年底", Deadline(2022, 12)),
        ("2022年12月底前", Deadline(2022, 12)),
        ("9月前", Deadline(None, 9)),
        ("12月底之前完成", Deadline(None, 12)),
        ("2022-06-30", Deadline(2022, 6)),
        ("2022年年前完成97.13%", Deadline(2022, 12, Decimal("97.13"))),
        ("13月", None),  # no such month
        ("2022", None),  # a bare number is not a date
        ("按时完成", None),  # undated: see is_deadline_phrase
    ],
)
def test_match_deadline(text: str, deadline: Deadline | None) -> None:
    assert match_deadline(text) == deadline


@pytest.mark.parametrize(
    ("text", "is_deadline"),
    [("按时完成", True), ("及时", True), ("在项目计划完成时间内完成", True), ("持续提升", False)],
)
def test_undated_deadline_phrases(text: str, is_deadline: bool) -> None:
    assert is_deadline_phrase(text) is is_deadline


@pytest.mark.parametrize(
    ("unit", "trusted"),
    [
        ("人次", True),
        ("万元/人", True),
        ("KM", True),
        ("株", True),
        ("0内内", False),
        ("平方公里数值", False),
    ],
)
def test_trusted_units(unit: str, trusted: bool) -> None:
    assert is_trusted_unit(unit) is trusted


def test_money_units_convert_exactly() -> None:
    assert MONEY_IN_YUAN["万元"] / MONEY_IN_YUAN["元"] == 10000
    assert Decimal("2614600") * MONEY_IN_YUAN["元"] / MONEY_IN_YUAN["万元"] == Decimal("261.46")
