"""Python's cyclic garbage collector, made to run rarely while an upload is read, scored and
written.

An upload of 10^4 evaluations builds millions of small objects that all stay alive until it is
stored. With the default thresholds the collector ran 7,000 times during one such ingest and
took about a third of its CPU time (18 of 52 s, measured with gc.callbacks), walking objects that
could never be garbage. With a young-generation threshold of 100,000 it ran 41 times (4 s) and
never over the whole heap. Reference counting still frees everything as soon as it is unused;
only cycles wait longer, and an upload makes few.

The thresholds are process-wide, so the change lasts while any thread is inside
`fewer_collections()` and the previous thresholds come back when the last one leaves.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Container allocations between young collections; how many young collections per middle
# one, and middle per full (the interpreter's defaults are 700, 10, 10).
UPLOAD_THRESHOLDS = (100_000, 20, 100)

_lock = threading.Lock()
_inside = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with UPLOAD_THRESHOLDS; nested and concurrent blocks share them."""
    global _inside, _saved
    with _lock:
        if _inside == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(*UPLOAD_THRESHOLDS)
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _saved is not None:
                gc.set_threshold(*_saved)
                _saved = None
