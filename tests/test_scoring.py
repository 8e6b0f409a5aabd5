"""Every scoring rule of DESIGN §4, including the edges, plus property tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfcore.rules import load_rule_set
from perfcore.scoring import (
    detect_parent_rows,
    parse_method,
    score_evaluation,
    score_funds,
    score_indicator,
)
from tests.scoring_helpers import evaluation, funds, line

NATIONAL = load_rule_set("national")
HUBEI = load_rule_set("hubei")
HUNAN = load_rule_set("hunan")


def computed(ln, rules=NATIONAL):
    score, findings = score_indicator(ln, rules)
    return score.score_computed, {f.code for f in findings}


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected"),
    [
        ("≥6次", "30次", 6, "6"),  # met
        ("≥100%", "80%", 10, "8.00"),  # missed: w × B/A
        ("≥90%", "90%", 10, "10"),  # exactly met
        ("100%", "97%", 7, "6.79"),  # bare percentage = higher is better
        ("98%以上", "49%", 10, "5.00"),  # 以上 = ≥
        ("﹦72890元", "72890", 10, "10"),  # equals, bare actual on the target's scale
        ("=8个", "6", 8, "6.00"),  # equals missed
        ("≧500亩", "500亩", 5, "5"),
    ],
)
def test_higher_is_better(target, actual, weight, expected):
    score, _ = computed(line(target, actual, weight))
    assert score == Decimal(expected)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≤2000元", "1756元", "10"),  # within the cap
        ("≤2000元", "2500元", "8.00"),  # missed: w × A/B
        ("≤5%", "10%", "5.00"),
        ("不超过100万元", "125万元", "8.00"),
    ],
)
def test_lower_is_better_ratio(target, actual, expected):
    score, _ = computed(line(target, actual, 10))
    assert score == Decimal(expected)


def test_lower_is_better_linear_rule_set_option():
    from dataclasses import replace

    linear = replace(NATIONAL, reverse_formula="linear")
    assert computed(line("≤2000元", "2400元", 10), linear)[0] == Decimal("8.00")
    assert computed(line("≤2000元", "4000元", 10), linear)[0] == Decimal("0.00")
    assert computed(line("≤2000元", "5000元", 10), linear)[0] == Decimal("0.00")


def test_cost_indicator_without_operator_is_lower_is_better():
    ln = line("2000元", "2500元", 10, name="人均成本", level2="成本指标")
    assert computed(ln)[0] == Decimal("8.00")


def test_zero_target_scores_full_only_at_zero():
    assert computed(line("0%", "0%", 10, name="公务员考录差错率"))[0] == Decimal(10)
    score, _ = computed(line("0%", "1%", 10, name="公务员考录差错率"))
    assert score == Decimal(0)
    assert computed(line("≤0次", "2次", 5, name="安全事故"))[0] == Decimal(0)


def test_far_above_target_is_full_but_flagged_target_too_low():
    score, codes = computed(line("≥6次", "30次", 6, 6, name="开展学习及活动次数"))
    assert score == Decimal(6)
    assert "TARGET_TOO_LOW" in codes


def test_just_below_over_achievement_threshold_is_not_flagged():
    _, codes = computed(line("≥85%", "99.85%", 10, 10))
    assert "TARGET_TOO_LOW" not in codes


def test_over_achievement_threshold_is_a_rule_set_option():
    ln = line("≥100", "125", 10, 10)
    assert "TARGET_TOO_LOW" in computed(ln, NATIONAL)[1]  # 1.2
    assert "TARGET_TOO_LOW" not in computed(ln, HUNAN)[1]  # 1.3


def test_lower_is_better_far_below_cap_is_not_target_too_low():
    _, codes = computed(line("≤2000元", "100元", 10))
    assert "TARGET_TOO_LOW" not in codes


def test_deadline_with_completion_percentage_is_proportional():
    ln = line("2022年底", "2022年年前完成97.13%", 10, 7.13, name="经费支付时限", level2="时效指标")
    assert computed(ln)[0] == Decimal("9.71")


def test_deduction_method_takes_points_per_percentage_point():
    ln = line("2022年底", "2022年年前完成97.13%", 10, 7.13, method="扣分:1", reason="疫情")
    score, codes = computed(ln)
    assert score == Decimal("7.13")
    assert "SCORE_DIFFERS" not in codes


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥95%", "90%", "15.00"),  # 5 percentage points short, not 1 − 90 ÷ 95 = 5.26 %
        ("≥95%", "96%", "20"),
        ("≥200人", "190人", "15.00"),  # no percentages: 5 % of the target short
    ],
)
def test_deduction_counts_percentage_points_between_percentages(target, actual, expected):
    ln = line(target, actual, 20, method="扣分:1", reason="原因")
    assert computed(ln)[0] == Decimal(expected)


def test_deduction_never_goes_below_zero():
    ln = line("≥100%", "50%", 10, method="扣分:2")
    assert computed(ln)[0] == Decimal("0.00")


@pytest.mark.parametrize(
    ("target", "actual", "name", "expected"),
    [
        ("≤1%", "0.5%", "差错率", "20"),  # a beaten cap is full, not 0.5 ÷ 1 = 50 % "done"
        ("≤1%", "1%", "差错率", "20"),
        ("≤2000元", "2100元", "招录成本", "15.00"),  # 5 % over the cap: 20 − 5 × 1
        ("≤100元", "300元", "招录成本", "0.00"),  # 200 % over: never below 0
        ("2000元", "1500元", "招录成本", "20"),  # no operator: a cost name is lower-is-better
        ("0%", "0%", "差错率", "20"),  # a zero cap: full at 0 (it used to be full always) …
        ("0%", "2%", "差错率", "18.00"),  # … and 1 point off per percentage point over it
        ("≤1%", "1.5%", "差错率", "19.50"),  # percentages: 0.5 points over, not 50 % of the cap
        ("≤100%", "102%", "在职人员控制率", "18.00"),  # 「每超过一个百分点扣…」
    ],
)
def test_deduction_on_a_lower_is_better_target_deducts_over_the_cap(target, actual, name, expected):
    ln = line(target, actual, 20, name=name, level2="成本指标", method="扣分:1", reason="原因")
    assert computed(ln)[0] == Decimal(expected)


def test_month_deadline_met():
    ln = line("9月前", "7月", 5, 5, level2="时效指标")
    assert computed(ln)[0] == Decimal(5)


def test_pass_fail_method_is_all_or_nothing():
    assert computed(line("≥100%", "99%", 10, method="达标"))[0] == Decimal(0)
    assert computed(line("≥100%", "100%", 10, method="达标"))[0] == Decimal(10)


def test_proportional_method_overrides_direction():
    ln = line("2000元", "1000元", 10, name="招录成本", level2="成本指标", method="比例")
    assert computed(ln)[0] == Decimal("5.00")


@pytest.mark.parametrize(
    ("target", "actual", "expected", "rule"),
    [
        ("≤2000元", "1500元", "20", "lower"),  # beaten cap: full, not 20 × 1500 ÷ 2000
        ("≤2000元", "2500元", "16.00", "lower_ratio"),  # over the cap: 20 × 2000 ÷ 2500
        ("不超过2000元", "4000元", "10.00", "lower_ratio"),  # a word is an operator too
        ("≥2000元", "1500元", "15.00", "higher"),
    ],
)
def test_proportional_method_keeps_the_targets_own_operator(target, actual, expected, rule):
    score, _ = score_indicator(line(target, actual, 20, method="比例"), NATIONAL)
    assert score.score_computed == Decimal(expected)
    assert score.rule == rule
    assert "正向指标" not in score.explanation or rule == "higher"


def test_proportional_method_on_a_lower_target_is_a_ratio_whatever_the_reverse_formula():
    from dataclasses import replace

    linear = replace(NATIONAL, reverse_formula="linear")
    # 比例 means w × A ÷ B; the linear option would give 20 × (1 − 500 ÷ 2000) = 15
    assert computed(line("≤2000元", "2500元", 20, method="比例"), linear)[0] == Decimal("16.00")


@pytest.mark.parametrize(
    ("actual", "reported", "tier", "out_of_tier"),
    [
        ("持续保证", 20, "达成年度指标", False),  # actual = target text → tier 1
        ("达成预期指标", 17, "达成年度指标", False),
        ("达成预期指标", 12, "达成年度指标", True),  # 12 < 16: below its tier
        ("部分达成", 14, "部分达成年度指标并具有一定效果", False),
        ("部分达成", 20, "部分达成年度指标并具有一定效果", True),
        ("未达成", 5, "未达成年度指标且效果较差", False),
    ],
)
def test_qualitative_tiers(actual, reported, tier, out_of_tier):
    ln = line("持续保证", actual, 20, reported, reason="说明")
    score, findings = score_indicator(ln, NATIONAL)
    assert score.tier == tier
    assert score.score_computed == Decimal(reported)  # never invents a score inside a band
    assert ("QUALITATIVE_OUT_OF_TIER" in {f.code for f in findings}) is out_of_tier


@pytest.mark.parametrize(
    ("actual", "tier"),
    [
        ("不及时", "未达成年度指标且效果较差"),
        ("未按时完成", "未达成年度指标且效果较差"),
        ("不能完成", "未达成年度指标且效果较差"),
        ("部分不合规", "未达成年度指标且效果较差"),
        ("延期完成", "未达成年度指标且效果较差"),
        ("不完全达成", "部分达成年度指标并具有一定效果"),
        ("基本完成", "部分达成年度指标并具有一定效果"),
        ("非常及时", "达成年度指标"),
        ("按时完成", "达成年度指标"),
        ("基本按时", "部分达成年度指标并具有一定效果"),  # 按时 alone is the top band
        ("基本及时", "部分达成年度指标并具有一定效果"),
        ("基本按时完成", "部分达成年度指标并具有一定效果"),
        ("基本按期完成", "部分达成年度指标并具有一定效果"),
        ("按期", "达成年度指标"),  # on time, said without 完成
        ("如期", "达成年度指标"),
        ("准时", "达成年度指标"),
        ("未按期", "未达成年度指标且效果较差"),
    ],
)
def test_negated_or_delayed_achievement_words_are_not_achieved(actual, tier):
    score, _ = score_indicator(line("持续保证", actual, 20, 10, reason="说明"), NATIONAL)
    assert score.tier == tier


@pytest.mark.parametrize("rules", [NATIONAL, HUBEI, HUNAN], ids=lambda r: r.name)
@pytest.mark.parametrize("actual", ["基本按时", "基本及时"])
def test_mostly_on_time_is_the_second_band_in_every_rule_set(rules, actual):
    score, _ = score_indicator(line("持续保证", actual, 10, 7, reason="说明"), rules)
    assert score.tier == rules.qualitative_bands[1].label


@pytest.mark.parametrize(
    ("target", "actual", "level2"),
    [
        ("≥100人", "部分完成", "数量指标"),  # a numeric target, a text actual
        ("按时完成", "基本按时", "时效指标"),  # 按时 used to win: full marks
        ("2022年底", "基本及时", "时效指标"),
    ],
)
def test_a_text_actual_in_a_lower_band_is_checked_against_the_band(target, actual, level2):
    """The reported score is kept (never invented inside the band) and checked against it."""
    full, findings = score_indicator(line(target, actual, 10, 10, level2=level2), NATIONAL)
    codes = {f.code for f in findings}
    assert full.score_computed == Decimal(10)
    assert full.tier == "部分达成年度指标并具有一定效果"
    assert "QUALITATIVE_OUT_OF_TIER" in codes  # 10 is not in [6, 8)
    inside, findings = score_indicator(
        line(target, actual, 10, 7, level2=level2, reason="x"), NATIONAL
    )
    assert inside.score_computed == Decimal(7)
    assert not {f.code for f in findings} & {"QUALITATIVE_OUT_OF_TIER", "SCORE_KEPT"}


def test_a_text_actual_in_a_lower_band_without_a_reported_score_is_not_given_one():
    score, _ = score_indicator(line("≥100人", "未完成", 10), NATIONAL)
    assert score.tier == "未达成年度指标且效果较差"
    assert score.score_computed is None


def kept_findings(ln, rules=NATIONAL):
    score, findings = score_indicator(ln, rules)
    return score, [f for f in findings if f.code == "SCORE_KEPT"]


def test_a_late_deadline_keeps_the_reported_score_and_says_so():
    score, kept = kept_findings(line("9月前", "12月", 20, 20, name="验收", level2="时效指标"))
    assert score.score_computed == Decimal(20)  # no rule for lateness: nothing invented
    assert score.rule == "kept_reported"
    assert [f.severity for f in kept] == ["warning"]  # full marks on a late row
    assert "12月" in kept[0].message and "9月前" in kept[0].message
    assert kept[0].location.column == "得分"


def test_a_kept_score_below_full_is_only_a_note():
    ln = line("9月前", "12月", 20, 15, level2="时效指标", reason="天气原因延误")
    score, kept = kept_findings(ln)
    assert score.score_computed == Decimal(15)
    assert [f.severity for f in kept] == ["info"]
    _, unreported = kept_findings(line("9月前", "12月", 20, level2="时效指标"))
    assert [f.severity for f in unreported] == ["info"]


@pytest.mark.parametrize(
    ("target", "actual", "level2"),
    [
        ("≥100人", "正常开展", "数量指标"),  # a numeric target, words of no band
        ("按时完成", "12月", "时效指标"),  # an undated deadline, a month: cannot be compared
    ],
)
def test_a_score_kept_without_any_rule_is_flagged(target, actual, level2):
    score, kept = kept_findings(line(target, actual, 10, 10, level2=level2))
    assert score.score_computed == Decimal(10)
    assert [f.severity for f in kept] == ["warning"]


@pytest.mark.parametrize(
    ("target", "actual", "weight", "already"),
    [
        ("", "100%", 10, None),  # VALUE_MISSING (a check) says it
        ("≥90%", "95户", 10, "UNIT_MISMATCH"),
        ("根据实际工作需要录用", "582人", 10, "QUALITATIVE_TIER_UNKNOWN"),
        ("≥5组", "5组", None, "WEIGHT_MISSING"),
    ],
)
def test_a_kept_score_another_finding_explains_is_not_flagged_twice(
    target, actual, weight, already
):
    score, findings = score_indicator(line(target, actual, weight, 10), NATIONAL)
    assert score.score_computed == Decimal(10)
    codes = {f.code for f in findings}
    assert "SCORE_KEPT" not in codes
    assert already is None or already in codes


def test_score_kept_declares_its_raised_severity_in_the_catalogue():
    from perfcore.codes import CODES, finding

    spec = CODES["SCORE_KEPT"]
    assert (spec.severity, spec.escalated) == ("info", "warning")
    assert finding("SCORE_KEPT", "甲", "a", escalate=True).severity == "warning"
    with pytest.raises(ValueError):
        finding("SCORE_DIFFERS", "甲", "a", escalate=True)


def test_a_negated_deadline_is_not_met():
    ln = line("2022年底", "未按时", 5, 5, level2="时效指标")
    score, _ = score_indicator(ln, NATIONAL)
    assert score.rule != "deadline"


def test_qualitative_bands_follow_the_rule_set():
    ln = line("效果明显", "部分达成", 10, 5, reason="说明")
    assert "QUALITATIVE_OUT_OF_TIER" in computed(ln, NATIONAL)[1]  # national partial: [6, 8)
    assert "QUALITATIVE_OUT_OF_TIER" not in computed(ln, HUBEI)[1]  # hubei partial: [5, 8)
    hunan = score_indicator(line("效果明显", "达成", 10, 9), HUNAN)[0]
    assert hunan.tier == "优"


def test_qualitative_tier_unknown_keeps_reported_with_info():
    ln = line("根据实际工作需要录用", "582人", 7, 7, name="公务员考录人数")
    score, findings = score_indicator(ln, NATIONAL)
    assert score.score_computed == Decimal(7)
    assert [f.code for f in findings] == ["QUALITATIVE_TIER_UNKNOWN"]
    assert findings[0].severity == "info"


def test_blank_target_or_actual_keeps_reported_score():
    score, _ = score_indicator(line("", "100%", 10, 9), NATIONAL)
    assert score.score_computed == Decimal(9)
    assert score.rule == "kept_reported"


def test_a_row_without_weight_is_still_checked_for_a_target_set_too_low():
    """Longyang's 三、土样植株化验 (≧60个 → 105个, 175 %) has no 分值 but a target to review."""
    score, codes = computed(line("≧60个", "105个", None, 5, name="三、土样植株化验"))
    assert score == Decimal(5)
    assert {"WEIGHT_MISSING", "TARGET_TOO_LOW"} <= codes
    assert "TARGET_TOO_LOW" not in computed(line("≧60个", "65个", None, 5))[1]
    assert "TARGET_TOO_LOW" not in computed(line("≧60个", "105个", None, 5, method="定性"))[1]


