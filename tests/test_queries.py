"""The page queries on a real store: the seed, plus two synthetic evaluations of other years
and departments, one of them scoring low, so filters and aggregation have something to do."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from perfcore import queries
from perfcore.model import EvaluationKey
from perfcore.queries import Filters
from perfcore.rules import available_rule_sets, load_rule_set
from perfcore.store import Store
from tests.fixtures.uploads import seed_like

SEED_DEPT = "中共益阳市委组织部"
LOW = EvaluationKey(2021, "合成测试局", "低分项目")
OTHER = EvaluationKey(2021, "合成测试局", "满分项目")
TRADITIONAL = EvaluationKey(2022, "合成测试局", "繁体字项目")


@pytest.fixture
def store(seeded_store: Store) -> Store:
    low = seed_like([LOW], edits={"indicators.csv": {"实际完成值": "1"}})
    assert seeded_store.ingest(low, uploaded_by="tester").status == "stored"
    assert seeded_store.ingest(seed_like([OTHER]), uploaded_by="tester").status == "stored"
    return seeded_store


def test_evaluations_has_the_agreed_columns(store: Store) -> None:
    frame = queries.evaluations(store, Filters())
    agreed = [
        "evaluation_id",
        "year",
        "department",
        "project",
        "authority",
        "implementer",
        "kind",
        "version",
        "rule_set",
        "initial_budget",
        "annual_budget",
        "executed",
        "execution_rate",
        "funds_weight",
        "funds_score_reported",
        "funds_score_computed",
        "total_reported",
        "total_computed",
        "grade_reported",
        "grade_computed",
        "n_errors",
        "n_warnings",
        "n_infos",
        "uploaded_by",
        "uploaded_at",
    ]
    assert set(agreed) <= set(frame.columns)
    assert len(frame) == 3
    assert frame["year"].tolist() == [2022, 2021, 2021]  # newest year first


def test_filters_select_by_year_department_project_and_grade(store: Store) -> None:
    def projects(f: Filters) -> list[str]:
        return sorted(queries.evaluations(store, f)["project"])

    assert projects(Filters(years=(2021,))) == sorted([LOW.project, OTHER.project])
    assert projects(Filters(departments=(SEED_DEPT,))) == ["业务工作开展专项经费"]
    assert projects(Filters(projects=(LOW.project, OTHER.project), years=(2022,))) == []
    assert projects(Filters(grades=("中",))) == [LOW.project]
    assert projects(Filters(grades=("优",))) == sorted(["业务工作开展专项经费", OTHER.project])
    low = queries.evaluations(store, Filters(projects=(LOW.project,))).iloc[0]
    assert low["grade_computed"] == "中"
    assert low["total_computed"] == pytest.approx(65.32)
    assert low["n_warnings"] > 0


def test_filter_values_are_parameters_not_sql(store: Store) -> None:
    for hostile in ("' OR '1'='1", "中共益阳市委组织部' --", "%"):
        assert queries.evaluations(store, Filters(departments=(hostile,))).empty
    assert (
        queries.evaluations(store, Filters(rule_set="national' OR 1=1 --"))["total_computed"]
        .isna()
        .all()
    )


def test_rule_set_choice_switches_the_scores_shown(store: Store) -> None:
    own = queries.evaluations(store, Filters())
    for name in ("national", "hubei", "hunan"):
        shown = queries.evaluations(store, Filters(rule_set=name))
        assert set(shown["rule_set"]) == {name}
        assert shown["total_computed"].notna().all()
        assert (shown["own_rule_set"] == own["own_rule_set"]).all()


def test_funds_lines_and_department_totals(store: Store) -> None:
    lines = queries.funds_lines(store, Filters(departments=(SEED_DEPT,)))
    assert lines["source"].tolist() == ["年度资金总额", "当年财政拨款", "上年结转资金", "其他资金"]
    assert lines["execution_rate"].iloc[0] == pytest.approx(1.0)
    by_dept = queries.funds_by_department(store, Filters())
    assert list(by_dept.columns[:8]) == [
        "year",
        "department",
        "n_evaluations",
        "initial_budget",
        "annual_budget",
        "executed",
        "execution_rate",
        "mean_total_computed",
    ]
    synthetic = by_dept[by_dept["department"] == LOW.department].iloc[0]
    assert synthetic["n_evaluations"] == 2
    assert synthetic["annual_budget"] == pytest.approx(2 * 261.46)
    assert synthetic["initial_budget"] == pytest.approx(2 * 155.68)
    assert synthetic["execution_rate"] == pytest.approx(1.0)
    assert synthetic["mean_total_computed"] == pytest.approx((65.32 + 97.13) / 2)


def test_expenditures_shares_add_up_per_evaluation(store: Store) -> None:
    items = queries.expenditures(store, Filters())
    assert len(items) == 3 * 18
    shares = items.groupby("evaluation_id")["share"].sum()
    assert shares.tolist() == pytest.approx([1.0, 1.0, 1.0])
    seed = items[items["department"] == SEED_DEPT]
    assert seed["executed"].sum() == pytest.approx(261.46)
    assert seed.iloc[0]["item"] == "综合协调服务专项经费"  # the biggest item first


def test_indicator_lines_lost_points_and_differences(store: Store) -> None:
    lines = queries.indicator_lines(store, Filters(projects=(LOW.project,)))
    assert len(lines) == 9
    assert (lines["lost_points"] == lines["weight"] - lines["score_computed"]).all()
    assert lines["differs"].dtype == bool
    assert lines["differs"].any()
    assert lines.loc[lines["differs"], "rule"].notna().all()
    seed = queries.indicator_lines(store, Filters(departments=(SEED_DEPT,)))
    assert not seed["differs"].any()
    assert seed["target_raw"].tolist()[2] == "≥6次"


def test_satisfaction_and_cost_indicators_with_parsed_values(store: Store) -> None:
    satisfaction = queries.satisfaction_indicators(store, Filters(departments=(SEED_DEPT,)))
    assert satisfaction[
        ["name", "target_operator", "target_number", "actual_number"]
    ].values.tolist() == [["群众对干部的满意度", "≥", 85.0, 99.85]]
    cost = queries.cost_indicators(store, Filters())
    assert len(cost) == 3
    assert set(cost["level2"]) == {"成本指标"}
    assert set(cost["target_unit"]) == {"元"}


def test_findings_carry_the_catalogue_text_and_location(store: Store) -> None:
    found = queries.findings(store, Filters(departments=(SEED_DEPT,)))
    row = found[found["code"] == "TARGET_TOO_LOW"].iloc[0]
    assert row["title"] == "目标设定偏低"
    assert row["explain"]
    assert (row["file"], row["row"], row["indicator_name"]) == (
        "indicators.csv",
        4,
        "开展学习及活动次数",
    )
    low = queries.findings(store, Filters(projects=(LOW.project,)))
    assert "SCORE_DIFFERS" in set(low["code"])
    severities = low["severity"].map({"error": 0, "warning": 1, "info": 2})
    assert severities.is_monotonic_increasing


def test_uploads_and_filter_options(store: Store) -> None:
    listing = queries.uploads(store)
    assert listing["uploaded_by"].tolist() == ["tester", "tester", "seed"]
    assert listing["n_evaluations"].tolist() == [1, 1, 1]
    assert set(listing["status"]) == {"stored"}
    options = queries.filter_options(store)
    assert options["years"] == [2022, 2021]
    assert options["departments"] == sorted([SEED_DEPT, LOW.department])
    assert [name for name, _ in options["rule_sets"]][:1] == ["national"]
    assert options["grades"] == ["优", "良", "中", "差"]


def test_project_options_narrow_by_year_and_department_and_keep_named_ones(store: Store) -> None:
    every, n_every = queries.project_options(store)
    assert n_every == 3 and every == sorted(every) and len(every) == 3
    assert queries.project_options(store, years=(2021,)) == (
        sorted([LOW.project, OTHER.project]),
        2,
    )
    seed_only, _ = queries.project_options(store, departments=(SEED_DEPT,))
    assert LOW.project not in seed_only and len(seed_only) == 1
    capped, n_capped = queries.project_options(store, limit=1)
    assert len(capped) == 1 and n_capped == 3
    kept, _ = queries.project_options(
        store, departments=(SEED_DEPT,), named=(LOW.project, "不存在的项目"), limit=1
    )
    assert kept == [*seed_only, LOW.project]
    scoped, _ = queries.project_options(
        store, allowed_departments=(SEED_DEPT,), named=(LOW.project,)
    )
    assert scoped == seed_only


def test_project_options_of_a_pinned_link_are_those_stored_by_then(store: Store) -> None:
    seed_only, _ = queries.project_options(store, departments=(SEED_DEPT,))
    # data version 1 is the seed; LOW and OTHER came with versions 2 and 3
    assert queries.project_options(store, as_of=1) == (seed_only, 1)
    assert queries.project_options(store, as_of=2, named=(OTHER.project,)) == (
        sorted([*seed_only, LOW.project]),
        2,
    )
    assert queries.project_options(store, as_of=3)[1] == 3


def test_upload_history_follows_the_department_scope(store: Store) -> None:
    """A scoped uploader sees only uploads that stored one of their departments' evaluations."""
    assert len(queries.uploads(store, None)) == 3
    own = queries.uploads(store, (LOW.department,))
    assert own["uploaded_by"].tolist() == ["tester", "tester"]
    seed_only = queries.uploads(store, (SEED_DEPT,))
    assert seed_only["uploaded_by"].tolist() == ["seed"]
    assert queries.uploads(store, ()).empty


