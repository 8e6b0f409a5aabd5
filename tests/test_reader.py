"""The reader: the seed in every format a clerk may send, the five real tables, and bad files.

Bad files each get one test that pins the code, the Excel row, the column and that the Chinese
message names them: that message is what the user reads to fix the file.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfcore.codes import CODES
from perfcore.model import Evaluation, Finding, FundsSource, ReadResult, UploadFile, ValueKind
from perfcore.reader import read_paths, read_uploads

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "seed"
REAL_DIR = Path(__file__).resolve().parent / "fixtures" / "real"
TABLES = ("evaluations", "funds", "indicators", "expenditures")
SHEET_NAMES = {
    "evaluations": "评价信息",
    "funds": "资金",
    "indicators": "指标",
    "expenditures": "支出明细",
}
KEY = ["2022", "中共益阳市委组织部", "业务工作开展专项经费"]


# --- helpers -------------------------------------------------------------------------------


def seed_rows(table: str) -> list[list[str]]:
    text = (SEED_DIR / f"{table}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def csv_file(name: str, rows: list[list[str]], encoding: str = "utf-8") -> UploadFile:
    return UploadFile(name, csv_text(rows).encode(encoding))


def seed_files(encoding: str = "utf-8", delimiter: str = ",", newline: str = "\n") -> list:
    return [
        UploadFile(f"{t}.csv", csv_text(seed_rows(t), delimiter, newline).encode(encoding))
        for t in TABLES
    ]


def workbook(sheets: dict[str, list[list[str]]], typed: bool = True) -> bytes:
    """An .xlsx as Excel would save it: numbers as numbers, percentages as 0% cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(r, c)
                cell.value = _typed(value) if typed and r > 1 else (value or None)
                if typed and r > 1 and value.endswith("%") and _is_number(value[:-1]):
                    cell.number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return bool(text)


def _typed(value: str) -> object:
    if value.endswith("%") and _is_number(value[:-1]):
        return float(Decimal(value[:-1]) / 100)
    if _is_number(value):
        return int(value) if value.isdigit() else float(value)
    return value or None


def bare(evaluation: Evaluation) -> Evaluation:
    """The evaluation without where it came from, to compare readings of different formats."""
    return dataclasses.replace(
        evaluation,
        source_files=(),
        funds=tuple(dataclasses.replace(x, location=None) for x in evaluation.funds),
        indicators=tuple(dataclasses.replace(x, location=None) for x in evaluation.indicators),
        expenditures=tuple(dataclasses.replace(x, location=None) for x in evaluation.expenditures),
    )


def errors(result: ReadResult) -> list[Finding]:
    return [f for f in result.findings if f.severity == "error"]


def only_error(result: ReadResult) -> Finding:
    found = errors(result)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def codes(result: ReadResult) -> list[str]:
    return [f.code for f in result.findings]


@pytest.fixture(scope="module")
def seed() -> Evaluation:
    result = read_paths(sorted(SEED_DIR.glob("*.csv")))
    assert not errors(result), [f.message for f in errors(result)]
    (evaluation,) = result.evaluations
    return evaluation


# --- the seed --------------------------------------------------------------------------------


def test_seed_reads_as_one_complete_evaluation(seed: Evaluation) -> None:
    assert (seed.key.year, seed.key.department, seed.key.project) == tuple([2022, *KEY[1:]])
    assert len(seed.funds) == 4
    assert len(seed.indicators) == 9
    assert len(seed.expenditures) == 18
    assert sum(e.executed for e in seed.expenditures) == Decimal("261.46")
    assert seed.total_reported == Decimal("97.13")
    assert seed.grade_reported == "优秀"
    assert seed.rule_set == "national"
    assert seed.kind == "项目支出"
    assert seed.source_files == tuple(sorted(f"{t}.csv" for t in TABLES))


