"""dashboard.runslots: at most SLOTS script runs at once, the rest in turn; a long write gives
its slot away while it works and takes one back after."""

from __future__ import annotations

import threading
import time

import pytest

from dashboard import runslots


def _run_all(work, n: int) -> None:
    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


def test_no_more_than_slots_runs_at_once() -> None:
    running, most = 0, 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal running, most
        with runslots.script_run():
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.02)
            with lock:
                running -= 1

    _run_all(run, 4 * runslots.SLOTS)
    assert most == runslots.SLOTS


def test_a_slot_is_given_back_when_the_run_raises() -> None:
    for _ in range(runslots.SLOTS + 1):
        with pytest.raises(RuntimeError), runslots.script_run():
            raise RuntimeError("page failed")
    acquired = [runslots._slots.acquire(blocking=False) for _ in range(runslots.SLOTS)]
    for _ in acquired:
        runslots._slots.release()
    assert all(acquired)


def test_a_long_write_lets_other_runs_through() -> None:
    writing, others_done = threading.Event(), threading.Event()

    def writer() -> None:
        with runslots.script_run(), runslots.released():
            writing.set()
            assert others_done.wait(timeout=10)  # the viewers ran while this one wrote

    def viewer() -> None:
        writing.wait(timeout=10)
        with runslots.script_run():
            time.sleep(0.01)

    viewers = [threading.Thread(target=viewer, daemon=True) for _ in range(2 * runslots.SLOTS)]
    holders = [threading.Thread(target=writer, daemon=True) for _ in range(runslots.SLOTS)]
    for thread in (*viewers, *holders):
        thread.start()
    for thread in viewers:
        thread.join(timeout=5)
    finished_while_writing = not any(thread.is_alive() for thread in viewers)
    others_done.set()
    for thread in holders:
        thread.join(timeout=10)
    assert finished_while_writing  # with every slot's holder writing, the viewers still ran
    assert not any(thread.is_alive() for thread in holders)


def test_released_outside_a_run_does_nothing() -> None:
    with runslots.released():
        pass
    assert not runslots._held()
