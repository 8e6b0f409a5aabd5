"""dashboard.runslots: at most SLOTS script runs at once, the rest in turn; a long write gives
its slot away while it works and takes one back after; a run waiting for DuckDB lends its slot
for good."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from dashboard import runslots


def _run_all(targets: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


def _others_run_while(holding: Callable[[threading.Event, threading.Event], None], n: int) -> bool:
    """SLOTS runs `holding(started, others_done)` that hold on until told, and `n` short runs
    started once a holder has started: True when the short ones all finished meanwhile."""
    started, others_done = threading.Event(), threading.Event()

    def short_run() -> None:
        started.wait(timeout=10)
        with runslots.script_run():
            time.sleep(0.01)

    viewers = [threading.Thread(target=short_run, daemon=True) for _ in range(n)]
    holders = [
        threading.Thread(target=holding, args=(started, others_done), daemon=True)
        for _ in range(runslots.SLOTS)
    ]
    for thread in (*viewers, *holders):
        thread.start()
    deadline = time.monotonic() + 5  # one wait for all, well before the holders give up (10 s)
    for thread in viewers:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    finished_meanwhile = not any(thread.is_alive() for thread in viewers)
    others_done.set()
    for thread in holders:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in holders)
    return finished_meanwhile


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

    _run_all([run] * (4 * runslots.SLOTS))
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
    def writer(writing: threading.Event, others_done: threading.Event) -> None:
        with runslots.script_run(), runslots.released():
            writing.set()
            assert others_done.wait(timeout=10)  # the viewers ran while this one wrote

    # with every slot's holder writing, the viewers still ran
    assert _others_run_while(writer, 2 * runslots.SLOTS)


def test_released_outside_a_run_does_nothing() -> None:
    with runslots.released():
        pass
    assert not runslots._held()


def _all_slots_free() -> bool:
    acquired = [runslots._slots.acquire(blocking=False) for _ in range(runslots.SLOTS)]
    for taken in acquired:
        if taken:
            runslots._slots.release()
    return all(acquired)


def test_a_run_waiting_for_duckdb_lets_the_next_runs_through() -> None:
    def cold_run(lent: threading.Event, others_done: threading.Event) -> None:
        with runslots.script_run():
            runslots.lend()
            runslots.lend()  # a second uncached query in the same run: nothing more to give
            lent.set()
            assert others_done.wait(timeout=10)  # "the query": the others ran meanwhile

    assert _others_run_while(cold_run, 3)
    assert _all_slots_free()  # a lent slot is not given back twice


def test_a_run_that_lent_its_slot_inside_a_cached_call_never_waits_for_one() -> None:
    """The cold run holds the lock a cached function's other callers wait on (`value`) while
    the next run, holding the slot, waits for that value: taking a slot back inside would hang
    both."""
    value, inside = threading.Lock(), threading.Event()
    slot_taken = threading.Event()
    seen: list[bool] = []

    def cold_run() -> None:
        with runslots.script_run():
            with value:  # st.cache_resource computing the value
                runslots.lend()
                inside.set()
                seen.append(slot_taken.wait(timeout=10))
                time.sleep(0.05)  # the next run is now waiting for the value
            time.sleep(0.01)  # the rest of the page, without a slot

    def next_run() -> None:
        inside.wait(timeout=10)
        with runslots.script_run():
            slot_taken.set()
            with value:
                pass

    _run_all([cold_run, next_run])
    assert seen == [True]  # the next run had the slot while the cold one was computing
    assert _all_slots_free()


def test_lend_outside_a_run_does_nothing() -> None:
    runslots.lend()
    assert not runslots._held()
    assert _all_slots_free()
