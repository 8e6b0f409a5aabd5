"""perfcore.schema on real temp DuckDB files: a fresh file reaches the latest version, migrating
again changes nothing, step by step ends where one go does, and a failing migration leaves the
file at the version before it. (Opening a v1 file and a too-new file are in test_store_migrations.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from perfcore.schema import current_version, latest_version, migrate
from perfcore.sqlfiles import migrations


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(tmp_path / "perf.duckdb"))
    yield connection
    connection.close()


def catalog(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Every column of every table, with its type, and every macro: the schema as data."""
    columns = con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()"
        " WHERE NOT internal ORDER BY ALL"
    ).fetchall()
    macros = con.execute(
        "SELECT function_name FROM duckdb_functions() WHERE NOT internal"
        " AND function_type IN ('macro', 'table_macro') ORDER BY ALL"
    ).fetchall()
    return columns + macros


def recorded(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT version, name, applied_at FROM schema_version ORDER BY 1").fetchall()


def test_a_fresh_file_gets_every_migration_recorded_in_order(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert current_version(con) == 0
    assert migrate(con) == latest_version() == len(migrations())
    assert current_version(con) == latest_version()
    assert [(v, n) for v, n, _ in recorded(con)] == [(m.version, m.name) for m in migrations()]


def test_migrating_again_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    migrate(con)
    schema, history = catalog(con), recorded(con)
    assert migrate(con) == latest_version()
    assert catalog(con) == schema
    assert recorded(con) == history  # same rows, same applied_at: nothing re-ran


def test_step_by_step_ends_where_one_go_does(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    migrate(con)
    stepwise = duckdb.connect(str(tmp_path / "stepwise.duckdb"))
    try:
        for version in range(1, latest_version() + 1):
            assert migrate(stepwise, up_to=version) == version
            assert current_version(stepwise) == version
        assert catalog(stepwise) == catalog(con)
    finally:
        stepwise.close()


def test_a_failing_migration_leaves_the_file_at_the_version_before(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute("CREATE TABLE findings (unrelated INTEGER)")  # 001 creates findings last
    with pytest.raises(duckdb.CatalogException):
        migrate(con)
    assert current_version(con) == 0
    tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"findings", "schema_version"}  # 001's earlier tables were rolled back
    con.execute("DROP TABLE findings")
    assert migrate(con) == latest_version()