def test_missing_weight_keeps_reported_and_warns():
    score, codes = computed(line("≥5组", "5组", None, 5))
    assert score == Decimal(5)
    assert "WEIGHT_MISSING" in codes


def test_not_applicable_row_excluded_and_total_rescaled_to_100():
    ev = evaluation(
        line("≥10", "10", 45, 45, name="甲"),
        line("≥10", "5", 45, 22.5, name="乙", reason="原因"),
        line("≥10", "/", 0, None, name="丙", method="不适用"),
    )
    result = score_evaluation(ev, NATIONAL)
    # funds 10 + 45 + 22.5 = 77.5 of 100 applicable points → 77.5; now exclude 10 points of weight:
    ev2 = evaluation(
        line("≥10", "10", 40, 40, name="甲"),
        line("≥10", "5", 40, 20, name="乙", reason="原因"),
        line("≥10", "/", 10, None, name="丙", method="不适用"),
    )
    result2 = score_evaluation(ev2, NATIONAL)
    assert result.total_computed == Decimal("77.50")
    # (10 + 40 + 20) × 100 / 90 = 77.78
    assert result2.total_computed == Decimal("77.78")
    assert "NOT_APPLICABLE_RESCALED" in {f.code for f in result2.findings}
    assert not result2.indicators[2].counted


