"""The served app: dashboard/app.py as an st.App that gets ready as soon as the server starts.

Run with `streamlit run dashboard/serve.py` (`make run`, the systemd unit, the Docker image).
Streamlit runs nothing before the first visitor, so after a restart the first page paid for
opening the store, for its queries and for Streamlit's own first-run work (总览 2.3 s of
server time at 10^5 evaluations, against 0.1 s once warm). Started from here, the server does
that work in the background as it starts: it opens the store (which asks the views viewed
before the restart again, see `data._warm_saved_views`), imports plotly, and does what
Streamlit does on a process's first script run. A visitor who comes sooner waits for the
same open (the store is one cached resource), never for a second one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import streamlit as st

from perfcore.collector import collect_rarely_while_serving

_log = logging.getLogger(__name__)


@asynccontextmanager
async def _get_ready_at_start(_app: st.App) -> AsyncIterator[None]:
    # A thread, so that the server answers at once even if the store is held by a CLI write
    # (opening waits up to PERF_DB_LOCK_TIMEOUT) or is created and seeded first.
    threading.Thread(target=get_ready, name="get-ready-at-start", daemon=True).start()
    yield


def get_ready() -> None:
    """Open the store and do the first-run work of this process; a failure is only logged
    (the first visitor then opens the store as before and sees why it cannot be)."""
    try:
        # Imported once Streamlit's runtime has started (the lifespan runs after it): the
        # caches declared in these modules would otherwise be made without it.
        from dashboard import charts, data  # noqa: F401  (charts: plotly, a second to import)
        from dashboard.views import common  # noqa: F401

        _quietly(data.open_at_start)
        _first_use_of_streamlit()
    except Exception:
        _log.warning(
            "could not get the store ready at start; the first visit tries again", exc_info=True
        )
    else:
        # Beside Streamlit's own start-up lines, for whoever reads the service's log.
        print(f"  Store ready: {data.db_path()}", flush=True)


def _quietly(action: Callable[[], None]) -> None:
    """Run `action` without Streamlit's "missing ScriptRunContext" warning: opening the store
    outside a script run is what this module is for, not a mistake worth a log line."""
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        action()
    finally:
        context_log.setLevel(level)


def _first_use_of_streamlit() -> None:
    """Do now what Streamlit does on a process's first script run (a third of that run under
    py-spy): compile its emoji pattern (st.pills with Chinese labels, 0.25 s) and look once at
    the whole stack for whether it runs in a REPL (inspect.stack reads the source of every
    frame of the script thread, 0.1 s)."""
    from streamlit import delta_generator, string_util

    string_util.extract_leading_emoji("优")
    getattr(delta_generator, "_maybe_print_use_warning", lambda: None)()


# Run once, as the server starts: the collector's thresholds for a long-lived process full of
# cached objects (see perfcore.collector).
collect_rarely_while_serving()
app = st.App("app.py", lifespan=_get_ready_at_start)
