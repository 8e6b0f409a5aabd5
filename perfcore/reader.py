"""Read an upload (CSV / .xlsx / .zip files) into `Evaluation`s, with exact, friendly findings.

The app and the CLI call `read_uploads`. The steps, each in its own module: bytes → grids of
text (`tabular`), header row → table kind and fields (`headers`), data row → typed line
(`rows`); this module finds the header, walks the rows and joins all tables of the upload by
(年度, 部门, 项目名称). Findings here are only about reading; scoring is not its job.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from perfcore.codes import finding
from perfcore.headers import (
    CONVERTED_MONEY_UNITS,
    FIELD_TITLES,
    TABLE_TITLES,
    Detection,
    Header,
    TableKind,
    detect_table,
    header_score,
    read_header,
    title_unit,
)
from perfcore.model import (
    Evaluation,
    EvaluationKey,
    Expenditure,
    Finding,
    FundsLine,
    IndicatorLine,
    Location,
    ReadResult,
    UploadFile,
)
from perfcore.progress import Progress, quiet
from perfcore.quickrows import quick_reader
from perfcore.rows import (
    Columns,
    Details,
    Row,
    fill_down_levels,
    is_placeholder,
    normalise_level,
    read_details,
    read_expenditure,
    read_funds_line,
    read_indicator_line,
    read_key,
)
from perfcore.tabular import Grid, Unreadable, is_text, load

HEADER_SCAN_ROWS = 10  # real exports put a title and a unit line above the header
MIN_HEADER_TITLES = 2
MAX_ROW_FINDINGS = 100  # per table; a wholly wrong 50 MB file must not drown the user
READ_TICK_ROWS = 5_000  # rows between two progress reports (about a second on a slow machine)


def read_paths(paths: Sequence[str | Path]) -> ReadResult:
    """Convenience for the CLI and tests: read files from disk under their base names."""
    return read_uploads([UploadFile(Path(p).name, Path(p).read_bytes()) for p in paths])


def read_uploads(
    files: Sequence[UploadFile], progress: Progress | None = None, *, quick: bool = True
) -> ReadResult:
    """Read every file of one upload and join its tables into evaluations.

    `progress` hears how far reading has got: by bytes across the files, by rows within one.
    `quick=False` reads every row the full way (`perfcore.quickrows` says what the fast path
    takes): the reference the fast path is tested against.
    """
    collected = _Collected()
    ticker = _Ticker(sum(len(f.data) for f in files), progress or quiet)
    for upload in files:
        ticker.start(upload)
        tables_read, workbook = 0, False
        for item in load(upload):
            if isinstance(item, Finding):
                collected.findings.append(item)
                continue
            workbook |= item.in_workbook
            try:
                tables_read += _read_grid(item, collected, ticker, quick)
            except Unreadable as broken:
                collected.findings.append(broken.finding)
                tables_read += 1
        if workbook and not tables_read and not collected.has_error_in(upload.name):
            collected.findings.append(_no_table_in_workbook(upload.name))
        ticker.done_with(upload)
    return collected.result()


class _Ticker:
    """Reading progress: the bytes of the files read so far, plus the share of the current
    file's lines passed (a CSV's line count is its newlines; a workbook reports per file)."""

    def __init__(self, total_bytes: int, report: Progress) -> None:
        self._total = max(total_bytes, 1)
        self._done = 0
        self._report = report
        self._file, self._size, self._lines = "", 0, 0

    def start(self, upload: UploadFile) -> None:
        self._file, self._size = upload.name, len(upload.data)
        self._lines = upload.data.count(b"\n") + 1 if is_text(upload.data) else 0
        self._report(self._done / self._total, f"正在读取「{self._file}」…")

    def row(self, number: int) -> None:
        passed = min(number / self._lines, 1.0) if self._lines else 0.0
        self._report(
            (self._done + passed * self._size) / self._total,
            f"正在读取「{self._file}」：第 {number:,} 行…",
        )

    def done_with(self, upload: UploadFile) -> None:
        self._done += len(upload.data)


@dataclass
class _Draft:
    """What the upload says about one evaluation so far."""

    details: Details | None = None
    details_at: Location | None = None
    funds: list[FundsLine] = field(default_factory=list)
    indicators: list[IndicatorLine] = field(default_factory=list)
    expenditures: list[Expenditure] = field(default_factory=list)
    first_seen: Location | None = None
    has_indicator_rows: bool = False
    files: set[str] = field(default_factory=set)


@dataclass
class _Collected:
    drafts: dict[EvaluationKey, _Draft] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # The rows of one evaluation follow each other, and `rows.key_of` hands out one key object
    # for the same cells: the last row's draft is found without hashing its key again.
    _last: tuple[EvaluationKey | None, str | None, _Draft | None] = (None, None, None)

    def draft(self, key: EvaluationKey, at: Location) -> _Draft:
        last_key, last_file, last_draft = self._last
        if key is last_key and at.file == last_file and last_draft is not None:
            return last_draft
        draft = self.drafts.get(key)
        if draft is None:
            draft = self.drafts[key] = _Draft(first_seen=at)
        if at.file:
            draft.files.add(at.file)
        self._last = (key, at.file, draft)
        return draft

    def has_error_in(self, file: str) -> bool:
        return any(
            f.severity == "error" and f.location and (f.location.file or "").startswith(file)
            for f in self.findings
        )

    def result(self) -> ReadResult:
        evaluations = []
        for key in sorted(self.drafts):
            draft = self.drafts[key]
            if not draft.has_indicator_rows:
                self.findings.append(_no_indicators(key, draft.first_seen))
            details = draft.details or Details()
            evaluations.append(
                Evaluation(
                    key=key,
                    funds=tuple(draft.funds),
                    indicators=tuple(draft.indicators),
                    expenditures=tuple(draft.expenditures),
                    authority=details.authority,
                    implementer=details.implementer,
                    kind=details.kind,
                    goal_expected=details.goal_expected,
                    goal_actual=details.goal_actual,
                    total_reported=details.total_reported,
                    grade_reported=details.grade_reported,
                    rule_set=details.rule_set,
                    source_files=tuple(sorted(draft.files)),
                )
            )
        return ReadResult(tuple(evaluations), tuple(self.findings))


def _read_grid(grid: Grid, collected: _Collected, ticker: _Ticker, quick: bool) -> int:
    """Read one sheet or CSV file; returns 1 when it was an upload table, else 0."""
    head = list(islice(grid.rows(), HEADER_SCAN_ROWS))
    header_at = _find_header(head)
    if header_at is None:
        return _not_a_table(grid, collected, "没有找到表头", "no header row found")
    headers = tuple(read_header(cell) for cell in head[header_at])
    index: dict[str, int] = {}
    for column, header in enumerate(headers):
        if header.field is not None:
            index.setdefault(header.field, column)
    detection = detect_table(set(index), grid.sheet)
    if detection.kind is None:
        if detection.ambiguous:
            kinds = "、".join(TABLE_TITLES[k] for k in detection.ambiguous)
            return _not_a_table(
                grid,
                collected,
                f"表头同时含有{kinds}表的列，请每张表单独一个文件或工作表",
                "the header mixes columns of several tables",
                force_error=True,
            )
        return _not_a_table(grid, collected, "表头中没有各表的必填列", "no table's columns found")
    header_row = header_at + 1
    if detection.missing:
        collected.findings.append(_column_missing(grid, header_row, detection, headers))
        return 1
    data = (
        (number, cells)
        for number, cells in enumerate(islice(grid.rows(), header_row, None), header_row + 1)
        if "".join(cells).strip()  # a row with any written cell; one call, not one per cell
    )
    first = next(data, None)
    if first is None:
        if grid.in_workbook:
            collected.findings.append(
                _sheet_ignored(grid, "只有表头，没有数据行", "header only, no data rows")
            )
            return 0
        collected.findings.append(_header_only(grid, header_row))
        return 1
    columns = Columns(
        grid.file, index, {f: headers[i] for f, i in index.items()}, _title_unit(head[:header_at])
    )
    _read_rows(detection.kind, columns, chain([first], data), collected, ticker, quick)
    if any(h.traditional for h in headers if h.field):
        _note_traditional(grid.file, collected)
    return 1


def _find_header(head: list[tuple[str, ...]]) -> int | None:
    """The row among the first few with the most known titles (the earliest on a tie)."""
    best, best_score = None, MIN_HEADER_TITLES - 1
    for at, cells in enumerate(head):
        score = header_score(list(cells))
        if score > best_score:
            best, best_score = at, score
    return best


def _title_unit(titles: list[tuple[str, ...]]) -> str | None:
    """The money unit the title lines above the header state (单位：元), the nearest one first."""
    return next((unit for cells in reversed(titles) if (unit := title_unit(cells))), None)


def _read_rows(
    kind: TableKind,
    columns: Columns,
    data: Iterable[tuple[int, tuple[str, ...]]],
    collected: _Collected,
    ticker: _Ticker,
    quick: bool,
) -> None:
    row_findings = 0
    converted: set[str] = set()  # units amounts were converted from
    traditional = False
    levels: dict[EvaluationKey, tuple[str, str]] = {}
    seen: dict[tuple[EvaluationKey, object], Location] = {}
    fast = quick_reader(kind, columns) if quick else None
    for number, cells in data:
        if number % READ_TICK_ROWS == 0:
            ticker.row(number)
        if (
            fast is not None
            and (read := fast(number, cells, levels)) is not None
            and _add_quick_line(*read, collected, levels, seen)
        ):
            continue
        row = Row(columns, number, cells)
        if is_placeholder(row, kind):
            collected.findings.append(_placeholder(row))
            continue
        key = read_key(row)
        if key is not None:
            draft = collected.draft(key, row.location())
            if kind is TableKind.INDICATORS:
                draft.has_indicator_rows = True
            line = _read_line(kind, row, key, levels)
            if line is not None:
                _add_line(draft, line, row, key, seen)
        if row.converted_from:
            converted.add(row.converted_from)
        traditional |= row.traditional
        if row_findings < MAX_ROW_FINDINGS:
            collected.findings.extend(row.findings[: MAX_ROW_FINDINGS - row_findings])
        row_findings += len(row.findings)
    if row_findings > MAX_ROW_FINDINGS:
        collected.findings.append(_more_errors(columns.file, row_findings - MAX_ROW_FINDINGS))
    if converted:
        collected.findings.append(_funds_in_yuan(columns.file, converted))
    if traditional:
        _note_traditional(columns.file, collected)


def _add_quick_line(
    key: EvaluationKey,
    line: IndicatorLine | FundsLine | Expenditure,
    collected: _Collected,
    levels: dict[EvaluationKey, tuple[str, str]],
    seen: dict[tuple[EvaluationKey, object], Location],
) -> bool:
    """Record a line the fast path read, as `_read_rows` records one read the full way;
    False (nothing recorded) for a duplicate, which the full way reports."""
    at = line.location
    if isinstance(line, Expenditure):
        collected.draft(key, at).expenditures.append(line)
        return True
    identity = line.source if isinstance(line, FundsLine) else (line.level1, line.level2, line.name)
    if (key, identity) in seen:
        return False
    seen[(key, identity)] = at
    draft = collected.draft(key, at)
    if isinstance(line, FundsLine):
        draft.funds.append(line)
    else:
        draft.has_indicator_rows = True
        levels[key] = (line.level1, line.level2)
        draft.indicators.append(line)
    return True


def _read_line(
    kind: TableKind, row: Row, key: EvaluationKey, levels: dict[EvaluationKey, tuple[str, str]]
) -> FundsLine | IndicatorLine | Expenditure | Details | None:
    if kind is TableKind.FUNDS:
        return read_funds_line(row)
    if kind is TableKind.EXPENDITURES:
        return read_expenditure(row)
    if kind is TableKind.EVALUATIONS:
        return read_details(row)
    level1, level2 = _levels(row, key, levels)
    if not level1 or not level2:
        return None
    return read_indicator_line(row, level1, level2)


def _levels(
    row: Row, key: EvaluationKey, levels: dict[EvaluationKey, tuple[str, str]]
) -> tuple[str, str]:
    """一级/二级指标, filled down from the row above when left blank (merged cells)."""
    level1, traditional1 = normalise_level(row.text("level1"))
    level2, traditional2 = normalise_level(row.text("level2"))
    row.traditional |= traditional1 or traditional2
    level1, level2 = fill_down_levels(level1, level2, levels.get(key, ("", "")))
    for name, value in (("level1", level1), ("level2", level2)):
        if not value:
            row.error(
                "CELL_MISSING",
                name,
                f"{FIELD_TITLES[name]}为空，请填写（合并单元格请在第一行填写）",
                f"{name} is empty (for merged cells, fill in the first row)",
            )
    levels[key] = (level1, level2)
    return level1, level2


def _add_line(
    draft: _Draft,
    line: FundsLine | IndicatorLine | Expenditure | Details,
    row: Row,
    key: EvaluationKey,
    seen: dict[tuple[EvaluationKey, object], Location],
) -> None:
    if isinstance(line, Details):
        _add_details(draft, line, row)
    elif isinstance(line, Expenditure):
        draft.expenditures.append(line)
    else:
        identity = (
            line.source if isinstance(line, FundsLine) else (line.level1, line.level2, line.name)
        )
        first = seen.get((key, identity))
        if first is not None:
            _duplicate(row, line, first)
            return
        seen[(key, identity)] = row.location()
        if isinstance(line, FundsLine):
            draft.funds.append(line)
        else:
            draft.indicators.append(line)


def _duplicate(row: Row, line: FundsLine | IndicatorLine, first: Location) -> None:
    if isinstance(line, FundsLine):
        what_zh, what_en, column = (
            f"资金来源「{line.source}」",
            f"funds source {line.source}",
            "source",
        )
    else:
        label = f"{line.level1} › {line.level2} › {line.name}"
        what_zh, what_en, column = f"指标「{label}」", f"indicator {label!r}", "name"
    row.error(
        "DUPLICATE_ROW",
        column,
        f"{what_zh}在同一评价中重复出现（第一次在第 {first.row} 行）",
        f"{what_en} appears twice in one evaluation (first on row {first.row})",
    )


def _add_details(draft: _Draft, details: Details, row: Row) -> None:
    """Rows for the same evaluation may repeat details; they must not contradict each other."""
    if draft.details is None:
        draft.details, draft.details_at = details, row.location()
        return
    merged = {}
    for name, value in vars(details).items():
        before = getattr(draft.details, name)
        if value in ("", None) or (name == "kind" and value == Details.kind):
            merged[name] = before
        elif before in ("", None) or before == value or (name == "kind" and before == Details.kind):
            merged[name] = value
        else:
            first_row = draft.details_at.row if draft.details_at else None
            row.error(
                "CONFLICTING_VALUES",
                name,
                f"同一评价的{FIELD_TITLES[name]}与第 {first_row} 行不同（「{before}」≠「{value}」）",
                f"{name} differs from row {first_row} for the same evaluation "
                f"({before!r} vs {value!r})",
            )
            return
    draft.details = Details(**merged)


def _not_a_table(
    grid: Grid, collected: _Collected, why_zh: str, why_en: str, force_error: bool = False
) -> int:
    """A sheet that is not one of the four tables is ignored; a CSV file that is not is an error."""
    if not any(cell.strip() for cells in grid.rows() for cell in cells):
        if grid.in_workbook:
            collected.findings.append(_sheet_ignored(grid, "空工作表", "empty sheet"))
        else:
            collected.findings.append(
                finding(
                    "FILE_EMPTY",
                    f"文件「{grid.file}」中没有任何内容",
                    f"file {grid.file!r} has no content",
                    Location(grid.file),
                )
            )
        return 0
    if grid.in_workbook and not force_error:
        collected.findings.append(_sheet_ignored(grid, why_zh, why_en))
        return 0
    collected.findings.append(
        finding(
            "TABLE_UNKNOWN",
            f"文件「{grid.file}」无法识别为评价信息、资金、指标或支出明细表：{why_zh}",
            f"file {grid.file!r} is not an evaluations, funds, indicators or expenditures "
            f"table: {why_en}",
            Location(grid.file),
        )
    )
    return 1


def _column_missing(
    grid: Grid, header_row: int, detection: Detection, headers: tuple[Header, ...]
) -> Finding:
    kind = detection.kind
    wanted_zh = "、".join(f"「{FIELD_TITLES[f]}」" for f in detection.missing)
    wanted_en = ", ".join(f"{FIELD_TITLES[f]} ({f})" for f in detection.missing)
    found = "、".join(h.printed for h in headers if h.printed) or "（无）"
    return finding(
        "COLUMN_MISSING",
        f"文件「{grid.file}」第 {header_row} 行（{TABLE_TITLES[kind]}表的表头）缺少必填列"
        f"{wanted_zh}；表头中找到的列：{found}",
        f"file {grid.file!r}, row {header_row} ({kind} header): required column missing: "
        f"{wanted_en}; found: {found}",
        Location(grid.file, header_row, None),
    )


def _header_only(grid: Grid, header_row: int) -> Finding:
    return finding(
        "HEADER_ONLY",
        f"文件「{grid.file}」只有表头（第 {header_row} 行），没有数据行",
        f"file {grid.file!r} has a header (row {header_row}) but no data rows",
        Location(grid.file, header_row),
    )


def _sheet_ignored(grid: Grid, why_zh: str, why_en: str) -> Finding:
    return finding(
        "SHEET_IGNORED",
        f"工作表「{grid.sheet}」已忽略：{why_zh}",
        f"sheet {grid.sheet!r} ignored: {why_en}",
        Location(grid.file),
    )


def _no_table_in_workbook(name: str) -> Finding:
    return finding(
        "TABLE_UNKNOWN",
        f"工作簿「{name}」中没有可识别的表格（评价信息、资金、指标、支出明细）",
        f"workbook {name!r} holds none of the upload tables",
        Location(name),
    )


def _placeholder(row: Row) -> Finding:
    return finding(
        "ROW_NOT_APPLICABLE",
        f"{row.location().describe_zh()}：该行没有分值和数据（“/”或空白），按占位行跳过",
        f"{row.location().describe_en()}: no weight and no data ('/' or blank); skipped",
        row.location(),
    )


def _funds_in_yuan(file: str, units: set[str]) -> Finding:
    given = "、".join(u for u in CONVERTED_MONEY_UNITS if u in units)
    return finding(
        "FUNDS_IN_YUAN",
        f"文件「{file}」中的金额以{given}填报，已换算为万元",
        f"amounts in {file!r} were given in {given} and converted to 万元",
        Location(file),
    )


def _note_traditional(file: str, collected: _Collected) -> None:
    already = any(
        f.code == "TRADITIONAL_CHARS" and f.location and f.location.file == file
        for f in collected.findings
    )
    if not already:
        collected.findings.append(
            finding(
                "TRADITIONAL_CHARS",
                f"文件「{file}」的表头或固定名称使用了繁体字，已按简体识别",
                f"traditional characters in {file!r} were read as simplified",
                Location(file),
            )
        )


def _more_errors(file: str, count: int) -> Finding:
    return finding(
        "MORE_ERRORS",
        f"文件「{file}」中另有 {count} 处错误未逐条列出，请先改正上面列出的错误",
        f"{count} more problems in {file!r} are not listed; fix the ones above first",
        Location(file),
    )


def _no_indicators(key: EvaluationKey, at: Location | None) -> Finding:
    return finding(
        "NO_INDICATORS",
        f"评价「{key.label()}」没有任何绩效指标行（请上传指标表）",
        f"evaluation {key.label()!r} has no indicator rows (upload the indicators table)",
        at,
    )
