"""The served entry point (`streamlit run dashboard/serve.py`): the real server, started the way
`make run`, the systemd unit and the Docker image start it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.appserver import serve
from perfcore.collector import SERVING_THRESHOLDS
from perfcore.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def _wait_for(condition: Callable[[], bool], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_the_server_opens_and_seeds_the_store_before_anyone_visits(tmp_path: Path) -> None:
    db, log = tmp_path / "perf.duckdb", tmp_path / "server.log"
    with serve(db, log):
        # Nobody visits: with `streamlit run dashboard/app.py` the file would not exist yet.
        assert _wait_for(db.exists), "the server did not open the store at start"
        assert _wait_for(lambda: f"Store ready: {db}" in _text(log))
    text = _text(log)
    assert "missing ScriptRunContext" not in text
    assert "could not get the store ready" not in text
    with open_store(db, seed=False) as store:
        assert store.data_version() >= 1  # created and seeded, as on a first visit


def test_a_store_held_elsewhere_does_not_stop_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, log = tmp_path / "perf.duckdb", tmp_path / "server.log"
    monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", "0")
    # A CLI write holds the file while the service restarts; serve() raises unless healthy.
    with open_store(db), serve(db, log):
        assert _wait_for(lambda: "could not get the store ready" in _text(log))
    assert "StoreBusy" in _text(log)


def _text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def test_the_served_process_collects_garbage_rarely() -> None:
    """What `streamlit run dashboard/serve.py` runs once at start, in a process of its own (the
    thresholds are the whole interpreter's)."""
    script = "import gc, runpy; runpy.run_path('dashboard/serve.py'); print(gc.get_threshold())"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == repr(SERVING_THRESHOLDS)
