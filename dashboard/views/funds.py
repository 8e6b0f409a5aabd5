"""资金执行: the budget bridge, execution rate against 全年预算 and 年初预算, the funds score, the
spending items and the per-source table."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, data
from dashboard import format as fmt
from dashboard.views import common

f, evaluations = common.scope()
st.caption(common.scope_caption(evaluations))
funds = data.funds_lines(f)
money = common.numeric(
    evaluations,
    [
        "initial_budget",
        "annual_budget",
        "executed",
        "funds_weight",
        "funds_score_reported",
        "funds_score_computed",
    ],
)
annual, executed = money["annual_budget"].sum(min_count=1), money["executed"].sum(min_count=1)
initial = money["initial_budget"].sum(min_count=1)

with st.grid(4, min_column_width=200, gap="small"):
    st.metric("全年执行数", fmt.wan(executed), border=True, height="stretch")
    st.metric(
        "执行率（对全年预算）",
        fmt.pct(executed / annual if annual else None),
        border=True,
        height="stretch",
        help="全年执行数 ÷ 全年预算数，评分依据此执行率。",
    )
    st.metric(
        "执行率（对年初预算）",
        fmt.pct(executed / initial if initial else None),
        border=True,
        height="stretch",
        help="全年执行数 ÷ 年初预算数，反映年中追加的影响，不作评分依据。",
    )
    weights = money["funds_weight"].dropna().unique()
    of = f"满分 {fmt.score(weights[0])}" if len(weights) == 1 else "满分不一"
    several = "平均" if len(evaluations) > 1 else ""
    st.metric(
        f"资金执行得分（复核{several}）",
        fmt.score(money["funds_score_computed"].mean()),
        f"自评{several} {fmt.score(money['funds_score_reported'].mean())} · {of}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        height="stretch",
        help="分值 × 执行率（执行率最高按 100% 计），按所选评分规则。",
    )

with st.grid(2, min_column_width=420, gap="medium"):
    with st.container(border=True):
        if charts.bridge_steps(funds).empty:
            st.info("没有可用的预算数据，无法绘制预算桥。", icon=":material/info:")
        else:
            common.chart(
                charts.budget_bridge(funds), "预算桥：上年结转、年初预算、年中追加、全年预算与执行"
            )
        st.caption("上年结转 + 年初预算 + 年中追加 = 全年预算；全年预算 − 未执行 = 全年执行。")
    with st.container(border=True):
        common.chart(charts.execution_rates(evaluations), "各评价执行率：对全年预算与对年初预算")

with st.container(border=True):
    items = data.expenditures(f)
    if items.empty:
        st.markdown("**支出明细**")
        st.info("所选评价没有上传支出明细表。", icon=":material/info:")
    else:
        common.chart(charts.spending_items(items), "支出明细，按全年执行数排序")

with st.container(border=True):
    st.markdown("**分资金来源**")
    by_source = common.numeric(funds, ["initial_budget", "annual_budget", "executed"])
    by_source = by_source.groupby("source", sort=False)[
        ["initial_budget", "annual_budget", "executed"]
    ].sum(min_count=1)
    by_source["rate"] = (
        by_source["executed"]
        / by_source["annual_budget"].where(by_source["annual_budget"] > 0)
        * 100
    )
    st.dataframe(
        by_source.reset_index(),
        hide_index=True,
        width="stretch",
        column_config={
            "source": "资金来源",
            "initial_budget": common.money("年初预算数"),
            "annual_budget": common.money("全年预算数"),
            "executed": common.money("全年执行数"),
            "rate": common.percent("执行率"),
        },
        alt="分资金来源的预算与执行",
    )

if len(evaluations) > 1:
    with st.container(border=True):
        st.markdown("**各评价资金执行**")
        table = common.as_percent(money, ["execution_rate"])
        st.dataframe(
            table[
                [
                    "year",
                    "department",
                    "project",
                    "initial_budget",
                    "annual_budget",
                    "executed",
                    "execution_rate",
                    "funds_weight",
                    "funds_score_reported",
                    "funds_score_computed",
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "year": st.column_config.NumberColumn("年度", format="%d"),
                "department": "部门",
                "project": "项目",
                "initial_budget": common.money("年初预算数"),
                "annual_budget": common.money("全年预算数"),
                "executed": common.money("全年执行数"),
                "execution_rate": common.percent("执行率"),
                "funds_weight": common.points("分值"),
                "funds_score_reported": common.points("自评得分"),
                "funds_score_computed": common.points("复核得分"),
            },
            alt="各评价的预算、执行与资金执行得分",
        )
    if evaluations["department"].nunique() > 1:
        with st.container(border=True):
            st.markdown("**各部门汇总**")
            departments = common.as_percent(
                common.numeric(
                    data.funds_by_department(f),
                    ["initial_budget", "annual_budget", "executed", "mean_total_computed"],
                ),
                ["execution_rate"],
            )
            st.dataframe(
                departments,
                hide_index=True,
                width="stretch",
                column_config={
                    "year": st.column_config.NumberColumn("年度", format="%d"),
                    "department": "部门",
                    "n_evaluations": st.column_config.NumberColumn("评价数"),
                    "initial_budget": common.money("年初预算数"),
                    "annual_budget": common.money("全年预算数"),
                    "executed": common.money("全年执行数"),
                    "execution_rate": common.percent("执行率"),
                    "mean_total_computed": common.points("平均复核得分"),
                },
                alt="各部门预算执行汇总",
            )