@pytest.mark.parametrize(
    ("target", "actual"),
    [("不适用", "不适用"), ("不涉及", "不涉及"), ("/", "不适用"), ("不适用", "—")],
)
def test_not_applicable_written_in_the_values_is_excluded_like_the_method(target, actual):
    """Not applicable in both cells used to match as 达成 and, unscored, get full marks (80)."""
    ev = evaluation(
        line("≥10", "10", 40, 40, name="甲"),
        line("≥10", "5", 40, 20, name="乙", reason="原因"),
        line(target, actual, 10, None, name="丙"),
    )
    result = score_evaluation(ev, NATIONAL)
    assert result.total_computed == Decimal("77.78")  # (10 + 40 + 20) × 100 / 90, as the method
    row = result.indicators[2]
    assert (row.rule, row.counted, row.score_computed) == ("not_applicable", False, None)
    why = [f for f in result.findings if f.code == "VALUES_NOT_APPLICABLE"]
    assert [f.severity for f in why] == ["info"] and "丙" in why[0].message
    assert "NOT_APPLICABLE_RESCALED" in {f.code for f in result.findings}


@pytest.mark.parametrize(("target", "actual"), [("≥10个", "不适用"), ("不适用", ""), ("无", "无")])
def test_not_applicable_in_one_value_only_is_not_excluded(target, actual):
    score, findings = score_indicator(line(target, actual, 10, 10), NATIONAL)
    assert score.counted and score.rule != "not_applicable"
    assert "VALUES_NOT_APPLICABLE" not in {f.code for f in findings}


