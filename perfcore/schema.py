"""Brings a store file's schema up to date by applying `sql/migrations/NNN_*.sql` in order.

Each migration runs in its own transaction together with its `schema_version` row, so a
file is always at some exact version, whatever happens mid-way.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from perfcore.sqlfiles import migrations, one_row, query


class SchemaTooNew(RuntimeError):
    """The file was written by a newer perfcore; opening it with this one could damage it."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"数据库文件的结构版本（{found}）比本程序支持的（{known}）更新，请升级程序后再打开。"
            f" / The store's schema version {found} is newer than this program's {known}."
        )


def latest_version() -> int:
    return migrations()[-1].version


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    cur = con.cursor()
    try:
        cur.execute(query("schema_version_table"))
        return one_row(cur, "schema_version_current")[0]
    finally:
        cur.close()


def migrate(con: duckdb.DuckDBPyConnection, *, up_to: int | None = None) -> int:
    """Apply every pending migration (or those up to `up_to`, for tests); returns the version."""
    target = latest_version() if up_to is None else up_to
    found = current_version(con)
    if found > latest_version():
        raise SchemaTooNew(found, latest_version())
    for migration in migrations():
        if found < migration.version <= target:
            _apply(con, migration.version, migration.name, migration.sql)
            found = migration.version
    return found


def _apply(con: duckdb.DuckDBPyConnection, version: int, name: str, sql: str) -> None:
    cur = con.cursor()
    try:
        cur.begin()
        cur.execute(sql)
        cur.execute(
            query("schema_version_record"),
            {"version": version, "name": name, "applied_at": datetime.now()},
        )
        cur.commit()
    except BaseException:
        cur.rollback()
        raise
    finally:
        cur.close()
