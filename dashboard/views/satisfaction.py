"""满意度与成本: satisfaction indicators against their targets and cost indicators against their
caps (bullet gauges in each indicator's own unit), and their spread across projects and years."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data
from dashboard.views import common

MAX_BULLETS = 8

f, evaluations = common.scope()
st.caption(common.scope_caption(evaluations))
sections = (
    (
        "满意度指标",
        "满意度：完成值与目标",
        data.satisfaction_indicators(f),
        "所选评价没有满意度指标。",
    ),
    ("成本指标", "成本：实际与上限（≤）", data.cost_indicators(f), "所选评价没有成本指标。"),
)


def _plottable(frame: pd.DataFrame) -> pd.DataFrame:
    numbers = common.numeric(frame, ["target_number", "actual_number"])
    return frame[numbers["target_number"].notna() & numbers["actual_number"].notna()]


columns = st.columns(2, gap="medium")
for column, (title, chart_title, rows, empty_text) in zip(columns, sections, strict=True):
    with column, st.container(border=True):
        st.markdown(f"**{title}**")
        if rows.empty:
            st.info(empty_text, icon=":material/info:")
            continue
        plottable = _plottable(rows)
        if plottable.empty:
            st.caption("这些指标的目标或完成值不是数字，无法作图，见下表。")
        else:
            common.chart(charts.target_bullets(plottable, chart_title, MAX_BULLETS), chart_title)
            skipped = len(rows) - min(len(plottable), MAX_BULLETS)
            if skipped > 0:
                st.caption(f"另有 {skipped} 项未作图（数量较多或不是数字），均在下表中。")
        if len(plottable) > 1 and (rows["project"].nunique() > 1 or rows["year"].nunique() > 1):
            common.chart(
                charts.achievement_spread(plottable, f"{title}在各项目、各年度的分布"),
                f"{title}完成值与目标之比的分布",
            )
        table = common.numeric(rows, ["weight", "score_reported", "score_computed"])
        st.dataframe(
            table[
                [
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
            ],
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
