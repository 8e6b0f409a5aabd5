"""Bytes → grids of text cells: CSV in any encoding a clerk's Excel writes, .xlsx, .zip.

Knows nothing about 绩效 tables; it only turns an uploaded file into named grids of strings
with their Excel row numbers, and says so (one error finding) when it cannot. The content of
a file decides how it is read (zip magic bytes, BOMs), never its extension alone.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import partial
from typing import Any

import charset_normalizer

from perfcore.codes import finding
from perfcore.model import Finding, Location, UploadFile

SEP = " › "  # between a container and its member: "book.xlsx › 指标", "upload.zip › funds.csv"

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .doc
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Uploads are Chinese: restricting the guess keeps a short GBK file from being read as cp949.
_GUESS_CANDIDATES = ["gb18030", "big5", "utf_16", "utf_16_le", "utf_16_be"]
_GUESS_SAMPLE = 512 * 1024
_MAX_UNZIPPED = 400 * 1024 * 1024  # a 50 MB upload of text compresses ~8×; more is a zip bomb
_MAX_DEPTH = 2  # zip › xlsx, no deeper
_CONTROL_SHARE = 0.01
# Of a UTF-16 CSV's characters, at least this share are ASCII (digits, commas, line ends;
# the seed's 评价信息 table, mostly Chinese prose, has 16 %).
_UTF16_ZERO_SHARE = 0.02
_READABLE_MEMBERS = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


class Unreadable(Exception):
    """Raised while iterating a grid whose content turns out to be broken part-way through."""

    def __init__(self, problem: Finding) -> None:
        super().__init__(problem.message_en)
        self.finding = problem


@dataclass(frozen=True)
class Grid:
    """One sheet or CSV file as rows of text, read lazily so a 50 MB file is never held twice.

    `rows()` starts a fresh pass; its i-th row (from 0) is Excel row i + 1. It raises
    `Unreadable` when the file breaks part-way.
    """

    file: str  # as shown in findings: "funds.csv", "book.xlsx › 指标"
    rows: Callable[[], Iterator[tuple[str, ...]]]
    sheet: str | None = None  # the sheet name, for workbooks
    in_workbook: bool = False


def load(upload: UploadFile) -> Iterator[Grid | Finding]:
    """Read one uploaded file into grids and findings; failures are findings, never exceptions.

    A generator: a workbook stays open only while its grids are being read.
    """
    yield from _load(upload.name, upload.data, 0)


def is_text(data: bytes) -> bool:
    """True for a file `load` reads as text (CSV), not as a workbook, an archive or legacy Office."""
    return not data.startswith((_OLE_MAGIC, _ZIP_MAGIC, _EMPTY_ZIP_MAGIC))


def _load(name: str, data: bytes, depth: int) -> Iterator[Grid | Finding]:
    if not data.strip():
        yield _error("FILE_EMPTY", name, "文件中没有任何内容", "the file has no content")
    elif data.startswith(_OLE_MAGIC):
        yield _error(
            "FILE_UNREADABLE",
            name,
            "这是旧版 Excel（.xls）或 Word 文件，请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后上传",
            "this is a legacy .xls/.doc file; save it as .xlsx or CSV (UTF-8)",
        )
    elif data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        yield from _load_zip(name, data, depth)
    else:
        yield from _load_text(name, data)


def _load_zip(name: str, data: bytes, depth: int) -> Iterator[Grid | Finding]:
    """A zip is either an .xlsx workbook or an archive of CSV / .xlsx files."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        yield _unreadable(name, "ZIP 压缩包已损坏", "the zip archive is damaged")
        return
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        yield from _load_xlsx(name, data)
        return
    if depth >= _MAX_DEPTH:
        yield _unreadable(name, "压缩包中嵌套了压缩包", "a zip inside a zip is not read")
        return
    if sum(m.file_size for m in members) > _MAX_UNZIPPED:
        yield _unreadable(name, "压缩包解压后过大", "the zip expands to too much data")
        return
    readable = [m for m in members if _is_table_member(m)]
    if not readable:
        yield _unreadable(
            name,
            "压缩包中没有 CSV 或 .xlsx 文件",
            "the zip holds no CSV or .xlsx file",
        )
        return
    for member in readable:
        member_name = f"{name}{SEP}{_member_name(member)}"
        try:
            member_data = archive.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            yield _unreadable(
                member_name, "无法解压（可能已加密或损坏）", "cannot extract (encrypted or damaged)"
            )
            continue
        yield from _load(member_name, member_data, depth + 1)


def _is_table_member(member: zipfile.ZipInfo) -> bool:
    base = member.filename.rsplit("/", 1)[-1]
    return (
        not member.is_dir()
        and not member.filename.startswith("__MACOSX/")
        and not base.startswith((".", "~$"))
        and base.lower().endswith(_READABLE_MEMBERS)
    )


def _member_name(member: zipfile.ZipInfo) -> str:
    """Windows zips store Chinese names in GBK without saying so; zipfile then shows cp437."""
    if member.flag_bits & 0x800:
        return member.filename
    try:
        return member.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return member.filename


