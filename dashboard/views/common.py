"""Pieces every page shares: the page's scope (or a helpful stop), the empty-store page, and
column formats for tables. Not a page itself: `app.py` does not list it."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import data, login
from perfcore.queries import Filters

UPLOAD_PAGE = "views/upload.py"


def empty_store() -> None:
    """What a first visitor sees instead of empty charts: where to start."""
    with st.container(border=True):
        st.subheader("还没有任何绩效自评数据", anchor=False)
        st.write(
            "上传《项目支出绩效自评表》后，这里会显示资金执行、指标得分、满意度与成本，"
            "以及自评得分与按规则复核得分的差异。"
        )
        st.markdown(
            "1. 在「数据上传」页下载模板（评价信息、资金、指标、支出明细四张表，或一个 Excel 工作簿）；\n"
            "2. 按模板填好后拖入上传框，先看预览中的问题与得分；\n"
            "3. 没有错误即可确认保存，看板随即更新。"
        )
        access = login.current_access()
        if access is not None and access.can_upload:
            st.page_link(UPLOAD_PAGE, label="去上传数据", icon=":material/upload_file:")
        else:  # the upload page is not registered for viewers
            st.caption("您的账号只能查看；请联系有上传权限的同事上传数据。")
    st.caption("No data yet: upload the self-evaluation tables on the 数据上传 page.")


def scope() -> tuple[Filters, pd.DataFrame]:
    """This rerun's filters and the evaluations they select; stops the page with a helpful
    message when the store is empty or nothing matches."""
    if data.is_empty():
        empty_store()
        st.stop()
    f = data.current_filters()
    if f.as_of is not None:
        pinned_note(f)
    evaluations = data.evaluations(f)
    if evaluations.empty:
        st.info(
            "没有符合当前筛选条件的评价。请在左侧调整筛选，或点击「清除筛选」。",
            title="没有匹配的数据",
            icon=":material/filter_alt_off:",
        )
        st.stop()
    return f, evaluations


def pinned_note(f: Filters) -> None:
    """Say that a pinned link shows a snapshot; when newer data exists, say so and link to it."""
    latest = data.data_version()
    if f.as_of is None or f.as_of >= latest:
        st.info(
            f"这是数据版本 {f.as_of} 时的快照（固定链接），目前没有更新的数据。",
            icon=":material/push_pin:",
        )
        return
    st.warning(
        f"这是数据版本 {f.as_of} 时的快照（固定链接），数字保持分享时的样子。"
        f"此后已有更新的数据（当前版本 {latest}）。"
        "  \nA snapshot of an earlier data version; newer data exists.",
        icon=":material/update:",
    )
    here = (st.context.url or "").split("?")[0]
    st.link_button(
        "查看最新数据",
        here + data.link("", replace(f, as_of=None)).removeprefix("./"),
        icon=":material/arrow_forward:",
    )


def numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Decimal columns as floats so st.dataframe formats and sorts them as numbers."""
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column].astype(object), errors="coerce").astype(float)
    return out


def as_percent(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Fractions (1.0 = 100 %) as percentage numbers for a `%.2f%%` column."""
    out = numeric(frame, columns)
    for column in columns:
        out[column] = out[column] * 100
    return out


def money(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%.2f 万元")


def percent(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%.2f%%")


def points(label: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%.2f")


def scope_caption(evaluations: pd.DataFrame) -> str:
    """`3 个评价 · 2 个部门 · 2021–2022 年` as plain text for st.caption (no user text in it)."""
    years = sorted(evaluations["year"].unique())
    span = f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"
    return (
        f"{len(evaluations)} 个评价 · {evaluations['department'].nunique()} 个部门 · "
        f"{evaluations['project'].nunique()} 个项目 · {span}"
    )


def chart(figure: object, alt: str) -> None:
    """A plotly figure at full width, without plotly's logo in the mode bar."""
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False}, alt=alt)