def test_parent_rows_are_detected_and_not_counted_twice():
    lines = [
        line("≧20000亩", "20000亩", None, 15, name="一、示范区建立"),
        line("≧500亩", "500亩", None, 5, name="1、水稻侧深施肥+缓控释肥"),
        line("≧1000亩", "1000亩", None, 5, name="2、玉米种肥同播+缓控释肥"),
        line("≧18500亩", "18500亩", None, 5, name="3、施用配方肥"),
        line("≧60个", "105个", None, 5, name="三、土样植株化验"),
        line("≧300户", "300户", None, 5, name="四、农户施肥情况调查(户)"),
    ]
    assert detect_parent_rows(lines) == {0}
    nested = [
        line("≧15组", "15组", None, 15, name="二、化肥减量增效田间试验"),
        line("≧5组", "5组", None, 5, name="1、肥料利用率"),
        line("≧5组", "5组", None, 5, name="2、化肥减量增效"),
        line("≧3组", "3组", None, 3, name="3、其他试验(水稻)"),
        line("≧2组", "2组", None, 2, name="4、其他试验(玉米)"),
    ]
    assert detect_parent_rows(nested) == {0}  # 2、 = 3、 + 4、 is not a subtotal
    percentages = [
        line("≥85%", "90%", 10, 10, name="满意度"),
        line("0%", "0%", 5, 5, name="差错率"),
        line("≥85%", "90%", 5, 5, name="知晓率"),
    ]
    assert detect_parent_rows(percentages) == set()  # 0% + 85% is not 85%
    result = score_evaluation(evaluation(*lines), NATIONAL)
    assert not result.indicators[0].counted
    assert result.total_computed == Decimal(10 + 25)
    weightless = [f for f in result.findings if f.code == "WEIGHT_MISSING"]
    assert len(weightless) == 1 and "5 个指标没有分值" in weightless[0].message


