"""The committed upload templates are exactly what `perfcore.templates` makes, and they read."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from perfcore.headers import TABLE_TITLES, TableKind
from perfcore.reader import read_paths
from perfcore.templates import TEMPLATE_DIR, WORKBOOK_NAME, write_templates


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


def test_committed_templates_match_the_generator(tmp_path: Path) -> None:
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in TEMPLATE_DIR.iterdir())
    for path in written:
        committed = TEMPLATE_DIR / path.name
        if path.suffix == ".csv":
            assert committed.read_bytes() == path.read_bytes(), (
                f"run python -m perfcore.templates ({path.name})"
            )
        else:
            # xlsx files carry a save time; compare what a user sees instead.
            assert sheet_values(committed) == sheet_values(path)


def test_csv_templates_read_as_one_example_evaluation() -> None:
    result = read_paths(sorted(TEMPLATE_DIR.glob("*.csv")))
    assert result.findings == ()
    (evaluation,) = result.evaluations
    counts = (len(evaluation.funds), len(evaluation.indicators), len(evaluation.expenditures))
    assert counts == (1, 1, 1)
    assert evaluation.indicators[0].method == "扣分:1"  # the example shows every column in use


def test_workbook_template_has_the_four_sheets_and_reads_the_same() -> None:
    workbook = TEMPLATE_DIR / WORKBOOK_NAME
    assert list(sheet_values(workbook)) == [TABLE_TITLES[k] for k in TableKind]
    from_workbook = read_paths([workbook])
    from_csv = read_paths(sorted(TEMPLATE_DIR.glob("*.csv")))
    assert from_workbook.findings == ()
    assert from_workbook.evaluations[0].key == from_csv.evaluations[0].key
    assert from_workbook.evaluations[0].total_reported == from_csv.evaluations[0].total_reported
