"""Rescoring under another rule set reuses only the lines the change cannot touch, and always
gives exactly what scoring afresh gives."""

from __future__ import annotations

import itertools
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from bench.generate import generate
from perfcore.model import Evaluation, IndicatorLine
from perfcore.reader import read_paths
from perfcore.rescoring import rescore_reusing, score_recorded
from perfcore.rules import QualitativeBand, RuleSet, available_rule_sets, load_rule_set
from perfcore.scoring import score_evaluation
from perfcore.store import prepare_upload, seed_files
from tests.scoring_helpers import evaluation, line

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real"
SHIPPED = [info.name for info in available_rule_sets()]
PAIRS = list(itertools.product(SHIPPED, repeat=2))  # own → other, the same one included


def _assert_rescored_exactly(evaluations: tuple[Evaluation, ...]) -> None:
    for ev in evaluations:
        for own, other in PAIRS:
            own_result, lines = score_recorded(ev, load_rule_set(own))
            assert own_result == score_evaluation(ev, load_rule_set(own))
            expected = score_evaluation(ev, load_rule_set(other))
            assert rescore_reusing(lines, load_rule_set(other)) == expected, (ev.key, own, other)


def test_seed_data_rescores_exactly_under_every_pair() -> None:
    _assert_rescored_exactly(read_paths(sorted((ROOT / "data" / "seed").glob("*.csv"))).evaluations)


@pytest.mark.parametrize("table", sorted(p.name for p in REAL.iterdir() if p.is_dir()))
def test_real_tables_rescore_exactly_under_every_pair(table: str) -> None:
    _assert_rescored_exactly(read_paths(sorted((REAL / table).glob("*.csv"))).evaluations)


def test_a_synthetic_upload_rescores_exactly_under_every_pair(tmp_path: Path) -> None:
    generated = generate(200, seed=5, out=tmp_path)
    evaluations = read_paths(generated.files).evaluations
    assert len(evaluations) == 200
    _assert_rescored_exactly(evaluations)


NATIONAL = load_rule_set("national")
REVERSE = line("≤100元", "120元", 10, 8, name="人均成本")
QUALITATIVE = line("完成", "基本完成", 10, 7, method="定性")
OVER_ACHIEVED = line("≥100人", "125人", 10, 10, name="培训人数")
BY_NAME = line("100", "120", 10, 8, name="维修成本")  # no operator: the name says lower-is-better


def _first_band_only_says_done(rules: RuleSet) -> tuple[QualitativeBand, ...]:
    first, *rest = rules.qualitative_bands
    return (replace(first, min_share=Decimal("0.9")), *rest)


@pytest.mark.parametrize(
    ("row", "changed"),
    [
        (REVERSE, {"reverse_formula": "linear"}),
        (QUALITATIVE, {"qualitative_bands": _first_band_only_says_done(NATIONAL)}),
        (OVER_ACHIEVED, {"over_achievement": Decimal("1.3")}),
        (BY_NAME, {"lower_is_better_words": ("差错率",)}),
    ],
    ids=["reverse_formula", "qualitative_bands", "over_achievement", "lower_is_better_words"],
)
def test_a_line_that_read_a_changed_field_is_scored_afresh(
    row: IndicatorLine, changed: dict[str, object]
) -> None:
    ev = evaluation(row)
    other = replace(NATIONAL, **changed)
    own, lines = score_recorded(ev, NATIONAL)
    rescored = rescore_reusing(lines, other)
    assert rescored == score_evaluation(ev, other)
    # The field changes this very line: had it been reused, the two would be equal.
    assert (rescored.indicators[0], rescored.findings) != (own.indicators[0], own.findings)


def test_a_line_that_read_no_changed_field_is_reused() -> None:
    ev = evaluation(REVERSE, QUALITATIVE)
    own, lines = score_recorded(ev, NATIONAL)
    rescored = rescore_reusing(lines, replace(NATIONAL, reverse_formula="linear"))
    assert rescored.indicators[1] is own.indicators[1]  # the qualitative row read no formula
    assert rescored.indicators[0] is not own.indicators[0]


def test_an_equal_value_written_otherwise_counts_as_changed() -> None:
    """1.2 and 1.20 are equal Decimals that print differently: the line is scored afresh."""
    ev = evaluation(OVER_ACHIEVED)
    own, lines = score_recorded(ev, NATIONAL)
    other = replace(NATIONAL, over_achievement=Decimal("1.20"))
    rescored = rescore_reusing(lines, other)
    assert rescored == score_evaluation(ev, other)
    assert rescored.indicators[0] is not own.indicators[0]


def test_a_prepared_upload_holds_every_rule_set_scored_afresh() -> None:
    prepared = prepare_upload(seed_files())
    for own, *others in prepared.runs:
        assert [run.rule_set for run in others] == [n for n in SHIPPED if n != own.rule_set]
        for run in others:
            assert run == score_evaluation(own.evaluation, load_rule_set(run.rule_set))