def test_marked_parent_row_is_not_counted():
    lines = [
        line("≥2", "2", 10, 10, name="合计", method="汇总"),
        line("≥1", "1", 5, 5, name="甲"),
        line("≥1", "1", 5, 5, name="乙"),
    ]
    result = score_evaluation(evaluation(*lines), NATIONAL)
    assert result.total_computed == Decimal(20)


def test_funds_score_is_weight_times_rate_against_annual_budget():
    score, _ = score_funds(funds("43.2", "37.24"), NATIONAL)
    assert score.execution_rate == Decimal("37.24") / Decimal("43.2")
    assert score.score_computed == Decimal("8.62")


def test_funds_over_100_percent_is_capped_and_noted():
    score, findings = score_funds(funds("329.77", "338.31"), NATIONAL)
    assert score.score_computed == Decimal("10.00")
    assert "FUNDS_OVER_EXECUTED" in {f.code for f in findings}


def test_funds_over_execution_message_follows_the_rule_sets_cap():
    from dataclasses import replace

    capped = next(
        f for f in score_funds(funds("100", "120"), NATIONAL)[1] if f.code == "FUNDS_OVER_EXECUTED"
    )
    assert "按 100% 封顶" in capped.message
    uncapped_rules = replace(NATIONAL, funds_cap=False)
    score, findings = score_funds(funds("100", "120"), uncapped_rules)
    assert score.score_computed == Decimal("12.00")
    over = next(f for f in findings if f.code == "FUNDS_OVER_EXECUTED")
    assert "封顶" not in over.message.replace("不封顶", "")
    assert "不封顶" in over.message and "12" in over.message
    assert "capped" not in over.message_en.replace("not capped", "")


