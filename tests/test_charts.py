"""Chart builders on small frames with the contract columns of perfcore.queries."""

import json
from decimal import Decimal as D

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts

KEY = {
    "evaluation_id": 1,
    "year": 2022,
    "department": "中共益阳市委组织部",
    "project": "业务工作开展专项经费",
}


def seed_funds() -> pd.DataFrame:
    rows = [
        ("年度资金总额", D("155.68"), D("261.46"), D("261.46")),
        ("当年财政拨款", D("153.03"), D("258.81"), D("258.81")),
        ("上年结转资金", D("2.65"), D("2.65"), D("2.65")),
        ("其他资金", None, None, None),
    ]
    return pd.DataFrame(
        [
            {**KEY, "source": s, "initial_budget": i, "annual_budget": a, "executed": e}
            for s, i, a, e in rows
        ]
    )


def test_bridge_steps_on_the_seed_add_up():
    steps = charts.bridge_steps(seed_funds()).set_index("step")
    assert list(steps.index) == [
        "上年结转",
        "年初预算",
        "年中追加",
        "全年预算",
        "未执行",
        "全年执行",
    ]
    assert steps.loc["上年结转", "amount"] == pytest.approx(2.65)
    assert steps.loc["年初预算", "amount"] == pytest.approx(153.03)
    assert steps.loc["年中追加", "amount"] == pytest.approx(105.78)
    assert steps.loc["全年预算", "amount"] == pytest.approx(261.46)
    assert steps.loc["未执行", "amount"] == pytest.approx(0)
    assert steps.loc["全年执行", "measure"] == "total"


def test_bridge_uses_the_parts_when_the_total_row_is_zero():
    """Anhui 2022 (example 05): the 年度资金总额 row is all zeros, 本年财政拨款 holds the money."""
    funds = pd.DataFrame(
        [
            {
                **KEY,
                "source": "年度资金总额",
                "initial_budget": 0,
                "annual_budget": 0,
                "executed": 0,
            },
            {
                **KEY,
                "source": "当年财政拨款",
                "initial_budget": 50,
                "annual_budget": 60,
                "executed": 66,
            },
        ]
    )
    steps = charts.bridge_steps(funds).set_index("step")
    assert steps.loc["全年预算", "amount"] == 60
    assert steps.loc["超预算执行", "amount"] == 6
    assert steps.loc["年中追加", "amount"] == 10


def test_budget_bridge_figure_labels_in_wan():
    fig = charts.budget_bridge(seed_funds())
    trace = fig.data[0]
    assert isinstance(trace, go.Waterfall)
    # the hover holds the amounts with their unit; the bars the numbers under a 万元 axis,
    # since 「105.78 万元」 and 「261.46 万元」 side by side ran into each other at 1366 px
    assert "261.46 万元" in trace.customdata
    assert "105.78 万元" in trace.customdata
    assert list(trace.text) == ["2.65", "153.03", "105.78", "261.46", "0.00", "261.46"]
    assert fig.layout.yaxis.title.text == "万元" and "万元" in fig.layout.title.text
    assert fig.layout.yaxis.range[1] > 261.46 * 1.1  # room above the top label
    assert fig.layout.font.family.startswith("Noto Sans CJK SC")
    # a province's amounts as written (50,000,000), never plotly's 「50M」
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands


def test_a_provinces_budget_bridge_is_in_yi_yuan():
    province = seed_funds()
    for column in ("initial_budget", "annual_budget", "executed"):
        province[column] = [None if v is None else v * 100_000 for v in province[column]]
    fig = charts.budget_bridge(province)
    trace = fig.data[0]
    assert fig.layout.title.text == "预算桥（亿元）" and fig.layout.yaxis.title.text == "亿元"
    assert "2,614.60" in trace.text  # 261.46 万元 × 10^5 = 2,614.60 亿元
    assert "2,614.60 亿元（26,146,000.00 万元）" in trace.customdata
    assert fig.layout.yaxis.range[1] > 2_614.60


