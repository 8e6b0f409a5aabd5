"""The dashboard under AppTest: every page from the entry on the seed, links, upload, empty store.

Each test gets its own copy of the seeded DuckDB file (`seeded_db` points PERF_DB at it), so an
upload in one test never shows in another.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import plotly.graph_objects as go
import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard import data, saved_views
from perfcore.queries import Filters
from perfcore.store import open_store

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard" / "app.py")
SEED = ROOT / "data" / "seed"
PAGES = [
    "views/overview.py",
    "views/funds.py",
    "views/indicators.py",
    "views/satisfaction.py",
    "views/review.py",
    "views/upload.py",
]


def app(query: dict[str, str | list[str]] | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def on_page(page: str, query: dict | None = None) -> AppTest:
    at = app(query)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def upload(files: list[tuple[str, bytes, str]]) -> AppTest:
    at = on_page("views/upload.py")
    at.file_uploader(key="upload_files_0").set_value(files).run()
    at.button(key="upload_confirm").click().run()
    assert not at.exception, at.exception
    return at


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def seed_upload(year: int) -> list[tuple[str, bytes, str]]:
    """The seed tables as an upload for another year: a new evaluation, not a duplicate."""
    files = []
    for path in sorted(SEED.glob("*.csv")):
        text = path.read_text(encoding="utf-8").replace("\n2022,", f"\n{year},")
        files.append((path.name, text.encode("utf-8"), "text/csv"))
    return files


def test_overview_on_the_seed_shows_total_and_grade(seeded_db):
    at = app()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["自评得分"] == "97.13"
    assert metrics["复核等级"] == "优"
    assert metrics["全年预算"] == "261.46 万元"
    assert metrics["执行率"] == "100.00%"
    assert at.title[0].value == "总览"
    assert at.subheader[0].value == "项目概况"  # one evaluation: the project summary


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_seed(seeded_db, page):
    at = on_page(page)
    assert not at.get("exception")


def test_a_session_makes_its_pages_once_and_walks_every_one(seeded_db):
    at = app()
    made = at.session_state["_perf_pages"]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert at.title[0].value == next(p.title for p in made if str(p._page).endswith(page))
    assert at.session_state["_perf_pages"] is made
    assert len(made) == len(PAGES)


def test_funds_page_shows_the_budget_bridge(seeded_db):
    at = on_page("views/funds.py")
    waterfall = next(s for s in plotly_specs(at) if s["data"][0]["type"] == "waterfall")
    assert "105.78 万元" in waterfall["data"][0]["customdata"]  # the hover; bars: the number
    assert "105.78" in waterfall["data"][0]["text"]
    assert {m.label: m.value for m in at.metric}["全年执行数"] == "261.46 万元"
    spending = next(s for s in plotly_specs(at) if "支出明细" in s["layout"]["title"]["text"])
    assert "261.46 万元" in spending["layout"]["title"]["text"]


def test_indicator_table_lists_every_seed_indicator(seeded_db):
    at = on_page("views/indicators.py")
    table = at.dataframe[0].value
    assert len(table) == 9
    assert "经费支付时限" in set(table["name"])
    cards = {m.label: m.value for m in at.metric}
    assert cards["指标分值合计"] == "90.00 分"  # 100 − the 10 points of funds execution
    assert cards["复核扣分合计"] == "2.87 分"  # the 时效 row scored by 扣分:1


def test_indicator_rows_where_scores_disagree_are_highlighted(seeded_db):
    at = on_page("views/indicators.py")
    assert not at.dataframe[0].proto.arrow_data.HasField("styler")  # the seed agrees everywhere
    with open_store(seeded_db) as store:
        store.cursor().execute(
            "UPDATE indicator_lines SET score_reported = score_reported - 1"
            " WHERE line_no = (SELECT min(line_no) FROM indicator_lines)"
        )
    st.cache_resource.clear()  # the edit above made no new data version
    at = on_page("views/indicators.py")
    table = at.dataframe[0].value
    styles = at.dataframe[0].proto.arrow_data.styler.styles
    highlighted = {
        int(row)
        for row in re.findall(r"row(\d+)_col\d+[^{]*\{\s*background-color: #FEF3C7", styles)
    }
    assert highlighted == set(table.index[table["differs"]]) and len(highlighted) == 1
    assert table.loc[table["differs"], "check"].tolist() == ["⚠ 不一致"]
    assert set(table.loc[~table["differs"], "check"]) == {""}


def test_satisfaction_and_cost_against_their_targets(seeded_db):
    at = on_page("views/satisfaction.py")
    gauges = [t for s in plotly_specs(at) for t in s["data"] if t["type"] == "indicator"]
    by_value = {t["value"]: t for t in gauges}
    assert by_value[1756]["gauge"]["threshold"]["value"] == 2000
    assert by_value[99.85]["gauge"]["threshold"]["value"] == 85


def test_satisfaction_sections_stack_on_a_tablet(seeded_db):
    """st.columns never stacks (at 1024 px the gauges were clipped); a wrapping grid does."""
    at = on_page("views/satisfaction.py")
    assert not at.columns
    grid = at.get("grid_container")[0].proto
    assert grid.columns == 2 and grid.wrap and grid.min_column_width_px >= 420
    sections = [b for b in at.get("grid_container")[0].children.values()]
    assert len(sections) == 2


def test_review_groups_findings_by_code(seeded_db):
    at = on_page("views/review.py")
    labels = [e.label for e in at.expander]
    assert labels, "the seed has findings (at least the 目标设定偏低 on 开展学习及活动次数)"
    assert any("目标设定偏低" in label for label in labels)
    links = at.expander[0].dataframe[0].value["link"]
    assert links.str.startswith("./indicators?").all()


def test_a_findings_link_opens_the_indicator_it_is_about(seeded_db):
    at = on_page("views/review.py")
    group = next(e for e in at.expander if "目标设定偏低" in e.label)
    row = group.dataframe[0].value.iloc[0]
    assert row["indicator"] == "开展学习及活动次数"
    path, _, query = row["link"].partition("?")
    assert path == "./indicators"
    params = parse_qs(query)
    assert params["indicator"] == ["开展学习及活动次数"]
    at = on_page("views/indicators.py", {k: v if len(v) > 1 else v[0] for k, v in params.items()})
    assert at.selectbox(key="indicator").value == "开展学习及活动次数"
    table = at.dataframe[0].value
    assert list(table["name"]) == ["开展学习及活动次数"]
    assert any("只显示三级指标" in c.value for c in at.caption)


def test_query_params_select_the_view(seeded_db):
    at = app({"year": "2022", "dept": "中共益阳市委组织部", "rules": "hubei"})
    assert not at.exception
    assert at.multiselect(key="year").value == [2022]
    assert at.multiselect(key="dept").value == ["中共益阳市委组织部"]
    assert at.selectbox(key="rules").value == "hubei"
    assert {m.label: m.value for m in at.metric}["自评得分"] == "97.13"


def test_the_share_box_writes_its_links_only_while_it_is_open(seeded_db):
    at = on_page("views/funds.py", {"year": "2022"})
    assert not at.code  # closed: no links computed, nothing sent
    at.session_state["share_box"] = True  # as the popover's own state is when a viewer opens it
    at.run()
    assert not at.exception, at.exception
    with open_store(data.db_path(), seed=False) as store:
        version = store.data_version()
    # AppTest has no address: the links are what follows the page's own URL
    assert [c.value for c in at.code] == ["?year=2022", f"?year=2022&asof={version}"]
    assert any(f"固定到当前数据版本 {version}" in c.value for c in at.caption)
    at.session_state["share_box"] = False
    assert not at.run().code


def test_unknown_link_values_give_a_friendly_message(seeded_db):
    at = app({"year": ["2022", "1999"], "dept": "不存在的部门", "asof": "abc"})
    assert not at.exception
    warning = at.warning[0].value
    assert "1999" in warning and "不存在的部门" in warning and "abc" in warning
    assert "2022" not in warning  # the known year is not reported
    assert at.multiselect(key="year").value == [2022]


def test_a_links_note_stays_on_a_rerun_and_goes_when_the_view_changes(seeded_db):
    """The widgets drop unknown values from the address on the first run; a rerun of the same
    view (as a browser's first page gets, dashboard/fold.py) still says what was ignored."""
    at = app({"year": ["2022", "1999"]})
    at.run()
    assert any("1999" in w.value for w in at.warning)
    at.multiselect(key="year").set_value([]).run()
    assert not [w.value for w in at.warning if "链接" in w.value]


def test_a_link_of_known_values_gives_no_warning(seeded_db):
    at = app(
        {
            "year": "2022",
            "dept": "中共益阳市委组织部",
            "project": "业务工作开展专项经费",
            "grade": "优",
            "rules": "hubei",
        }
    )
    assert not at.exception
    assert not [w.value for w in at.warning if "链接" in w.value]
    assert at.multiselect(key="project").value == ["业务工作开展专项经费"]


def test_a_filter_matching_nothing_says_so(seeded_db):
    at = app({"grade": "差"})
    assert not at.exception
    assert any("没有符合当前筛选条件" in str(i.value) for i in at.info)
    assert not at.get("plotly_chart")


def test_upload_accepts_the_seed_files_and_stores_them(seeded_db):
    at = on_page("views/upload.py")
    at.file_uploader(key="upload_files_0").set_value(seed_upload(2023)).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["错误"] == "0 条"
    confirm = at.button(key="upload_confirm")
    assert not confirm.disabled
    confirm.click().run()
    assert not at.exception, at.exception
    assert any("已保存 1 个评价" in str(s.value) for s in at.success)
    at.switch_page("views/overview.py").run()
    assert at.multiselect(key="year").options == ["2023", "2022"]
    assert len(at.dataframe[0].value) == 2  # the league table now ranks both years
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["全年预算"] == "0"  # 2023 against the same project's 2022: flat, shown grey
    assert deltas["复核得分"] == "0"


def test_upload_says_in_chinese_what_to_drop_and_the_size_limit(seeded_db):
    """The uploader's own text is English in 1.67 (「Drag and drop files here」, 「Limit …」)."""
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 7)
    try:
        at = on_page("views/upload.py")
    finally:
        config.set_option("server.maxUploadSize", before)
    text = " ".join(c.value for c in at.caption)
    assert "每个文件最大 7 MB" in text
    assert "CSV" in text and ".xlsx" in text and "ZIP" in text
    assert "拖入" in text


