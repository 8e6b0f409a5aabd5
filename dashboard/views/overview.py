"""总览: KPI cards for the latest year in scope against the year before; a league table and the
grade distribution when several evaluations are selected, the project summary when one is.

Everything here is a summary or a bounded page computed in DuckDB, so the page costs the same
for one department and for a whole province."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data, fold
from dashboard import format as fmt
from dashboard.views import common

MAX_GROUPS = 30  # departments (or projects) in the grade chart
MAX_GAPS = 30  # evaluations in the self-score chart

f, summary = common.scope()
latest = int(summary["last_year"])
# Like for like: last year's figures for the same departments' projects that are in scope now,
# so a project added this year does not read as growth.
periods = data.year_over_year(f, latest)
current, previous = periods["now"], periods["before"]
several = summary["n_evaluations"] > 1


LEAGUE_COLUMNS = [
    "rank",
    "year",
    "department",
    "project",
    "total_computed",
    "grade_computed",
    "total_reported",
    "gap",
    "issues",
    "annual_budget",
    "execution_rate",
]


def _league(page: pd.DataFrame) -> pd.DataFrame:
    """The ranking's columns of an `evaluation_page`, its amounts and scores as numbers."""
    league = common.as_percent(
        common.numeric(page, ["annual_budget", "total_reported", "total_computed", "gap"]),
        ["execution_rate"],
    )
    league["issues"] = [
        f"{e} 错 / {w} 警" for e, w in zip(league["n_errors"], league["n_warnings"], strict=True)
    ]
    return league[LEAGUE_COLUMNS]


def _totals(row: pd.Series) -> dict[str, float | None]:
    annual, executed = fmt.as_float(row["annual_budget"]), fmt.as_float(row["executed"])
    return {
        "annual": annual,
        "executed": executed,
        "rate": executed / annual if annual and executed is not None and annual > 0 else None,
        "reported": fmt.as_float(row["total_reported"]),
        "computed": fmt.as_float(row["total_computed"]),
    }


def _delta(key: str, now: dict, before: dict | None, unit: str) -> str | int | None:
    """The change against last year as the metric shows it; 0 (grey, no arrow) when flat."""
    if before is None:
        return None
    change = fmt.change(now[key], before[key])
    if change is None:
        return None
    if unit == "%":
        change *= 100
        unit = "个百分点"
    if abs(change) < 0.005:
        return 0
    if unit == "万元":
        return fmt.card_money(change, signed=True)
    return f"{change:+,.2f} {unit}"


now = _totals(current)
before = _totals(previous) if previous["n_evaluations"] else None
# The most frequent computed grade as the card's value, the others (grey) beneath it.
by_count = sorted((g for g in fmt.GRADES if current[g]), key=lambda g: -current[g])
if current["n_evaluations"] > 1 and by_count:
    grade_text = f"{by_count[0]} {current[by_count[0]]:,} 个"
    grade_rest = " · ".join(f"{g} {current[g]:,}" for g in by_count[1:]) or None
else:
    grade_text, grade_rest = (by_count[0] if by_count else ""), None
scores_label = "（平均）" if current["n_evaluations"] > 1 else ""

st.caption(common.scope_caption(summary))
if before is not None:
    st.caption(f"指标卡为 {latest} 年数据；箭头为同一批项目与 {latest - 1} 年相比的变化。")
elif summary["first_year"] != latest or current["n_evaluations"] < summary["n_evaluations"]:
    st.caption(f"指标卡为 {latest} 年数据。")

with st.grid(3, min_column_width=220, gap="small"):
    for key, label in (("annual", "全年预算"), ("executed", "全年执行数")):
        st.metric(
            label,
            fmt.card_money(now[key]),
            _delta(key, now, before, "万元"),
            border=True,
            help=f"精确值：{fmt.wan(now[key])}",
        )
    st.metric("执行率", fmt.pct(now["rate"]), _delta("rate", now, before, "%"), border=True)
    st.metric(
        f"自评得分{scores_label}",
        fmt.score(now["reported"]),
        _delta("reported", now, before, "分"),
        border=True,
    )
    st.metric(
        f"复核得分{scores_label}",
        fmt.score(now["computed"]),
        _delta("computed", now, before, "分"),
        border=True,
    )
    st.metric(
        "复核等级",
        grade_text or fmt.MISSING,
        grade_rest,
        delta_color="off",
        delta_arrow="off",
        border=True,
        help="按评分规则重新计算的总分所在等级：优 ≥ 90，良 80–90，中 60–80，差 < 60。",
    )

