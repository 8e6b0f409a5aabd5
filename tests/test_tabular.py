"""perfcore.tabular: bytes → grids of text, whatever encoding or container a clerk's Excel wrote.

The reader tests read the seed in every format end to end; here each decoding decision is
pinned at the grid level: which encoding is reported, what the cells hold, how rows restart.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl

from perfcore.model import Finding, UploadFile
from perfcore.tabular import Grid, Unreadable, load

ROWS = [("年度", "部门", "项目名称"), ("2022", "中共益阳市委组织部", "业务工作开展专项经费")]
TEXT = "\n".join(",".join(row) for row in ROWS) + "\n"


def loaded(name: str, data: bytes) -> tuple[list[Grid], list[Finding]]:
    items = list(load(UploadFile(name, data)))
    return [i for i in items if isinstance(i, Grid)], [i for i in items if isinstance(i, Finding)]


def test_utf8_with_bom_is_read_silently_and_the_bom_is_not_in_the_first_cell() -> None:
    (grid,), findings = loaded("a.csv", TEXT.encode("utf-8-sig"))
    assert findings == []
    assert list(grid.rows()) == ROWS
    assert grid.file == "a.csv" and grid.sheet is None and not grid.in_workbook


def test_gbk_is_detected_and_said_as_gb18030() -> None:
    (grid,), findings = loaded("资金.csv", TEXT.encode("gbk"))
    assert list(grid.rows()) == ROWS
    (note,) = findings
    assert (note.code, note.severity) == ("ENCODING_GUESSED", "info")
    assert "gb18030" in note.message and "资金.csv" in note.message


def test_gb18030_only_characters_survive() -> None:
    text = TEXT.replace("业务工作", "㐀业务工作")  # CJK extension A: not in GBK
    (grid,), _ = loaded("a.csv", text.encode("gb18030"))
    assert list(grid.rows())[1][2].startswith("㐀")


def test_excel_unicode_text_is_utf16_with_tabs_and_crlf() -> None:
    text = "\r\n".join("\t".join(row) for row in ROWS) + "\r\n"
    (grid,), findings = loaded("指标.txt", text.encode("utf-16"))
    assert list(grid.rows()) == ROWS
    assert [f.code for f in findings] == ["ENCODING_GUESSED"]
    assert "utf-16" in findings[0].message


def test_rows_start_a_fresh_pass_each_time() -> None:
    (grid,), _ = loaded("a.csv", TEXT.encode())
    first = list(grid.rows())
    assert list(grid.rows()) == first == ROWS


def test_a_csv_broken_part_way_raises_unreadable_with_a_finding() -> None:
    huge_cell = "x" * 200_000  # over the csv module's field limit
    (grid,), _ = loaded("坏.csv", f"{TEXT}{huge_cell},1\n".encode())
    rows = grid.rows()
    assert next(rows) == ROWS[0]
    try:
        list(rows)
    except Unreadable as broken:
        assert broken.finding.code == "FILE_UNREADABLE"
        assert broken.finding.message.startswith("文件「坏.csv」无法读取：CSV 格式错误")
    else:
        raise AssertionError("a field over the limit must raise Unreadable")


def test_binary_and_empty_files_are_one_finding_each() -> None:
    for data, code in ((b"\x00\x01\x02\x03" * 100, "FILE_UNREADABLE"), (b"  \n", "FILE_EMPTY")):
        grids, findings = loaded("x.csv", data)
        assert grids == []
        assert [(f.code, f.severity, f.location.file) for f in findings] == [
            (code, "error", "x.csv")
        ]


def _workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "资金"
    sheet.append(["年度", "执行率", "全年预算数", "日期"])
    sheet.append([2022, 0.8625, 261.46, date(2022, 12, 31)])
    sheet["B2"].number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbook_cells_read_as_the_user_sees_them_while_the_book_is_open() -> None:
    seen = []
    for item in load(UploadFile("表.xlsx", _workbook())):  # the book closes after the last grid
        assert isinstance(item, Grid)
        seen.append((item.file, item.sheet, item.in_workbook, list(item.rows())[1]))
    assert seen == [("表.xlsx › 资金", "资金", True, ("2022", "86.25%", "261.46", "2022-12-31"))]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_yields_its_tables_and_skips_everything_else() -> None:
    members = {
        "上传/funds.csv": TEXT.encode(),
        "上传/book.xlsx": _workbook(),
        "__MACOSX/上传/._funds.csv": b"junk",
        "上传/~$book.xlsx": b"lock file",
        "上传/说明.pdf": b"%PDF",
    }
    files = [item.file for item in load(UploadFile("上传.zip", _zip(members)))]
    assert files == ["上传.zip › 上传/funds.csv", "上传.zip › 上传/book.xlsx › 资金"]


def test_a_zip_without_tables_is_one_error() -> None:
    grids, findings = loaded("套娃.zip", _zip({"inner.zip": _zip({"funds.csv": TEXT.encode()})}))
    assert grids == []
    assert [(f.code, f.location.file) for f in findings] == [("FILE_UNREADABLE", "套娃.zip")]
    assert "没有 CSV 或 .xlsx 文件" in findings[0].message
