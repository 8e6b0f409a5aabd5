"""满意度与成本: satisfaction indicators against their targets and cost indicators against their
caps (bullet gauges in each indicator's own unit), and their spread across projects and years.

Gauges and tables show the lines that lost the most points first (bounded pages read from
DuckDB); the spread is drawn point by point while there are few lines and as boxes from
quartiles computed in DuckDB when there are many."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data
from dashboard.views import common
from perfcore import queries

MAX_BULLETS = 8
MAX_POINTS = 300  # beyond this the spread is drawn from quartiles, not points
MAX_NAMES = 12  # indicator names in the quartile boxes

LINE_COLUMNS = [
    "year",
    "project",
    "name",
    "target_raw",
    "actual_raw",
    "weight",
    "score_reported",
    "score_computed",
    "deviation_reason",
]


def _lines_table(page: pd.DataFrame) -> pd.DataFrame:
    """The table's columns of indicator lines, their scores as numbers."""
    return common.numeric(page, ["weight", "score_reported", "score_computed"])[LINE_COLUMNS]


f, summary = common.scope()
st.caption(common.scope_caption(summary))
several = bool(summary["n_evaluations"] > 1)
sections = (
    (
        "满意度指标",
        "满意度：完成值与目标",
        queries.SATISFACTION,
        "satisfaction_indicators",
        "所选评价没有满意度指标。",
    ),
    (
        "成本指标",
        "成本：实际与上限（≤）",
        queries.COST,
        "cost_indicators",
        "所选评价没有成本指标。",
    ),
)


def _spread(title: str, level2: str, n_numeric: int, page: pd.DataFrame) -> None:
    alt = f"{title}完成值与目标之比的分布"
    chart_title = f"{title}在各项目、各年度的分布"
    if n_numeric <= MAX_POINTS:
        points = (
            page  # the table's page already holds every line
            if len(page) < common.PAGE_ROWS
            else data.indicator_page(f, limit=MAX_POINTS, level2=level2, numeric_only=True)
        )
        common.chart(alt, charts.achievement_spread, points, chart_title)
        return
    stats = data.view("achievement_quartiles", f, level2=level2, names=MAX_NAMES)
    common.chart(alt, charts.achievement_boxes, stats, chart_title)
    st.caption(
        f"共 {n_numeric:,} 项，按年度与指标名称画出四分位箱线（最常见的 {MAX_NAMES} 个名称）。"
    )


def _bullets(level2: str, page: pd.DataFrame) -> pd.DataFrame:
    """The MAX_BULLETS numeric lines that lost the most points. The table's page is in the same
    order, so its numeric rows are those lines whenever it holds enough of them (or all rows);
    only otherwise is DuckDB asked again."""
    numeric = page[page["target_number"].notna() & page["actual_number"].notna()]
    if len(numeric) >= MAX_BULLETS or len(page) < common.PAGE_ROWS:
        return numeric.head(MAX_BULLETS)
    return data.indicator_page(
        f, limit=MAX_BULLETS, level2=level2, numeric_only=True, worst_first=several
    )


# Side by side on a desktop, one above the other on a tablet (st.columns never stacks, and
# at 1024 px the gauges' labels and values were cut off).
sections_grid = st.grid(2, min_column_width=420, gap="medium")
for title, chart_title, level2, export, empty_text in sections:
    with sections_grid.container(border=True):
        st.markdown(f"**{title}**")
        counts = data.indicator_summary(f, level2)
        if counts["n_lines"] == 0:
            st.info(empty_text, icon=":material/info:")
            continue
        n_numeric = int(counts["n_numeric"])
        page = data.indicator_page(f, limit=common.PAGE_ROWS, level2=level2, worst_first=several)
        if n_numeric == 0:
            st.caption("这些指标的目标或完成值不是数字，无法作图，见下表。")
        else:
            common.chart(
                chart_title, charts.target_bullets, _bullets(level2, page), chart_title, MAX_BULLETS
            )
            skipped = int(counts["n_lines"]) - min(n_numeric, MAX_BULLETS)
            if skipped > 0:
                st.caption(
                    f"另有 {skipped:,} 项未作图（数量较多或不是数字），"
                    "图中为扣分最多的几项，全部见下表与下载。"
                )
        if n_numeric > 1 and (counts["n_projects"] > 1 or counts["n_years"] > 1):
            _spread(title, level2, n_numeric, page)
        table = data.table(
            "indicator_page",
            f,
            _lines_table,
            limit=common.PAGE_ROWS,
            level2=level2,
            worst_first=several,
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={
                "year": st.column_config.NumberColumn("年度", format="%d"),
                "project": "项目",
                "name": "三级指标",
                "target_raw": "目标",
                "actual_raw": "实际",
                "weight": common.points("分值"),
                "score_reported": common.points("自评"),
                "score_computed": common.points("复核"),
                "deviation_reason": "偏差原因",
            },
            alt=f"{title}明细",
        )
        total = int(counts["n_lines"])
        common.rows_caption(total, table.num_rows, "扣分最多的在前" if several else "按表内顺序")
        common.csv_button(export, f, total, f"{title}.csv")
