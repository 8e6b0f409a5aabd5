"""Errors for hosted use: a friendly message on screen, the details in the server log.

Hosting runs with `--client.showErrorDetails=none` (Dockerfile, systemd unit). Then what fails
— a page, or the entry's own code around it (login, menu, sidebar filters) — shows a short
Chinese message instead of Streamlit's generic one and the traceback goes to the log. Locally
and under test (`full`, the default) the exception propagates as usual, so AppTest's
`at.exception` and the developer still see it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from streamlit.navigation.page import StreamlitPage

log = logging.getLogger(__name__)
T = TypeVar("T")


def hosted() -> bool:
    return st.get_option("client.showErrorDetails") in ("none", False, "false", "False")


def _report(what: str) -> None:
    log.exception("%s failed", what)
    st.error(
        "页面出错了，已记录详细信息。请刷新页面重试；如果问题持续，请联系管理员。"
        "  \nSomething went wrong on this page; the details were logged.",
        icon=":material/error:",
    )


def run_page(page: StreamlitPage) -> None:
    """Run the chosen page; in hosted mode catch what it raises, log it, say so kindly."""
    if not hosted():
        page.run()
        return
    try:
        page.run()
    except Exception:
        _report(f"page {page.url_path or '(default)'}")


def run_frame(frame: Callable[[], T]) -> T:
    """Run the entry's code around the page and return what it returns; in hosted mode a
    failure is logged and reported like a page's, and the run ends there (no page is drawn
    on a broken frame). st.stop and st.rerun pass through: they are no Exception."""
    if not hosted():
        return frame()
    try:
        return frame()
    except Exception:
        _report("entry (login, navigation, sidebar filters)")
        st.stop()
