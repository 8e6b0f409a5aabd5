"""What a reviewer must be told about the five real published tables (tests/fixtures/real)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from perfcore.engine import assess_paths

REAL = Path(__file__).parent / "fixtures" / "real"


def review(name: str, rule_set: str | None = None):
    files = sorted((REAL / name).glob("*.csv"))
    assessment = assess_paths(files, rule_set)
    assert not assessment.has_errors
    (result,) = assessment.results
    return result, Counter(f.code for f in result.findings)


def test_langfang_whole_point_funds_score_and_money_indicator():
    result, codes = review("04-langfang-shipin-nuantong")
    assert result.funds.execution_rate.quantize(Decimal("0.001")) == Decimal("0.862")
    assert result.funds.score_computed == Decimal("8.62")  # the unit printed 9
    assert codes["FUNDS_SCORE_DIFFERS"] == 1
    assert codes["EXECUTION_RATE_MISMATCH"] == 0  # 86.2 % printed as 86 % is fine
    money = next(s for s in result.indicators if s.line.name == "指标1工程资金金额")
    assert money.score_computed == Decimal("8.62")
    assert codes["NO_DEVIATION_REASON"] == 0  # the 9/10 row has a real reason


def test_tangxi_zero_total_row_is_summed_from_the_sources():
    result, codes = review("05-tangxi-cunji-yunzhuan")
    assert codes["FUNDS_TOTAL_EMPTY"] == 1
    assert result.funds.executed == Decimal("132.912")
    assert result.funds.execution_rate == 1
    assert codes["FUNDS_SCORE_DIFFERS"] == 1  # reported 0 against a computed 10
    assert codes["WEIGHTS_NOT_100"] == 1  # the published copy is truncated


def test_jinzhai_over_execution_and_month_deadlines():
    result, codes = review("06-jinzhai-chagu-bumenzhengti")
    assert result.funds.execution_rate > 1
    assert result.funds.score_computed == 10
    assert codes["FUNDS_OVER_EXECUTED"] == 1
    deadlines = [s for s in result.indicators if s.line.level2 == "时效指标"]
    assert deadlines and all(s.score_computed == s.line.weight for s in deadlines)
    assert codes["TARGET_TOO_LOW"] == 1  # 3061 toilets against ≥ 2000


def test_longyang_parent_rows_are_not_counted_twice():
    result, codes = review("07-longyang-huafei-jianliang")
    parents = [s.line.name for s in result.indicators if s.rule == "parent"]
    assert parents == ["一、示范区建立", "二、化肥减量增效田间试验"]
    assert codes["PARENT_ROW"] == 2
    children = sum(s.line.score_reported for s in result.indicators if s.counted)
    assert result.total_computed == result.funds.score_computed + children
    assert codes["WEIGHT_MISSING"] == 1
    too_low = [f for f in result.findings if f.code == "TARGET_TOO_LOW"]
    assert [f.location.row for f in too_low] == [13]  # 三、土样植株化验: 105 against ≧60, no 分值
    assert "三、土样植株化验" in too_low[0].message


def test_lijiang_met_targets_scored_below_full_without_reason():
    result, codes = review("08-lijiang-guchengqu-weipian")
    assert codes["SCORE_DIFFERS"] == 4
    assert codes["NO_DEVIATION_REASON"] == 4
    assert all(
        s.score_computed == s.line.weight for s in result.indicators if s.line.weight is not None
    )


@pytest.mark.parametrize("rule_set", ["national", "hubei", "hunan"])
def test_every_real_table_scores_under_every_rule_set(rule_set):
    for folder in sorted(p.name for p in REAL.iterdir() if p.is_dir()):
        result, _ = review(folder, rule_set)
        assert 0 <= result.total_computed <= 100
        assert result.grade_computed in ("优", "良", "中", "差")
