"""Opening a file made by an older schema version upgrades it in place and keeps its data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from perfcore import queries
from perfcore.schema import SchemaTooNew, current_version, latest_version
from perfcore.sqlfiles import migrations
from perfcore.store import open_store, seed_files
from tests.fixtures.integrity import problems
from tests.fixtures.old_schema import build_v1_store
from tests.fixtures.snapshot import CHECKSUM, file_checksums


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    numbers = [m.version for m in migrations()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert latest_version() >= 2


def test_a_version_1_file_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = build_v1_store(tmp_path / "old.duckdb")
    before = file_checksums(path)
    assert before["schema_version"][0] == 1
    with open_store(path) as store:
        cur = store.cursor()
        assert current_version(store.cursor()) == latest_version()
        applied = cur.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall()
        assert [v for v, _ in applied] == list(range(1, latest_version() + 1))
        assert store.data_version() == 1
        assert problems(cur) == {}
        frame = queries.evaluations(store, queries.Filters())
        assert frame["total_computed"].tolist() == [97.13]
    after = file_checksums(path)
    for table, checksum in before.items():
        if table not in ("schema_version", "scores", "upload_files"):
            assert after[table] == checksum, table
    # Migration 003 added scores.engine (NULL for runs made before it), 005 upload_files.encoding
    # ('identity': files stored before it stay as they were); the rest is unchanged.
    con = duckdb.connect(str(path))
    try:
        old_columns = con.execute(CHECKSUM.format("(SELECT * EXCLUDE (engine) FROM scores)"))
        assert old_columns.fetchall()[0] == before["scores"]
        assert con.execute("SELECT count(*) FROM scores WHERE engine IS NOT NULL").fetchone() == (
            0,
        )
        old_files = con.execute(CHECKSUM.format("(SELECT * EXCLUDE (encoding) FROM upload_files)"))
        assert old_files.fetchall()[0] == before["upload_files"]
        encodings = con.execute("SELECT DISTINCT encoding FROM upload_files").fetchall()
        assert encodings == [("identity",)]
    finally:
        con.close()
    with open_store(path) as store:
        assert store.upload_files(1) == seed_files()  # read back as they were uploaded


def test_opening_again_applies_nothing(tmp_path: Path) -> None:
    path = tmp_path / "perf.duckdb"
    open_store(path).close()
    before = file_checksums(path)
    open_store(path).close()
    assert file_checksums(path) == before


def test_a_file_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    open_store(path, seed=False).close()
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO schema_version VALUES ($v, 'from_the_future', now())",
        {"v": latest_version() + 1},
    )
    con.close()
    before = file_checksums(path)
    with pytest.raises(SchemaTooNew, match="请升级程序"):
        open_store(path)
    assert file_checksums(path) == before
    assert path.exists()
