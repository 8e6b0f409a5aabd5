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

The app server has the same pattern on a smaller scale: a script run allocates tens of
thousands of objects that die with it, and the caches hold millions that never will. Under
fifty viewers (620 reruns at 10^5 evaluations) the default thresholds ran 750 young, 69 middle
and 6 full collections, 1.6 s in all (2.6 ms a rerun, about 7 % of the server's CPU); each
full one stopped every viewer for 140–160 ms. With SERVING_THRESHOLDS: 8 young collections,
0.45 s, none full. `collect_rarely_while_serving` sets them for the server's life.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Container allocations between young collections; how many young collections per middle
# one, and middle per full (the interpreter's defaults are 700, 10, 10).
UPLOAD_THRESHOLDS = (100_000, 20, 100)

# For the app server (dashboard/serve.py): young collections at most every 50,000 container
# allocations (a pause of tens of milliseconds, not a hundred), middle and full ones rarer still.
SERVING_THRESHOLDS = (50_000, 20, 100)

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


def collect_rarely_while_serving() -> None:
    """Use SERVING_THRESHOLDS from now on in this process; an upload running now gets them
    back, not the defaults, when it ends."""
    global _saved
    with _lock:
        if _inside:
            _saved = SERVING_THRESHOLDS
        else:
            gc.set_threshold(*SERVING_THRESHOLDS)
