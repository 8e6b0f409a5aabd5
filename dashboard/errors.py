"""Page errors for hosted use: a friendly message on screen, the details in the server log.

Hosting runs with `--client.showErrorDetails=none` (Dockerfile, systemd unit). Then a page that
fails shows a short Chinese message instead of Streamlit's generic one and the traceback goes to
the log. Locally and under test (`full`, the default) the exception propagates as usual, so
AppTest's `at.exception` and the developer still see it.
"""

from __future__ import annotations

import logging

import streamlit as st
from streamlit.navigation.page import StreamlitPage

log = logging.getLogger(__name__)


def hosted() -> bool:
    return st.get_option("client.showErrorDetails") in ("none", False, "false", "False")


def run_page(page: StreamlitPage) -> None:
    """Run the chosen page; in hosted mode catch what it raises, log it, say so kindly."""
    if not hosted():
        page.run()
        return
    try:
        page.run()
    except Exception:
        log.exception("page %s failed", page.url_path or "(default)")
        st.error(
            "页面出错了，已记录详细信息。请刷新页面重试；如果问题持续，请联系管理员。"
            "  \nSomething went wrong on this page; the details were logged.",
            icon=":material/error:",
        )
