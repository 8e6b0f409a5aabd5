"""The seed report is the first golden test: 97.13, 优, 261.46 万元 — and what perfcore adds to it."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from perfcore.engine import assess, assess_paths, rescore
from perfcore.model import UploadFile

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "data" / "seed").glob("*.csv"))


@pytest.fixture(scope="module")
def seed():
    assessment = assess_paths(SEED)
    assert len(assessment.results) == 1
    return assessment.results[0]


def test_seed_totals_and_grade(seed):
    assert seed.total_reported == Decimal("97.13")
    assert seed.total_computed == Decimal("97.13")
    assert seed.grade_reported == "优秀"
    assert seed.grade_reported_canonical == "优"
    assert seed.grade_computed == "优"
    assert seed.funds.execution_rate == 1
    assert seed.funds.score_computed == 10


def test_seed_spending_items_add_up(seed):
    items = seed.evaluation.expenditures
    assert len(items) == 18
    assert sum(i.executed for i in items) == Decimal("261.46") == seed.funds.executed


def test_seed_findings_are_the_ones_a_reviewer_expects(seed):
    codes = [f.code for f in seed.findings]
    assert not [f for f in seed.findings if f.severity == "error"]
    too_low = [f for f in seed.findings if f.code == "TARGET_TOO_LOW"]
    assert len(too_low) == 1
    assert "开展学习及活动次数" in too_low[0].message
    assert too_low[0].severity == "warning"
    assert "QUALITATIVE_TIER_UNKNOWN" in codes  # 根据实际工作需要录用 → 582人
    assert "SCORE_DIFFERS" not in codes  # the 扣分:1 method reproduces 7.13


def test_removing_the_deduction_method_computes_9_71_and_99_71(seed):
    lines = tuple(
        replace(line, method=None) if line.name == "经费支付时限" else line
        for line in seed.evaluation.indicators
    )
    result = rescore(replace(seed.evaluation, indicators=lines), "national")
    row = next(s for s in result.indicators if s.line.name == "经费支付时限")
    assert row.score_computed == Decimal("9.71")
    assert result.total_computed == Decimal("99.71")
    differs = [f for f in result.findings if f.code == "SCORE_DIFFERS"]
    assert len(differs) == 1 and "7.13" in differs[0].message and "9.71" in differs[0].message


def test_rescore_under_hubei_keeps_the_printed_funds_weight(seed):
    """A printed 分值 wins over the rule set's funds weight, so totals stay out of 100."""
    result = rescore(seed.evaluation, "hubei")
    assert result.rule_set == "hubei"
    assert result.funds.weight == 10
    assert result.total_computed == Decimal("97.13")
    unprinted = tuple(replace(f, weight=None) for f in seed.evaluation.funds)
    result = rescore(replace(seed.evaluation, funds=unprinted), "hubei")
    assert result.funds.weight == 20 and result.funds.score_computed == 20


def test_unknown_rule_set_named_in_upload_is_an_error():
    files = [UploadFile(p.name, p.read_bytes()) for p in SEED]
    index = next(i for i, f in enumerate(files) if f.name == "evaluations.csv")
    text = files[index].data.decode("utf-8").replace(",national", ",guangdong")
    files[index] = UploadFile("evaluations.csv", text.encode("utf-8"))
    assessment = assess(files)
    assert assessment.has_errors
    assert any(f.code == "RULE_SET_UNKNOWN" for _, f in assessment.all_findings())