def test_funds_weight_comes_from_the_rule_set_unless_printed():
    assert score_funds(funds("278.4449", "30"), HUBEI)[0].score_computed == Decimal("2.15")
    assert score_funds(funds("100", "50"), NATIONAL)[0].weight == Decimal(10)


def test_funds_whole_point_rounding_option():
    from dataclasses import replace

    whole = replace(NATIONAL, funds_rounding=Decimal(1))
    score, findings = score_funds(funds("43.2", "37.24", reported=9), whole)
    assert score.score_computed == Decimal(9)
    assert "FUNDS_SCORE_DIFFERS" not in {f.code for f in findings}


def test_empty_total_row_uses_the_sources():
    lines = funds("0", "0", 当年财政拨款=("132.912", "132.912"))
    score, findings = score_funds(lines, NATIONAL)
    assert score.execution_rate == Decimal(1)
    assert "FUNDS_TOTAL_EMPTY" in {f.code for f in findings}


def test_no_funds_rows_scores_zero_and_warns():
    score, findings = score_funds((), NATIONAL)
    assert score.score_computed == 0
    assert [f.code for f in findings] == ["FUNDS_MISSING"]


def test_parse_method_rejects_unknown():
    assert parse_method("扣分：0.5").points_per_pp == Decimal("0.5")
    with pytest.raises(ValueError):
        parse_method("随便")


def test_grade_bands_are_half_open():
    assert NATIONAL.grade_for(Decimal("90")) == "优"
    assert NATIONAL.grade_for(Decimal("89.99")) == "良"
    assert NATIONAL.grade_for(Decimal("80")) == "良"
    assert NATIONAL.grade_for(Decimal("79.99")) == "中"
    assert NATIONAL.grade_for(Decimal("59.99")) == "差"


# --- properties ------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(min_value=1, max_value=50, places=1, allow_nan=False, allow_infinity=False)
operators = st.sampled_from(["≥", "≤", "=", ""])
units = st.sampled_from(["", "%", "次", "元", "万元"])


@given(operators, amounts, amounts, units, weights, st.sampled_from([NATIONAL, HUBEI, HUNAN]))
def test_score_is_never_negative_nor_above_weight(op, a, b, unit, w, rules):
    score, _ = score_indicator(line(f"{op}{a}{unit}", f"{b}{unit}", w), rules)
    assert score.score_computed is not None
    assert 0 <= score.score_computed <= w