def test_upload_rejects_a_bad_file_with_its_message(seeded_db):
    at = on_page("views/upload.py")
    bad = ("指标.csv", "年度,部门,项目名称,一级指标\n2022,,项目,产出指标\n".encode(), "text/csv")
    at.file_uploader(key="upload_files_0").set_value([bad]).run()
    assert not at.exception, at.exception
    assert at.error, "an upload with errors says so"
    assert at.error[0].proto.title == "有 1 个错误，本次上传不能保存"
    assert at.button(key="upload_confirm").disabled
    problems = next(d.value for d in at.dataframe if "severity" in d.value.columns)
    assert (problems["severity"] == "错误").any()
    assert problems["location"].str.contains("指标.csv").any()


def test_empty_store_renders_the_helpful_page(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    open_store(path, seed=False).close()
    monkeypatch.setenv("PERF_DB", str(path))
    at = app()
    assert not at.exception
    assert at.subheader[0].value == "还没有任何绩效自评数据"
    assert not at.get("plotly_chart")
    assert not at.multiselect  # no filters without data
    at.switch_page("views/upload.py").run()
    assert not at.exception
    assert at.file_uploader


@pytest.fixture
def hosted() -> Iterator[None]:
    """Hosted error display (--client.showErrorDetails=none, as deploy/ runs it)."""
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "none")
    yield
    config.set_option("client.showErrorDetails", before)


