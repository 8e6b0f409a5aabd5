"""Turns the domain model into table rows (DataFrames) and stored rows back into the model.

One place knows how an Evaluation and its scores map onto the store's columns, in both
directions, so that rescoring a stored evaluation sees exactly what the upload said.

Exact decimals travel to DuckDB as text and are cast by the INSERT: DuckDB infers a DECIMAL
column's scale from a sample of Python Decimal objects and would round the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

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


def dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def plain(value: Decimal | None) -> Decimal | None:
    """A stored DECIMAL without the padding zeros of its column scale (261.460000 → 261.46)."""
    if value is None:
        return None
    value = Decimal(value).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _where(location: Location | None) -> Row:
    loc = location or Location()
    return {"source_file": loc.file, "source_row": loc.row, "source_column": loc.column}


def _parsed(prefix: str, value: ParsedValue) -> Row:
    return {
        f"{prefix}_raw": value.raw,
        f"{prefix}_kind": value.kind.value,
        f"{prefix}_operator": None if value.operator is None else value.operator.value,
        f"{prefix}_number": dec(value.number),
        f"{prefix}_unit": value.unit,
        f"{prefix}_text": value.text,
        f"{prefix}_year": value.year,
        f"{prefix}_month": value.month,
        f"{prefix}_confident": value.confident,
        f"{prefix}_note": value.note,
    }


@dataclass
class Batch:
    """Rows for every data table, accumulated for one transaction and inserted as DataFrames."""

    data_version: int
    next_evaluation_id: int
    next_line_id: int
    rows: dict[str, list[Row]] = field(default_factory=lambda: {t: [] for t in TABLES})

    def take_frames(self) -> dict[str, pd.DataFrame]:
        """The rows gathered so far as one DataFrame per table; the batch starts empty again
        (its ids count on), so a large upload is written a part at a time."""
        frames = {name: pd.DataFrame(rows) for name, rows in self.rows.items() if rows}
        self.rows = {t: [] for t in TABLES}
        return frames

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
            {
                "evaluation_id": evaluation_id,
                "year": key.year,
                "department": key.department,
                "project": key.project,
                "version": version,
                "is_current": True,
                "upload_id": upload_id,
                "restored_from": None,
                "authority": evaluation.authority,
                "implementer": evaluation.implementer,
                "kind": evaluation.kind,
                "goal_expected": evaluation.goal_expected,
                "goal_actual": evaluation.goal_actual,
                "total_reported": dec(evaluation.total_reported),
                "grade_reported": evaluation.grade_reported,
                "rule_set_named": evaluation.rule_set,
                "rule_set": result.rule_set,
                "source_files": list(evaluation.source_files),
                "data_version": self.data_version,
                "created_at": created_at,
                "created_by": created_by,
            }
        )
        for line_no, line in enumerate(evaluation.funds, start=1):
            self.rows["funds_lines"].append(
                {
                    "evaluation_id": evaluation_id,
                    "line_no": line_no,
                    "source": line.source.value,
                    "initial_budget": dec(line.initial_budget),
                    "annual_budget": dec(line.annual_budget),
                    "executed": dec(line.executed),
                    "weight": dec(line.weight),
                    "score_reported": dec(line.score_reported),
                    "execution_rate_reported": dec(line.execution_rate_reported),
                    **_where(line.location),
                }
            )
        first_line_id = self.next_line_id
        self.next_line_id += len(evaluation.indicators)
        for line_no, line in enumerate(evaluation.indicators, start=1):
            line_id = first_line_id + line_no - 1
            self.rows["indicator_lines"].append(
                {
                    "line_id": line_id,
                    "evaluation_id": evaluation_id,
                    "line_no": line_no,
                    "level1": line.level1,
                    "level2": line.level2,
                    "name": line.name,
                    **_parsed("target", line.target),
                    **_parsed("actual", line.actual),
                    "weight": dec(line.weight),
                    "score_reported": dec(line.score_reported),
                    "deviation_reason": line.deviation_reason,
                    "method": line.method,
                    **_where(line.location),
                }
            )
        for line_no, item in enumerate(evaluation.expenditures, start=1):
            self.rows["expenditures"].append(
                {
                    "evaluation_id": evaluation_id,
                    "line_no": line_no,
                    "item": item.item,
                    "executed": dec(item.executed),
                    "annual_budget": dec(item.annual_budget),
                    **_where(item.location),
                }
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
        self.rows["scores"].append(
            {
                "evaluation_id": evaluation_id,
                "rule_set": result.rule_set,
                "data_version": self.data_version,
                "initial_budget": dec(funds.initial_budget),
                "annual_budget": dec(funds.annual_budget),
                "executed": dec(funds.executed),
                "execution_rate": dec(funds.execution_rate),
                "funds_weight": dec(funds.weight),
                "funds_score_computed": dec(funds.score_computed),
                "funds_score_reported": dec(funds.score_reported),
                "total_reported": dec(result.total_reported),
                "total_computed": dec(result.total_computed),
                "grade_reported": result.grade_reported,
                "grade_reported_canonical": result.grade_reported_canonical,
                "grade_computed": result.grade_computed,
                "engine": ENGINE_VERSION,
            }
        )
        for line_id, score in zip(line_ids, result.indicators, strict=True):
            self.rows["indicator_scores"].append(
                {
                    "line_id": line_id,
                    "rule_set": result.rule_set,
                    "data_version": self.data_version,
                    "score_computed": dec(score.score_computed),
                    "rule": score.rule,
                    "explanation": score.explanation,
                    "counted": score.counted,
                    "tier": score.tier,
                }
            )
        if lines_at is None:
            lines_at = lines_by_location(result.evaluation.indicators, line_ids)
        self.add_findings(result.findings, upload_id, evaluation_id, result.rule_set, lines_at)

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
                {
                    "upload_id": upload_id,
                    "evaluation_id": evaluation_id,
                    "rule_set": rule_set,
                    "data_version": self.data_version,
                    "severity": item.severity,
                    "code": item.code,
                    "message": item.message,
                    "message_en": item.message_en,
                    **where,
                    "line_id": lines_at.get((where["source_file"], where["source_row"])),
                }
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