def test_seed_funds_and_indicator_cells(seed: Evaluation) -> None:
    total = seed.funds[0]
    assert total.source is FundsSource.TOTAL
    assert (total.initial_budget, total.annual_budget, total.executed) == (
        Decimal("155.68"),
        Decimal("261.46"),
        Decimal("261.46"),
    )
    assert total.execution_rate_reported == Decimal(1)
    assert (total.weight, total.score_reported) == (Decimal(10), Decimal(10))
    other = seed.funds[3]
    assert other.source is FundsSource.OTHER and other.annual_budget is None
    deadline = seed.indicators[4]
    assert deadline.name == "经费支付时限"
    assert deadline.method == "扣分:1"
    assert deadline.score_reported == Decimal("7.13")
    assert deadline.location is not None
    assert (deadline.location.file, deadline.location.row) == ("indicators.csv", 6)
    assert seed.indicators[2].target.number == Decimal(6)
    assert seed.indicators[6].target.kind is ValueKind.QUALITATIVE


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [
        ("gbk", ",", "\n"),
        ("gb18030", ",", "\n"),
        ("utf-8-sig", ",", "\n"),
        ("utf-16", "\t", "\r\n"),  # Excel "Unicode text"
        ("utf-16-le", ",", "\r\n"),  # UTF-16 saved without a byte order mark
        ("utf-16-be", "\t", "\n"),
        ("utf-8", ",", "\r\n"),
    ],
)
def test_seed_in_any_encoding_reads_the_same(
    seed: Evaluation, encoding: str, delimiter: str, newline: str
) -> None:
    result = read_uploads(seed_files(encoding, delimiter, newline))
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]
    guessed = encoding not in ("utf-8", "utf-8-sig")
    assert ("ENCODING_GUESSED" in codes(result)) is guessed


def test_seed_as_one_workbook_with_chinese_sheet_names(seed: Evaluation) -> None:
    data = workbook({SHEET_NAMES[t]: seed_rows(t) for t in TABLES})
    result = read_uploads([UploadFile("自评表.xlsx", data)])
    assert not errors(result), [f.message for f in errors(result)]
    assert [bare(e) for e in result.evaluations] == [bare(seed)]
    funds_file = result.evaluations[0].funds[0].location.file
    assert funds_file == "自评表.xlsx › 资金"


def test_seed_as_a_zip_of_csv_files(seed: Evaluation) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for t in TABLES:
            archive.writestr(f"{t}.csv", (SEED_DIR / f"{t}.csv").read_bytes())
    result = read_uploads([UploadFile("upload.zip", out.getvalue())])
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]
    assert "upload.zip › indicators.csv" in result.evaluations[0].source_files


def test_seed_with_english_alias_headers(seed: Evaluation) -> None:
    aliases = {
        "evaluations": "year,department,project,authority,implementer,kind,goal_expected,"
        "goal_actual,total_reported,grade_reported,rule_set",
        "funds": "year,department,project,source,initial_budget,annual_budget,executed,weight,"
        "execution_rate,score_reported",
        "indicators": "year,department,project,level1,level2,name,target,actual,weight,"
        "score_reported,deviation_reason,method",
        "expenditures": "year,department,project,item,executed,annual_budget",
    }
    files = [csv_file(f"{t}.csv", [aliases[t].split(","), *seed_rows(t)[1:]]) for t in TABLES]
    result = read_uploads(files)
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]


def test_seed_with_a_title_row_above_the_header(seed: Evaluation) -> None:
    files = [
        csv_file(f"{t}.csv", [["项目支出绩效自评表（2022年度）"], ["单位：万元"], *seed_rows(t)])
        for t in TABLES
    ]
    result = read_uploads(files)
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]
    # Rows are the real sheet rows: header on row 3, first data row on row 4.
    assert result.evaluations[0].funds[0].location.row == 4


def test_a_renamed_workbook_is_read_as_a_workbook(seed: Evaluation) -> None:
    data = workbook({SHEET_NAMES[t]: seed_rows(t) for t in TABLES})
    result = read_uploads([UploadFile("indicators.csv", data)])
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]


