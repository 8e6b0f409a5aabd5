"""Concurrent viewers as Streamlit's browser client speaks to the server (tech-notes §7).

Each viewer opens the app websocket (`/_stcore/stream`, subprotocol `streamlit`) and asks for
script reruns (`BackMsg.rerun_script`) of the pages in turn; the time of one rerun is from the
request to the `script_finished` message. Plain HTTP GETs would only fetch index.html and never
run the script. Loopback only, a bounded number of viewers, reruns and seconds.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

MAX_VIEWERS = 200
_DONE = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class LoadResult:
    viewers: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0

    def summary(self) -> dict[str, float | int | list[str]]:
        ordered = sorted(self.latencies)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else None
        return {
            "viewers": self.viewers,
            "reruns": len(ordered),
            "median_s": statistics.median(ordered) if ordered else None,
            "p95_s": p95,
            "max_s": ordered[-1] if ordered else None,
            "errors": len(self.errors),
            "error_examples": self.errors[:3],
            "wall_s": self.wall_seconds,
            "reruns_per_s": len(ordered) / self.wall_seconds if self.wall_seconds else None,
        }


def _rerun_request(page: str, query_string: str) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page  # a page's url_path; "" is the default page
    return msg.SerializeToString()


async def _await_finish(ws, timeout: float) -> str | None:
    """Read ForwardMsgs until the run finishes; returns an error text or None."""
    error = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout)
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "exception":
                error = f"{element.exception.type}: {element.exception.message[:200]}"
        elif kind == "page_not_found":
            error = "page not found"
        elif kind == "script_finished" and msg.script_finished in _DONE:
            if msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR:
                error = error or "compile error"
            return error


async def _viewer(
    url: str,
    pages: tuple[str, ...],
    query_string: str,
    reruns: int,
    timeout: float,
    out: LoadResult,
) -> None:
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        # No websocket-level pings: a saturated server answers them late, and the client would
        # then drop a session the browser keeps (each rerun is bounded by `timeout` instead).
        async with connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
        ) as ws:
            for number in range(reruns):
                started = time.perf_counter()
                await ws.send(_rerun_request(pages[number % len(pages)], query_string))
                error = await _await_finish(ws, timeout)
                out.latencies.append(time.perf_counter() - started)
                if error:
                    out.errors.append(error)
    except Exception as problem:  # refused, timed out, closed, protocol error: all count
        out.errors.append(f"{type(problem).__name__}: {problem}")


async def _run(url: str, viewers: int, pages, query_string, reruns, timeout) -> LoadResult:
    result = LoadResult(viewers)
    started = time.perf_counter()
    await asyncio.gather(
        *(_viewer(url, pages, query_string, reruns, timeout, result) for _ in range(viewers))
    )
    result.wall_seconds = time.perf_counter() - started
    return result


def concurrent_viewers(
    url: str,
    viewers: int,
    pages: tuple[str, ...] = ("", "indicators"),
    query_string: str = "",
    reruns: int = 4,
    timeout: float = 120,
) -> LoadResult:
    """`viewers` simultaneous sessions, each rerunning `pages` in turn `reruns` times."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load is only ever sent to this machine (http://127.0.0.1:PORT)")
    if not 1 <= viewers <= MAX_VIEWERS:
        raise ValueError(f"viewers must be 1–{MAX_VIEWERS}")
    return asyncio.run(_run(url, viewers, pages, query_string, reruns, timeout))
