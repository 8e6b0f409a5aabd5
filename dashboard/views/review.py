"""复核: every finding across the filtered evaluations, grouped by severity and code, each with a
link to its evaluation's indicator page (showing the 三级指标 it names, if any); where self-scores
and the rules disagree, in plain words.

Counts come from DuckDB per severity and code; each group lists its first PAGE_ROWS findings
and the whole list is a CSV download, so a province's tens of thousands of findings never pass
through pandas row by row."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import charts, data, fold
from dashboard import format as fmt
from dashboard.views import common
from perfcore.codes import CODES, SEVERITY_ZH
from perfcore.queries import Filters

SEVERITY_ICONS = {
    "error": ":material/error:",
    "warning": ":material/warning:",
    "info": ":material/info:",
}
MAX_GAPS = 30  # evaluations in the self-score chart

f, summary = common.scope()
st.caption(common.scope_caption(summary))
groups = data.findings_by_code(f)
counts = groups.groupby("severity")["n"].sum()
n_inflated, n_deflated = int(summary["n_inflated"]), int(summary["n_deflated"])

with st.grid(4, min_column_width=200, gap="small"):
    st.metric(
        "错误",
        f"{counts.get('error', 0):,} 条",
        border=True,
        height="stretch",
        help="错误会阻止保存；已保存的数据中通常没有错误。",
    )
    st.metric("警告", f"{counts.get('warning', 0):,} 条", border=True, height="stretch")
    st.metric("提示", f"{counts.get('info', 0):,} 条", border=True, height="stretch")
    st.metric(
        "自评高于复核的评价",
        f"{n_inflated:,} 个",
        border=True,
        height="stretch",
        help="自评总分比按规则复核的总分高 0.01 分以上。",
    )

fold.here()
with st.container(border=True):
    st.markdown("**自评得分与复核得分**")
    if n_inflated == 0 and n_deflated == 0:
        st.success("所有评价的自评总分都与按规则复核的总分一致。", icon=":material/check_circle:")
    else:
        words = []
        if n_inflated:
            words.append(
                f"{n_inflated:,} 个评价的自评总分高于复核总分，"
                f"平均高 {summary['mean_inflation']:.2f} 分，最多高 {summary['max_inflation']:.2f} 分。"
                "自评偏高可能是自评虚高：单位给自己打的分超过了按公开规则应得的分，值得逐项核对。"
            )
        if n_deflated:
            words.append(
                f"{n_deflated:,} 个评价的自评总分低于复核总分（最多低 {summary['max_deflation']:.2f} 分），"
                "可能是漏记得分或扣分过严。"
            )
        st.write("\n\n".join(words))
    gaps = data.view("evaluation_page", f, sort="widest_gap", limit=MAX_GAPS)
    common.chart("各评价自评得分与复核得分对照", charts.score_gaps, gaps)
    if summary["n_evaluations"] > MAX_GAPS:
        st.caption(
            f"共 {summary['n_evaluations']:,} 个评价，图中为自评与复核相差最大的 {MAX_GAPS} 个。"
        )

n_too_low = int(groups.loc[groups["code"] == "TARGET_TOO_LOW", "n"].sum())
if n_too_low:
    with st.container(border=True):
        st.markdown("**目标设定偏低**")
        st.write(
            f"{n_too_low:,} 项指标的实际完成值远远超过年初设定的目标。完成得好本身不是问题，"
            "但超出太多通常说明年初目标定得太低、太容易达到，这样的指标拿满分说明不了绩效。"
            "按财预〔2020〕10号，应分析原因；确属目标偏低的，应适度调减该指标得分，"
            "并在下一年度把目标定得更实。系统只提示，不自动扣分。"
        )

if groups.empty:
    st.success("筛选范围内没有任何问题。", icon=":material/check_circle:")
    st.stop()

with st.container(border=True):
    common.chart(
        "问题分布，按类型与严重程度", charts.findings_by_code, data.view("findings_by_code", f)
    )


def _evaluation_link(year: object, department: str, project: str, indicator: str) -> str | None:
    """The evaluation's 指标得分 page, showing only the finding's 三级指标 when it names one."""
    if pd.isna(year):
        return None
    one = Filters(
        years=(int(year),),
        departments=(department,),
        projects=(project,),
        rule_set=f.rule_set,
        as_of=f.as_of,
    )
    link = data.link("indicators", one)
    return f"{link}&{urlencode({common.INDICATOR: indicator})}" if indicator else link


def _location(file: object, row: object, column: object) -> str:
    parts = []
    if isinstance(file, str) and file:
        parts.append(f"文件「{file}」")
    if not pd.isna(row):
        parts.append(f"第 {int(row)} 行")
    if isinstance(column, str) and column:
        parts.append(f"「{column}」列")
    return "，".join(parts)


def _table(rows: pd.DataFrame) -> pd.DataFrame:
    """The shown columns of one group's (bounded) findings, with location and link."""
    places = list(zip(rows["year"], rows["department"], rows["project"], strict=True))
    indicators = rows["indicator_name"].fillna("").to_numpy()
    return pd.DataFrame(
        {
            "evaluation": [
                fmt.evaluation_label(y, d, p) if not pd.isna(y) else "（上传文件）"
                for y, d, p in places
            ],
            "indicator": indicators,
            "message": rows["message"].to_numpy(),
            "location": [
                _location(*where)
                for where in zip(rows["file"], rows["row"], rows["column"], strict=True)
            ],
            "message_en": rows["message_en"].to_numpy(),
            "link": [
                _evaluation_link(*place, indicator)
                for place, indicator in zip(places, indicators, strict=True)
            ],
        }
    )


head, download = st.columns([3, 2], vertical_alignment="bottom")
head.subheader("问题清单（按严重程度与类型）", anchor=False)
with download:
    common.csv_button("findings", f, int(groups["n"].sum()), "复核问题清单.csv")
found = data.findings_page(f, common.PAGE_ROWS)
for i, group in enumerate(groups.itertuples(index=False)):
    spec = CODES.get(group.code)
    label = f"{SEVERITY_ZH[group.severity]} · {group.title}（{group.n:,} 条）"
    # Only an open group builds its table (on_change="rerun" makes `open` known); the first,
    # most severe and most frequent, starts open.
    expander = st.expander(
        label,
        expanded=i == 0,
        icon=SEVERITY_ICONS[group.severity],
        key=f"review_{group.code}_{group.severity}",
        on_change="rerun",
    )
    if not expander.open:
        continue
    with expander:
        if spec:
            st.caption(f"{spec.explain}  \n{spec.title_en} ({group.code})")
        rows = found[(found["severity"] == group.severity) & (found["code"] == group.code)]
        st.dataframe(
            _table(rows),
            hide_index=True,
            width="stretch",
            column_config={
                "evaluation": "评价",
                "indicator": "指标",
                "message": st.column_config.TextColumn("说明", width="large"),
                "location": "位置",
                "message_en": st.column_config.TextColumn("English", width="medium"),
                "link": st.column_config.LinkColumn("查看", display_text="打开指标页"),
            },
            alt=f"{group.title}：逐条问题",
        )
        common.rows_caption(int(group.n), len(rows), "按年度、部门、项目排列")
