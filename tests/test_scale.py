"""The dashboard on a store of synthetic evaluations (bench.generate): the summaries and bounded
pages agree with the full row lists, and every page renders with bounded tables that say how
many rows there are. No timing here: bench/ measures speed.

The store is built once per session (600 evaluations, about 12 000 indicator lines); every
test only reads it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from bench.generate import generate
from perfcore import queries
from perfcore.model import EvaluationKey, UploadFile
from perfcore.queries import Filters
from perfcore.store import Store, open_store
from tests.fixtures.uploads import seed_like

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard" / "app.py")
N_EVALUATIONS = 600
PAGE_ROWS = 200
PAGES = [
    "views/overview.py",
    "views/funds.py",
    "views/indicators.py",
    "views/satisfaction.py",
    "views/review.py",
    "views/upload.py",
]


@pytest.fixture(scope="session")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generated = generate(N_EVALUATIONS, seed=11, out=folder / "csv")
    files = [UploadFile(p.name, p.read_bytes()) for p in generated.files]
    path = folder / "perf.duckdb"
    store = open_store(path, seed=False)
    try:
        assert store.ingest(files, uploaded_by="tester").status == "stored"
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def store(synthetic_db: Path) -> Iterator[Store]:
    opened = open_store(synthetic_db, seed=False)
    yield opened
    opened.close()


@pytest.fixture
def one_department(store: Store) -> Filters:
    """One department and one year: a few dozen evaluations."""
    first = queries.evaluations(store, Filters()).iloc[0]
    return Filters(years=(int(first["year"]),), departments=(first["department"],))


def as_float(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.astype(object), errors="coerce").astype(float)


# --- queries: summaries and pages agree with the full rows ------------------------------------


@pytest.mark.parametrize("scoped", [False, True])
def test_evaluation_summary_matches_the_rows(store: Store, one_department, scoped) -> None:
    f = one_department if scoped else Filters()
    rows = queries.evaluations(store, f)
    summary = queries.evaluation_summary(store, f).iloc[0]
    assert summary["n_evaluations"] == len(rows) > 1
    assert summary["n_departments"] == rows["department"].nunique()
    assert summary["n_projects"] == rows["project"].nunique()
    assert (summary["first_year"], summary["last_year"]) == (rows["year"].min(), rows["year"].max())
    assert float(summary["annual_budget"]) == pytest.approx(as_float(rows["annual_budget"]).sum())
    assert float(summary["executed"]) == pytest.approx(as_float(rows["executed"]).sum())
    gap = as_float(rows["total_reported"]) - as_float(rows["total_computed"])
    assert summary["n_inflated"] == (gap > 0.005).sum() > 0
    assert summary["n_deflated"] == (gap < -0.005).sum()
    assert float(summary["max_inflation"]) == pytest.approx(gap.max())
    assert summary["total_computed"] == pytest.approx(as_float(rows["total_computed"]).mean())


def test_evaluation_page_ranks_and_bounds(store: Store) -> None:
    rows = queries.evaluations(store, Filters())
    best = queries.evaluation_page(store, Filters(), "best", PAGE_ROWS)
    worst = queries.evaluation_page(store, Filters(), "worst", 10)
    assert len(best) == PAGE_ROWS
    assert best["rank"].tolist() == list(range(1, PAGE_ROWS + 1))
    assert worst["rank"].tolist() == list(range(len(rows), len(rows) - 10, -1))
    computed = as_float(best["total_computed"])
    assert computed.is_monotonic_decreasing
    assert computed.iloc[0] == pytest.approx(as_float(rows["total_computed"]).max())
    lowest = queries.evaluation_page(store, Filters(), "lowest_rate", 5)
    rate = as_float(rows["execution_rate"])
    assert as_float(lowest["execution_rate"]).tolist() == pytest.approx(rate.nsmallest(5).tolist())
    widest = queries.evaluation_page(store, Filters(), "widest_gap", 3)
    gap = (as_float(rows["total_reported"]) - as_float(rows["total_computed"])).abs()
    assert as_float(widest["gap"]).abs().tolist() == pytest.approx(gap.nlargest(3).tolist())
    with pytest.raises(ValueError):
        queries.evaluation_page(store, Filters(), "random", 5)


def test_findings_counts_of_the_page_match_the_full_list(store: Store) -> None:
    page = queries.evaluation_page(store, Filters(), "worst", 20).set_index("evaluation_id")
    full = queries.evaluations(store, Filters()).set_index("evaluation_id")
    for column in ("n_errors", "n_warnings", "n_infos"):
        assert (page[column] == full.loc[page.index, column]).all()


def test_year_over_year_is_like_for_like(store: Store, one_department) -> None:
    year = one_department.years[0]
    periods = queries.year_over_year(store, one_department, year).set_index("period")
    now = queries.evaluations(store, one_department)
    before_all = queries.evaluations(store, Filters(years=(year - 1,)))
    pairs = set(zip(now["department"], now["project"], strict=True))
    before = before_all[
        [p in pairs for p in zip(before_all["department"], before_all["project"], strict=True)]
    ]
    assert periods.loc["now", "n_evaluations"] == len(now)
    assert periods.loc["before", "n_evaluations"] == len(before)
    assert float(periods.loc["before", "annual_budget"] or 0) == pytest.approx(
        as_float(before["annual_budget"]).sum()
    )
    grades = now["grade_computed"].value_counts()
    assert {g: periods.loc["now", g] for g in grades.index} == grades.to_dict()


def test_grade_counts_lowest_mean_first(store: Store) -> None:
    counts = queries.grade_counts(store, Filters(), "department", 2)
    rows = queries.evaluations(store, Filters())
    means = as_float(rows["total_computed"]).groupby(rows["department"]).mean().nsmallest(2)
    assert list(dict.fromkeys(counts["label"])) == means.index.tolist()
    per = counts.groupby("label")["n"].sum()
    assert per.to_dict() == rows["department"].value_counts()[means.index].to_dict()


def test_funds_by_source_and_spending_by_item_sum_the_lines(store: Store) -> None:
    f = Filters()
    lines = queries.funds_lines(store, f)
    by_source = queries.funds_by_source(store, f).set_index("source")
    expected = as_float(lines["annual_budget"]).groupby(lines["source"]).sum(min_count=1)
    assert as_float(by_source["annual_budget"]).to_dict() == pytest.approx(
        expected.to_dict(), nan_ok=True
    )
    assert by_source.index[0] == "年度资金总额"  # table order
    items = queries.expenditures(store, f)
    top = queries.spending_by_item(store, f, top=5)
    assert len(top) == 5 and top["item"].iloc[-1] == "其他（合并）"
    assert as_float(top["executed"]).sum() == pytest.approx(as_float(items["executed"]).sum())
    biggest = as_float(items["executed"]).groupby(items["item"]).sum().nlargest(4)
    assert top["item"].iloc[:4].tolist() == biggest.index.tolist()


def test_indicator_summary_levels_and_page_match_the_lines(store: Store) -> None:
    f = Filters()
    lines = queries.indicator_lines(store, f)
    counted = lines[lines["counted"]]
    summary = queries.indicator_summary(store, f).iloc[0]
    assert summary["n_lines"] == len(lines) > PAGE_ROWS
    assert summary["n_counted"] == len(counted)
    assert summary["n_differs"] == lines["differs"].sum() > 0
    assert float(summary["lost_points"]) == pytest.approx(as_float(counted["lost_points"]).sum())
    levels = queries.indicator_levels(store, f).set_index(["level1", "level2"])
    weighted = counted[as_float(counted["weight"]) > 0]
    expected = as_float(weighted["weight"]).groupby([weighted["level1"], weighted["level2"]])
    assert as_float(levels["weight"]).to_dict() == pytest.approx(expected.sum().to_dict())

    page = queries.indicator_page(store, f, limit=PAGE_ROWS)
    assert len(page) == PAGE_ROWS
    assert as_float(page["lost_points"]).is_monotonic_decreasing
    assert as_float(page["lost_points"]).iloc[0] == pytest.approx(
        as_float(lines["lost_points"]).max()
    )
    differs = queries.indicator_page(store, f, limit=PAGE_ROWS, only_differs=True)
    assert differs["differs"].all()
    assert len(differs) == min(PAGE_ROWS, summary["n_differs"])


def test_satisfaction_pages_and_quartiles(store: Store) -> None:
    f = Filters()
    rows = queries.satisfaction_indicators(store, f)
    summary = queries.indicator_summary(store, f, queries.SATISFACTION).iloc[0]
    assert summary["n_lines"] == len(rows)
    numeric = rows[rows["target_number"].notna() & rows["actual_number"].notna()]
    assert summary["n_numeric"] == len(numeric)
    bullets = queries.indicator_page(
        store, f, limit=8, level2=queries.SATISFACTION, numeric_only=True
    )
    assert len(bullets) == 8 and bullets["level2"].str.contains("满意度").all()
    assert bullets["actual_number"].notna().all()
    stats = queries.achievement_quartiles(store, f, queries.SATISFACTION, names=3)
    assert stats["name"].nunique() <= 3
    one = stats.iloc[0]
    part = numeric[(numeric["year"] == one["year"]) & (numeric["name"] == one["name"])]
    ratio = as_float(part["actual_number"]) / as_float(part["target_number"]) * 100
    assert one["n"] == len(part)
    assert one["median"] == pytest.approx(ratio.median())
    assert one["q1"] == pytest.approx(ratio.quantile(0.25))


def test_findings_by_code_and_page_match_the_full_list(store: Store) -> None:
    f = Filters()
    found = queries.findings(store, f)
    counts = queries.findings_by_code(store, f)
    expected = found.groupby(["severity", "code"]).size()
    assert counts.set_index(["severity", "code"])["n"].to_dict() == expected.to_dict()
    assert counts["n"].iloc[0] == expected.max()  # no errors stored: the most frequent first
    assert counts["title"].notna().all()
    page = queries.findings_page(store, f, limit=5)
    per_group = page.groupby(["severity", "code"]).size()
    assert (per_group == expected.clip(upper=5)).all()
    first = found[found["code"] == counts["code"].iloc[0]].head(5)
    mine = page[page["code"] == counts["code"].iloc[0]]
    assert mine["message"].tolist() == first["message"].tolist()
    assert mine["indicator_name"].tolist() == first["indicator_name"].tolist()


def test_department_scope_limits_the_new_queries(store: Store, one_department) -> None:
    outside = Filters(allowed_departments=("不存在的部门",))
    assert queries.evaluation_summary(store, outside).iloc[0]["n_evaluations"] == 0
    assert queries.indicator_page(store, outside, limit=10).empty
    assert queries.findings_by_code(store, outside).empty
    inside = Filters(allowed_departments=one_department.departments)
    page = queries.evaluation_page(store, inside, "best", 50)
    assert set(page["department"]) == set(one_department.departments)


def test_export_csv_writes_every_row_with_chinese_headers(store: Store, one_department) -> None:
    data = queries.export_csv(store, "indicator_lines", one_department, {"name": "三级指标"})
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    lines = queries.indicator_lines(store, one_department)
    assert len(table) == len(lines)
    assert [r["三级指标"] for r in table] == lines["name"].tolist()
    with pytest.raises(ValueError):
        queries.export_csv(store, "uploads", one_department)


def test_restorable_evaluations_have_an_older_version(seeded_store: Store) -> None:
    key = EvaluationKey(2021, "合成测试局", "重传项目")
    assert seeded_store.ingest(seed_like([key]), uploaded_by="tester").status == "stored"
    assert queries.restorable_evaluations(seeded_store).empty
    edited = seed_like([key], edits={"indicators.csv": {"实际完成值": "1"}})
    assert seeded_store.ingest(edited, uploaded_by="tester").status == "stored"
    restorable = queries.restorable_evaluations(seeded_store)
    assert restorable[["year", "department", "project", "n_versions"]].values.tolist() == [
        [2021, "合成测试局", "重传项目", 2]
    ]
    assert queries.restorable_evaluations(seeded_store, ("别的部门",)).empty


# --- the pages under AppTest ------------------------------------------------------------------


@pytest.fixture
def big_app(synthetic_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PERF_DB", str(synthetic_db))

    def open_page(page: str, query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(ENTRY, default_timeout=120)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return open_page


def captions(at: AppTest) -> list[str]:
    return [str(c.value) for c in at.caption]


def bounded(at: AppTest, total: int) -> bool:
    return f"共 {total:,} 行，显示前 {PAGE_ROWS} 行" in "\n".join(captions(at))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_synthetic_store(big_app, page) -> None:
    at = big_app(page)
    assert at.title[0].value
    assert not at.get("exception")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_one_project(big_app, store: Store, page) -> None:
    project = queries.evaluations(store, Filters()).iloc[0]["project"]
    big_app(page, {"project": project})


def test_project_filter_lists_a_bounded_choice_and_keeps_a_linked_project(
    big_app, store: Store
) -> None:
    projects = sorted(set(queries.evaluations(store, Filters())["project"]))
    assert len(projects) > queries.PROJECT_OPTIONS_LIMIT  # the case this test is about
    last = projects[-1]  # beyond the listed first PROJECT_OPTIONS_LIMIT
    at = big_app("views/overview.py", {"project": last})
    chooser = at.multiselect(key="project")
    assert chooser.value == [last]
    assert len(chooser.options) == queries.PROJECT_OPTIONS_LIMIT + 1
    assert any(f"共 {len(projects):,} 个项目" in c for c in captions(at))
    assert not [w for w in at.warning if "链接" in w.value], [w.value for w in at.warning]


def test_overview_ranks_a_bounded_page(big_app) -> None:
    at = big_app("views/overview.py")
    assert captions(at)[0].startswith(f"{N_EVALUATIONS} 个评价 · 3 个部门")  # counts stay ints
    grade = next(m for m in at.metric if m.label == "复核等级")
    assert re.fullmatch(r"[优良中差] [\d,]+ 个", grade.value), grade.value
    league = at.dataframe[0].value
    assert len(league) == PAGE_ROWS
    assert league["rank"].tolist()[:3] == [1, 2, 3]
    assert bounded(at, N_EVALUATIONS)
    assert at.get("download_button")
    at.segmented_control(key="overview_league_order").set_value("得分最低").run()
    assert not at.exception
    assert at.dataframe[0].value["rank"].iloc[0] == N_EVALUATIONS


def test_indicator_table_is_bounded_and_counted(big_app, store: Store) -> None:
    at = big_app("views/indicators.py")
    summary = queries.indicator_summary(store, Filters()).iloc[0]
    table = at.dataframe[0].value
    assert len(table) == PAGE_ROWS
    assert bounded(at, int(summary["n_lines"]))
    sunburst = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert sunburst["type"] == "sunburst"
    assert all(node.count("/") <= 1 for node in sunburst["ids"])  # 一级 and 二级 only
    at.toggle(key="indicators_only_differs").set_value(True).run()
    assert not at.exception
    differs = at.dataframe[0].value
    assert differs["differs"].all()
    assert bounded(at, int(summary["n_differs"])) or len(differs) == summary["n_differs"]


def test_satisfaction_boxes_for_many_points_for_few(big_app, one_department) -> None:
    at = big_app("views/satisfaction.py")
    boxes = [
        t
        for el in at.get("plotly_chart")
        for t in json.loads(el.proto.spec)["data"]
        if t["type"] == "box"
    ]
    assert boxes and all("q1" in t for t in boxes)  # drawn from quartiles
    few = big_app(
        "views/satisfaction.py",
        {"year": str(one_department.years[0]), "dept": one_department.departments[0]},
    )
    points = [
        t
        for el in few.get("plotly_chart")
        for t in json.loads(el.proto.spec)["data"]
        if t["type"] == "box"
    ]
    assert points and all(t.get("boxpoints") == "all" for t in points)


def test_review_lists_bounded_groups_with_counts(big_app, store: Store) -> None:
    at = big_app("views/review.py")
    counts = queries.findings_by_code(store, Filters())
    first = counts.iloc[0]
    assert f"（{first['n']:,} 条）" in at.expander[0].label
    shown = at.expander[0].dataframe[0].value
    assert len(shown) == min(PAGE_ROWS, first["n"])
    assert shown["link"].str.startswith("./indicators?").all()
    assert bounded(at, int(first["n"]))
    assert not at.expander[1].dataframe  # closed groups build nothing
