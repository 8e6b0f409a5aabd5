"""指标得分: the indicator tree 一级 → 二级 → 三级 and the table of targets, actuals, reported and
computed scores, with the rows where they disagree highlighted.

Across many evaluations the tree stops at 二级 (sums made in DuckDB) and the table is a bounded
page, most points lost first; one evaluation shows its full tree and its lines in table order.
"""

from __future__ import annotations

import pandas as pd
import pyarrow.compute as pc
import streamlit as st

from dashboard import charts, data, fold
from dashboard import format as fmt
from dashboard.views import common

HIGHLIGHT_ROWS = 60  # a single evaluation's lines, or a few evaluations'

LINE_COLUMNS = [
    "level1",
    "level2",
    "name",
    "target_raw",
    "actual_raw",
    "weight",
    "score_reported",
    "score_computed",
    "lost_points",
    "deviation_reason",
    "rule",
    "explanation",
    "differs",
]


def _lines_table(page: pd.DataFrame) -> pd.DataFrame:
    """The table's columns of indicator lines: ⚠ where the scores disagree, scores as numbers,
    rules by their label."""
    page["check"] = page["differs"].map({True: "⚠ 不一致"}).fillna("")
    table = common.numeric(
        page[["check", "year", "department", "project", *LINE_COLUMNS]],
        ["weight", "score_reported", "score_computed", "lost_points"],
    )
    table["rule"] = table["rule"].map(fmt.rule_label)
    return table


f, summary = common.scope()
st.caption(common.scope_caption(summary))
lines = data.indicator_summary(f)
if lines["n_lines"] == 0:
    st.info("所选评价没有指标数据。", icon=":material/info:")
    st.stop()
several = bool(summary["n_evaluations"] > 1)

with st.grid(4, min_column_width=200, gap="small"):
    st.metric("三级指标", f"{lines['n_counted']:,} 项", border=True, height="stretch")
    for label, column in (("指标分值合计", "weight"), ("复核扣分合计", "lost_points")):
        st.metric(
            label,
            fmt.card_points(lines[column]),
            border=True,
            height="stretch",
            help=f"精确值：{fmt.score(lines[column])} 分",
        )
    st.metric(
        "自评与复核不一致",
        f"{lines['n_differs']:,} 项",
        border=True,
        height="stretch",
        help="自评得分与按规则复核得分相差超过 0.005 分的指标。",
    )

fold.here()
with st.container(border=True):
    if several:
        common.chart(
            "指标结构旭日图（一级、二级指标合计）：面积为分值，颜色为复核得分率",
            charts.indicator_tree,
            data.view("indicator_levels", f),
        )
        st.caption("多个评价时按一级、二级指标合计；只选一个评价可看到每个三级指标。")
    else:
        common.chart(
            "指标结构旭日图：面积为分值，颜色为复核得分率",
            charts.indicator_tree,
            data.indicator_lines(f),
        )

with st.container(border=True):
    head, toggle = st.columns([3, 2], vertical_alignment="bottom")
    head.markdown("**指标明细**（标 ⚠ 的行：自评得分与复核得分不一致）")
    only_differs = toggle.toggle("只看不一致的指标", key="indicators_only_differs")
    named, searched = None, ""
    if several:
        # Many evaluations: the lines of one kind of indicator across them (满意度, 培训 …),
        # bound to the URL so that a reviewer can send the list.
        searched = st.text_input(
            "三级指标名称包含",
            key=common.INDICATOR_SEARCH,
            bind="query-params",
            max_chars=50,
            placeholder="如：满意度、培训",
            width=360,
            help="只看名称中含有这段文字的三级指标（繁体与简体、全角与半角、大小写都算相同）；清空可看全部指标。",
        ).strip()
    else:
        # One evaluation: its lines can be narrowed to one 三级指标, bound to the URL, so a
        # link from 复核 opens the line its finding is about.
        every_line = data.indicator_lines(f)
        named = st.selectbox(
            "三级指标",
            list(dict.fromkeys(every_line["name"].dropna())),
            index=None,
            placeholder="全部三级指标",
            key=common.INDICATOR,
            bind="query-params",
            width=360,
            help="只看一个三级指标；复核页问题清单中的链接会直接选好问题所在的指标。",
        )
    if named is None:
        table = data.table(
            "indicator_page",
            f,
            _lines_table,
            limit=common.PAGE_ROWS,
            only_differs=only_differs,
            worst_first=several,
            name_contains=searched,
        )
        if searched and table.num_rows == 0:
            words = f"名称包含「{fmt.md_escape(searched)}」的三级指标"
            st.info(
                f"{words}中没有自评与复核不一致的。" if only_differs else f"没有{words}。",
                icon=":material/search_off:",
            )
        shown = table.num_rows
        differs = pc.any(table["differs"]).as_py()
    else:
        page = every_line[every_line["name"] == named]
        if only_differs:
            page = page[page["differs"].astype(bool)]
        st.caption(f"只显示三级指标「{fmt.md_escape(named)}」；清空上面的选择可看全部指标。")
        table = _lines_table(page)
        shown = len(table)
        differs = bool(table["differs"].any())
    columns = ["check"] + (["year", "department", "project"] if several else []) + LINE_COLUMNS

    def _highlight(frame: pd.DataFrame) -> pd.DataFrame:
        """One CSS string per cell, whole rows at once (a row-wise apply costs far more)."""
        css = frame["differs"].map({True: "background-color: #FEF3C7"}).fillna("")
        return pd.DataFrame({column: css for column in frame.columns}, index=frame.index)

    # Rows that disagree also get a yellow background, where a table is short enough: through
    # pandas' Styler a 200-row page took 60 % of the page's server time (136 of 222 ms at 10^4
    # evaluations), so long pages keep the ⚠ column alone.
    if differs and shown <= HIGHLIGHT_ROWS:
        frame = table if isinstance(table, pd.DataFrame) else table.to_pandas()
        table = frame.style.apply(_highlight, axis=None)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * shown, 640),
        column_order=[c for c in columns if c != "differs"],
        column_config={
            "check": st.column_config.TextColumn("核对", pinned=True, width="small"),
            "year": st.column_config.NumberColumn("年度", format="%d"),
            "department": "部门",
            "project": "项目",
            "level1": "一级指标",
            "level2": "二级指标",
            "name": st.column_config.TextColumn("三级指标", pinned=True),
            "target_raw": "年度指标值",
            "actual_raw": "实际完成值",
            "weight": common.points("分值"),
            "score_reported": common.points("自评得分"),
            "score_computed": common.points("复核得分"),
            "lost_points": common.points("扣分"),
            "deviation_reason": st.column_config.TextColumn("偏差原因分析", width="medium"),
            "rule": "评分规则",
            "explanation": st.column_config.TextColumn("复核说明", width="large"),
        },
        alt="指标明细：目标、完成值、分值、自评与复核得分",
    )
    matched = data.indicator_summary(f, name_contains=searched) if searched else lines
    total = shown if named is not None else int(matched["n_differs" if only_differs else "n_lines"])
    common.rows_caption(total, shown, "扣分最多的在前" if several else "按表内顺序")
    common.csv_button(
        "indicator_lines",
        f,
        int(matched["n_lines"]),
        "指标明细.csv",
        name_contains=searched,
    )
