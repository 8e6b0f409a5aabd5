"""What other processes can do to the store file: kill a writer mid-transaction, write at
the same time, or hold the file. The file must always open, consistent, with no half upload."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from perfcore.store import open_store
from tests.fixtures.integrity import problems
from tests.fixtures.snapshot import file_checksums, table_checksums
from tests.fixtures.uploads import seed_like, synthetic_keys, write

ROOT = Path(__file__).resolve().parents[1]

# Ingests the files of a folder; once every table but the last has been inserted (inside the
# one transaction), it drops a marker and waits there to be killed.
KILLED_WRITER = """
import pathlib, sys, time
from perfcore.model import UploadFile
from perfcore.store import open_store

db, folder, marker = sys.argv[1:4]
files = [UploadFile(p.name, p.read_bytes()) for p in sorted(pathlib.Path(folder).iterdir())]

def progress(fraction, message):
    if message.startswith("正在写入") and "（findings）" in message:
        pathlib.Path(marker).write_text(message, encoding="utf-8")
        time.sleep(600)

with open_store(db, seed=False) as store:
    store.ingest(files, uploaded_by="killed", progress=progress)
"""


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), **extra}


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"writer ended early: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("writer never reached the middle of its transaction")
        time.sleep(0.1)


def test_sigkill_mid_ingest_leaves_the_state_from_before(seeded_db: Path, tmp_path: Path) -> None:
    before = file_checksums(seeded_db)
    files = seed_like(synthetic_keys(1000, tag="中断"))
    folder = tmp_path / "large"
    write(files, folder)
    marker = tmp_path / "in-transaction"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(seeded_db), str(folder), str(marker)],
        env=_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_for(marker, writer, timeout=300)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    assert file_checksums(seeded_db) == before
    with open_store(seeded_db, seed=False) as store:
        assert store.data_version() == 1
        outcome = store.ingest(files, uploaded_by="retry")
        assert outcome.status == "stored"
        assert len(outcome.versions) == 1000
        cur = store.cursor()
        assert problems(cur) == {}
        assert cur.execute("SELECT count(*) FROM evaluations").fetchall() == [(1001,)]


def _cli_ingest(db: Path, folder: Path, user: str, **env: str) -> subprocess.Popen:
    paths = sorted(str(p) for p in folder.iterdir())
    return subprocess.Popen(
        [sys.executable, "-m", "perfcore", "ingest", *paths, "--db", str(db), "--user", user],
        env=_env(**env),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_ingesting_at_once_both_end_clearly(seeded_db: Path, tmp_path: Path) -> None:
    uploads = {
        "amy": seed_like(synthetic_keys(80, tag="甲并发")),
        "ben": seed_like(synthetic_keys(80, tag="乙并发")),
    }
    writers = {
        user: _cli_ingest(
            seeded_db, write(files, tmp_path / user)[0].parent, user, PERF_DB_LOCK_TIMEOUT="240"
        )
        for user, files in uploads.items()
    }
    results = {user: proc.communicate(timeout=600) for user, proc in writers.items()}
    for user, proc in writers.items():
        out, err = results[user]
        assert proc.returncode == 0, (user, out[-2000:], err[-2000:])
        assert "已保存" in out
    with open_store(seeded_db, seed=False) as store:
        cur = store.cursor()
        assert problems(cur) == {}
        by_user = cur.execute(
            "SELECT uploaded_by, n_evaluations FROM uploads ORDER BY upload_id"
        ).fetchall()
        assert sorted(by_user) == [("amy", 80), ("ben", 80), ("seed", 1)]
        assert store.data_version() == 3


def test_a_writer_facing_a_held_file_gives_up_with_a_clear_message(
    seeded_db: Path, tmp_path: Path
) -> None:
    folder = write(seed_like(synthetic_keys(2, tag="等待")), tmp_path / "small")[0].parent
    with open_store(seeded_db) as holder:
        before = table_checksums(holder.cursor())
        started = time.monotonic()
        waiting = _cli_ingest(seeded_db, folder, "late", PERF_DB_LOCK_TIMEOUT="1.5")
        out, err = waiting.communicate(timeout=120)
        assert waiting.returncode == 75, (out, err)
        assert "数据库正被另一个程序使用，请稍后再试" in err
        assert "Traceback" not in err
        assert time.monotonic() - started >= 1.5
        assert table_checksums(holder.cursor()) == before


def test_store_busy_in_process_after_the_timeout(
    seeded_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perfcore.connection import StoreBusy

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
            " time.sleep(60)",
            str(seeded_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", "0.5")
        with pytest.raises(StoreBusy, match="数据库正被另一个程序使用"):
            open_store(seeded_db)
    finally:
        holder.kill()
        holder.wait()
    with open_store(seeded_db) as store:  # free again: opens at once
        assert store.data_version() == 1