def test_sheets_detected_by_header_and_other_sheets_ignored(seed: Evaluation) -> None:
    sheets = {f"Sheet{i}": seed_rows(t) for i, t in enumerate(TABLES, start=1)}
    sheets["填表说明"] = [["请按模板填写"], ["金额单位：万元"]]
    sheets["空白"] = []
    result = read_uploads([UploadFile("book.xlsx", workbook(sheets))])
    assert not errors(result)
    assert [bare(e) for e in result.evaluations] == [bare(seed)]
    ignored = [f for f in result.findings if f.code == "SHEET_IGNORED"]
    assert [f.location.file for f in ignored] == ["book.xlsx › 填表说明", "book.xlsx › 空白"]
    assert "填表说明" in ignored[0].message


# --- the five real tables ------------------------------------------------------------------


def read_real(name: str) -> ReadResult:
    return read_paths(sorted((REAL_DIR / name).glob("*.csv")))


@pytest.mark.parametrize(
    ("name", "funds", "indicators", "expenditures"),
    [
        ("04-langfang-shipin-nuantong", 4, 9, 0),
        ("05-tangxi-cunji-yunzhuan", 4, 8, 5),
        ("06-jinzhai-chagu-bumenzhengti", 4, 8, 0),
        ("07-longyang-huafei-jianliang", 1, 14, 0),
        ("08-lijiang-guchengqu-weipian", 4, 5, 0),
    ],
)
def test_real_tables_read_without_errors(
    name: str, funds: int, indicators: int, expenditures: int
) -> None:
    result = read_real(name)
    assert not errors(result), [f.message for f in errors(result)]
    (evaluation,) = result.evaluations
    counts = (len(evaluation.funds), len(evaluation.indicators), len(evaluation.expenditures))
    assert counts == (funds, indicators, expenditures)
    assert {i.level1 for i in evaluation.indicators} <= {"产出指标", "效益指标", "满意度指标"}


def test_real_04_placeholder_rows_merged_levels_and_literal_zero() -> None:
    result = read_real("04-langfang-shipin-nuantong")
    skipped = [f for f in result.findings if f.code == "ROW_NOT_APPLICABLE"]
    assert [f.location.row for f in skipped] == [9, 12, 13]
    assert "第 9 行" in skipped[0].message
    (evaluation,) = result.evaluations
    assert [(i.level1, i.level2) for i in evaluation.indicators[1:3]] == [
        ("产出指标", "质量指标"),
        ("产出指标", "质量指标"),
    ]
    assert evaluation.indicators[5].deviation_reason == "0"
    assert evaluation.funds[0].execution_rate_reported == Decimal("0.86")
    assert evaluation.funds[0].score_reported == Decimal(9)
    assert evaluation.funds[1].source is FundsSource.APPROPRIATION  # 其中:当年财政拨款
    assert "ENCODING_GUESSED" in codes(result)  # saved as GBK


def test_real_05_zero_total_row_and_spending_in_yuan() -> None:
    result = read_real("05-tangxi-cunji-yunzhuan")
    (evaluation,) = result.evaluations
    total, appropriation = evaluation.funds[:2]
    assert (total.source, total.annual_budget, total.executed) == (
        FundsSource.TOTAL,
        Decimal(0),
        Decimal(0),
    )
    assert appropriation.source is FundsSource.APPROPRIATION  # printed 其中:本年财政拨款
    assert appropriation.executed == Decimal("132.912")
    assert evaluation.expenditures[0].executed == Decimal("43.912067")
    assert sum(e.executed for e in evaluation.expenditures) == Decimal("132.912067")
    assert "FUNDS_IN_YUAN" in codes(result)
    assert evaluation.indicators[0].level1 == "产出指标"  # printed 产出指标(50分)
    assert evaluation.indicators[0].target.number == Decimal(8)