def test_empty_store_gives_empty_frames(empty_store: Store) -> None:
    f = Filters()
    for query in (
        queries.evaluations,
        queries.funds_lines,
        queries.funds_by_department,
        queries.expenditures,
        queries.indicator_lines,
        queries.findings,
    ):
        assert isinstance(query(empty_store, f), pd.DataFrame)
        assert query(empty_store, f).empty
    assert queries.filter_options(empty_store)["years"] == []


def test_every_sql_file_is_used_by_name() -> None:
    package = Path(queries.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    for sql in (package / "sql").glob("*.sql"):
        name = sql.stem
        prefix, _, table = name.partition("_")
        per_table = f'f"{prefix}_{{table}}"' in source and f'"{table}"' in source
        assert f'"{name}"' in source or per_table, f"{sql.name} is not used"


PAGE_QUERIES = (
    queries.evaluations,
    queries.funds_lines,
    queries.funds_by_department,
    queries.expenditures,
    queries.indicator_lines,
    queries.satisfaction_indicators,
    queries.cost_indicators,
    queries.findings,
)


def test_department_scope_limits_every_page_query(store: Store) -> None:
    only_seed = Filters(allowed_departments=(SEED_DEPT,))
    for query in PAGE_QUERIES:
        frame = query(store, only_seed)
        assert not frame.empty, query.__name__
        assert set(frame["department"]) == {SEED_DEPT}, query.__name__
    chosen_outside = Filters(departments=(LOW.department,), allowed_departments=(SEED_DEPT,))
    nothing = Filters(allowed_departments=())
    for query in PAGE_QUERIES:
        assert query(store, chosen_outside).empty, query.__name__
        assert query(store, nothing).empty, query.__name__
    options = queries.filter_options(store, (SEED_DEPT,))
    assert options["departments"] == [SEED_DEPT]
    assert options["years"] == [2022]
    assert queries.filter_options(store, ())["departments"] == []


@pytest.mark.parametrize(("gap", "differs"), [("0.01", False), ("0.02", True), ("-0.02", True)])
def test_a_line_differs_by_the_same_tolerance_as_the_score_differs_finding(
    store: Store, gap: str, differs: bool
) -> None:
    """A rounding gap of 0.01 分 raises no SCORE_DIFFERS finding, so no ⚠ on the pages either."""
    cur = store.cursor()
    cur.execute(
        "UPDATE indicator_lines SET score_reported = score_reported + CAST($gap AS DECIMAL(6, 2))"
        " WHERE line_no = 1 AND evaluation_id ="
        " (SELECT min(evaluation_id) FROM evaluations WHERE department = $dept)",
        {"gap": gap, "dept": SEED_DEPT},
    )
    cur.close()
    lines = queries.indicator_lines(store, Filters(departments=(SEED_DEPT,)))
    assert lines["differs"].tolist() == [differs] + [False] * (len(lines) - 1)


def test_the_pages_tolerance_is_every_shipped_rule_sets_score_tolerance() -> None:
    migration = (Path(queries.__file__).parent / "sql" / "migrations").glob("*differs*.sql")
    (sql,) = [path.read_text(encoding="utf-8") for path in migration]
    (written,) = re.findall(r"score_computed\) > ([\d.]+), false\) AS differs", sql)
    assert {load_rule_set(info.name).score_tolerance for info in available_rule_sets()} == {
        Decimal(written)
    }


def test_indicator_lines_are_found_by_a_part_of_their_name_across_evaluations(
    store: Store,
) -> None:
    everything = queries.indicator_page(store, Filters(), limit=500)
    found = queries.indicator_page(store, Filters(), limit=500, name_contains="满意度")
    assert set(found["name"]) == {"群众对干部的满意度"}
    assert len(found) == everything["name"].str.contains("满意度").sum() == 3  # one per evaluation
    summary = queries.indicator_summary(store, Filters(), name_contains="满意度").iloc[0]
    assert summary["n_lines"] == len(found)
    assert queries.indicator_summary(store, Filters()).iloc[0]["n_lines"] == len(everything)
    one_year = queries.indicator_page(
        store, Filters(years=(2021,)), limit=500, name_contains="满意度"
    )
    assert len(one_year) == 2  # the search narrows the filters, never widens them


def test_a_name_search_finds_names_written_in_traditional_characters(store: Store) -> None:
    files = seed_like([TRADITIONAL])
    files = [
        replace(
            item,
            data=item.data.replace("群众对干部的满意度".encode(), "群眾對幹部的滿意度".encode()),
        )
        if item.name == "indicators.csv"
        else item
        for item in files
    ]
    assert store.ingest(files, uploaded_by="tester").status == "stored"
    both = {"群众对干部的满意度", "群眾對幹部的滿意度"}
    for text in ("满意度", "滿意度"):
        found = queries.indicator_page(store, Filters(), limit=500, name_contains=text)
        assert set(found["name"]) == both and len(found) == 4
        assert queries.indicator_summary(store, Filters(), name_contains=text).iloc[0][
            "n_lines"
        ] == len(found)
        exported = queries.export_csv(
            store, "indicator_lines", Filters(), {"name": "三级指标"}, name_contains=text
        )
        rows = csv.DictReader(io.StringIO(exported.decode("utf-8-sig")))
        assert sorted(row["三级指标"] for row in rows) == sorted(
            [*both, *["群众对干部的满意度"] * 2]
        )


@pytest.mark.parametrize("text", ["%", "_", "满意%", "'; DELETE FROM evaluations; --", "满意度 "])
def test_a_name_search_is_plain_text_never_a_pattern_or_sql(store: Store, text: str) -> None:
    assert queries.indicator_page(store, Filters(), limit=500, name_contains=text).empty
    summary = queries.indicator_summary(store, Filters(), name_contains=text).iloc[0]
    assert summary["n_lines"] == 0
    exported = queries.export_csv(store, "indicator_lines", Filters(), name_contains=text)
    assert len(exported.decode("utf-8-sig").splitlines()) == 1  # the header alone
    assert len(queries.evaluations(store, Filters())) == 3


def test_the_csv_of_a_name_search_holds_the_lines_found(store: Store) -> None:
    exported = queries.export_csv(
        store, "indicator_lines", Filters(), {"name": "三级指标"}, name_contains="满意度"
    )
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert [row["三级指标"] for row in rows] == ["群众对干部的满意度"] * 3
    everything = queries.export_csv(store, "indicator_lines", Filters())
    assert len(everything.decode("utf-8-sig").splitlines()) == 1 + 3 * 9
