"""The CLI's readable summary: every evaluation for a small upload, a digest for a large one,
and a progress line only on a terminal."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import generate
from perfcore import cli
from perfcore.cli_text import LISTED_EVALUATIONS, WIDEST_GAPS, print_summary
from perfcore.engine import Assessment, assess_paths
from perfcore.progress import on_terminal

EVALUATIONS = LISTED_EVALUATIONS + 10


@pytest.fixture(scope="module")
def large_upload(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(EVALUATIONS, seed=5, out=tmp_path_factory.mktemp("digest")).files


@pytest.fixture(scope="module")
def large(large_upload: list[Path]) -> Assessment:
    return assess_paths(large_upload)


def _summary(assessment: Assessment, *, full: bool = False) -> str:
    out = io.StringIO()
    print_summary(assessment, out, full=full)
    return out.getvalue()


def test_a_large_upload_gets_counts_by_code_grades_and_the_widest_gaps(large: Assessment) -> None:
    text = _summary(large)
    assert f"评价较多（{EVALUATIONS} 个），以下为汇总" in text and "--full" in text
    assert "自评得分 " not in text  # no evaluation listed one by one
    counted = Counter(f.code for r in large.results for f in r.findings)
    for code, n in counted.items():
        assert re.search(rf"{code}（[^）]+）：{n:,} 条", text), code
    grades = Counter(r.grade_computed for r in large.results)
    assert "复核等级：" + "，".join(f"{g} {n:,} 个" for g, n in grades.most_common()) in text
    gaps = [float(g) for g in re.findall(r"相差 ([\d.]+)", text)]
    assert 0 < len(gaps) <= WIDEST_GAPS and gaps == sorted(gaps, reverse=True)
    widest = max(r.total_reported - r.total_computed for r in large.results if r.total_reported)
    assert gaps[0] == pytest.approx(float(widest))
    assert text.endswith(f"共 {EVALUATIONS} 个评价，0 个错误。\n")


def test_full_lists_every_evaluation_and_finding(large: Assessment) -> None:
    text = _summary(large, full=True)
    assert text.count("  自评得分 ") == EVALUATIONS
    assert all(f.message in text for r in large.results for f in r.findings)
    assert "评价较多" not in text


def test_cli_ingest_of_a_large_upload_prints_the_digest_and_no_progress_off_a_terminal(
    large_upload: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.duckdb")
    assert cli.main(["ingest", *map(str, large_upload), "--db", db, "--user", "erin"]) == 0
    captured = capsys.readouterr()
    assert f"{EVALUATIONS} 个评价，均为当前版本（第 1 版 {EVALUATIONS} 个）" in captured.out
    assert " → 第 1 版（当前）" not in captured.out
    assert captured.err == ""  # not a terminal: no progress line in logs and pipes
    assert cli.main(["validate", *map(str, large_upload), "--full"]) == 0
    assert capsys.readouterr().out.count("  自评得分 ") == EVALUATIONS


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_one_line_rewritten_on_a_terminal_and_cleared_after() -> None:
    screen = _Terminal()
    with on_terminal(screen, every_s=0.0) as report:
        assert report is not None
        report(0.5, "正在复核：1/2 个评价…")
        report(1.0, "正在复核：2/2 个评价…")
    assert screen.getvalue() == (
        "\r\x1b[K 50% 正在复核：1/2 个评价…\r\x1b[K100% 正在复核：2/2 个评价…\r\x1b[K"
    )
    with on_terminal(io.StringIO()) as report:
        assert report is None


def test_a_finding_line_names_its_place_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "年度,部门,项目名称,一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分\n"
        "2022,甲,乙,产出指标,数量指标,培训,≥10次,8次,abc,5\n",
        encoding="utf-8",
    )
    text = _summary(assess_paths([bad]))
    place = "文件「bad.csv」，第 2 行，「分值」列"
    [error] = [line for line in text.splitlines() if "NUMBER_INVALID" in line]
    assert error.count(place) == 1 and error.startswith("  错误 NUMBER_INVALID " + place)
    [kept] = [line for line in text.splitlines() if "WEIGHT_MISSING" in line]
    assert f"［{place}］" in kept  # a scoring finding's message does not say where: the line does
