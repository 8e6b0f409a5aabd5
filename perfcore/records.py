"""Turns the domain model into table rows (Arrow tables) and stored rows back into the model.

One place knows how an Evaluation and its scores map onto the store's columns, in both
directions, so that rescoring a stored evaluation sees exactly what the upload said.

Exact decimals travel to DuckDB as Arrow decimals of the store column's own precision and
scale (never inferred: DuckDB infers a scale from a sample of Python Decimal objects and would
round the rest). A part of a column with a value that does not fit them exactly — an
execution rate of many digits — goes as text instead, which the INSERT casts as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa

from perfcore.model import (
    Evaluation,
    EvaluationKey,
    EvaluationResult,
    Expenditure,
    Finding,
    FundsLine,
    FundsSource,
    IndicatorLine,
    Location,
    Operator,
    ParsedValue,
    ValueKind,
)
from perfcore.scoring import ENGINE_VERSION

Row = dict[str, Any]
TABLES = (
    "evaluations",
    "funds_lines",
    "indicator_lines",
    "expenditures",
    "scores",
    "indicator_scores",
    "findings",
)
# What a progress message calls each table.
TABLE_NAMES_ZH = {
    "evaluations": "评价",
    "funds_lines": "资金执行",
    "indicator_lines": "绩效指标",
    "expenditures": "支出明细",
    "scores": "得分",
    "indicator_scores": "指标得分",
    "findings": "复核问题",
}


def plain(value: Decimal | None) -> Decimal | None:
    """A stored DECIMAL without the padding zeros of its column scale (261.460000 → 261.46)."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


_WHERE = ("source_file", "source_row", "source_column")
_PARSED = ("raw", "kind", "operator", "number", "unit", "text", "year", "month", "confident", "note")  # fmt: skip
# The columns of each table's rows, in the order Batch builds its row tuples.
COLUMNS: dict[str, tuple[str, ...]] = {
    "evaluations": (
        "evaluation_id", "year", "department", "project", "version", "is_current", "upload_id",
        "restored_from", "authority", "implementer", "kind", "goal_expected", "goal_actual",
        "total_reported", "grade_reported", "rule_set_named", "rule_set", "source_files",
        "data_version", "created_at", "created_by",
    ),
    "funds_lines": (
        "evaluation_id", "line_no", "source", "initial_budget", "annual_budget", "executed",
        "weight", "score_reported", "execution_rate_reported", *_WHERE,
    ),
    "indicator_lines": (
        "line_id", "evaluation_id", "line_no", "level1", "level2", "name",
        *(f"target_{name}" for name in _PARSED), *(f"actual_{name}" for name in _PARSED),
        "weight", "score_reported", "deviation_reason", "method", *_WHERE,
    ),
    "expenditures": (
        "evaluation_id", "line_no", "item", "executed", "annual_budget", *_WHERE,
    ),
    "scores": (
        "evaluation_id", "rule_set", "data_version", "initial_budget", "annual_budget",
        "executed", "execution_rate", "funds_weight", "funds_score_computed",
        "funds_score_reported", "total_reported", "total_computed", "grade_reported",
        "grade_reported_canonical", "grade_computed", "engine",
    ),
    "indicator_scores": (
        "line_id", "rule_set", "data_version", "score_computed", "rule", "explanation",
        "counted", "tier",
    ),
    "findings": (
        "upload_id", "evaluation_id", "rule_set", "data_version", "severity", "code", "message",
        "message_en", *_WHERE, "line_id",
    ),
}  # fmt: skip
# Arrow types for the store's column types. Decimals take the column's precision and scale
# (see above); enum members are str, so they go as their values.
_ARROW_TYPES = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
    "VARCHAR": pa.string(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
}


_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


def arrow_type(data_type: str) -> pa.DataType:
    """The Arrow type a Batch column takes for a store column of DuckDB type `data_type`."""
    if decimal := _DECIMAL.fullmatch(data_type):
        return pa.decimal128(int(decimal[1]), int(decimal[2]))
    return _ARROW_TYPES[data_type]


def _column(values: Sequence[Any], arrow: pa.DataType) -> pa.Array:
    """One column of a part as Arrow: decimals exactly, or as text where one value does not
    fit the column's scale (pyarrow refuses to round; the INSERT's cast rounds as it always
    did)."""
    try:
        return pa.array(values, type=arrow)
    except pa.ArrowInvalid:
        if not pa.types.is_decimal(arrow):
            raise
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def _where(location: Location | None) -> tuple:
    if location is None:
        return (None, None, None)
    return (location.file, location.row, location.column)


