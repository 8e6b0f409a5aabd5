"""At most `SLOTS` script runs at a time in this server process; the others wait their turn.

Script runs are Python threads sharing one interpreter lock. With fifty viewers rerunning at
once, fifty threads took 5 ms turns, so every run finished near the end of the whole batch
(median ≈ p95). Taken in turn, the first runs finish early and the last no later, and the
server spends less time switching between threads. Two slots keep both cores busy: one run
can compute in Python while another waits for DuckDB, which releases the lock.

Long writes (an upload, a restore, a recompute) give their slot back while they work, so
viewers never wait behind them; see `released`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

SLOTS = 2
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
