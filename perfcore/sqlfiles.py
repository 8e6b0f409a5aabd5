"""Reads the SQL kept in `perfcore/sql/`: one named query per file, migrations in order.

SQL lives in files so that a newcomer finds a query by its name and reads it as SQL; no
statement is assembled from strings, and every value reaches DuckDB as a bound parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


@cache
def query(name: str) -> str:
    """The text of `perfcore/sql/<name>.sql`."""
    return resources.files("perfcore").joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")


@cache
def migrations() -> tuple[Migration, ...]:
    """Every `perfcore/sql/migrations/NNN_name.sql`, in version order (numbers must be 1, 2, …)."""
    folder = resources.files("perfcore").joinpath("sql", "migrations")
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration numbers must run 1..n without gaps: {found!r}")
    return tuple(found)


def one_row(cur: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> tuple | None:
    """The first row of a named query, fetching it fully: in DuckDB 2.0 a half-read result
    (as `fetchone()` leaves it) keeps the cursor busy for anything else in the transaction."""
    rows = cur.execute(query(name), params or {}).fetchall()
    return rows[0] if rows else None
