"""The fold: where a page's metric cards end and its tables and charts begin.

A fresh browser loads Streamlit's scripts for each kind of element when it first meets one,
and shows what one script run sent only once every script it needs has loaded and run: the
table (1.2 MB) and plotly (4.7 MB, 1–1.6 s to evaluate) scripts held the cards back, which
entered the page at 4.2–6.6 s instead of 1.8–2.7 s (总览, 10^4 store, fresh contexts). So the
first page a browser session opens stops at the fold and gets the rest in a second run.
"""

from __future__ import annotations

from typing import Final

import streamlit as st

# Measured in Chromium, 总览 on a 10^4 store, a fresh browser context each time: 0.8 s let the
# cards paint first on 10 visits of 10, 0.5 s on 4 of 5; the charts still came no later than
# before, since the plotly script is what they wait for.
DELAY_S: Final = 0.8
PENDING_KEY: Final = "below_the_fold_pending"  # the placeholder's key; browser tests wait on it
_FOLDED = "_page_folded_once"
_FOLD_SHOWN = "_fold_placeholder_shown"


def here() -> None:
    """Call where the cards end. The first page a browser session opens stops here and gets
    the rest in a second run, DELAY_S later. After the first page the scripts are loaded, and
    in AppTest or a scripted client (no browser) nothing is drawn, so neither is folded."""
    if st.session_state.get(_FOLDED) or "Mozilla" not in st.context.headers.get("User-Agent", ""):
        return
    st.session_state[_FOLDED] = True
    _rest_of_page()
    st.stop()


@st.fragment(run_every=DELAY_S)
def _rest_of_page() -> None:
    """A placeholder under the cards; its first timed rerun (the browser's timer, so the cards
    are on screen) reruns the whole page, which ends the timer."""
    if st.session_state.get(_FOLD_SHOWN):
        st.rerun()
    st.session_state[_FOLD_SHOWN] = True
    with st.container(key=PENDING_KEY):
        st.caption("正在载入表格与图表…")