def _broken_options() -> dict:
    raise RuntimeError("internal detail /srv/secret/path")


def test_hosted_a_failing_sidebar_shows_the_friendly_message_and_logs_it(
    seeded_db, hosted, monkeypatch, caplog
):
    monkeypatch.setattr(data, "options", _broken_options)
    with caplog.at_level(logging.ERROR, logger="dashboard.errors"):
        at = app()
    assert not at.exception
    assert "页面出错了" in at.error[0].value
    assert "/srv/secret/path" not in at.error[0].value
    assert "/srv/secret/path" in caplog.text
    assert not at.title  # no page is drawn on a broken frame


def test_locally_a_failing_sidebar_raises_as_usual(seeded_db, monkeypatch):
    monkeypatch.setattr(data, "options", _broken_options)
    at = app()
    assert "internal detail" in at.exception[0].message


@pytest.fixture(scope="module")
def province_upload(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes, str]]:
    from bench.generate import generate

    out = generate(400, seed=11, out=tmp_path_factory.mktemp("province"))
    return [(p.name, p.read_bytes(), "text/csv") for p in out.files]


def test_a_large_upload_is_stored_and_the_notice_counts_what_it_does_not_name(
    seeded_db, province_upload
):
    at = upload(province_upload)
    [notice] = [s.value for s in at.success if "已保存" in s.value]
    assert notice.startswith("已保存 400 个评价：")
    assert notice.count("（第 1 版）") == 20 and notice.endswith(
        "另有 380 个评价，均已保存为当前版本。"
    )
    [history] = [d.value for d in at.dataframe if "uploaded_by" in d.value.columns]
    latest = history.sort_values("upload_id").iloc[-1]
    names = [name for name, _, _ in province_upload]
    assert latest["file_names"] == f"4 个文件：{'、'.join(names[:3])} 等"
    assert latest["size_bytes"].endswith(" MB")


