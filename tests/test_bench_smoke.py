"""The benchmark code paths at N = 20, so `make bench` cannot rot. No timing assertions."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.browser import CHROMIUM
from bench.generate import DEPARTMENTS, HEADERS, generate
from bench.pages import PAGES
from bench.run import RERUNS_PER_VIEWER, crowd_figure, markdown
from perfcore.engine import assess_paths

N = 20

# Codes the generator produces on purpose (real-table inconsistencies) or as plain notes.
DELIBERATE = {
    "SCORE_ABOVE_WEIGHT",
    "SCORE_DIFFERS",
    "NO_DEVIATION_REASON",
    "TARGET_TOO_LOW",
    "QUALITATIVE_OUT_OF_TIER",
    "QUALITATIVE_TIER_UNKNOWN",
    "FUNDS_ROWS_MISMATCH",
    "FUNDS_SCORE_DIFFERS",
    "FUNDS_IN_YUAN",
    "EXPENDITURES_MISMATCH",
    "TOTAL_MISMATCH",
    "GRADE_MISMATCH",
    "GRADE_LABEL_OLD",
    "PARENT_ROW",
    "WEIGHTS_NOT_100",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    return generate(N, seed=7, out=tmp_path_factory.mktemp("synthetic"), per_part=8)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_parts_hold_whole_evaluations_in_the_upload_format(generated) -> None:
    assert generated.evaluations == N
    assert len(generated.parts) == 3  # 8 + 8 + 4
    assert sum(generated.rows.values()) == sum(len(_rows(p)) for p in generated.files)
    for part in generated.parts:
        keys = set()
        for table, path in zip(HEADERS, part, strict=True):
            assert path.name.startswith("synthetic-") and path.name.endswith(f"-{table}.csv")
            with path.open(encoding="utf-8") as handle:
                assert tuple(next(csv.reader(handle))) == HEADERS[table]
            table_keys = {(r["年度"], r["部门"], r["项目名称"]) for r in _rows(path)}
            assert not keys or table_keys == keys, f"{path.name} has other evaluations"
            keys = table_keys


def test_every_name_says_synthetic(generated) -> None:
    assert all(d.startswith("合成-") for d in DEPARTMENTS)
    for path in generated.table_files("evaluations"):
        for row in _rows(path):
            assert row["部门"].startswith("合成-")
            assert row["项目名称"].startswith("合成数据")
            assert row["年度总体目标"].startswith("合成数据")


def test_same_seed_same_files_other_seed_other_files(generated, tmp_path: Path) -> None:
    again = generate(N, seed=7, out=tmp_path / "again", per_part=8)
    other = generate(N, seed=8, out=tmp_path / "other", per_part=8)
    for first, second in zip(generated.files, again.files, strict=True):
        assert first.read_bytes() == second.read_bytes()
    assert generated.files[3].read_bytes() != other.files[3].read_bytes()


def test_refuses_to_write_into_the_seed_folder() -> None:
    seed = Path(__file__).resolve().parents[1] / "data" / "seed"
    with pytest.raises(ValueError, match="data/seed"):
        generate(1, seed=1, out=seed / "synthetic")


def test_generated_files_assess_without_errors(generated) -> None:
    assessment = assess_paths(generated.files)
    assert len(assessment.results) == N
    codes = {f.code for _, f in assessment.all_findings()}
    assert not assessment.has_errors, [
        f for _, f in assessment.all_findings() if f.severity == "error"
    ]
    assert codes <= DELIBERATE, codes - DELIBERATE


def test_a_larger_set_has_the_real_table_mix(tmp_path: Path) -> None:
    """At a few hundred evaluations every deliberate inconsistency shows up at least once."""
    generated = generate(200, seed=3, out=tmp_path)
    text = "".join(p.read_text(encoding="utf-8") for p in generated.table_files("indicators"))
    for written in ("≥", "≤", "=", "%", "年底", "月前", "持续保证", "基本达成", "扣分:1"):
        assert written in text, written
    funds = "".join(p.read_text(encoding="utf-8") for p in generated.table_files("funds"))
    assert "元," in funds  # an amount in 元 inside a 万元 table
    codes = {f.code for _, f in assess_paths(generated.files).all_findings()}
    for code in (
        "SCORE_ABOVE_WEIGHT",
        "SCORE_DIFFERS",
        "NO_DEVIATION_REASON",
        "TARGET_TOO_LOW",
        "FUNDS_ROWS_MISMATCH",
        "FUNDS_IN_YUAN",
        "EXPENDITURES_MISMATCH",
        "TOTAL_MISMATCH",
    ):
        assert code in codes, code


def test_a_viewers_figure_is_the_median_of_its_runs() -> None:
    def run(median: float, p95: float, errors: int = 0, reruns: int = 200) -> dict:
        examples = ["TimeoutError: late"] * errors
        return {
            "viewers": 50, "reruns": reruns, "median_s": median, "p95_s": p95, "max_s": p95 + 1,
            "errors": errors, "error_examples": examples, "wall_s": 8.0, "reruns_per_s": 25.0,
        }  # fmt: skip

    figure = crowd_figure([run(1.9, 3.4), run(1.7, 2.6, errors=1, reruns=199), run(2.2, 2.9)])
    assert (figure["median_s"], figure["p95_s"], figure["max_s"]) == (1.9, 2.9, 4.4)
    assert figure["errors"] == 1 and figure["error_examples"] == ["TimeoutError: late"]
    assert figure["reruns"] == 199  # a run that lost a rerun is not hidden by the others
    assert [r["p95_s"] for r in figure["runs"]] == [3.4, 2.6, 2.9]


@pytest.mark.browser
def test_every_bench_path_runs_at_n_20(tmp_path: Path) -> None:
    """Generator, DuckDB load, assess, scoring, CLI ingest, AppTest pages, Chromium, websocket
    viewers and the README table, end to end at N = 20 (one run each, 2 and 3 viewers instead
    of 10 and 50 to stay quick; no timing asserted)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing; the browser part of the bench needs it")
    out = tmp_path / "results.json"
    # Its own process: Playwright's sync API refuses to start inside the asyncio loop that
    # pytest-playwright leaves running after any browser test in the same session.
    script = (
        "import sys; from pathlib import Path; from bench.run import run; "
        f"run([{N}], repeat=1, out=Path(sys.argv[1]), work=Path(sys.argv[2]), "
        "log=lambda _line: None, viewers=(2, 3))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, str(out), str(tmp_path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    size = results["sizes"][str(N)]
    assert size["duckdb_read_csv"]["rows"] == sum(size["rows"].values())
    assert size["python_csv_floor"]["rows"] == sum(size["rows"].values())
    assert size["assess"]["evaluations"] == N and size["ingest"]["evaluations"] == N
    assert set(size["pages"]["default"]) == set(size["pages"]["one_project"]) == set(PAGES)
    assert size["pages"]["project"].startswith("合成数据")
    assert set(size["paint"]) == {"总览", "指标得分"}
    assert all(paint["repeat_first_paint_s"] > 0 for paint in size["paint"].values())
    for paint in size["paint"].values():  # the page's own clock: before everything settled
        assert 0 < paint["in_page_first_paint_s"] < paint["settled_s"]
    for viewers in ("2", "3"):
        load = size["viewers"][viewers]
        assert load["errors"] == 0, load["error_examples"]
        assert load["reruns"] == int(viewers) * RERUNS_PER_VIEWER
        assert len(load["runs"]) == 1  # repeat=1
    assert size["app_peak_rss_bytes"] > 0 and size["db_bytes"] > 0
    # the copy holds every stored row: lines, three rule sets' scores, findings, files, log
    assert size["store_rewrite"]["rows"] > 3 * size["rows"]["indicators"]
    assert size["store_rewrite"]["floor_ratio_to_duckdb"] > 1
    # the least store: one rule set's scores, so fewer rows, but every line still
    own = size["own_rule_set_write"]
    assert size["rows"]["indicators"] < own["rows"] < size["store_rewrite"]["rows"]
    assert "without the other rule sets" in markdown(results)
    table = markdown(results)
    assert "N = 20" in table and "3 viewers" in table and "Targets at N = 20" in table
    assert "csv.reader over the same files (floor)" in table and "timed in the page" in table
    assert "any engine's floor" in table
    assert results["streamlit_floor_paint_s"] > 0 and "Streamlit's own floor" in table
    assert results["streamlit_floor_repeat_paint_s"] > 0 and "scripts cached" in table
    assert results["streamlit_floor_viewers"]["reruns"] == 3 * RERUNS_PER_VIEWER
    assert results["streamlit_floor_viewers"]["errors"] == 0


def test_the_readme_table_is_the_one_bench_results_json_gives() -> None:
    """`python -m bench.run --markdown` of the committed results, verbatim in the README."""
    root = Path(__file__).resolve().parents[1]
    results = json.loads((root / "bench" / "results.json").read_text(encoding="utf-8"))
    assert markdown(results) in (root / "README.md").read_text(encoding="utf-8")
