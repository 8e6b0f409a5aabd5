"""Each consistency check of DESIGN §4 fires on its case and stays quiet on a clean table."""

from __future__ import annotations

from perfcore.rules import load_rule_set
from perfcore.scoring import score_evaluation
from tests.scoring_helpers import evaluation, funds, line

NATIONAL = load_rule_set("national")


def full_marks_lines():
    """Nine rows worth 90 points, all met: with funds 10 a clean 100."""
    return [line("≥10", "10", 10, 10, name=f"指标{i}") for i in range(9)]


def codes(ev, rules=NATIONAL):
    return [f.code for f in score_evaluation(ev, rules).findings]


def test_clean_table_has_no_findings():
    ev = evaluation(
        *full_marks_lines(), funds_lines=funds(reported=10, rate=1), total="100", grade="优"
    )
    assert codes(ev) == []


def test_weights_not_100():
    lines = full_marks_lines()[:-1]
    assert "WEIGHTS_NOT_100" in codes(evaluation(*lines))


def test_score_above_weight():
    lines = [*full_marks_lines()[:-1], line("≥10", "10", 10, 12, name="超分")]
    found = codes(evaluation(*lines))
    assert "SCORE_ABOVE_WEIGHT" in found
    assert "SCORE_DIFFERS" in found


def test_funds_score_above_weight():
    """Like an indicator row: 12 on a funds weight of 10 is above the weight, not only different."""
    ev = evaluation(*full_marks_lines(), funds_lines=funds(reported=12))
    result = score_evaluation(ev, NATIONAL)
    above = [f for f in result.findings if f.code == "SCORE_ABOVE_WEIGHT"]
    assert len(above) == 1 and "12" in above[0].message and "10" in above[0].message
    assert above[0].location.column == "得分"
    assert "FUNDS_SCORE_DIFFERS" in {f.code for f in result.findings}
    assert "SCORE_ABOVE_WEIGHT" not in codes(
        evaluation(*full_marks_lines(), funds_lines=funds(reported=10))
    )


def test_negative_score():
    lines = [*full_marks_lines()[:-1], line("≥10", "0", 10, -1, name="负分", reason="x")]
    assert "SCORE_NEGATIVE" in codes(evaluation(*lines))


def test_reported_total_must_equal_sum_of_rows():
    ev = evaluation(*full_marks_lines(), funds_lines=funds(reported=10), total="98")
    result = score_evaluation(ev, NATIONAL)
    mismatch = [f for f in result.findings if f.code == "TOTAL_MISMATCH"]
    assert len(mismatch) == 1
    assert "98" in mismatch[0].message and "100" in mismatch[0].message


def test_funds_rows_must_add_up():
    lines = funds("100", "90", 当年财政拨款=("80", "80"), 上年结转资金=("10", "10"))
    found = codes(evaluation(*full_marks_lines(), funds_lines=lines))
    assert found.count("FUNDS_ROWS_MISMATCH") == 1  # 全年预算数 100 ≠ 90; executed 90 = 90


def test_spending_items_must_add_up_to_executed():
    items = (("甲", "60"), ("乙", "30"))
    found = codes(evaluation(*full_marks_lines(), items=items))
    assert "EXPENDITURES_MISMATCH" in found
    assert "EXPENDITURES_MISMATCH" not in codes(
        evaluation(*full_marks_lines(), items=(("甲", "60"), ("乙", "40")))
    )


def test_reported_execution_rate_must_match_amounts():
    found = codes(evaluation(*full_marks_lines(), funds_lines=funds("100", "80", rate="0.9")))
    assert "EXECUTION_RATE_MISMATCH" in found
    ok = codes(evaluation(*full_marks_lines(), funds_lines=funds("43.2", "37.24", rate="0.86")))
    assert "EXECUTION_RATE_MISMATCH" not in ok  # 86.2 % printed as 86 %


def test_funds_score_differs():
    found = codes(evaluation(*full_marks_lines(), funds_lines=funds("100", "80", reported=10)))
    assert "FUNDS_SCORE_DIFFERS" in found


def test_reported_grade_must_match_reported_total():
    ev = evaluation(*full_marks_lines(), funds_lines=funds(reported=10), total="100", grade="良好")
    assert "GRADE_MISMATCH" in codes(ev)
    ev_ok = evaluation(
        *full_marks_lines(), funds_lines=funds(reported=10), total="100", grade="优秀"
    )
    assert codes(ev_ok) == []


def test_old_style_and_unknown_grade_labels():
    old = evaluation(*full_marks_lines(), funds_lines=funds(reported=10), total="70", grade="合格")
    found = codes(old)
    assert "GRADE_LABEL_OLD" in found
    weird = evaluation(*full_marks_lines(), total="100", grade="很好")
    assert "GRADE_UNKNOWN" in codes(weird)


def test_below_full_without_reason():
    lines = [*full_marks_lines()[:-1], line("≥10", "8", 10, 8, name="未满分")]
    assert "NO_DEVIATION_REASON" in codes(evaluation(*lines))
    lines_ok = [*full_marks_lines()[:-1], line("≥10", "8", 10, 8, name="未满分", reason="原因")]
    assert "NO_DEVIATION_REASON" not in codes(evaluation(*lines_ok))


def test_literal_zero_is_not_a_reason():
    lines = [*full_marks_lines()[:-1], line("≥10", "8", 10, 8, name="未满分", reason="0")]
    assert "NO_DEVIATION_REASON" in codes(evaluation(*lines))


def test_reported_below_computed_is_flagged_both_ways():
    """Lijiang: every actual equals its target yet scored below full, with no reason."""
    lines = [*full_marks_lines()[:-1], line("﹦100%", "100", 10, 9, name="项目验收合格率")]
    found = codes(evaluation(*lines))
    assert "SCORE_DIFFERS" in found
    assert "NO_DEVIATION_REASON" in found


def test_blank_target_with_reported_score_is_kept_and_flagged():
    lines = [*full_marks_lines()[:-1], line("", "", 10, 10, name="空白")]
    result = score_evaluation(evaluation(*lines), NATIONAL)
    assert result.indicators[-1].score_computed == 10
    assert [f.code for f in result.findings].count("VALUE_MISSING") == 2


def test_uncertain_parse_is_flagged():
    lines = [*full_marks_lines()[:-1], line("80%或90%", "85%", 10, 10, name="两个数")]
    assert "VALUE_UNCERTAIN" in codes(evaluation(*lines))


def test_findings_point_at_the_cell():
    from perfcore.model import Location

    ln = line("≥10", "8", 10, 10, name="定位")
    from dataclasses import replace

    ln = replace(ln, location=Location("indicators.csv", 7, None))
    result = score_evaluation(evaluation(*full_marks_lines()[:-1], ln), NATIONAL)
    differs = next(f for f in result.findings if f.code == "SCORE_DIFFERS")
    assert differs.location == Location("indicators.csv", 7, "得分")