fold.here()
if not several:
    row = data.evaluations(f).iloc[0]
    badge = fmt.grade_badge(row["grade_computed"])
    with st.container(horizontal=True, vertical_alignment="center"):
        st.subheader("项目概况", anchor=False)
        st.badge(f"复核等级 {badge.label}", color=badge.color)
    cards = st.grid(2, min_column_width=380, gap="medium")  # stacks on a tablet
    with cards.container(border=True):
        facts = pd.DataFrame(
            {
                "项目": [
                    "年度",
                    "部门",
                    "项目名称",
                    "主管部门",
                    "实施单位",
                    "评价类型",
                    "评分规则",
                    "自评等级",
                    "数据版本",
                    "上传人",
                    "上传时间",
                ],
                "内容": [
                    f"{row['year']}年",
                    row["department"],
                    row["project"],
                    row["authority"],
                    row["implementer"],
                    row["kind"],
                    row["rule_set"],
                    row["grade_reported"],
                    f"第 {row['version']} 版",
                    row["uploaded_by"],
                    str(row["uploaded_at"])[:19],
                ],
            }
        )
        st.dataframe(
            facts,
            hide_index=True,
            width="stretch",
            height=2 + 35 * (len(facts) + 1),
            alt="项目基本信息",
        )
    with cards.container(border=True):
        st.markdown("**扣分最多的指标**")
        lines = common.numeric(data.indicator_lines(f), ["weight", "score_computed", "lost_points"])
        lost = lines[lines["counted"].astype(bool) & (lines["lost_points"] > 0.005)]
        if lost.empty:
            st.success("全部指标均得满分。", icon=":material/check_circle:")
        else:
            st.dataframe(
                lost.sort_values("lost_points", ascending=False)[
                    [
                        "name",
                        "target_raw",
                        "actual_raw",
                        "weight",
                        "score_computed",
                        "lost_points",
                        "deviation_reason",
                    ]
                ],
                hide_index=True,
                width="stretch",
                column_config={
                    "name": "三级指标",
                    "target_raw": "年度指标值",
                    "actual_raw": "实际完成值",
                    "weight": common.points("分值"),
                    "score_computed": common.points("复核得分"),
                    "lost_points": common.points("扣分"),
                    "deviation_reason": "偏差原因",
                },
                alt="扣分最多的指标",
            )
        counts = f"{row['n_errors']} 个错误、{row['n_warnings']} 个警告、{row['n_infos']} 个提示"
        st.caption(f"复核发现 {counts}。")
        st.page_link(
            "views/review.py",
            label="查看复核详情",
            icon=":material/fact_check:",
            query_params=data.filters_to_query(f),
        )
else:
    by = "department" if summary["n_departments"] > 1 else "project"
    with st.container(border=True):
        head, order = st.columns([3, 2], vertical_alignment="bottom")
        head.markdown("**排名（按复核得分）**")
        worst_first = (
            order.segmented_control(
                "排序",
                ["得分最高", "得分最低"],
                default="得分最高",
                key="overview_league_order",
                label_visibility="collapsed",
            )
            == "得分最低"
        )
        league = data.table(
            "evaluation_page",
            f,
            _league,
            sort="worst" if worst_first else "best",
            limit=common.PAGE_ROWS,
        )
        st.dataframe(
            league,
            hide_index=True,
            width="stretch",
            # What the ranking is about comes first and the project stays in view: eleven
            # columns scroll sideways on a laptop, the funds columns go out of sight first.
            column_config={
                "rank": st.column_config.NumberColumn("排名", width=48, pinned=True),
                "year": st.column_config.NumberColumn("年度", format="%d", width=56),
                "department": "部门",
                "project": st.column_config.TextColumn("项目", pinned=True),
                "annual_budget": common.money("全年预算"),
                "execution_rate": common.percent("执行率", width=80),
                "total_reported": common.points("自评得分", width=72),
                "total_computed": common.points("复核得分", width=72),
                "gap": common.points("自评−复核", width=80),
                "grade_computed": st.column_config.TextColumn("复核等级", width=72),
                "issues": st.column_config.TextColumn("问题", width=96),
            },
            alt="各评价按复核得分排名",
        )
        total = int(summary["n_evaluations"])
        common.rows_caption(
            total, league.num_rows, "得分最低的在前" if worst_first else "得分最高的在前"
        )
        common.csv_button("evaluations", f, total, "各评价得分.csv")
    groups = int(summary["n_departments"] if by == "department" else summary["n_projects"])
    noun = "部门" if by == "department" else "项目"
    with st.grid(2, min_column_width=420, gap="medium"):
        with st.container(border=True):
            counts = data.view("grade_counts", f, by=by, limit=MAX_GROUPS)
            common.chart("复核等级分布", charts.grade_distribution, counts, by=by)
            if groups > MAX_GROUPS:
                st.caption(f"共 {groups:,} 个{noun}，图中为平均复核得分最低的 {MAX_GROUPS} 个。")
        with st.container(border=True):
            gaps = data.view("evaluation_page", f, sort="widest_gap", limit=MAX_GAPS)
            common.chart("各评价自评得分与复核得分对照", charts.score_gaps, gaps)
            if summary["n_evaluations"] > MAX_GAPS:
                st.caption(
                    f"共 {summary['n_evaluations']:,} 个评价，图中为自评与复核相差最大的 "
                    f"{MAX_GAPS} 个。"
                )
