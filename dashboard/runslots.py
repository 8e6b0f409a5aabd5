"""One script run computes at a time in this server process; the others wait their turn.

Script runs are Python threads sharing one interpreter lock. With fifty viewers rerunning at
once, fifty threads took 5 ms turns, so every run finished near the end of the whole batch
(median ≈ p95). Taken in turn, the first runs finish early and the last no later, and the
server spends less time switching between threads.

One turn, not two: with two runs at once both still share the one interpreter lock, and the
event loop that sends their messages waits behind both. Back to back under fifty viewers
(10^5 evaluations, 3 × 200 reruns, twice each): p95 per rerun 2.24–2.68 s with two, 1.51–1.83
s with one, for the same throughput (29–34 ms of server time a rerun either way).

What a second turn gave, a run computing in Python while another waits for DuckDB (which
releases the lock), `lend` keeps: a query that is not cached gives the run's turn to the next
one and the run finishes without a turn, so a leader never waits behind a reviewer's cold
query. Long writes (an upload, a restore, a recompute) give their turn back while they work
and take one again after; see `released`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

SLOTS = 1
_slots = threading.BoundedSemaphore(SLOTS)
_holding = threading.local()


def _held() -> bool:
    return getattr(_holding, "slot", False)


@contextmanager
def script_run() -> Iterator[None]:
    """Hold a slot for the script run inside the block (app.py wraps the whole run)."""
    _slots.acquire()
    _holding.slot = True
    try:
        yield
    finally:
        if _held():
            _holding.slot = False
            _slots.release()


def lend() -> None:
    """Give this run's slot to the next run for the rest of this run (call it before a DuckDB
    query that is not cached); nothing outside a run or once lent.

    Never taken back: the caller may be inside a cached function, holding the lock other runs
    wait on for the same value, and taking a slot back there could wait forever on a run that
    waits for that value."""
    if _held():
        _holding.slot = False
        _slots.release()


@contextmanager
def released() -> Iterator[None]:
    """Give this run's slot to others for the block (long writes), and take one back after."""
    if not _held():
        yield
        return
    _holding.slot = False
    _slots.release()
    try:
        yield
    finally:
        _slots.acquire()
        _holding.slot = True