def test_real_06_whole_department_over_execution_and_month_deadlines() -> None:
    (evaluation,) = read_real("06-jinzhai-chagu-bumenzhengti").evaluations
    assert evaluation.kind == "部门整体"
    total = evaluation.funds[0]
    assert total.execution_rate_reported == Decimal("1.0259")
    assert total.score_reported is None
    assert evaluation.indicators[0].weight == Decimal(10)  # printed under 权重
    assert evaluation.indicators[6].target.kind is ValueKind.DEADLINE


def test_real_07_yunnan_titles_blank_weights_and_parent_rows() -> None:
    result = read_real("07-longyang-huafei-jianliang")
    (evaluation,) = result.evaluations
    (funds,) = evaluation.funds
    assert funds.source is FundsSource.TOTAL  # printed 年度财政资金总额
    assert (funds.annual_budget, funds.executed) == (Decimal("278.4449"), Decimal(30))
    assert (funds.weight, funds.score_reported) == (Decimal(20), Decimal("2.16"))
    assert funds.execution_rate_reported == Decimal("0.1077")
    assert funds.location.row == 4  # two title rows above the header
    parent = evaluation.indicators[0]
    assert parent.name == "一、示范区建立"
    assert parent.method is None  # the scorer must detect parent rows itself
    assert parent.score_reported == Decimal(15)
    assert all(i.weight is None for i in evaluation.indicators)
    assert parent.target.number == Decimal(20000)  # ≧20000亩


def test_real_08_traditional_headers_and_split_target() -> None:
    result = read_real("08-lijiang-guchengqu-weipian")
    (evaluation,) = result.evaluations
    assert "TRADITIONAL_CHARS" in codes(result)
    assert [i.level1 for i in evaluation.indicators] == [
        "产出指标",
        "产出指标",
        "产出指标",
        "效益指标",
        "满意度指标",
    ]
    assert evaluation.funds[1].source is FundsSource.APPROPRIATION  # 其中：當年財政撥款
    assert evaluation.funds[0].annual_budget == Decimal("7.29")  # 全年預算數（萬元）
    money = evaluation.indicators[0]
    assert (money.target.number, money.target.unit) == (Decimal(72890), "元")
    assert money.target.operator is not None and money.target.operator.value == "="
    assert evaluation.indicators[3].target.operator.value == "≥"
    assert evaluation.indicators[4].score_reported is None


# --- other good inputs -----------------------------------------------------------------------


def indicator_rows(*rows: list[str]) -> list[list[str]]:
    header = seed_rows("indicators")[0]
    return [header, *[[*KEY, *row] for row in rows]]


GOOD_INDICATOR = ["产出指标", "数量指标", "开展学习及活动次数", "≥6次", "30次", "6", "6", "", ""]


def test_years_written_with_nian_and_nian_du_are_accepted() -> None:
    rows = indicator_rows(GOOD_INDICATOR)
    rows[1][0] = "２０２２年度"
    result = read_uploads([csv_file("i.csv", rows)])
    assert not errors(result)
    assert result.evaluations[0].key.year == 2022


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("扣分：1", "扣分:1"),
        ("扣分: 0.5", "扣分:0.5"),
        ("汇总", "汇总"),
        ("彙總", "汇总"),
        ("/", None),
    ],
)
def test_methods_are_kept_normalised(written: str, kept: str | None) -> None:
    result = read_uploads([csv_file("i.csv", indicator_rows([*GOOD_INDICATOR[:-1], written]))])
    assert not errors(result)
    assert result.evaluations[0].indicators[0].method == kept


