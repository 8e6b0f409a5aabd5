"""绩效自评看板 — the entry: page list, global filters in the sidebar, and the page's title.

Served by `streamlit run dashboard/serve.py` (`make run`), which runs this script; AppTest runs
it directly. The filters are widgets bound to the URL (`bind="query-params"`), so the address
bar always holds the current view and a copied link opens the same view; values a link names
that do not exist are reported, not raised.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from dashboard import data, errors, login, runslots
from dashboard import format as fmt

_PAGES_KEY: Final = "_perf_pages"


def _pages() -> list[StreamlitPage]:
    """The app's pages, made once per session: st.Page resolves its file and reads its icon
    each time, a twentieth of a warm rerun under fifty viewers (py-spy). Not shared between
    sessions, since st.navigation marks the page it picks on the object itself."""
    pages = st.session_state.get(_PAGES_KEY)
    if pages is None:
        pages = st.session_state[_PAGES_KEY] = [
            st.Page(
                "views/overview.py",
                title="总览",
                icon=":material/dashboard:",
                default=True,
                help="关键指标、各部门各项目排名与等级分布；只选一个项目时显示项目概况。",
            ),
            st.Page(
                "views/funds.py",
                title="资金执行",
                icon=":material/account_balance:",
                url_path="funds",
                help="预算桥（上年结转、年初预算、年中追加、全年预算、执行）、执行率与支出明细。",
            ),
            st.Page(
                "views/indicators.py",
                title="指标得分",
                icon=":material/account_tree:",
                url_path="indicators",
                help="一级、二级、三级指标结构，自评得分与复核得分逐项对照。",
            ),
            st.Page(
                "views/satisfaction.py",
                title="满意度与成本",
                icon=":material/sentiment_satisfied:",
                url_path="satisfaction",
                help="满意度指标与目标、成本指标与上限，以及它们在各项目、各年度的分布。",
            ),
            st.Page(
                "views/review.py",
                title="复核",
                icon=":material/fact_check:",
                url_path="review",
                help="筛选范围内的全部问题，按类型与严重程度分组，附通俗解释与链接。",
            ),
            st.Page(
                "views/upload.py",
                title="数据上传",
                icon=":material/upload_file:",
                url_path="upload",
                help="上传 CSV、Excel 或 ZIP，预览问题与得分后确认保存；查看上传历史、恢复旧版本、下载模板。",
            ),
        ]
    return pages


_LABELS = {
    data.YEAR: "年度",
    data.DEPARTMENT: "部门",
    data.PROJECT: "项目",
    data.GRADE: "等级",
    data.RULE_SET: "评分规则",
}


def _clear_filters() -> None:
    for key in (data.YEAR, data.DEPARTMENT, data.PROJECT, data.GRADE):
        st.session_state[key] = []
    st.session_state[data.RULE_SET] = data.OWN_RULES


_LINK_NOTE = "_unknown_link_values"  # ((page, address after the widgets), values) last noted


def _report_unknown_link_values(
    page_path: str, requested: dict[str, list[str]], choices: dict[str, list]
) -> None:
    unknown = data.unknown_link_values(requested, choices)
    as_of = st.query_params.get(data.AS_OF)
    if as_of is not None and data.parse_as_of(as_of) is None:
        unknown[data.AS_OF] = [as_of]
    # The widgets have dropped the values from the address by now, so a rerun of the same view
    # (the second run of a session's first page, dashboard/fold.py) would lose the note: it stays
    # until the visitor changes the view.
    view = (page_path, tuple((k, tuple(st.query_params.get_all(k))) for k in st.query_params))
    if unknown:
        st.session_state[_LINK_NOTE] = (view, unknown)
    elif (noted := st.session_state.get(_LINK_NOTE)) is not None and noted[0] == view:
        unknown = noted[1]
    else:
        st.session_state.pop(_LINK_NOTE, None)
    if unknown:
        listed = "；".join(
            f"{_LABELS.get(key, '数据版本')}「{'、'.join(values)}」"
            for key, values in unknown.items()
        )
        st.warning(
            fmt.md_escape(f"链接中的以下筛选条件在当前数据中不存在，已忽略：{listed}。")
            + "  \nSome filter values in this link do not exist and were ignored.",
            icon=":material/link_off:",
        )


def _sidebar_filters(offered: dict[str, list], linked_projects: list[str]) -> dict[str, list]:
    """The filter widgets; returns the choices each one offered, by its key (= URL parameter)."""
    rule_titles = dict(offered["rule_sets"])
    with st.sidebar:
        st.header("筛选", divider="gray")
        # No format_func on bound widgets: the URL carries the option as shown, so a year stays
        # `year=2022` and a rule set `rules=hubei`.
        st.multiselect(
            "年度", offered["years"], key=data.YEAR, bind="query-params", placeholder="全部年度"
        )
        st.multiselect(
            "部门",
            offered["departments"],
            key=data.DEPARTMENT,
            bind="query-params",
            placeholder="全部部门",
        )
        # Projects of the chosen years and departments only (a province has 10^5), plus the
        # ones a link or the current selection names, so they stay selected.
        projects, n_matching = data.project_options(
            st.session_state.get(data.YEAR) or (),
            st.session_state.get(data.DEPARTMENT) or (),
            [*linked_projects, *(st.session_state.get(data.PROJECT) or ())],
        )
        st.multiselect(
            "项目", projects, key=data.PROJECT, bind="query-params", placeholder="全部项目"
        )
        if n_matching > data.PROJECT_OPTIONS_LIMIT:
            st.caption(
                f"共 {n_matching:,} 个项目，上面只列出按名称排序的前 "
                f"{data.PROJECT_OPTIONS_LIMIT} 个；先选年度或部门可缩小范围。"
            )
        st.pills(
            "复核等级",
            offered["grades"],
            key=data.GRADE,
            bind="query-params",
            selection_mode="multi",
        )
        rule = st.selectbox(
            "评分规则",
            [data.OWN_RULES, *rule_titles],
            key=data.RULE_SET,
            bind="query-params",
            help="复核得分按所选规则重新计算；默认按每个评价上传时指定的规则。",
        )
        if rule in rule_titles:
            st.caption(fmt.md_escape(rule_titles[rule]))
        st.button(
            "清除筛选", icon=":material/filter_alt_off:", on_click=_clear_filters, width="stretch"
        )
        _share_box(data.current_filters())
    return {
        data.YEAR: offered["years"],
        data.DEPARTMENT: offered["departments"],
        data.PROJECT: projects,
        data.GRADE: offered["grades"],
        data.RULE_SET: [data.OWN_RULES, *rule_titles],
    }


SHARE_BOX = "share_box"  # session state: whether the 复制分享链接 popover is open


def _share_box(f: data.Filters) -> None:
    """The address of this exact view, and one pinned to today's data version.

    Written only while the popover is open (opening it reruns the page): every other rerun of
    every viewer would send its four elements for nothing, a tenth of the messages a rerun
    sends."""
    share = st.popover(
        "复制分享链接", icon=":material/share:", width="stretch", key=SHARE_BOX, on_change="rerun"
    )
    if not share.open:
        return
    here = (st.context.url or "").split("?")[0]
    pinned = replace(f, as_of=data.data_version())
    with share:
        st.caption("复制下面的链接发给他人，打开后显示同样的页面与筛选。")
        st.code(here + data.link("", f).removeprefix("./"), language=None, wrap_lines=True)
        st.caption(f"固定到当前数据版本 {pinned.as_of}（之后的上传不影响该链接）：")
        st.code(here + data.link("", pinned).removeprefix("./"), language=None, wrap_lines=True)


def _frame() -> StreamlitPage:
    """Everything around the page — login, menu, pinned version, sidebar filters, title — and
    the page to run.

    Nothing runs until the login knows who this is; the upload page is registered only for
    those who may upload, so a viewer's /upload link lands on the overview.
    """
    access = login.require_access(pages := _pages())
    login.show_account(access)
    data.begin_run()
    page = st.navigation(
        [p for p in pages if access.can_upload or p.url_path != "upload"], position="top"
    )
    data.keep_pin()  # a pinned link stays pinned when the menu switches pages
    if not data.is_empty():
        # Read before the widgets: a bound widget drops values it cannot offer from the URL.
        requested = {key: st.query_params.get_all(key) for key in data.FILTER_KEYS}
        choices = _sidebar_filters(data.options(), requested[data.PROJECT])
        _report_unknown_link_values(page.url_path, requested, choices)
    st.title(page.title)
    return page


# Script runs take turns (dashboard/runslots.py) from their first Streamlit call on: work done
# before taking a turn competes with the runs that hold one.
with runslots.script_run():
    st.set_page_config(
        page_title="绩效自评看板",
        page_icon=":material/analytics:",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    errors.run_page(errors.run_frame(_frame))
