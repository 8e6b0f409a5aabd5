"""The store on real DuckDB files: seeding, ingest contents, duplicates, rejections."""

from __future__ import annotations

from decimal import Decimal

from perfcore.model import EvaluationKey
from perfcore.store import Store

SEED_KEY = EvaluationKey(2022, "中共益阳市委组织部", "业务工作开展专项经费")


def _count(store: Store, table: str) -> int:
    cur = store.cursor()
    try:
        # table names come from this test's own literals
        return cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]  # noqa: S608
    finally:
        cur.close()


def test_seed_tables_hold_what_the_files_say(seeded_store: Store) -> None:
    assert seeded_store.data_version() == 1
    counts = {
        t: _count(seeded_store, t)
        for t in ("uploads", "upload_files", "evaluations", "funds_lines", "indicator_lines")
    }
    assert counts == {
        "uploads": 1,
        "upload_files": 4,
        "evaluations": 1,
        "funds_lines": 4,
        "indicator_lines": 9,
    }
    assert _count(seeded_store, "expenditures") == 18
    cur = seeded_store.cursor()
    rows = cur.execute(
        "SELECT s.total_reported, s.total_computed, s.grade_computed, s.annual_budget, s.executed,"
        " e.grade_reported, e.rule_set, e.created_by"
        " FROM scores s JOIN evaluations e USING (evaluation_id) WHERE s.rule_set = e.rule_set"
    ).fetchall()
    assert rows == [
        (
            Decimal("97.13"),
            Decimal("97.13"),
            "优",
            Decimal("261.46"),
            Decimal("261.46"),
            "优秀",
            "national",
            "seed",
        )
    ]
    spent = cur.execute("SELECT sum(executed) FROM expenditures").fetchall()[0][0]
    assert spent == Decimal("261.46")
    cur.close()


def test_every_shipped_rule_set_is_scored_on_ingest(seeded_store: Store) -> None:
    from perfcore.rules import available_rule_sets

    cur = seeded_store.cursor()
    stored = {r[0] for r in cur.execute("SELECT rule_set FROM scores").fetchall()}
    per_line = cur.execute(
        "SELECT rule_set, count(*) FROM indicator_scores GROUP BY ALL"
    ).fetchall()
    cur.close()
    assert stored == {info.name for info in available_rule_sets()}
    assert {n for _, n in per_line} == {9}
