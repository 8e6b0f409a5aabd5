"""Server-side run time of every dashboard page, in process with Streamlit's AppTest.

Cold = Streamlit's caches cleared just before the page runs (the store is reopened and every
query misses); warm = the same page run again in the same session (the rerun a viewer causes
by touching a widget). Both with the default filters and with one project selected through the
URL (`?project=…`), as a shared link would.

Run as its own process (`python -m bench.pages DB [--project P] [--warm K]`, JSON on stdout) so
that the DuckDB file lock is released when it ends and the app server can open the file next.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.saved_views import views_file

ROOT = Path(__file__).resolve().parents[1]
ENTRY = str(ROOT / "dashboard" / "app.py")
PAGES = {
    "总览": "views/overview.py",
    "资金执行": "views/funds.py",
    "指标得分": "views/indicators.py",
    "满意度与成本": "views/satisfaction.py",
    "复核": "views/review.py",
    "数据上传": "views/upload.py",
}
TIMEOUT_S = 900  # a cold page at 10^5 evaluations may take minutes before it is fixed


def _timed_run(at: AppTest, errors: list[str]) -> float:
    """One script run; an exception the page shows is recorded in `errors`, not raised."""
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    errors.extend(e.message[:300] for e in at.exception)
    return seconds


def page_times(db: Path, query: dict[str, str], warm_runs: int) -> dict[str, dict]:
    """{page title: {"cold": s, "warm": median s, "errors": [...]}} for the store file `db`."""
    os.environ["PERF_DB"] = str(db)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(ENTRY, default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    _timed_run(at, [])  # registers the pages; AppTest can only switch after a first run
    times: dict[str, dict] = {}
    for title, script in PAGES.items():
        at.switch_page(script)
        # Cold means nothing warm: no cached query, and no views saved by the pages before
        # this one for the reopened store to warm in the background (dashboard/saved_views.py).
        views_file(db).unlink(missing_ok=True)
        st.cache_data.clear()
        st.cache_resource.clear()
        errors: list[str] = []
        cold = _timed_run(at, errors)
        warm = [_timed_run(at, errors) for _ in range(warm_runs)]
        times[title] = {"cold": cold, "warm": statistics.median(warm), "errors": errors[:1]}
    st.cache_data.clear()
    st.cache_resource.clear()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("db", type=Path)
    parser.add_argument("--project", help="select this one project through the URL")
    parser.add_argument("--warm", type=int, default=3, help="warm reruns per page (median)")
    args = parser.parse_args(argv)
    query = {"project": args.project} if args.project else {}
    print(json.dumps(page_times(args.db, query, args.warm), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
