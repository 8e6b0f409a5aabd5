"""Progress callbacks for long work: what they are called with, and how a step reports its part.

A callback gets a fraction from 0 to 1 and a short Chinese message. Reading, scoring and
writing an upload each report within their own range of the whole (`within`), so a bar moves
steadily through a ten-minute provincial upload instead of sitting at one figure per phase.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO, TypeVar

T = TypeVar("T")
Progress = Callable[[float, str], None]


def quiet(_fraction: float, _message: str) -> None:
    """The callback when nobody is watching."""


def within(report: Progress | None, start: float, end: float) -> Progress:
    """A callback that maps its own 0…1 onto `start`…`end` of `report`'s range."""
    if report is None:
        return quiet
    span = end - start

    def part(fraction: float, message: str) -> None:
        report(start + span * min(max(fraction, 0.0), 1.0), message)

    return part


def counted(items: Sequence[T], report: Progress, doing: str, step: int = 500) -> Iterator[T]:
    """Yield `items`, telling `report` every `step` items (and at the last) how many are done:
    「{doing}：1,500/10,000 个评价…」."""
    total = len(items)
    for done, item in enumerate(items, start=1):
        yield item
        if done % step == 0 or done == total:
            report(done / total, f"{doing}：{done:,}/{total:,} 个评价…")


@contextmanager
def on_terminal(stream: TextIO, *, every_s: float = 0.2) -> Iterator[Progress | None]:
    """A progress line rewritten in place on a terminal, cleared when the block ends.

    None when `stream` is not a terminal: logs and pipes get the results, not a bar.
    """
    if not stream.isatty():
        yield None
        return
    shown = [-every_s]  # when the line was last written

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        if now - shown[0] >= every_s:
            shown[0] = now
            stream.write(f"\r\x1b[K{fraction:4.0%} {message}")
            stream.flush()

    try:
        yield report
    finally:
        stream.write("\r\x1b[K")
        stream.flush()
