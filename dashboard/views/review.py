"""复核: every finding across the filtered evaluations, grouped by severity and code, each with a
link to its evaluation's indicator page; where self-scores and the rules disagree, in plain words."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, data
from dashboard import format as fmt
from dashboard.views import common
from perfcore.codes import CODES
from perfcore.queries import Filters

SEVERITY_ICONS = {
    "error": ":material/error:",
    "warning": ":material/warning:",
    "info": ":material/info:",
}

f, evaluations = common.scope()
st.caption(common.scope_caption(evaluations))
found = data.findings(f)
scores = common.numeric(evaluations, ["total_reported", "total_computed"])
gap = scores["total_reported"] - scores["total_computed"]
inflated, deflated = scores[gap > 0.005], scores[gap < -0.005]
counts = found["severity"].value_counts()

with st.grid(4, min_column_width=200, gap="small"):
    st.metric(
        "错误",
        f"{counts.get('error', 0)} 条",
        border=True,
        height="stretch",
        help="错误会阻止保存；已保存的数据中通常没有错误。",
    )
    st.metric("警告", f"{counts.get('warning', 0)} 条", border=True, height="stretch")
    st.metric("提示", f"{counts.get('info', 0)} 条", border=True, height="stretch")
    st.metric(
        "自评高于复核的评价",
        f"{len(inflated)} 个",
        border=True,
        height="stretch",
        help="自评总分比按规则复核的总分高 0.01 分以上。",
    )

with st.container(border=True):
    st.markdown("**自评得分与复核得分**")
    if inflated.empty and deflated.empty:
        st.success("所有评价的自评总分都与按规则复核的总分一致。", icon=":material/check_circle:")
    else:
        words = []
        if not inflated.empty:
            words.append(
                f"{len(inflated)} 个评价的自评总分高于复核总分，平均高 {gap[gap > 0.005].mean():.2f} 分，"
                f"最多高 {gap.max():.2f} 分。自评偏高可能是自评虚高：单位给自己打的分超过了按公开规则"
                "应得的分，值得逐项核对。"
            )
        if not deflated.empty:
            words.append(
                f"{len(deflated)} 个评价的自评总分低于复核总分（最多低 {-gap.min():.2f} 分），"
                "可能是漏记得分或扣分过严。"
            )
        st.write("\n\n".join(words))
    common.chart(charts.score_gaps(evaluations), "各评价自评得分与复核得分对照")

too_low = found[found["code"] == "TARGET_TOO_LOW"]
if not too_low.empty:
    with st.container(border=True):
        st.markdown("**目标设定偏低**")
        st.write(
            f"{len(too_low)} 项指标的实际完成值远远超过年初设定的目标。完成得好本身不是问题，"
            "但超出太多通常说明年初目标定得太低、太容易达到，这样的指标拿满分说明不了绩效。"
            "按财预〔2020〕10号，应分析原因；确属目标偏低的，应适度调减该指标得分，"
            "并在下一年度把目标定得更实。系统只提示，不自动扣分。"
        )

if found.empty:
    st.success("筛选范围内没有任何问题。", icon=":material/check_circle:")
    st.stop()

with st.container(border=True):
    common.chart(charts.findings_by_code(found), "问题分布，按类型与严重程度")


def _evaluation_link(row: pd.Series) -> str | None:
    if pd.isna(row["year"]):
        return None
    one = Filters(
        years=(int(row["year"]),),
        departments=(row["department"],),
        projects=(row["project"],),
        rule_set=f.rule_set,
        as_of=f.as_of,
    )
    return data.link("indicators", one)


def _location(row: pd.Series) -> str:
    parts = []
    if isinstance(row["file"], str) and row["file"]:
        parts.append(f"文件「{row['file']}」")
    if not pd.isna(row["row"]):
        parts.append(f"第 {int(row['row'])} 行")
    if isinstance(row["column"], str) and row["column"]:
        parts.append(f"「{row['column']}」列")
    return "，".join(parts)


st.subheader("问题清单（按严重程度与类型）", anchor=False)
order = {"error": 0, "warning": 1, "info": 2}
groups = (
    found.groupby(["severity", "code"])
    .size()
    .rename("n")
    .reset_index()
    .assign(rank=lambda g: g["severity"].map(order))
    .sort_values(["rank", "n"], ascending=[True, False])
)
for group in groups.itertuples(index=False):
    rows = found[(found["severity"] == group.severity) & (found["code"] == group.code)]
    spec = CODES.get(group.code)
    title = spec.title if spec else group.code
    label = f"{charts.SEVERITY_ZH[group.severity]} · {title}（{group.n} 条）"
    with st.expander(
        label, icon=SEVERITY_ICONS[group.severity], key=f"review_{group.code}_{group.severity}"
    ):
        if spec:
            st.caption(f"{spec.explain}  \n{spec.title_en} ({group.code})")
        table = pd.DataFrame(
            {
                "evaluation": [
                    fmt.evaluation_label(y, d, p) if not pd.isna(y) else "（上传文件）"
                    for y, d, p in zip(
                        rows["year"], rows["department"], rows["project"], strict=True
                    )
                ],
                "indicator": rows["indicator_name"].fillna(""),
                "message": rows["message"],
                "location": [_location(r) for _, r in rows.iterrows()],
                "message_en": rows["message_en"],
                "link": [_evaluation_link(r) for _, r in rows.iterrows()],
            }
        )
        st.dataframe(
            table,
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
            alt=f"{title}：逐条问题",
        )