def evaluations(n: int = 2) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append(
            {
                **KEY,
                "evaluation_id": i + 1,
                "year": 2021 + i,
                "project": f"项目{i}",
                "initial_budget": D("155.68"),
                "annual_budget": D("261.46"),
                "executed": D("261.46") - i,
                "total_reported": D("97.13"),
                "total_computed": D("96.50") + i,
                "grade_computed": "优" if i else "良",
            }
        )
    return pd.DataFrame(rows)


def assert_legend_above_the_plot(fig: go.Figure) -> None:
    """Between the title and the plot, never over the x-axis tick labels below it."""
    assert fig.layout.showlegend is True
    legend, height = fig.layout.legend, fig.layout.height
    assert legend.yref == "container" and legend.yanchor == "top"
    top = (1 - legend.y) * height  # px from the figure's top
    assert top == pytest.approx(charts.LEGEND_TOP) and top > 36  # under the 16 px title
    assert fig.layout.margin.t >= top + 40  # two rows of legend fit above the plot
    assert fig.layout.title.yref == "container" and fig.layout.title.yanchor == "top"


def test_execution_rates_side_by_side():
    fig = charts.execution_rates(evaluations(1))
    assert_legend_above_the_plot(fig)
    against_annual, against_initial = fig.data
    assert against_annual.name == "执行率（对全年预算）"
    assert list(against_annual.text) == ["100.0%"]
    assert list(against_initial.text) == ["167.9%"]
    assert "全年预算：%{customdata[2]}" in against_annual.hovertemplate
    assert "年初预算：%{customdata[2]}" in against_initial.hovertemplate
    assert against_initial.customdata[0][2] == "155.68 万元"


def test_spending_items_sorted_with_share_and_tail_merged():
    items = pd.DataFrame(
        [
            {**KEY, "item": f"明细{i}", "executed": D(i + 1), "annual_budget": None, "share": None}
            for i in range(25)
        ]
    )
    fig = charts.spending_items(items, top=10)
    bar = fig.data[0]
    assert len(bar.y) == 10
    assert bar.y[-1] == "明细24"  # the largest on top (plotly draws the last row at the top)
    assert bar.y[0] == "其他（合并）"
    total = sum(range(1, 26))
    assert f"合计 {total:.2f} 万元" in fig.layout.title.text
    assert bar.text[-1] == f"25.00 万元（{25 / total * 100:.1f}%）"


def indicators() -> pd.DataFrame:
    base = {
        **KEY,
        "counted": True,
        "target_operator": None,
        "target_unit": None,
        "actual_unit": None,
    }
    return pd.DataFrame(
        [
            {
                **base,
                "level1": "产出指标",
                "level2": "时效指标",
                "name": "经费支付时限",
                "weight": D(10),
                "score_computed": D("7.13"),
            },
            {
                **base,
                "level1": "产出指标",
                "level2": "成本指标",
                "name": "招录公务员成本",
                "weight": D(10),
                "score_computed": D(10),
                "target_operator": "≤",
                "target_number": D(2000),
                "actual_number": D(1756),
                "target_unit": "元",
                "actual_unit": "元",
                "target_raw": "≤2000元",
            },
            {
                **base,
                "level1": "效益指标",
                "level2": "服务对象满意度指标",
                "name": "群众对干部的满意度",
                "weight": D(10),
                "score_computed": D(10),
                "target_operator": "≥",
                "target_number": D(85),
                "actual_number": D("99.85"),
                "target_unit": "%",
                "actual_unit": "%",
                "target_raw": "≥85%",
            },
            {
                **base,
                "level1": "效益指标",
                "level2": "汇总",
                "name": "父行",
                "weight": D(30),
                "score_computed": D(30),
                "counted": False,
            },
        ]
    )


