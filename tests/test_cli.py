"""`python -m perfcore` as users and scripts call it (DESIGN §5), in a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = [str(p) for p in sorted((ROOT / "data" / "seed").glob("*.csv"))]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "perfcore", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_score_json_on_the_seed():
    proc = run("score", *SEED, "--json")
    assert proc.returncode == 0, proc.stderr
    (item,) = json.loads(proc.stdout)
    assert item["total_reported"] == 97.13
    assert item["total_computed"] == 97.13
    assert item["grade_computed"] == "优"
    assert item["grade_reported"] == "优秀"
    assert item["execution_rate"] == 1.0
    assert item["rule_set"] == "national"
    assert (item["year"], item["department"]) == (2022, "中共益阳市委组织部")
    codes = {f["code"]: f for f in item["findings"]}
    assert codes["TARGET_TOO_LOW"]["severity"] == "warning"
    assert codes["TARGET_TOO_LOW"]["location"]["row"] == 4
    assert not [f for f in item["findings"] if f["severity"] == "error"]
    for f in item["findings"]:
        assert set(f) == {"severity", "code", "message", "message_en", "location"}


def test_score_readable_summary_in_chinese():
    proc = run("score", *SEED)
    assert proc.returncode == 0
    assert "自评得分 97.13（优秀）" in proc.stdout
    assert "复核得分 97.13（优）" in proc.stdout


def test_validate_exits_1_on_errors(tmp_path):
    bad = tmp_path / "funds.csv"
    bad.write_text(
        "年度,部门,项目名称,资金来源,全年预算数,全年执行数\n2022,甲,乙,年度资金总额,abc,1\n",
        "utf-8",
    )
    proc = run("validate", str(bad))
    assert proc.returncode == 1
    assert "第 2 行" in proc.stdout and "全年预算数" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_validate_clean_seed_exits_0():
    assert run("validate", *SEED).returncode == 0


def test_missing_file_is_a_message_not_a_traceback():
    proc = run("validate", "nope.csv")
    assert proc.returncode == 1
    assert "找不到文件" in proc.stderr and "Traceback" not in proc.stderr


def test_rule_set_option():
    proc = run("score", *SEED, "--json", "--rule-set", "hubei")
    (item,) = json.loads(proc.stdout)
    assert item["rule_set"] == "hubei"
    qualitative = [i for i in item["indicators"] if i["rule"] == "qualitative"]
    assert qualitative and all("达成预期指标" in i["explanation"] for i in qualitative)


def _into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI with stdout a pipe whose reader has already gone (`… | head -1` at worst)."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [sys.executable, "-m", "perfcore", *args],
            cwd=ROOT,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)


def test_a_closed_output_pipe_ends_quietly():
    real_08 = sorted(
        str(p) for p in (ROOT / "tests/fixtures/real/08-lijiang-guchengqu-weipian").glob("*.csv")
    )
    for args in (("validate", *real_08), ("score", *SEED, "--json")):
        proc = _into_a_closed_pipe(*args)
        assert proc.stderr == "", proc.stderr
        assert proc.returncode == 141  # 128 + SIGPIPE, as a shell reports it; not "errors found"


def test_readable_errors_carry_their_english_detail_warnings_stay_one_line(tmp_path):
    bad = tmp_path / "funds.csv"
    bad.write_text(
        "年度,部门,项目名称,资金来源,全年预算数,全年执行数\n2022,甲,乙,年度资金总额,abc,1\n",
        "utf-8",
    )
    lines = run("validate", str(bad)).stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "错误 NUMBER_INVALID" in line)
    assert lines[at + 1].strip().startswith("en: file 'funds.csv', row 2, column '全年预算数'")
    assert "'abc'" in lines[at + 1]
    warning = next(i for i, line in enumerate(lines) if "警告 FUNDS_MISSING" in line)
    assert not lines[warning + 1].strip().startswith("en:")
    seed = run("score", *SEED).stdout
    assert "警告 TARGET_TOO_LOW" in seed and "en:" not in seed
