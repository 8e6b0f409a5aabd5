"""Pieces every page shares: the page's scope (or a helpful stop), the empty-store page, column
formats, and the bounded-table caption with its on-demand CSV download. Not a page itself:
`app.py` does not list it.

Pages never hold every row of a province: tables show a bounded page of PAGE_ROWS rows in a
stated order, say how many rows there are, and offer the full filtered rows as a CSV that is
written only when the download button is clicked.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from typing import Final, Literal

import pandas as pd
import streamlit as st

from dashboard import data, login
from dashboard import format as fmt
from perfcore.queries import Filters

UPLOAD_PAGE = "views/upload.py"
# The 指标得分 page's own URL parameter (a widget bound to it): one 三级指标 of one evaluation,
# so a link from 复核 opens the line a finding is about.
INDICATOR: Final = "indicator"
# Its parameter for many evaluations: the lines whose 三级指标 contains this text.
INDICATOR_SEARCH: Final = "indicator_search"
PAGE_ROWS: Final = 200  # rows a table shows; the rest is in the CSV download
MAX_EXPORT_ROWS: Final = 500_000  # beyond this a CSV would not fit the server's memory budget
CSV_HEADERS: Final = {
    "evaluation_id": "评价编号",
    "year": "年度",
    "department": "部门",
    "project": "项目名称",
    "authority": "主管部门",
    "implementer": "实施单位",
    "kind": "评价类型",
    "version": "版本",
    "rule_set": "评分规则",
    "own_rule_set": "自带评分规则",
    "source": "资金来源",
    "item": "明细项目",
    "share": "占支出比例",
    "initial_budget": "年初预算数（万元）",
    "annual_budget": "全年预算数（万元）",
    "executed": "全年执行数（万元）",
    "execution_rate": "执行率",
    "execution_rate_reported": "执行率（填报）",
    "funds_weight": "资金执行分值",
    "funds_score_reported": "资金执行自评得分",
    "funds_score_computed": "资金执行复核得分",
    "total_reported": "自评总分",
    "total_computed": "复核总分",
    "total_delta": "复核−自评",
    "grade_reported": "自评等级",
    "grade_reported_canonical": "自评等级（规范）",
    "grade_computed": "复核等级",
    "n_errors": "错误数",
    "n_warnings": "警告数",
    "n_infos": "提示数",
    "uploaded_by": "上传人",
    "uploaded_at": "上传时间",
    "line_no": "行序",
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target_raw": "年度指标值",
    "actual_raw": "实际完成值",
    "weight": "分值",
    "score_reported": "自评得分",
    "score_computed": "复核得分",
    "lost_points": "扣分",
    "differs": "自评与复核不一致",
    "rule": "评分规则类型",
    "explanation": "复核说明",
    "deviation_reason": "偏差原因分析及改进措施",
    "method": "评分方法",
    "severity": "严重程度",
    "code": "问题代码",
    "message": "说明",
    "message_en": "English",
    "file": "文件",
    "row": "行",
    "column": "列",
    "indicator_name": "指标",
}


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


def scope() -> tuple[Filters, pd.Series]:
    """This rerun's filters and the summary of the evaluations they select (see
    `data.evaluation_summary`); stops the page with a helpful message when the store is empty
    or nothing matches."""
    if data.is_empty():
        empty_store()
        st.stop()
    f = data.current_filters()
    if f.as_of is not None:
        pinned_note(f)
    else:
        stale_note()
    summary = data.evaluation_summary(f)
    if summary["n_evaluations"] == 0:
        st.info(
            "没有符合当前筛选条件的评价。请在左侧调整筛选，或点击「清除筛选」。",
            title="没有匹配的数据",
            icon=":material/filter_alt_off:",
        )
        st.stop()
    return f, summary


def stale_note() -> None:
    """Warn when computed scores on show were made by an older scoring engine (the program was
    upgraded without `perfcore seed`, which rescores them)."""
    stale = data.stale_rule_sets()
    if not stale:
        return
    names = "、".join(stale)
    st.warning(
        f"部分复核得分（规则：{fmt.md_escape(names)}）由旧版评分程序计算，可能与现行规则不一致。"
        "管理员可在「数据上传」页更新，或在服务器上运行 `python -m perfcore seed`。"
        "  \nSome computed scores were made by an older scoring engine.",
        icon=":material/history:",
    )


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
    st.button(
        "查看最新数据",
        icon=":material/arrow_forward:",
        key="pinned_to_latest",
        on_click=data.unpin,
        help="离开固定链接，显示当前最新的数据（筛选保持不变）。",
    )


def numeric(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Decimal columns as floats so st.dataframe formats and sorts them as numbers. Columns a
    query already gives as floats are left as they are (converting them anyway cost 3.4 ms of a
    rerun for the 总览 ranking); the shallow copy is safe to change, pandas copies on write."""
    out = frame.copy(deep=False)
    for column in columns:
        if not pd.api.types.is_float_dtype(out[column]):
            out[column] = pd.to_numeric(out[column].astype(object), errors="coerce").astype(float)
    return out


