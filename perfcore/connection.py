"""Opens the store file for writing, waiting a bounded time while another process holds it.

DuckDB lets one process at a time open a file read-write and refuses the others at once
("Could not set lock"). A second writer (a CLI ingest while another runs) should wait a
little rather than fail, but never hang: after PERF_DB_LOCK_TIMEOUT seconds (default 10) it
gets `StoreBusy`, and the file is untouched.

DuckDB's own default memory limit is 80 % of the machine's RAM, and its buffer pool keeps what
it has read until that limit: a dashboard over a 10^5-evaluation store grew past 1.7 GB. The
limit is PERF_DB_MEMORY_LIMIT (default 512MB, any DuckDB size such as 2GB); beyond it DuckDB
evicts cached pages and spills large intermediates to disk instead of growing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

DEFAULT_LOCK_TIMEOUT = 10.0
DEFAULT_MEMORY_LIMIT = "512MB"
_RETRY_PAUSE = 0.1


class StoreBusy(RuntimeError):
    """Another process holds the store file."""

    def __init__(self, path: Path, waited: float, detail: str) -> None:
        super().__init__(
            f"数据库正被另一个程序使用，请稍后再试（已等待 {waited:.0f} 秒）。"
            f" / The store {path} is locked by another process (waited {waited:.1f} s): {detail}"
        )
        self.path = path


class WriteFailed(RuntimeError):
    """DuckDB refused a write (most often: out of memory). The transaction was rolled back, so
    nothing of it was stored and the data from before is untouched."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "写入数据库失败，未保存任何数据，已有数据不受影响。"
            f"如提示内存不足（Out of Memory），可把环境变量 PERF_DB_MEMORY_LIMIT 调大"
            f"（现为 {memory_limit()}，如 2GB）后重试，或把文件分成几次上传。"
            f" / The write failed and was rolled back; nothing was stored: {detail}"
        )


class BadSetting(ValueError):
    """An environment setting the store reads has a value it cannot use."""


def lock_timeout() -> float:
    raw = os.environ.get("PERF_DB_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise BadSetting(
            f"环境变量 PERF_DB_LOCK_TIMEOUT 应为等待的秒数（如 10），现为「{raw}」。"
            f" / PERF_DB_LOCK_TIMEOUT must be a number of seconds ≥ 0, got {raw!r}"
        )
    return seconds


def memory_limit() -> str:
    return os.environ.get("PERF_DB_MEMORY_LIMIT", "").strip() or DEFAULT_MEMORY_LIMIT


def connect(path: Path, timeout: float | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection to `path`, retrying while another process holds the lock."""
    limit = lock_timeout() if timeout is None else timeout
    config = {"memory_limit": memory_limit()}
    started = time.monotonic()
    while True:
        try:
            return duckdb.connect(str(path), config=config)
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc):
                raise
            waited = time.monotonic() - started
            if waited >= limit:
                raise StoreBusy(path, waited, str(exc)) from exc
            time.sleep(min(_RETRY_PAUSE, max(limit - waited, 0.0)))