def _parsed(value: ParsedValue) -> tuple:
    number = value.number
    return (
        value.raw,
        value.kind,
        value.operator,
        number,
        value.unit,
        value.text,
        value.year,
        value.month,
        value.confident,
        value.note,
    )


@dataclass
class Batch:
    """Rows for every data table, accumulated for one transaction and inserted as Arrow tables.

    Rows are tuples in `COLUMNS` order: building a dict per row and letting pandas turn the
    dicts into columns took most of the write time of a large upload."""

    data_version: int
    next_evaluation_id: int
    next_line_id: int
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def row_dicts(self, table: str) -> list[Row]:
        """The rows gathered for `table`, each as a dict by column name."""
        return [dict(zip(COLUMNS[table], row, strict=True)) for row in self.rows[table]]

    def take_tables(self, types: dict[str, dict[str, pa.DataType]]) -> dict[str, pa.Table]:
        """The rows gathered so far as one Arrow table per table, typed by `types` (column
        name → Arrow type, per table); the batch starts empty again (its ids count on), so a
        large upload is written a part at a time."""
        tables = {}
        for name, rows in self.rows.items():
            if not rows:
                continue
            columns = COLUMNS[name]
            arrays = [
                _column(values, types[name][column])
                for column, values in zip(columns, zip(*rows, strict=True), strict=True)
            ]
            tables[name] = pa.Table.from_arrays(arrays, names=list(columns))
        self.rows = {t: [] for t in TABLES}
        return tables

    def add_evaluation(
        self,
        result: EvaluationResult,
        *,
        upload_id: int,
        version: int,
        created_at: Any,
        created_by: str,
    ) -> tuple[int, tuple[int, ...]]:
        """Rows for one evaluation version; returns its id and its indicators' line ids, in order."""
        evaluation = result.evaluation
        evaluation_id = self.next_evaluation_id
        self.next_evaluation_id += 1
        key = evaluation.key
        self.rows["evaluations"].append(
            (
                evaluation_id,
                key.year,
                key.department,
                key.project,
                version,
                True,
                upload_id,
                None,
                evaluation.authority,
                evaluation.implementer,
                evaluation.kind,
                evaluation.goal_expected,
                evaluation.goal_actual,
                evaluation.total_reported,
                evaluation.grade_reported,
                evaluation.rule_set,
                result.rule_set,
                list(evaluation.source_files),
                self.data_version,
                created_at,
                created_by,
            )
        )
        self.rows["funds_lines"].extend(
            (
                evaluation_id,
                line_no,
                line.source,
                line.initial_budget,
                line.annual_budget,
                line.executed,
                line.weight,
                line.score_reported,
                line.execution_rate_reported,
                *_where(line.location),
            )
            for line_no, line in enumerate(evaluation.funds, start=1)
        )
        first_line_id = self.next_line_id
        self.next_line_id += len(evaluation.indicators)
        self.rows["indicator_lines"].extend(
            (
                first_line_id + line_no - 1,
                evaluation_id,
                line_no,
                line.level1,
                line.level2,
                line.name,
                *_parsed(line.target),
                *_parsed(line.actual),
                line.weight,
                line.score_reported,
                line.deviation_reason,
                line.method,
                *_where(line.location),
            )
            for line_no, line in enumerate(evaluation.indicators, start=1)
        )
        self.rows["expenditures"].extend(
            (
                evaluation_id,
                line_no,
                item.item,
                item.executed,
                item.annual_budget,
                *_where(item.location),
            )
            for line_no, item in enumerate(evaluation.expenditures, start=1)
        )
        return evaluation_id, tuple(range(first_line_id, self.next_line_id))

    def add_scores(
        self,
        evaluation_id: int,
        upload_id: int,
        line_ids: Sequence[int],
        result: EvaluationResult,
        lines_at: dict[tuple[str | None, int | None], int] | None = None,
    ) -> None:
        """One scoring run: the totals, every indicator's computed score and the run's findings.

        `line_ids` are the evaluation's indicator line ids in line order; scores are matched to
        them by position (hashing whole lines cost more than the rest of this method).
        `lines_at` is `lines_by_location` of the evaluation, when the caller already has it (it
        is the same for every run of one evaluation).
        """
        funds = result.funds
        rule_set, data_version = result.rule_set, self.data_version
        self.rows["scores"].append(
            (
                evaluation_id,
                rule_set,
                data_version,
                funds.initial_budget,
                funds.annual_budget,
                funds.executed,
                funds.execution_rate,
                funds.weight,
                funds.score_computed,
                funds.score_reported,
                result.total_reported,
                result.total_computed,
                result.grade_reported,
                result.grade_reported_canonical,
                result.grade_computed,
                ENGINE_VERSION,
            )
        )
        self.rows["indicator_scores"].extend(
            (
                line_id,
                rule_set,
                data_version,
                score.score_computed,
                score.rule,
                score.explanation,
                score.counted,
                score.tier,
            )
            for line_id, score in zip(line_ids, result.indicators, strict=True)
        )
        if lines_at is None:
            lines_at = lines_by_location(result.evaluation.indicators, line_ids)
        self.add_findings(result.findings, upload_id, evaluation_id, rule_set, lines_at)

    def add_findings(
        self,
        findings: Iterable[Finding],
        upload_id: int,
        evaluation_id: int | None,
        rule_set: str | None,
        lines_at: dict[tuple[str | None, int | None], int],
    ) -> None:
        for item in findings:
            where = _where(item.location)
            self.rows["findings"].append(
                (
                    upload_id,
                    evaluation_id,
                    rule_set,
                    self.data_version,
                    item.severity,
                    item.code,
                    item.message,
                    item.message_en,
                    *where,
                    lines_at.get((where[0], where[1])),
                )
            )