def _load_xlsx(name: str, data: bytes) -> Iterator[Grid | Finding]:
    # Imported here: openpyxl costs ≈0.15 s at start-up and most uploads are CSV.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        yield _unreadable(
            name, "Excel 文件已损坏或不是 .xlsx 格式", "not a readable .xlsx workbook"
        )
        return
    except Exception:  # openpyxl raises many kinds on broken XML; none may reach the user
        yield _unreadable(name, "Excel 文件内容无法解析", "the .xlsx content cannot be parsed")
        return
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers store a wrong sheet size; read every row
            grid_name = f"{name}{SEP}{sheet.title}"
            yield Grid(grid_name, partial(_sheet_rows, sheet, grid_name), sheet.title, True)
    finally:
        book.close()


def _sheet_rows(sheet: Any, name: str) -> Iterator[tuple[str, ...]]:
    try:
        for row in sheet.iter_rows():
            yield tuple(_cell_text(cell) for cell in row)
    except Exception as error:  # a damaged sheet part surfaces only while iterating
        problem = _unreadable(name, "Excel 工作表内容无法解析", "a worksheet cannot be parsed")
        raise Unreadable(problem) from error


def _cell_text(cell: object) -> str:
    """A cell as the user sees it: 2022 not 2022.0, 100% not 1, dates as 2022-12-31."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number = Decimal(format(value, ".15g"))  # Excel keeps 15 significant digits
        if "%" in (getattr(cell, "number_format", "") or ""):
            return f"{_plain(number * 100)}%"
        return _plain(number)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _load_text(name: str, data: bytes) -> Iterator[Grid | Finding]:
    decoded = _decode(data)
    if decoded is None or _looks_binary(decoded[0]):
        yield _unreadable(
            name,
            "文件不是文本表格（CSV），也不是 Excel 或 ZIP 文件",
            "the file is neither text (CSV) nor an Excel or zip file",
        )
        return
    text, encoding = decoded
    if encoding not in ("utf-8", "utf-8-sig"):
        yield finding(
            "ENCODING_GUESSED",
            f"文件「{name}」不是 UTF-8 编码，已按 {encoding} 读取",
            f"file {name!r} is not UTF-8; read as {encoding}",
            Location(name),
        )
    yield Grid(name, partial(_csv_rows, text, _delimiter(text), name))


def _csv_rows(text: str, delimiter: str, name: str) -> Iterator[tuple[str, ...]]:
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield tuple(row)
    except csv.Error as error:
        problem = _unreadable(name, f"CSV 格式错误（{error}）", f"malformed CSV ({error})")
        raise Unreadable(problem) from error


def _decode(data: bytes) -> tuple[str, str] | None:
    # A byte order mark, or UTF-16's zero bytes, name the encoding: the file must decode in it.
    marked = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    known = marked or _utf16_without_bom(data)
    if known is not None:
        try:
            return data.decode(known), known
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[: data.rfind(b"\n", 0, _GUESS_SAMPLE) + 1 or _GUESS_SAMPLE]  # whole lines
    guess = charset_normalizer.from_bytes(sample, cp_isolation=_GUESS_CANDIDATES).best()
    encoding = guess.encoding if guess is not None else "gb18030"
    if encoding.startswith("gb"):
        # GB18030 is a superset of GBK / GB2312: the whole file decodes, not just the sample.
        encoding = "gb18030"
    try:
        return data.decode(encoding), encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be for UTF-16 text saved without a byte order mark, else None.

    Digits, commas and line ends are ASCII, and ASCII in UTF-16 is a zero byte beside the
    character's own: a CSV's zero bytes then stand mostly at odd offsets (little-endian) or at
    even ones (big-endian); the other side has only the zeros of characters such as 一 (U+4E00),
    a sixteenth of them in the seed. UTF-8 would read such a file as text full of NULs."""
    sample = data[:_GUESS_SAMPLE]
    if len(sample) < 2 or b"\x00" not in sample:
        return None
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    pairs = len(sample) // 2
    if odd >= _UTF16_ZERO_SHARE * pairs and even <= odd // 4:
        return "utf-16-le"
    if even >= _UTF16_ZERO_SHARE * pairs and odd <= even // 4:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text[:_GUESS_SAMPLE] if ch < " " and ch not in "\t\r\n")
    return "\x00" in text or controls > _CONTROL_SHARE * min(len(text), _GUESS_SAMPLE)


def _delimiter(text: str) -> str:
    """Excel's "Unicode text" export is tab-separated; everything else here is comma-separated."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if first.count("\t") > first.count(",") else ","


def _unreadable(name: str, detail_zh: str, detail_en: str) -> Finding:
    return _error("FILE_UNREADABLE", name, detail_zh, detail_en)


def _error(code: str, name: str, detail_zh: str, detail_en: str) -> Finding:
    return finding(
        code,
        f"文件「{name}」无法读取：{detail_zh}",
        f"file {name!r} cannot be read: {detail_en}",
        Location(name),
    )
