"""Evaluation versions: listing them, restoring an old one, and reading them back as the model.

History is append-only. A restore never rewinds anything: it copies the chosen version (its
lines, its latest scores and findings) into a new version that becomes current, and writes
an audit entry, so the restore itself stays visible in the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from perfcore import records
from perfcore.model import Evaluation, EvaluationKey
from perfcore.sqlfiles import one_row, query


class VersionNotFound(LookupError):
    def __init__(self, key: EvaluationKey, version: int) -> None:
        super().__init__(
            f"没有找到 {key.label()} 的第 {version} 版。 / No version {version} of {key.label()}."
        )


@dataclass(frozen=True)
class StoredEvaluation:
    """A stored evaluation version rebuilt as the model, with the ids its rows are stored under."""

    evaluation_id: int
    upload_id: int
    evaluation: Evaluation
    line_ids: tuple[int, ...]  # of evaluation.indicators, in line order


def history(
    cur: duckdb.DuckDBPyConnection,
    year: int | None,
    department: str | None,
    project: str | None,
) -> pd.DataFrame:
    params = {"year": year, "department": department, "project": project}
    return cur.execute(query("history"), params).df()


def restore(
    cur: duckdb.DuckDBPyConnection,
    key: EvaluationKey,
    version: int,
    restored_by: str,
    now: datetime,
) -> int:
    """Inside the caller's transaction: copy `version` of `key` into a new current version."""
    key_params = {"year": key.year, "department": key.department, "project": key.project}
    source, is_current, latest = one_row(cur, "version_of_key", {**key_params, "version": version})
    if source is None:
        raise VersionNotFound(key, version)
    if is_current:
        return version
    data_version, _, evaluation_id, first_line_id = one_row(cur, "next_ids")
    new_version = latest + 1
    cur.execute(
        query("insert_audit"),
        {
            "data_version": data_version,
            "action": "restore",
            "happened_at": now,
            "actor": restored_by,
            "upload_id": None,
            "rule_set": None,
            "detail": f"将 {key.label()} 第 {version} 版恢复为第 {new_version} 版",
        },
    )
    cur.execute(query("retire_key"), key_params)
    copy = {"source": source, "evaluation_id": evaluation_id}
    cur.execute(
        query("restore_evaluations"),
        {
            **copy,
            "new_version": new_version,
            "data_version": data_version,
            "created_at": now,
            "created_by": restored_by,
        },
    )
    cur.execute(query("restore_funds_lines"), copy)
    cur.execute(query("restore_expenditures"), copy)
    cur.execute(query("restore_indicator_lines"), {**copy, "first_line_id": first_line_id})
    for table in ("scores", "indicator_scores", "findings"):
        cur.execute(query(f"restore_{table}"), {**copy, "data_version": data_version})
    return new_version


def _rows(cur: duckdb.DuckDBPyConnection, name: str) -> Iterator[dict]:
    result = cur.execute(query(name))
    columns = [d[0] for d in result.description]
    for values in result.fetchall():
        yield dict(zip(columns, values, strict=True))


def _by_evaluation(cur: duckdb.DuckDBPyConnection, name: str) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in _rows(cur, name):
        grouped[row["evaluation_id"]].append(row)
    return grouped


def stored_evaluations(cur: duckdb.DuckDBPyConnection) -> list[StoredEvaluation]:
    """Every stored evaluation version, rebuilt for rescoring without the upload."""
    funds = _by_evaluation(cur, "stored_funds_lines")
    indicators = _by_evaluation(cur, "stored_indicator_lines")
    spending = _by_evaluation(cur, "stored_expenditures")
    found = []
    for row in _rows(cur, "stored_evaluations"):
        evaluation_id = row["evaluation_id"]
        lines = indicators.get(evaluation_id, [])
        evaluation = records.evaluation(
            row, funds.get(evaluation_id, []), lines, spending.get(evaluation_id, [])
        )
        line_ids = tuple(stored["line_id"] for stored in lines)
        found.append(StoredEvaluation(evaluation_id, row["upload_id"], evaluation, line_ids))
    return found