def lines_by_location(
    lines: Sequence[IndicatorLine], line_ids: Sequence[int]
) -> dict[tuple[str | None, int | None], int]:
    """Indicator line ids by (file, row), to tie a finding to the line it points at."""
    return {
        (line.location.file, line.location.row): line_id
        for line, line_id in zip(lines, line_ids, strict=True)
        if line.location is not None and line.location.row is not None
    }


def n_rows(evaluations: Sequence[Evaluation]) -> int:
    """Table rows an upload contributed: funds, indicator and spending rows."""
    return sum(len(e.funds) + len(e.indicators) + len(e.expenditures) for e in evaluations)


# --- stored rows → model --------------------------------------------------------------------


def _location(row: Row) -> Location | None:
    if row["source_file"] is None and row["source_row"] is None and row["source_column"] is None:
        return None
    return Location(row["source_file"], row["source_row"], row["source_column"])


def _parsed_value(prefix: str, row: Row) -> ParsedValue:
    operator = row[f"{prefix}_operator"]
    return ParsedValue(
        raw=row[f"{prefix}_raw"],
        kind=ValueKind(row[f"{prefix}_kind"]),
        operator=None if operator is None else Operator(operator),
        number=plain(row[f"{prefix}_number"]),
        unit=row[f"{prefix}_unit"],
        text=row[f"{prefix}_text"],
        year=row[f"{prefix}_year"],
        month=row[f"{prefix}_month"],
        confident=row[f"{prefix}_confident"],
        note=row[f"{prefix}_note"],
    )


def funds_line(row: Row) -> FundsLine:
    return FundsLine(
        source=FundsSource(row["source"]),
        annual_budget=plain(row["annual_budget"]),
        executed=plain(row["executed"]),
        initial_budget=plain(row["initial_budget"]),
        weight=plain(row["weight"]),
        score_reported=plain(row["score_reported"]),
        execution_rate_reported=plain(row["execution_rate_reported"]),
        location=_location(row),
    )


def indicator_line(row: Row) -> IndicatorLine:
    return IndicatorLine(
        level1=row["level1"],
        level2=row["level2"],
        name=row["name"],
        target=_parsed_value("target", row),
        actual=_parsed_value("actual", row),
        weight=plain(row["weight"]),
        score_reported=plain(row["score_reported"]),
        deviation_reason=row["deviation_reason"],
        method=row["method"],
        location=_location(row),
    )


def expenditure(row: Row) -> Expenditure:
    return Expenditure(
        item=row["item"],
        executed=plain(row["executed"]),
        annual_budget=plain(row["annual_budget"]),
        location=_location(row),
    )


def evaluation(
    row: Row, funds: Sequence[Row], indicators: Sequence[Row], expenditures: Sequence[Row]
) -> Evaluation:
    """Rebuild an Evaluation from its stored row and its lines (each in line_no order)."""
    return Evaluation(
        key=EvaluationKey(row["year"], row["department"], row["project"]),
        funds=tuple(funds_line(r) for r in funds),
        indicators=tuple(indicator_line(r) for r in indicators),
        expenditures=tuple(expenditure(r) for r in expenditures),
        authority=row["authority"],
        implementer=row["implementer"],
        kind=row["kind"],
        goal_expected=row["goal_expected"],
        goal_actual=row["goal_actual"],
        total_reported=plain(row["total_reported"]),
        grade_reported=row["grade_reported"],
        rule_set=row["rule_set_named"],
        source_files=tuple(row["source_files"]),
    )