def test_indicator_tree_sized_by_weight_without_parent_rows():
    fig = charts.indicator_tree(indicators())
    sun = fig.data[0]
    assert sun.branchvalues == "total"
    values = dict(zip(sun.ids, sun.values, strict=True))
    assert values["产出指标"] == 20
    assert values["效益指标"] == 10  # the uncounted parent row adds nothing
    assert "效益指标/汇总/父行" not in values
    colors = dict(zip(sun.ids, sun.marker.colors, strict=True))
    assert colors["产出指标/时效指标/经费支付时限"] == pytest.approx(0.713)
    # labels of sectors too small for them are hidden, not written over their neighbours
    assert fig.layout.uniformtext.mode == "hide"
    assert "分值：10.00" in dict(zip(sun.ids, sun.customdata, strict=True))["产出指标/时效指标"]


def test_target_bullets_cap_and_floor():
    rows = indicators().iloc[1:3]
    fig = charts.target_bullets(rows, "满意度与成本")
    cost, satisfaction = fig.data
    assert cost.gauge.threshold.value == 2000
    assert cost.value == 1756
    assert cost.gauge.bar.color == charts.GOOD  # 1756 under the ≤ 2000 cap
    assert [a.text for a in fig.layout.annotations] == ["1,756 元", "99.85%"]
    assert satisfaction.gauge.axis.range == (0, 100)
    assert satisfaction.gauge.bar.color == charts.GOOD
    assert satisfaction.title.text.startswith("群众对干部<br>的满意度<br>")  # lines of ≤ 8
    assert "2022年 业务工作开展" in satisfaction.title.text  # the year tells two years apart
    assert satisfaction.domain.x[0] >= 0.3


def test_target_bullets_flags_a_missed_cap():
    rows = indicators().iloc[[1]].assign(actual_number=D(2500))
    assert charts.target_bullets(rows, "成本").data[0].gauge.bar.color == charts.BAD


def test_achievement_spread_one_box_per_year():
    rows = pd.concat([indicators().iloc[1:3], indicators().iloc[1:3].assign(year=2023)])
    fig = charts.achievement_spread(rows, "分布")
    assert [t.name for t in fig.data] == ["2022年", "2023年"]
    assert list(fig.data[0].y) == pytest.approx([87.8, 117.470588])
    low, high = fig.layout.yaxis.range
    assert low < 87.8 - 2 and high > 117.47 + 2  # the extreme points clear the plot's edges
    assert_legend_above_the_plot(fig)


def test_grade_distribution_counts_per_department():
    frame = pd.DataFrame({"department": ["甲", "甲", "乙"], "grade_computed": ["优", "良", "优"]})
    fig = charts.grade_distribution(frame)
    assert_legend_above_the_plot(fig)
    by_grade = {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data}
    assert by_grade["优（优秀）"] == {"乙": 1, "甲": 1}
    assert by_grade["良（良好）"]["甲"] == 1
    assert by_grade["差（差）"]["乙"] == 0


def test_grade_distribution_of_the_counts_duckdb_made():
    frame = pd.DataFrame(
        {"label": ["甲", "甲", "乙"], "grade_computed": ["优", "良", "优"], "n": [3, 1, 2]}
    )  # as the grade_counts query gives them
    fig = charts.grade_distribution(frame, by="project")
    by_grade = {t.name: dict(zip(t.y, t.x, strict=True)) for t in fig.data}
    assert by_grade["优（优秀）"] == {"乙": 2, "甲": 3}
    assert by_grade["良（良好）"] == {"乙": 0, "甲": 1}
    assert fig.layout.title.text == "各项目复核等级分布"


def test_score_gaps_dumbbell():
    fig = charts.score_gaps(evaluations(2))
    assert_legend_above_the_plot(fig)
    markers = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in markers] == ["自评得分", "复核得分"]
    assert list(markers[1].x) == pytest.approx([96.5, 97.5])


