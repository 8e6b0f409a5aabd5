"""perfcore.connection: a second writer waits a bounded time for the file, then gets a clear
StoreBusy; one that is not about the lock fails at once as itself. The holder is a real second
process, since DuckDB's file lock is per process. (The CLI's exit code 75 is in test_store_crash.)
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from perfcore.connection import (
    DEFAULT_LOCK_TIMEOUT,
    BadSetting,
    StoreBusy,
    connect,
    lock_timeout,
)

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("held", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
print("released", flush=True)
time.sleep(60)
"""


def _holder(path: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture
def store_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "perf.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT 42 AS answer")
    con.close()
    yield path


def test_a_second_writer_waits_then_gets_a_clear_error(store_file: Path) -> None:
    holder = _holder(store_file, 60)
    try:
        started = time.monotonic()
        with pytest.raises(StoreBusy) as busy:
            connect(store_file, timeout=0.6)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert 0.6 <= waited < 5
    message = str(busy.value)
    assert re.match(r"数据库正被另一个程序使用，请稍后再试（已等待 \d+ 秒）。 / ", message)
    assert f"The store {store_file} is locked by another process" in message
    assert busy.value.path == store_file
    con = connect(store_file, timeout=0)  # untouched and free again
    assert con.execute("SELECT answer FROM t").fetchone() == (42,)
    con.close()


def test_a_writer_gets_the_file_as_soon_as_the_holder_lets_go(store_file: Path) -> None:
    holder = _holder(store_file, 0.8)
    try:
        started = time.monotonic()
        con = connect(store_file, timeout=30)
        waited = time.monotonic() - started
        assert holder.stdout.readline().strip() == "released"
    finally:
        holder.kill()
        holder.wait()
    assert 0.3 < waited < 10  # waited for the holder, not the whole timeout
    assert con.execute("SELECT answer FROM t").fetchone() == (42,)
    con.close()


def test_other_io_errors_are_not_mistaken_for_a_busy_store(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(duckdb.IOException) as failed:
        connect(tmp_path / "no" / "such" / "dir.duckdb", timeout=5)
    assert not isinstance(failed.value, StoreBusy)
    assert time.monotonic() - started < 2  # no waiting for a lock that is not the problem


def test_the_lock_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERF_DB_LOCK_TIMEOUT", raising=False)
    assert lock_timeout() == DEFAULT_LOCK_TIMEOUT == 10.0
    monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", " ")
    assert lock_timeout() == DEFAULT_LOCK_TIMEOUT
    monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", "2.5")
    assert lock_timeout() == 2.5


@pytest.mark.parametrize("written", ["abc", "-1", "inf", "nan"])
def test_a_lock_timeout_that_is_no_number_of_seconds_is_named(
    monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", written)
    with pytest.raises(BadSetting, match=r"PERF_DB_LOCK_TIMEOUT 应为等待的秒数.*must be a number"):
        lock_timeout()
