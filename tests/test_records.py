"""perfcore.records: the model ↔ table rows. Tables must match the DuckDB tables column for
column, and exact decimals must survive the trip. (The whole-store round trip of the seed is in
test_store.)"""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from perfcore import records
from perfcore.engine import assess
from perfcore.model import EvaluationResult, IndicatorLine, Location, ParsedValue, ValueKind
from perfcore.sqlfiles import query
from perfcore.store import Store, _column_types, seed_files

# Decimal columns of funds_lines, as DuckDB returns them: padded to the column's scale.
_MONEY = {
    "initial_budget",
    "annual_budget",
    "executed",
    "weight",
    "score_reported",
    "execution_rate_reported",
}
# Tables the store keeps besides the per-evaluation data a Batch writes.
BOOKKEEPING = {"uploads", "upload_files", "audit_log", "schema_version"}


@pytest.fixture(scope="module")
def seed_result() -> EvaluationResult:
    [result] = assess(seed_files()).results
    return result


def _batch(result: EvaluationResult) -> records.Batch:
    batch = records.Batch(data_version=1, next_evaluation_id=10, next_line_id=100)
    evaluation_id, line_ids = batch.add_evaluation(
        result, upload_id=1, version=1, created_at=None, created_by="t"
    )
    batch.add_scores(evaluation_id, 1, line_ids, result)
    return batch


def test_frames_have_exactly_the_columns_of_the_store_tables(
    empty_store: Store, seed_result: EvaluationResult
) -> None:
    cur = empty_store.cursor()
    tables = {name for (name,) in cur.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables - BOOKKEEPING == set(records.TABLES)
    types = _column_types(cur)
    batch = _batch(seed_result)
    tables = batch.take_tables(types)
    assert set(tables) == set(records.TABLES)  # the seed has a row for every table
    assert batch.take_tables(types) == {}  # taken: the next part starts empty
    for table, rows in tables.items():
        stored = [
            name for name, _ in cur.execute(query("table_columns"), {"table": table}).fetchall()
        ]
        assert sorted(rows.column_names) == sorted(stored), table
        assert sorted(records.COLUMNS[table]) == sorted(stored), table


def test_ids_are_handed_out_in_order_and_lines_found_by_location(
    seed_result: EvaluationResult,
) -> None:
    batch = records.Batch(1, 10, 100)
    first, lines = batch.add_evaluation(
        seed_result, upload_id=1, version=1, created_at=None, created_by="t"
    )
    second, more = batch.add_evaluation(
        seed_result, upload_id=1, version=2, created_at=None, created_by="t"
    )
    n = len(seed_result.evaluation.indicators)
    assert (first, second) == (10, 11)
    assert lines == tuple(range(100, 100 + n)) and more == tuple(range(100 + n, 100 + 2 * n))
    at = records.lines_by_location(seed_result.evaluation.indicators, lines)
    line = seed_result.evaluation.indicators[0]
    assert at[(line.location.file, line.location.row)] == 100
    assert records.n_rows([seed_result.evaluation]) == sum(
        len(part)
        for part in (
            seed_result.evaluation.funds,
            seed_result.evaluation.indicators,
            seed_result.evaluation.expenditures,
        )
    )


def test_lines_without_a_row_are_not_indexed_by_location() -> None:
    value = ParsedValue("", ValueKind.MISSING)
    lines = [
        IndicatorLine("产出指标", "数量指标", "a", value, value, None, location=Location("f.csv")),
        IndicatorLine(
            "产出指标", "数量指标", "b", value, value, None, location=Location("f.csv", 3)
        ),
        IndicatorLine("产出指标", "数量指标", "c", value, value, None),
    ]
    assert records.lines_by_location(lines, [1, 2, 3]) == {("f.csv", 3): 2}


def test_decimals_travel_exactly_and_come_back_without_padding(
    empty_store: Store, seed_result: EvaluationResult
) -> None:
    cur = empty_store.cursor()
    types = _column_types(cur)
    batch = _batch(seed_result)
    first = batch.rows["funds_lines"][0]
    # A second part whose reported rate has more digits than the column's scale (8).
    many_digits = Decimal("0.123456789012")
    rate_at = records.COLUMNS["funds_lines"].index("execution_rate_reported")
    tables = batch.take_tables(types)
    batch.rows["funds_lines"].append((99, *first[1:rate_at], many_digits, *first[rate_at + 1 :]))
    rounded = batch.take_tables(types)["funds_lines"]
    executed = tables["funds_lines"].column("executed")
    assert executed.type == pa.decimal128(24, 6)  # the store column's own type
    assert executed[0].as_py() == seed_result.evaluation.funds[0].executed
    assert rounded.column("execution_rate_reported").type == pa.string()  # INSERT casts it
    cur.from_arrow(rounded).query("new_funds_lines", query("insert_funds_lines"))
    (stored,) = cur.execute(
        "SELECT execution_rate_reported FROM funds_lines WHERE evaluation_id = 99"
    ).fetchone()
    assert stored == Decimal("0.12345679")
    assert records.plain(Decimal("261.460000")) == Decimal("261.46")
    assert str(records.plain(Decimal("10.000000"))) == "10"
    assert records.plain(None) is None


def test_a_funds_row_reads_back_as_the_line(seed_result: EvaluationResult) -> None:
    [row, *_] = _batch(seed_result).row_dicts("funds_lines")
    padded = {
        k: Decimal(v).quantize(Decimal("0.000001")) if k in _MONEY and v else v
        for k, v in row.items()
    }
    assert records.funds_line(padded) == seed_result.evaluation.funds[0]