def as_percent(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Fractions (1.0 = 100 %) as percentage numbers for a `%.2f%%` column."""
    out = numeric(frame, columns)
    for column in columns:
        out[column] = out[column] * 100
    return out


Width = Literal["small", "medium", "large"] | int  # st.column_config widths


def money(label: str, width: Width | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%,.2f 万元", width=width)


def percent(label: str, width: Width | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%.2f%%", width=width)


def points(label: str, width: Width | None = None) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format="%,.2f", width=width)


def scope_caption(summary: pd.Series) -> str:
    """`3 个评价 · 2 个部门 · 2021–2022 年` as plain text for st.caption (no user text in it)."""
    first, last = int(summary["first_year"]), int(summary["last_year"])
    span = f"{first}年" if first == last else f"{first}–{last}年"
    return (
        f"{summary['n_evaluations']:,} 个评价 · {summary['n_departments']:,} 个部门 · "
        f"{summary['n_projects']:,} 个项目 · {span}"
    )


def rows_caption(total: int, shown: int, order: str) -> None:
    """「共 N 行，显示前 200 行（order）」 under a bounded table, or just the count."""
    if total > shown:
        st.caption(f"共 {total:,} 行，显示前 {shown:,} 行（{order}）。完整数据请下载 CSV。")
    else:
        st.caption(f"共 {total:,} 行。")


def csv_button(
    name: str,
    f: Filters,
    total: int,
    file_name: str,
    headers: Mapping[str, str] = CSV_HEADERS,
    name_contains: str = "",
) -> None:
    """A download of every filtered row of page query `name` (only the lines whose 三级指标
    contains `name_contains`, when given), written only when clicked."""
    if total > MAX_EXPORT_ROWS:
        st.caption(
            f"共 {total:,} 行，超过单次下载上限 {MAX_EXPORT_ROWS:,} 行，请先缩小筛选范围再下载。"
            "  \nToo many rows for one download: narrow the filters first."
        )
        return
    st.download_button(
        f"下载全部 {total:,} 行（CSV）",
        data=data.csv_export(name, f, headers, name_contains),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=f"csv_{name}",
        on_click="ignore",
    )


def _content_key(value: pd.DataFrame | pd.Series) -> tuple:
    """A frame's cache key from its content: labels, dtypes, and the pickle of its index and
    cells as Python values. Equal content gives equal bytes (a copy, or a fresh query's result:
    a frame's own pickle differs between copies), and different cells never share a key.
    0.12 ms for a 15-row summary, where pandas' row hashes took 1.4 ms and Streamlit's own
    hashing of Arrow-backed columns 4–5 ms, on every chart of every rerun."""
    labels = (value.name,) if isinstance(value, pd.Series) else tuple(value.columns)
    dtypes = (value.dtype,) if isinstance(value, pd.Series) else tuple(value.dtypes)
    cells = [value.index.tolist(), value.to_numpy(dtype=object).tolist()]
    return (
        tuple(map(str, labels)),
        tuple(map(str, dtypes)),
        pickle.dumps(cells, protocol=pickle.HIGHEST_PROTOCOL),
    )


def _view_key(view: data.View) -> str:
    return view.key


@st.cache_resource(
    show_spinner=False,
    max_entries=256,
    hash_funcs={pd.DataFrame: _content_key, pd.Series: _content_key, data.View: _view_key},
)
def _figure(*, name: str, _builder: Callable[..., object], args: tuple, kwargs: tuple) -> object:
    # `name` stands for the builder in the cache key (Streamlit does not hash functions). A
    # data.View is keyed by its query and read only here, when the figure is built. Drawn only
    # when `_chart_element` misses, so st.plotly_chart's copy of it is made once per element.
    frames = (arg.frame() if isinstance(arg, data.View) else arg for arg in args)
    return _builder(*frames, **dict(kwargs))


@st.cache_resource(
    show_spinner=False,
    max_entries=256,
    hash_funcs={pd.DataFrame: _content_key, pd.Series: _content_key, data.View: _view_key},
)
def _chart_element(
    *, name: str, _builder: Callable[..., object], args: tuple, kwargs: tuple, alt: str
) -> None:
    # Streamlit keeps the chart message this draws and, on a hit, sends it again without
    # calling st.plotly_chart: serialising a figure to JSON took 1.4 ms a chart on every rerun
    # (0.3 ms replayed, measured in a script run).
    figure = _figure(name=name, _builder=_builder, args=args, kwargs=kwargs)
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False}, alt=alt)


def chart(alt: str, builder: Callable[..., object], *args: object, **kwargs: object) -> None:
    """The plotly figure `builder(*args, **kwargs)` at full width, without plotly's logo; an
    argument that is a `data.View` reaches the builder as its frame.

    Built and serialised once per distinct input and kept (a rerun with the same data, in any
    session, sends the same chart again: building a figure costs more than the rest of a warm
    rerun). Sharing is safe: the key is the data itself (or the query that gives it), and
    st.plotly_chart serialises a copy, never changing the figure.
    """
    key = f"{builder.__module__}.{builder.__qualname__}"
    _chart_element(
        name=key, _builder=builder, args=args, kwargs=tuple(sorted(kwargs.items())), alt=alt
    )