def test_findings_by_code_stacks_severities():
    frame = pd.DataFrame(
        {
            "severity": ["warning", "warning", "info"],
            "code": ["SCORE_DIFFERS"] * 2 + ["PARENT_ROW"],
            "title": ["自评得分与复核得分不一致"] * 2 + ["汇总行不重复计分"],
        }
    )
    fig = charts.findings_by_code(frame)
    assert {t.name: list(t.x) for t in fig.data} == {"警告": [2], "提示": [1]}
    assert_legend_above_the_plot(fig)
    assert fig.layout.xaxis.dtick == 1  # two findings: no 0.5 ticks
    counted = pd.DataFrame(
        {
            "severity": ["warning"],
            "code": ["REASON_MISSING"],
            "title": ["扣分未说明原因"],
            "n": [54_321],
        }
    )
    many = charts.findings_by_code(counted)
    assert many.layout.xaxis.tickformat == ",d"  # 50,000 findings, not 50000
    assert "%{x:,d} 条" in many.data[0].hovertemplate


def test_one_trace_gets_no_legend_and_no_room_for_one():
    fig = charts.findings_by_code(
        pd.DataFrame({"severity": ["info"], "code": ["PARENT_ROW"], "title": ["汇总行不重复计分"]})
    )
    assert fig.layout.showlegend is False
    assert fig.layout.margin.t == 48


def test_user_text_cannot_inject_plotly_markup():
    rows = indicators().iloc[[1]].assign(name="<a href='http://x'>点</a>", project="<b>粗</b>")
    fig = charts.target_bullets(rows, "成本")
    assert "<a" not in fig.data[0].title.text
    assert "&lt;b&gt;" in fig.data[0].title.text


def test_figures_are_cached_by_the_content_of_their_frames() -> None:
    from dashboard.views import common

    built: list[pd.DataFrame] = []

    def builder(frame: pd.DataFrame) -> go.Figure:
        built.append(frame)
        return go.Figure()

    frame = pd.DataFrame({"name": ["甲", "乙"], "value": [1.0, 2.0]}).astype(
        {"name": "string[pyarrow]"}
    )
    first = common._figure(name="test_cache", _builder=builder, args=(frame,), kwargs=())
    assert (
        common._figure(name="test_cache", _builder=builder, args=(frame.copy(),), kwargs=())
        is first
    )
    assert len(built) == 1
    changed = frame.copy()
    changed.loc[1, "value"] = 3.0
    assert (
        common._figure(name="test_cache", _builder=builder, args=(changed,), kwargs=()) is not first
    )
    renamed = frame.copy()
    renamed.loc[0, "name"] = "丙"
    assert (
        common._figure(name="test_cache", _builder=builder, args=(renamed,), kwargs=()) is not first
    )
    assert len(built) == 3


def test_a_cached_figure_serialises_exactly_as_the_figure_built() -> None:
    import plotly.io as pio
    import plotly.tools

    from dashboard.views import common

    built = charts.score_gaps(evaluations(3))
    cached = common._figure(
        name="test_serialise",
        _builder=lambda e: charts.score_gaps(e),
        args=(evaluations(3),),
        kwargs=(),
    )
    # What st.plotly_chart does with a figure: to_dict, then to_json.
    as_sent = plotly.tools.return_figure_from_figure_or_data(cached, validate_figure=True)
    sent = json.loads(pio.to_json(as_sent, validate=False))
    assert sent == json.loads(pio.to_json(built, validate=False))
    assert sent["layout"]["title"]["text"].startswith("自评得分与复核得分")


def test_axis_labels_are_the_shortest_that_tell_rows_apart():
    same_project = evaluations(2).assign(project="业务工作开展专项经费")
    fig = charts.execution_rates(same_project)
    assert list(fig.data[0].y) == ["2022年 业务工作开展专项经费", "2021年 业务工作开展专项经费"]
    assert "中共益阳市委组织部" in fig.data[0].customdata[0][0]  # the hover names it all
    twins = pd.concat([same_project, same_project.assign(department="<b>乙</b>")])
    labels = charts.score_gaps(twins).data[1].y
    assert "2021年 &lt;b&gt;乙&lt;/b&gt; 业务工作开展专项经费" in labels  # escaped once
