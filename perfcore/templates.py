"""The upload templates in `data/templates/`: four CSVs and one workbook, made from code.

Columns come from the header table (`perfcore.headers`) and the example row of each table from
the seed report, so the templates cannot drift from what the reader accepts. Run
`python -m perfcore.templates` after changing either; a test checks the committed files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from perfcore.headers import FIELD_TITLES, KEY_FIELDS, TABLE_TITLES, TableKind
from perfcore.model import FundsSource

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "seed"
TEMPLATE_DIR = ROOT / "data" / "templates"
WORKBOOK_NAME = "绩效自评模板.xlsx"

# Column order of each template: the order of the official table.
COLUMNS: dict[TableKind, tuple[str, ...]] = {
    TableKind.EVALUATIONS: (
        *KEY_FIELDS,
        "authority",
        "implementer",
        "kind",
        "goal_expected",
        "goal_actual",
        "total_reported",
        "grade_reported",
        "rule_set",
    ),
    TableKind.FUNDS: (
        *KEY_FIELDS,
        "source",
        "initial_budget",
        "annual_budget",
        "executed",
        "weight",
        "execution_rate",
        "score_reported",
    ),
    TableKind.INDICATORS: (
        *KEY_FIELDS,
        "level1",
        "level2",
        "name",
        "target",
        "actual",
        "weight",
        "score_reported",
        "deviation_reason",
        "method",
    ),
    TableKind.EXPENDITURES: (*KEY_FIELDS, "item", "executed", "annual_budget"),
}

# Drop-down lists in the workbook for columns with a closed set of values.
_CHOICES: dict[str, tuple[str, ...]] = {
    "source": tuple(FundsSource),
    "kind": ("项目支出", "部门整体"),
}


def template_rows(kind: TableKind) -> list[list[str]]:
    """The header and one example row: the seed row that fills the most columns."""
    with (SEED_DIR / f"{kind.value}.csv").open(encoding="utf-8", newline="") as seed:
        records = list(csv.DictReader(seed))
    titles = [FIELD_TITLES[f] for f in COLUMNS[kind]]
    example = max(records, key=lambda r: sum(1 for t in titles if r.get(t)))
    return [titles, [example.get(t) or "" for t in titles]]


def csv_bytes(kind: TableKind) -> bytes:
    """UTF-8 with a BOM: Excel on Chinese Windows opens it without garbling the headers."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(template_rows(kind))
    return out.getvalue().encode("utf-8-sig")


def build_workbook() -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for kind in TableKind:
        sheet = book.create_sheet(TABLE_TITLES[kind])
        header, example = template_rows(kind)
        sheet.append(header)
        sheet.append([_cell_value(value) for value in example])
        for column, (field, title) in enumerate(zip(COLUMNS[kind], header, strict=True), 1):
            cell = sheet.cell(1, column)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = max(10, min(40, 2.2 * len(title) + 2))
            if field in _CHOICES:
                choices = DataValidation(
                    type="list", formula1='"' + ",".join(_CHOICES[field]) + '"', allow_blank=True
                )
                choices.add(f"{letter}2:{letter}1000")
                sheet.add_data_validation(choices)
        sheet.freeze_panes = "A2"
    return book


def _cell_value(text: str) -> str | int | float:
    """Plain numbers as numbers so Excel does not flag "number stored as text"."""
    if text.isdigit():
        return int(text)
    head, dot, tail = text.partition(".")
    if dot and head.isdigit() and tail.isdigit():
        return float(text)
    return text


def write_templates(folder: Path = TEMPLATE_DIR) -> list[Path]:
    """Write the four CSVs and the workbook into `folder`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in TableKind:
        path = folder / f"{kind.value}.csv"
        path.write_bytes(csv_bytes(kind))
        written.append(path)
    path = folder / WORKBOOK_NAME
    build_workbook().save(path)
    written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_templates():
        print(written_path.relative_to(ROOT))
