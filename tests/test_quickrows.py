"""The reader's fast path for indicator rows (perfcore/quickrows.py) reads exactly what the
full way reads, and takes the rows it should: every upload here is read both ways."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal
from pathlib import Path

import pytest

from bench.generate import generate
from perfcore.headers import TableKind, read_header
from perfcore.model import UploadFile
from perfcore.quickrows import quick_reader
from perfcore.reader import read_uploads
from perfcore.rows import Columns
from perfcore.store import SEED_DIR

REAL = Path(__file__).parent / "fixtures" / "real"
HEADER = [
    "年度",
    "部门",
    "项目名称",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
    "评分方法",
]
WELL_FORMED = (
    "2023",
    "合成-测试局",
    "合成数据-项目",
    "产出指标",
    "数量指标",
    "培训场次",
    "≥15场",
    "13场",
    "5",
    "4.33",
    "需求低于预期",
    "",
)


def _files(folder: Path) -> list[UploadFile]:
    return [UploadFile(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]


def _both_ways(files: list[UploadFile]) -> None:
    quick, full = read_uploads(files), read_uploads(files, quick=False)
    assert quick.findings == full.findings
    assert quick.evaluations == full.evaluations


def test_seed_and_real_tables_read_alike() -> None:
    _both_ways(_files(SEED_DIR))
    for folder in sorted(p for p in REAL.iterdir() if p.is_dir()):
        _both_ways(_files(folder))


def test_a_synthetic_upload_with_its_inconsistencies_reads_alike(tmp_path: Path) -> None:
    generated = generate(300, seed=11, out=tmp_path, per_part=300)
    _both_ways(_files(tmp_path))
    assert generated.rows["indicators"] > 5_000


# Cells a clerk writes that need a finding, a note or the filling down of merged cells.
AWKWARD = {
    "year": ["", "二〇二三", "2023年度", "23"],
    "department": ["", "/", "合成-測試局"],
    "level1": ["", "產出指標", "效益指标(30分)", "/"],
    "level2": ["", "質量指標", "数量指标"],
    "name": ["", "—", "培训场次", "滿意度", " 培训　场次 ", "ＡＰＰ使用率"],
    "target": ["", "/", "不适用", "≥１５场", "2023年底", "持续保证"],
    "actual": ["", "/", "不适用", "部分完成", "16"],
    "weight": ["", "/", "五", "5分", "１０", "-", "3.0"],
    "score_reported": ["", "abc", "4.330", "/"],
    "method": ["比例", "扣分：1", "扣分:x", "定性", "汇總", "不详"],
    "deviation_reason": [" 需求低于预期 ", "\t无", "　"],
}
COLUMN = {name: HEADER.index(title) for name, title in zip(
    ("year", "department", "level1", "level2", "name", "target", "actual", "weight",
     "score_reported", "method", "deviation_reason"),
    ("年度", "部门", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
     "得分", "评分方法", "偏差原因分析及改进措施"),
    strict=True,
)}  # fmt: skip


def _awkward_table(seed: int, rows: int) -> bytes:
    """Well-formed rows with, now and then, an awkward cell, a repeated row or a short row."""
    pick = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    previous: list[str] = list(WELL_FORMED)
    for number in range(rows):
        cells = list(WELL_FORMED)
        cells[2] = f"合成数据-项目-{number // 12}"
        cells[COLUMN["name"]] = f"指标{number % 12}"
        roll = pick.random()
        if roll < 0.05:
            cells = list(previous)  # the same indicator twice
        elif roll < 0.08:
            cells = cells[: pick.randrange(3, len(cells))]  # a row cut short
        elif roll < 0.6:
            for _ in range(pick.randrange(1, 3)):
                field = pick.choice(sorted(AWKWARD))
                cells[COLUMN[field]] = pick.choice(AWKWARD[field])
        writer.writerow(cells)
        previous = cells
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("seed", range(6))
def test_awkward_cells_read_alike(seed: int) -> None:
    _both_ways([UploadFile("指标.csv", _awkward_table(seed, 600))])


def _columns(header: list[str]) -> Columns:
    headers = [read_header(title) for title in header]
    index = {h.field: i for i, h in enumerate(headers) if h.field is not None}
    return Columns("指标.csv", index, {f: headers[i] for f, i in index.items()})


def test_the_fast_path_takes_a_well_formed_row_and_leaves_the_rest() -> None:
    read = quick_reader(TableKind.INDICATORS, _columns(HEADER))
    assert read is not None
    key, line = read(2, WELL_FORMED, {})
    assert (key.year, line.name, line.weight, line.location.row) == (2023, "培训场次", 5, 2)
    for field, value in [
        ("weight", "五"),  # NUMBER_INVALID
        ("level1", "產出指標"),  # a traditional name: the file gets a note
        ("name", ""),  # CELL_MISSING
        ("method", "不详"),  # METHOD_UNKNOWN
        ("year", ""),  # KEY_MISSING
    ]:
        cells = list(WELL_FORMED)
        cells[COLUMN[field]] = value
        assert read(2, tuple(cells), {}) is None, field
    placeholder = list(WELL_FORMED)
    for field in ("target", "actual", "weight", "score_reported"):
        placeholder[COLUMN[field]] = "/"
    assert read(2, tuple(placeholder), {}) is None
    _, short = read(2, WELL_FORMED[:10], {})  # cut short: the cells past its end read blank
    assert (short.deviation_reason, short.method) == ("", None)


def test_merged_level_cells_are_filled_down_from_the_row_above() -> None:
    read = quick_reader(TableKind.INDICATORS, _columns(HEADER))
    assert read is not None
    cells = list(WELL_FORMED)
    cells[COLUMN["level1"]] = cells[COLUMN["level2"]] = ""
    key, _ = read(2, WELL_FORMED, {})
    _, line = read(3, tuple(cells), {key: ("效益指标", "社会效益指标")})
    assert (line.level1, line.level2) == ("效益指标", "社会效益指标")
    assert read(3, tuple(cells), {}) is None  # nothing above: CELL_MISSING


def test_split_target_columns_are_left_to_the_full_way() -> None:
    split = [*HEADER[:6], "指标性质", "年度指标值", "度量单位", *HEADER[7:]]
    assert quick_reader(TableKind.INDICATORS, _columns(split)) is None


FUNDS_HEADER = ["年度", "部门", "项目名称", "资金来源", "年初预算数", "全年预算数", "全年执行数",
                "分值", "执行率", "得分"]  # fmt: skip
SPENDING_HEADER = ["年度", "部门", "项目名称", "明细项目", "全年执行数", "全年预算数"]
MONEY = ["", "/", "12.5", "1,234.56", "3000元", "2.5万元", "12.5千元", "abc", "5个"]
AWKWARD_FUNDS = {
    "资金来源": ["年度资金总额", "当年财政拨款", "其中：上年结转", "年度資金總額", "自筹", "", "/"],
    "年初预算数": MONEY,
    "全年预算数": MONEY,
    "全年执行数": MONEY,
    "分值": ["", "10", "十", "10分"],
    "执行率": ["", "86%", "0.862", "86", "86元", "百分之八十"],
    "得分": ["", "9.5", "x"],
    "明细项目": ["", "/", "会议费", " 差旅 费 "],
}


def _awkward_money_table(header: list[str], seed: int, rows: int, unit_line: str = "") -> bytes:
    """Funds or spending rows, well formed but for an awkward cell now and then."""
    pick = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    if unit_line:
        writer.writerow([unit_line])
    writer.writerow(header)
    sources = AWKWARD_FUNDS["资金来源"][:3]
    for number in range(rows):
        cells = dict.fromkeys(header, "")
        cells.update({"年度": "2023", "部门": "合成-测试局", "项目名称": f"合成数据-{number // 3}"})
        cells.update({"资金来源": sources[number % 3], "明细项目": f"项目{number % 3}"})
        cells.update({"年初预算数": "100", "全年预算数": "120.5", "全年执行数": "110"})
        cells.update({"分值": "10", "执行率": "91.29%", "得分": "9.13"})
        if pick.random() < 0.5:
            field = pick.choice([h for h in header if h in AWKWARD_FUNDS])
            cells[field] = pick.choice(AWKWARD_FUNDS[field])
        if pick.random() < 0.03:
            cells["年度"] = ""
        writer.writerow([cells[h] for h in header])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("unit_line", ["", "单位：元"])
def test_awkward_funds_and_spending_read_alike(seed: int, unit_line: str) -> None:
    funds = _awkward_money_table(FUNDS_HEADER, seed, 300, unit_line)
    spending = _awkward_money_table(SPENDING_HEADER, seed, 300, unit_line)
    _both_ways([UploadFile("资金.csv", funds), UploadFile("支出明细.csv", spending)])


def test_plain_funds_and_spending_rows_take_the_fast_path() -> None:
    funds = quick_reader(TableKind.FUNDS, _columns(FUNDS_HEADER))
    spending = quick_reader(TableKind.EXPENDITURES, _columns(SPENDING_HEADER))
    assert funds is not None and spending is not None
    key = ("2023", "合成-测试局", "合成数据-1")
    _, line = funds(3, (*key, "当年财政拨款", "100", "120.5", "110", "", "91.29%", ""), {})
    assert (line.executed, line.execution_rate_reported, line.location.row) == (
        110,
        Decimal("0.9129"),
        3,
    )
    _, item = spending(4, (*key, "会议费", "12.5", ""), {})
    assert (item.item, item.executed, item.annual_budget) == ("会议费", Decimal("12.5"), None)
    assert funds(3, (*key, "年度資金總額", "100", "120", "110", "10", "", ""), {}) is None
    assert funds(3, (*key, "当年财政拨款", "100", "120", "3000元", "", "", ""), {}) is None
    assert spending(4, (*key, "会议费", "", "12"), {}) is None  # CELL_MISSING
    assert quick_reader(TableKind.EVALUATIONS, _columns(FUNDS_HEADER)) is None