@pytest.mark.parametrize(
    ("target", "actual"),
    [("持续保证", "持续保证"), ("", "100%"), ("根据工作需要", "582人"), ("≥90%", "95户")],
)
def test_a_kept_reported_score_never_exceeds_the_weight(target, actual):
    """Rules that keep the self-given score (qualitative, blank, unknown tier, other unit) still
    cap it at the weight: a row worth 10 never computes 12, and totals never pass 100."""
    score, _ = score_indicator(line(target, actual, 10, 12, reason="说明"), NATIONAL)
    assert score.score_computed == Decimal(10)
    assert "以分值 10 分为上限" in score.explanation


@given(operators, amounts, amounts, units, weights, amounts)
def test_computed_score_stays_within_weight_whatever_was_reported(op, a, b, unit, w, reported):
    score, _ = score_indicator(line(f"{op}{a}{unit}", f"{b}{unit}", w, reported), NATIONAL)
    assert score.score_computed is None or 0 <= score.score_computed <= w


@given(amounts.filter(lambda a: a > 0), amounts, amounts, weights)
def test_raising_actual_never_lowers_a_higher_is_better_score(a, b1, b2, w):
    low, high = sorted([b1, b2])
    s_low = score_indicator(line(f"≥{a}", f"{low}", w), NATIONAL)[0].score_computed
    s_high = score_indicator(line(f"≥{a}", f"{high}", w), NATIONAL)[0].score_computed
    assert s_high >= s_low


@given(amounts.filter(lambda a: a > 0), amounts, amounts, weights)
def test_raising_actual_never_raises_a_lower_is_better_score(a, b1, b2, w):
    low, high = sorted([b1, b2])
    s_low = score_indicator(line(f"≤{a}元", f"{low}元", w), NATIONAL)[0].score_computed
    s_high = score_indicator(line(f"≤{a}元", f"{high}元", w), NATIONAL)[0].score_computed
    assert s_high <= s_low


@given(amounts.filter(lambda a: a > 0), amounts, amounts, weights)
def test_raising_actual_never_raises_a_lower_is_better_deduction_score(a, b1, b2, w):
    low, high = sorted([b1, b2])
    scores = [
        score_indicator(line(f"≤{a}元", f"{b}元", w, method="扣分:0.5"), NATIONAL)[0]
        for b in (low, high)
    ]
    assert scores[1].score_computed <= scores[0].score_computed <= w


def test_a_quarter_is_a_deadline_due_at_its_last_month():
    assert computed(line("第三季度", "8月", 5, 5, level2="时效指标"))[0] == Decimal(5)
    assert computed(line("第三季度前", "第三季度", 5, 5, level2="时效指标"))[0] == Decimal(5)
    score, kept = kept_findings(line("第二季度", "第四季度", 20, 20, level2="时效指标"))
    assert score.rule == "kept_reported" and [f.severity for f in kept] == ["warning"]


TIERED = (
    (Decimal("0.9"), Decimal(1)),
    (Decimal("0.8"), Decimal("0.8")),
    (Decimal("0.6"), Decimal("0.5")),
)


@pytest.mark.parametrize(
    ("executed", "expected", "formula"),
    [
        ("95", "10.00", "执行率 95% 达到 90% 档：10 × 100%"),
        ("85", "8.00", "执行率 85% 达到 80% 档：10 × 80%"),
        ("50", "0.00", "执行率 50% 低于最低一档，得 0 分"),
    ],
)
def test_a_tiered_funds_score_takes_the_tier_reached_and_says_which(executed, expected, formula):
    from dataclasses import replace

    tiered = replace(NATIONAL, funds_formula="tiered", funds_tiers=TIERED)
    score, findings = score_funds(funds("100", executed, reported=7), tiered)
    assert score.score_computed == Decimal(expected)
    [differs] = [f for f in findings if f.code == "FUNDS_SCORE_DIFFERS"]
    assert (
        differs.message
        == f"预算执行率得分自评 7 分，按规则应为 {expected.removesuffix('.00')} 分（{formula}）。"
    )


def test_a_proportional_funds_score_shows_weight_times_rate():
    [differs] = [
        f
        for f in score_funds(funds("100", "86", reported=10), NATIONAL)[1]
        if f.code == "FUNDS_SCORE_DIFFERS"
    ]
    assert differs.message == "预算执行率得分自评 10 分，按规则应为 8.6 分（10 × 86%）。"


def test_a_negative_funds_score_is_flagged():
    findings = score_funds(funds("100", "100", reported=-1), NATIONAL)[1]
    [negative] = [f for f in findings if f.code == "SCORE_NEGATIVE"]
    assert negative.message == "预算执行率得分为 -1，不能为负数。"
