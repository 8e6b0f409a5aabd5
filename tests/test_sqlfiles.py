"""perfcore.sqlfiles: every named query the code asks for exists, loads and parses; an unknown
name fails with its file name. (Migration numbering is pinned in test_store_migrations.)"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from perfcore import records
from perfcore.sqlfiles import migrations, one_row, query
from perfcore.store import Store

PERFCORE = Path(__file__).resolve().parents[1] / "perfcore"
SQL = PERFCORE / "sql"
# query("x"), one_row(cur, "x"), self._one_row("x"), _frame(store, "x"), _rows(cur, "x") …,
# also when the formatter wraps the call after its opening parenthesis
_NAMED = re.compile(
    r'\b(?:query|one_row|_one_row|_frame|_rows|_by_evaluation)\(\s*(?:\w+,\s*)?"([a-z0-9_]+)"'
)
# Names built at run time: store._insert_frame and versions.restore.
_BUILT = {f"insert_{t}" for t in records.TABLES} | {
    f"restore_{t}" for t in ("scores", "indicator_scores", "findings")
}


def _asked_for() -> set[str]:
    return {name for p in PERFCORE.glob("*.py") for name in _NAMED.findall(p.read_text("utf-8"))}


def test_every_query_the_code_names_has_its_file_and_every_file_is_used() -> None:
    asked = _asked_for()
    assert len(asked) > 30, "the pattern no longer finds the calls"
    files = {p.stem for p in SQL.glob("*.sql")}
    assert asked | _BUILT <= files, sorted((asked | _BUILT) - files)
    assert files <= asked | _BUILT, f"query files nobody asks for: {sorted(files - asked - _BUILT)}"


@pytest.mark.parametrize("path", sorted(SQL.glob("*.sql")), ids=lambda p: p.stem)
def test_each_named_query_loads_and_parses(path: Path) -> None:
    text = query(path.stem)
    assert text == path.read_text(encoding="utf-8")
    assert duckdb.connect().extract_statements(text), path.name  # parse only, binds nothing


def test_each_migration_parses() -> None:
    con = duckdb.connect()
    for migration in migrations():
        assert con.extract_statements(migration.sql), migration.name


def test_an_unknown_name_fails_naming_the_file() -> None:
    with pytest.raises(FileNotFoundError, match=r"sql[/\\]no_such_query\.sql"):
        query("no_such_query")


def test_one_row_is_the_first_row_or_none_and_frees_the_cursor(empty_store: Store) -> None:
    cur = empty_store.cursor()
    cur.begin()
    assert one_row(cur, "upload_by_sha256", {"sha256": "0" * 64}) is None
    assert one_row(cur, "data_version") == (0,)
    # the cursor is free for the next statement in the same transaction
    assert one_row(cur, "next_ids") == (1, 1, 1, 1)
    cur.rollback()