def test_a_write_the_store_refuses_says_nothing_was_stored(seeded_db, province_upload, monkeypatch):
    # Enough for the pages over the seed report, too little to write 400 evaluations at once.
    monkeypatch.setenv("PERF_DB_MEMORY_LIMIT", "16MB")
    st.cache_resource.clear()  # the store is opened afresh, under this limit
    at = upload(province_upload)
    assert any("写入数据库失败，未保存任何数据" in e.value for e in at.error)
    assert data.store().data_version() == 1  # nothing of the upload was stored


def _cached_query_bytes() -> int:
    """Bytes the query caches hold (Streamlit's cache statistics, as /_stcore/metrics has them):
    they grow when a page runs a query that was not cached."""
    from streamlit.runtime.caching import cache_resource_api

    stats = cache_resource_api._resource_caches.get_stats()
    return sum(
        stat.byte_length
        for family in stats.values()
        for stat in family
        if stat.cache_name.endswith(("._query", "._query_rows"))
    )


def test_after_an_upload_the_pages_viewed_lately_are_ready_for_the_next_viewer(
    seeded_db, province_upload
):
    st.cache_resource.clear()
    upload(province_upload)
    on_page("views/indicators.py")  # a leader looks at the province's indicators
    viewed = data.recent_views()
    assert {"indicator_summary", "evaluation_summary"} <= {name for name, _ in viewed}
    at = upload(seed_upload(2023))  # then one more evaluation comes in
    assert any("已保存 1 个评价" in s.value for s in at.success)
    before = _cached_query_bytes()
    on_page("views/indicators.py")  # the next leader opens the page
    assert _cached_query_bytes() == before, "the page had to run queries the upload did not warm"


def test_the_query_cache_never_hands_one_scope_another_scopes_rows(seeded_db):
    """Filters are keyed by their repr (data.Ask.text): a viewer limited to no department
    and one who sees all, or two departments' views, must get their own entries."""
    st.cache_resource.clear()

    def summary(f: Filters):
        return data._query(ask=data.Ask("evaluation_summary", f, str(seeded_db), 1, ()))

    everyone = summary(Filters())
    nobody = summary(Filters(allowed_departments=()))
    other = summary(Filters(departments=("中共益阳市委组织部 ",)))  # not the same name
    assert int(everyone["n_evaluations"].iloc[0]) == 1
    assert int(nobody["n_evaluations"].iloc[0]) == 0
    assert int(other["n_evaluations"].iloc[0]) == 0


def test_a_page_table_is_built_once_per_view_and_shape_and_follows_new_data(seeded_db):
    st.cache_resource.clear()

    def projects(page):
        return page[["project"]]

    def scores(page):
        return page[["project", "total_computed"]]

    def ranking(shape):
        return data.table("evaluation_page", Filters(), shape, sort="best", limit=10)

    first = ranking(projects)
    assert first.column_names == ["project"] and first.num_rows == 1
    assert ranking(projects) is first, "the same view was shaped again"
    assert ranking(scores).column_names == ["project", "total_computed"]
    at = upload(seed_upload(2023))
    assert any("已保存 1 个评价" in s.value for s in at.success)
    assert ranking(projects).num_rows == 2, "a table of the data before the upload was shown"


