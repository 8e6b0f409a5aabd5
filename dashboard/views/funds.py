"""资金执行: the budget bridge, execution rate against 全年预算 and 年初预算, the funds score, the
spending items and the per-source table — all from sums made in DuckDB; the per-evaluation
table is a bounded page, lowest execution rate first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, fold
from dashboard import format as fmt
from dashboard.views import common

MAX_BARS = 20  # evaluations in the execution-rate chart
TOP_ITEMS = 20  # spending items in their chart; the rest is one 其他 bar

FUNDS_COLUMNS = [
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


def _funds_table(page: pd.DataFrame) -> pd.DataFrame:
    """The funds columns of an `evaluation_page`, amounts and scores as numbers, rates as %."""
    amounts = [
        "initial_budget",
        "annual_budget",
        "executed",
        "funds_weight",
        "funds_score_reported",
        "funds_score_computed",
    ]
    return common.as_percent(common.numeric(page, amounts), ["execution_rate"])[FUNDS_COLUMNS]


f, summary = common.scope()
st.caption(common.scope_caption(summary))
n_evaluations = int(summary["n_evaluations"])
several = n_evaluations > 1
annual, executed = fmt.as_float(summary["annual_budget"]), fmt.as_float(summary["executed"])
initial = fmt.as_float(summary["initial_budget"])
by_source = data.funds_by_source(f)

with st.grid(4, min_column_width=200, gap="small"):
    st.metric(
        "全年执行数",
        fmt.card_money(executed),
        border=True,
        height="stretch",
        help=f"精确值：{fmt.wan(executed)}",
    )
    st.metric(
        "执行率（对全年预算）",
        fmt.pct(executed / annual if annual and executed is not None else None),
        border=True,
        height="stretch",
        help="全年执行数 ÷ 全年预算数，评分依据此执行率。",
    )
    st.metric(
        "执行率（对年初预算）",
        fmt.pct(executed / initial if initial and executed is not None else None),
        border=True,
        height="stretch",
        help="全年执行数 ÷ 年初预算数，反映年中追加的影响，不作评分依据。",
    )
    of = (
        f"满分 {fmt.score(summary['funds_weight'])}"
        if summary["n_funds_weights"] == 1
        else "满分不一"
    )
    mean = "平均" if several else ""
    st.metric(
        f"资金执行得分（复核{mean}）",
        fmt.score(summary["funds_score_computed"]),
        f"自评{mean} {fmt.score(summary['funds_score_reported'])} · {of}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        height="stretch",
        help="分值 × 执行率（执行率最高按 100% 计），按所选评分规则。",
    )

fold.here()
with st.grid(2, min_column_width=420, gap="medium"):
    with st.container(border=True):
        if charts.bridge_steps(by_source).empty:
            st.info("没有可用的预算数据，无法绘制预算桥。", icon=":material/info:")
        else:
            common.chart(
                "预算桥：上年结转、年初预算、年中追加、全年预算与执行",
                charts.budget_bridge,
                by_source,
            )
        st.caption("上年结转 + 年初预算 + 年中追加 = 全年预算；全年预算 − 未执行 = 全年执行。")
    with st.container(border=True):
        lowest = data.view("evaluation_page", f, sort="lowest_rate", limit=MAX_BARS)
        common.chart("各评价执行率：对全年预算与对年初预算", charts.execution_rates, lowest)
        if n_evaluations > MAX_BARS:
            st.caption(f"共 {n_evaluations:,} 个评价，图中为执行率最低的 {MAX_BARS} 个。")

with st.container(border=True):
    items = data.spending_by_item(f, TOP_ITEMS)
    if items.empty:
        st.markdown("**支出明细**")
        st.info("所选评价没有上传支出明细表。", icon=":material/info:")
    else:
        common.chart("支出明细，按全年执行数排序", charts.spending_items, items, top=TOP_ITEMS)

with st.container(border=True):
    st.markdown("**分资金来源**")
    money = ["initial_budget", "annual_budget", "executed"]
    sources = common.numeric(by_source, money).dropna(subset=money, how="all")  # 其他资金: none
    sources["rate"] = (
        sources["executed"] / sources["annual_budget"].where(sources["annual_budget"] > 0) * 100
    )
    st.dataframe(
        sources[["source", "initial_budget", "annual_budget", "executed", "rate"]],
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

if several:
    with st.container(border=True):
        st.markdown("**各评价资金执行**（执行率最低的在前）")
        table = data.table(
            "evaluation_page", f, _funds_table, sort="lowest_rate", limit=common.PAGE_ROWS
        )
        st.dataframe(
            table,
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
        common.rows_caption(n_evaluations, table.num_rows, "执行率最低的在前")
        common.csv_button("evaluations", f, n_evaluations, "各评价资金执行.csv")
    if summary["n_departments"] > 1:
        with st.container(border=True):
            st.markdown("**各部门汇总**（执行率最低的在前）")
            departments = common.as_percent(
                common.numeric(
                    data.funds_by_department(f),
                    ["initial_budget", "annual_budget", "executed", "mean_total_computed"],
                ),
                ["execution_rate"],
            ).sort_values("execution_rate", na_position="last", kind="stable")
            st.dataframe(
                departments.head(common.PAGE_ROWS),
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
            common.rows_caption(
                len(departments), min(len(departments), common.PAGE_ROWS), "执行率最低的在前"
            )