def test_funds_header_in_yuan_converts_to_wan() -> None:
    rows = [
        ["年度", "部门", "项目名称", "资金来源", "全年预算数（元）", "全年执行数（元）"],
        [*KEY, "年度资金总额", "2,614,600", "2614600"],
    ]
    result = read_uploads(
        [csv_file("f.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    total = result.evaluations[0].funds[0]
    assert (total.annual_budget, total.executed) == (Decimal("261.46"), Decimal("261.46"))
    assert "FUNDS_IN_YUAN" in codes(result)


def _amounts(line) -> tuple:
    return line.initial_budget, line.annual_budget, line.executed


FUNDS_HEADER = ["年度", "部门", "项目名称", "资金来源", "年初预算数", "全年预算数", "全年执行数"]
FUNDS_IN_YUAN_ROW = [*KEY, "年度资金总额", "2614600", "2,614,600", "2614600"]


@pytest.mark.parametrize(
    "title",
    [
        ["项目资金（单位：元）"],
        ["单位：元"],
        ["", "", "金额单位: 元"],
        ["（单位：元）", "", "2022年度"],
    ],
)
def test_funds_unit_in_a_title_line_above_the_header_converts_to_wan(title: list[str]) -> None:
    rows = [["项目支出绩效自评表"], title, FUNDS_HEADER, FUNDS_IN_YUAN_ROW]
    result = read_uploads(
        [csv_file("f.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    total = result.evaluations[0].funds[0]
    assert _amounts(total) == (Decimal("261.46"),) * 3
    assert total.location.row == 4
    (note,) = [f for f in result.findings if f.code == "FUNDS_IN_YUAN"]
    assert "f.csv" in note.message and "万元" in note.message


@pytest.mark.parametrize(
    ("title", "header"),
    [
        (["单位：千元"], FUNDS_HEADER),
        (
            [""],
            [*FUNDS_HEADER[:4], "年初预算数（千元）", "全年预算数（千元）", "全年执行数（千元）"],
        ),
    ],
)
def test_funds_in_thousands_of_yuan_convert_to_wan_and_say_so(
    title: list[str], header: list[str]
) -> None:
    rows = [title, header, [*KEY, "年度资金总额", "2614.6", "2,614.6", "2614.6"]]
    result = read_uploads(
        [csv_file("f.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    assert _amounts(result.evaluations[0].funds[0]) == (Decimal("261.46"),) * 3
    (note,) = [f for f in result.findings if f.code == "FUNDS_IN_YUAN"]
    assert note.message == "文件「f.csv」中的金额以千元填报，已换算为万元"


def test_spending_unit_in_a_title_line_converts_to_wan() -> None:
    rows = [
        ["支出明细（单位：元）"],
        ["年度", "部门", "项目名称", "明细项目", "全年执行数"],
        [*KEY, "培训费", "15,000"],
    ]
    result = read_uploads(
        [csv_file("x.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    assert result.evaluations[0].expenditures[0].executed == Decimal("1.5")
    assert "FUNDS_IN_YUAN" in codes(result)


@pytest.mark.parametrize(
    "title",
    [
        ["单位：万元"],
        ["项目资金（单位:万元）"],
        ["填报单位：元宝山区财政局"],
        ["说明：单位元旦前报送"],
    ],
)
def test_funds_title_line_in_wan_or_without_a_unit_keeps_wan(title: list[str]) -> None:
    rows = [title, FUNDS_HEADER, [*KEY, "年度资金总额", "261.46", "261.46", "261.46"]]
    result = read_uploads(
        [csv_file("f.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    assert result.evaluations[0].funds[0].annual_budget == Decimal("261.46")
    assert "FUNDS_IN_YUAN" not in codes(result)


def test_a_column_title_unit_wins_over_the_title_line() -> None:
    header = [*FUNDS_HEADER[:5], "全年预算数（万元）", "全年执行数（万元）"]
    rows = [["单位：元"], header, [*KEY, "年度资金总额", "2614600", "261.46", "261.46"]]
    result = read_uploads(
        [csv_file("f.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    assert not errors(result)
    total = result.evaluations[0].funds[0]
    assert _amounts(total) == (Decimal("261.46"),) * 3


def test_multiline_header_cells_and_synonyms() -> None:
    rows = indicator_rows(GOOD_INDICATOR)
    rows[0] = ["年度", "部门", "项目名称", "一级指标", "二级指标", "三级指标", "年度\n指标值",
               "完成值", "权重", "得分", "未完成原因分析", "评分方法"]  # fmt: skip
    result = read_uploads([csv_file("i.csv", rows)])
    assert not errors(result)
    line = result.evaluations[0].indicators[0]
    assert (line.target.raw, line.actual.raw, line.weight) == ("≥6次", "30次", Decimal(6))


def test_tables_join_across_evaluations_by_key() -> None:
    other = ["2023", "中共益阳市委组织部", "业务工作开展专项经费"]
    rows = indicator_rows(GOOD_INDICATOR)
    rows.append([*other, *GOOD_INDICATOR])
    result = read_uploads([csv_file("i.csv", rows)])
    assert not errors(result)
    assert [e.key.year for e in result.evaluations] == [2022, 2023]


# --- bad files: one clear error each -------------------------------------------------------


def test_empty_file() -> None:
    error = only_error(read_uploads([UploadFile("funds.csv", b"")]))
    assert error.code == "FILE_EMPTY"
    assert error.location.file == "funds.csv"
    assert "funds.csv" in error.message


@pytest.mark.parametrize(
    "junk",
    [bytes(range(256)) * 40, bytes([7, 0, 200, 0]) * 1000],  # the second has UTF-16's zeros
    ids=["bytes", "utf-16-like"],
)
def test_binary_junk(junk: bytes) -> None:
    error = only_error(read_uploads([UploadFile("funds.csv", junk)]))
    assert error.code == "FILE_UNREADABLE"
    assert "funds.csv" in error.message


def test_a_damaged_workbook_renamed_as_csv() -> None:
    data = workbook({"指标": seed_rows("indicators")})
    error = only_error(read_uploads([UploadFile("指标.csv", data[: len(data) // 2])]))
    assert error.code == "FILE_UNREADABLE"
    assert "指标.csv" in error.message


def test_a_legacy_xls_file() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    error = only_error(read_uploads([UploadFile("自评表.xls", data)]))
    assert error.code == "FILE_UNREADABLE"
    assert ".xlsx" in error.message


def test_header_only() -> None:
    error = only_error(read_uploads([csv_file("funds.csv", seed_rows("funds")[:1])]))
    assert error.code == "HEADER_ONLY"
    assert (error.location.file, error.location.row) == ("funds.csv", 1)
    assert "funds.csv" in error.message


def test_missing_required_column_names_it_and_lists_what_was_found() -> None:
    rows = [row[:8] + row[9:] for row in indicator_rows(GOOD_INDICATOR)]  # drop 分值
    error = only_error(read_uploads([csv_file("indicators.csv", rows)]))
    assert error.code == "COLUMN_MISSING"
    assert (error.location.file, error.location.row) == ("indicators.csv", 1)
    assert "「分值」" in error.message and "weight" in error.message_en
    assert "三级指标" in error.message.split("找到的列")[1]


def test_unknown_table() -> None:
    rows = [["序号", "姓名", "电话"], ["1", "张三", "123"]]
    error = only_error(read_uploads([csv_file("通讯录.csv", rows)]))
    assert error.code == "TABLE_UNKNOWN"
    assert "通讯录.csv" in error.message


def test_bad_number_names_the_cell() -> None:
    rows = seed_rows("funds")
    rows[2][6] = "abc"  # 全年执行数 on Excel row 3
    result = read_uploads(
        [csv_file("funds.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    error = only_error(result)
    assert error.code == "NUMBER_INVALID"
    assert (error.location.file, error.location.row, error.location.column) == (
        "funds.csv",
        3,
        "全年执行数",
    )
    assert "第 3 行" in error.message and "全年执行数" in error.message
    assert "abc" in error.message and "数字" in error.message
    assert "row 3" in error.message_en and "abc" in error.message_en


def test_bad_number_in_a_workbook_names_the_sheet_row() -> None:
    rows = indicator_rows(GOOD_INDICATOR)
    rows[1][8] = "六分"
    data = workbook({"指标": [["2022年度绩效自评指标表"], *rows]}, typed=False)
    error = only_error(read_uploads([UploadFile("book.xlsx", data)]))
    assert error.code == "NUMBER_INVALID"
    assert error.location == error.location.__class__("book.xlsx › 指标", 3, "分值")
    assert "第 3 行" in error.message and "「分值」" in error.message


def test_empty_key() -> None:
    rows = indicator_rows(GOOD_INDICATOR, GOOD_INDICATOR)
    rows[2][1] = " "
    rows[2][5] = "另一个指标"
    error = only_error(read_uploads([csv_file("indicators.csv", rows)]))
    assert error.code == "KEY_MISSING"
    assert (error.location.row, error.location.column) == (3, "部门")
    assert "第 3 行" in error.message and "部门" in error.message


def test_bad_year() -> None:
    rows = indicator_rows(GOOD_INDICATOR)
    rows[1][0] = "22年"
    error = only_error(read_uploads([csv_file("indicators.csv", rows)]))
    assert error.code == "YEAR_INVALID"
    assert (error.location.row, error.location.column) == (2, "年度")
    assert "第 2 行" in error.message and "22年" in error.message


def test_bad_method() -> None:
    rows = indicator_rows([*GOOD_INDICATOR[:-1], "酌情扣分"])
    error = only_error(read_uploads([csv_file("indicators.csv", rows)]))
    assert error.code == "METHOD_UNKNOWN"
    assert (error.location.row, error.location.column) == (2, "评分方法")
    assert "第 2 行" in error.message and "酌情扣分" in error.message


def test_unknown_funds_source() -> None:
    rows = seed_rows("funds")
    rows[3][3] = "自筹资金"
    result = read_uploads(
        [csv_file("funds.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    error = only_error(result)
    assert error.code == "FUNDS_SOURCE_UNKNOWN"
    assert (error.location.row, error.location.column) == (4, "资金来源")
    assert "第 4 行" in error.message and "自筹资金" in error.message


def test_duplicate_indicator() -> None:
    rows = indicator_rows(GOOD_INDICATOR, GOOD_INDICATOR)
    error = only_error(read_uploads([csv_file("indicators.csv", rows)]))
    assert error.code == "DUPLICATE_ROW"
    assert (error.location.row, error.location.column) == (3, "三级指标")
    assert "第 3 行" in error.message and "第 2 行" in error.message
    assert "开展学习及活动次数" in error.message


def test_duplicate_funds_source() -> None:
    rows = seed_rows("funds")
    rows[3][3] = "本年财政拨款"  # the same source as row 3, written another way
    result = read_uploads(
        [csv_file("funds.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    error = only_error(result)
    assert error.code == "DUPLICATE_ROW"
    assert error.location.row == 4


def test_conflicting_evaluation_details() -> None:
    rows = seed_rows("evaluations")
    rows.append([*rows[1][:8], "88", *rows[1][9:]])
    result = read_uploads(
        [csv_file("e.csv", rows), csv_file("i.csv", indicator_rows(GOOD_INDICATOR))]
    )
    error = only_error(result)
    assert error.code == "CONFLICTING_VALUES"
    assert (error.location.row, error.location.column) == (3, "自评得分")
    assert "97.13" in error.message and "88" in error.message


def test_evaluation_without_indicators() -> None:
    result = read_uploads([csv_file("funds.csv", seed_rows("funds"))])
    error = only_error(result)
    assert error.code == "NO_INDICATORS"
    assert error.location.file == "funds.csv"
    assert "业务工作开展专项经费" in error.message


def test_indicators_without_funds_are_fine_here() -> None:
    result = read_uploads([csv_file("i.csv", indicator_rows(GOOD_INDICATOR))])
    assert not errors(result)
    assert result.evaluations[0].funds == ()


def test_empty_target_is_not_a_reader_error() -> None:
    rows = indicator_rows(["效益指标", "社会效益指标", "群众满意", "", "", "10", "9", "", ""])
    result = read_uploads([csv_file("i.csv", rows)])
    assert not errors(result)
    assert result.evaluations[0].indicators[0].target.is_missing


def test_many_bad_rows_are_capped() -> None:
    bad = [*GOOD_INDICATOR[:6], "x", "", ""]  # 得分 = x
    rows = indicator_rows(*[[*bad[:2], f"指标{i}", *bad[3:]] for i in range(300)])
    result = read_uploads([csv_file("i.csv", rows)])
    assert codes(result).count("NUMBER_INVALID") == 100
    (more,) = [f for f in result.findings if f.code == "MORE_ERRORS"]
    assert "另有 200 处" in more.message


class GbkName(zipfile.ZipInfo):
    """A member name as Windows' zip writes it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # overrides zipfile internals
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_zip_with_a_workbook_and_gbk_member_names(seed: Evaluation) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        book = workbook({SHEET_NAMES[t]: seed_rows(t) for t in ("funds", "indicators")})
        archive.writestr("自评表.xlsx", book)
        archive.writestr(GbkName("支出明细.csv"), (SEED_DIR / "expenditures.csv").read_bytes())
        archive.writestr("__MACOSX/._支出明细.csv", b"\x00\x05junk")
    result = read_uploads([UploadFile("上传.zip", out.getvalue())])
    assert not errors(result), [f.message for f in errors(result)]
    (evaluation,) = result.evaluations
    assert len(evaluation.expenditures) == 18 and len(evaluation.funds) == 4
    assert "上传.zip › 支出明细.csv" in evaluation.source_files
    assert "上传.zip › 自评表.xlsx › 指标" in evaluation.source_files


def test_zip_without_tables() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("说明.docx", b"PK")
    error = only_error(read_uploads([UploadFile("上传.zip", out.getvalue())]))
    assert error.code == "FILE_UNREADABLE"
    assert "CSV" in error.message


def test_a_header_mixing_two_tables_is_one_error() -> None:
    rows = [
        ["年度", "部门", "项目名称", "资金来源", "三级指标", "全年执行数"],
        [*KEY, "x", "y", "1"],
    ]
    error = only_error(read_uploads([csv_file("混合.csv", rows)]))
    assert error.code == "TABLE_UNKNOWN"
    assert "资金" in error.message and "指标" in error.message


def test_a_workbook_with_no_table_at_all() -> None:
    data = workbook({"Sheet1": [["说明"], ["请填写"]]})
    error = only_error(read_uploads([UploadFile("book.xlsx", data)]))
    assert error.code == "TABLE_UNKNOWN"
    assert "book.xlsx" in error.message


# --- never a traceback -------------------------------------------------------------------------


def _assert_only_findings(result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    for f in result.findings:
        assert f.code in CODES and f.severity == CODES[f.code].severity
        assert f.message and f.message_en


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.csv", "b.xlsx", "c.zip", "d"]))
def test_random_bytes_only_give_findings(data: bytes, name: str) -> None:
    _assert_only_findings(read_uploads([UploadFile(name, data)]))


TYPICAL_CELLS = ["年度", "部门", "项目名称", "三级指标", "分值", "资金来源", "明细项目", "2022", "/", "",
                 "≥6次", "10", "abc", "年度资金总额", "扣分:x"]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(TYPICAL_CELLS),
                st.text(max_size=8),
            ),
            max_size=12,
        ),
        max_size=12,
    ),
    st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_random_csv_text_only_gives_findings(rows: list[list[str]], encoding: str) -> None:
    text = csv_text(rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", errors="surrogatepass")
    _assert_only_findings(read_uploads([UploadFile("t.csv", data)]))
