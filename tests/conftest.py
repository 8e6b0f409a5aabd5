"""Shared fixtures: real DuckDB store files in a temp dir, built from code (no checked-in binary).

- `empty_store`: a new, migrated store with no data (seed=False).
- `seeded_store`: a store holding the seed report (data/seed/*.csv, uploaded_by "seed").
- `seeded_db`: the path of a seeded, closed store file, with PERF_DB pointing at it — for
  code that opens the store itself (the CLI, the app under AppTest).

The seed is ingested once per session into a template file; each test gets its own copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfcore.store import Store, open_store


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "perf.duckdb"
    open_store(path, seed=True).close()
    return path


@pytest.fixture
def seeded_db(_seeded_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "perf.duckdb"
    shutil.copyfile(_seeded_template, path)
    monkeypatch.setenv("PERF_DB", str(path))
    return path


@pytest.fixture
def seeded_store(seeded_db: Path) -> Iterator[Store]:
    store = open_store(seeded_db)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "empty.duckdb", seed=False)
    yield store
    store.close()