def test_a_chart_of_a_query_is_built_once_per_view_and_follows_new_data(seeded_db):
    from dashboard.views import common

    st.cache_resource.clear()
    built: list[int] = []

    def rows_charted(frame):
        built.append(len(frame))
        return go.Figure()

    def figure():
        ranking = data.view("evaluation_page", Filters(), sort="best", limit=10)
        return common._figure(name="test_view", _builder=rows_charted, args=(ranking,), kwargs=())

    first = figure()
    assert figure() is first and built == [1], "the same view was charted again"
    upload(seed_upload(2023))
    assert figure() is not first and built == [1, 2], "a chart of the data before the upload"


def test_a_chart_is_serialised_once_and_sent_again_to_every_session(seeded_db, monkeypatch):
    import plotly.io

    st.cache_resource.clear()
    serialised: list[str] = []
    to_json = plotly.io.to_json

    def counted(figure, *args, **kwargs):
        serialised.append(text := to_json(figure, *args, **kwargs))
        return text

    monkeypatch.setattr(plotly.io, "to_json", counted)
    first = plotly_specs(on_page("views/funds.py"))
    assert len(first) == len(serialised) == 3
    again = on_page("views/funds.py")  # another session, same view
    assert plotly_specs(again) == first and len(serialised) == 3
    upload(seed_upload(2023))  # new data: the charts of the whole scope change
    after = plotly_specs(on_page("views/funds.py"))
    assert len(serialised) > 3 and after != first


def test_a_restarted_server_warms_the_views_saved_before_it(seeded_db):
    st.cache_resource.clear()
    on_page("views/indicators.py")  # a leader looks at the indicators
    assert saved_views.views_file(seeded_db).exists()
    # The server restarts: a new process has nothing cached and remembers no views.
    st.cache_resource.clear()
    with data._recent_lock:
        data._recent.clear()
    at = app()  # the first visitor after the restart opens the overview; the store opens
    data._warming[str(seeded_db)].join(timeout=60)
    before = _cached_query_bytes()
    at.switch_page("views/indicators.py").run()
    assert not at.exception
    assert _cached_query_bytes() == before, "the page had to run queries the restart did not warm"


def test_the_versions_table_says_where_each_version_came_from_in_chinese(seeded_db):
    changed = [
        (name, data_bytes.replace(b"155.68", b"155.69"), kind)
        for name, data_bytes, kind in seed_upload(2022)
    ]  # the same evaluation with another 年初预算数: its second version
    upload(changed)
    at = on_page("views/upload.py")
    at.button(key="restore_confirm").click().run()  # restore version 1 as version 3
    assert not at.exception, at.exception
    [versions] = [d.value for d in at.dataframe if "version" in d.value.columns]
    origin = dict(zip(versions["version"], versions["action"], strict=True))
    assert origin == {1: "上传", 2: "上传", 3: "由第 1 版恢复"}
    assert set(versions["file_names"]) == {
        "4 个文件：evaluations.csv、expenditures.csv、funds.csv 等"
    }


def test_across_evaluations_a_part_of_a_name_finds_its_lines_and_stays_in_the_link(seeded_db):
    upload(seed_upload(2023))
    at = on_page("views/indicators.py")
    assert len(at.dataframe[0].value) == 18  # two evaluations of nine lines
    at.text_input(key="indicator_search").input("满意度").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["name"]) == ["群众对干部的满意度"] * 2
    assert {str(y) for y in table["year"]} == {"2022", "2023"}
    assert any("2 行" in c.value for c in at.caption)
    assert at.get("download_button")[0].proto.label == "下载全部 2 行（CSV）"
    # A link with the search opens the same lines; a search that finds nothing says so.
    again = on_page("views/indicators.py", {"indicator_search": "满意度"})
    assert list(again.dataframe[0].value["name"]) == ["群众对干部的满意度"] * 2
    none = on_page("views/indicators.py", {"indicator_search": "**不存在**"})
    assert none.dataframe[0].value.empty
    assert [i.value for i in none.info] == ["没有名称包含「\\*\\*不存在\\*\\*」的三级指标。"]
