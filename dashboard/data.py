"""The only place pages get data: the cached store, cached query results, and the sidebar filters
turned into `perfcore.queries.Filters`.

One read-write DuckDB store per server process (`st.cache_resource`, keyed by its path so a test
with its own PERF_DB gets its own store). Query results are cached per server process, keyed by
the filters and by `store.data_version()`: an upload, restore or recompute bumps the version, so
the next rerun misses the cache and reads fresh rows, with no explicit clearing.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard import login, runslots, saved_views
from perfcore import engine, queries
from perfcore.model import EvaluationKey, UploadFile
from perfcore.queries import Filters
from perfcore.rules import available_rule_sets
from perfcore.store import IngestOutcome, Store, db_path, open_store

# Widget keys of the global filters; each key is also its URL query parameter.
YEAR: Final = "year"
DEPARTMENT: Final = "dept"
PROJECT: Final = "project"
GRADE: Final = "grade"
RULE_SET: Final = "rules"
AS_OF: Final = "asof"  # a free (unbound) parameter pinning a link to a data version: keep_pin
FILTER_KEYS: Final = (YEAR, DEPARTMENT, PROJECT, GRADE, RULE_SET)
OWN_RULES: Final = "各自规则"  # the rule-set choice meaning "each evaluation's own rule set"

PROJECT_OPTIONS_LIMIT: Final = queries.PROJECT_OPTIONS_LIMIT

TEMPLATES_DIR: Final = Path(__file__).resolve().parent.parent / "data" / "templates"


@st.cache_resource(show_spinner="正在打开数据库…")
def _open(*, path: str) -> Store:
    opened = open_store(path)
    _warm_saved_views(path, opened)
    return opened


def open_at_start() -> None:
    """Open the store (and so start warming its saved views) before any visitor asks."""
    _open(path=str(db_path()))


def store() -> Store:
    """The store at PERF_DB (default data/perf.duckdb), created and seeded on first use."""
    remembered = st.session_state.get(_RUN_STORE)
    return _open(path=str(db_path())) if remembered is None else remembered


_RUN_STORE: Final = "_perf_store"
_RUN_VERSION: Final = "_perf_data_version"


def begin_run() -> None:
    """Look up the store and read its data version once for this script run (app.py calls it
    first).

    Every cached query keys on the version; asking DuckDB for it on each call was a sixth of
    the server's CPU with ten viewers (py-spy), and each cached lookup of the store itself
    cost more than the query it served. The app's own writes forget the remembered version,
    and another session's upload shows from that session's next rerun on.
    """
    current = _open(path=str(db_path()))
    st.session_state[_RUN_STORE] = current
    st.session_state[_RUN_VERSION] = current.data_version()


def _forget_version() -> None:
    st.session_state.pop(_RUN_VERSION, None)


def data_version() -> int:
    """The data version this run shows (read once per run; see `begin_run`)."""
    remembered = st.session_state.get(_RUN_VERSION)
    return store().data_version() if remembered is None else remembered


@dataclass(frozen=True)
class Ask:
    """What one cached query is asked: the query, the filters, the store file, the data version
    this run shows and the query's options.

    The query caches take it as their one hashed argument and key it by `text`: Streamlit
    hashes each argument of a cached call on its own, about 25 µs an argument in a script run
    (a five-argument call 130 µs, a one-argument call 40 µs), a dozen calls a rerun. A Filters
    (a frozen dataclass of tuples of str/int and None) and the options (tuples of str, int,
    bool and tuples of those) have a repr that is unique for their values."""

    name: str
    f: Filters
    path: str
    version: int
    options: tuple[tuple[str, Any], ...]

    @cached_property
    def text(self) -> str:
        return repr((self.name, self.f, self.path, self.version, self.options))


def _ask_text(ask: Ask) -> str:
    return ask.text


# How the other caches key their arguments: a Filters and tuples by their repr (see `Ask`),
# instead of Streamlit's walk through the objects (437 → 69 µs for a Filters).
_KEY_BY_REPR: Final = {Ask: _ask_text, Filters: repr, tuple: repr}


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs=_KEY_BY_REPR)
def _query(*, ask: Ask) -> pd.DataFrame:
    # `ask.version` is only a cache key: a new upload changes it and so misses the cache.
    # Results are summaries or bounded pages (kilobytes), kept as objects shared by every
    # session: st.cache_data would unpickle a fresh copy on every hit, a tenth of a rerun's CPU
    # with fifty viewers (py-spy). Callers get a shallow copy (see `_run`).
    runslots.lend()  # DuckDB works without the interpreter lock: let the next run compute
    return getattr(queries, ask.name)(_open(path=ask.path), ask.f, **dict(ask.options))


@st.cache_resource(show_spinner=False, max_entries=512, hash_funcs=_KEY_BY_REPR)
def _query_rows(*, ask: Ask) -> tuple[pd.Series, ...]:
    # object dtype: a row of counts and sums stays ints and Decimals, not all floats (10,000.0)
    frame = _query(ask=ask)
    return tuple(row for _, row in frame.astype(object).iterrows())


@st.cache_resource(show_spinner=False, max_entries=256, hash_funcs=_KEY_BY_REPR)
def _query_table(
    *, ask: Ask, shape: str, _shape: Callable[[pd.DataFrame], pd.DataFrame]
) -> pa.Table:
    # `shape` names `_shape` in the key (Streamlit does not hash functions). An Arrow table is
    # immutable, so one object serves every session.
    frame = _query(ask=ask)
    return pa.Table.from_pandas(_shape(frame.copy(deep=False)), preserve_index=False)


def _store_key() -> dict[str, Any]:
    """The store's part of every cache key: its file and the data version this run shows.

    Cached functions are called with keywords only: for each positional argument Streamlit
    computes the function's signature again (inspect.signature), 8 % of a rerun (py-spy)."""
    return {"path": str(store().path), "version": data_version()}


def _cache_key(name: str, f: Filters, options: dict[str, Any]) -> Ask:
    return Ask(name, f, **_store_key(), options=tuple(sorted(options.items())))


@dataclass(frozen=True, eq=False)
class View:
    """Query `name`'s result, named by its cache key (`_cache_key`): a chart is keyed by it
    (see `dashboard.views.common.chart`) without reading the frame. Keying a figure by its
    frame's content cost 0.3–0.7 ms a chart on every rerun; the key already says what the
    frame holds."""

    ask: Ask

    @property
    def key(self) -> str:
        """The cache key as one string (see `Ask`)."""
        return self.ask.text

    def frame(self) -> pd.DataFrame:
        """The result itself. The shallow copy is the page's own: under pandas' copy-on-write
        nothing a page does to it can change the frame other sessions share."""
        return _query(ask=self.ask).copy(deep=False)


def view(name: str, f: Filters, **options: Any) -> View:
    """Query `name` through the cache, remembered for warming like every page query."""
    ask = _cache_key(name, f, options)
    _remember(_query, ask)
    return View(ask)


def _run(name: str, f: Filters, **options: Any) -> pd.DataFrame:
    """Query `name` through the cache (see `View.frame`)."""
    return view(name, f, **options).frame()


def table(
    name: str, f: Filters, shape: Callable[[pd.DataFrame], pd.DataFrame], **options: Any
) -> pa.Table:
    """Query `name`'s result as `shape` turns it into a page table, as an Arrow table built
    once per data version, filters and options and shared by every session.

    st.dataframe turns a pandas frame into Arrow on every rerun: with the shaping, a 200-row
    page cost 7.6 ms of each rerun (10^4 evaluations), the largest item of a warm rerun under
    fifty viewers (py-spy); handed an Arrow table it only writes out its bytes (0.1 ms).
    `shape`, a named function, takes the query's frame (a shallow copy of its own) to the
    shown columns; it is told apart by where it is defined, since every page script runs as
    `__main__`."""
    code = shape.__code__
    where = f"{code.co_filename}:{code.co_firstlineno}:{shape.__qualname__}"
    return _query_table(ask=view(name, f, **options).ask, shape=where, _shape=shape)


def _rows(name: str, f: Filters, **options: Any) -> list[pd.Series]:
    """The rows of query `name`, each a Series of its own (see `_run`)."""
    ask = _cache_key(name, f, options)
    _remember(_query_rows, ask)
    return [row.copy(deep=False) for row in _query_rows(ask=ask)]


# --- warming the pages after a write ---------------------------------------------------------

# Views (query, filters, options) any session asked for lately, most recent last. After an
# upload every cached query is stale, and the first leader to open a page paid for all of it
# (指标得分 4.4 s at 10^5 evaluations instead of 0.07 s): `rewarm` asks them again at once.
RECENT_VIEWS: Final = 32
_log = logging.getLogger(__name__)
_recent: OrderedDict[tuple[Any, ...], None] = OrderedDict()
_recent_lock = threading.Lock()


def _remember(cached: Callable[..., Any], ask: Ask, *, save: bool = True) -> None:
    """Note that `cached` was asked `ask`, whatever its data version; a view not noted before
    is saved beside the store too (see `dashboard.saved_views`)."""
    if ask.f.as_of is not None:  # a pinned link shows a fixed version: uploads change nothing
        return
    path = ask.path
    view = (path, cached, ask.name, ask.f, ask.options)
    with _recent_lock:
        new = view not in _recent
        _recent[view] = None
        _recent.move_to_end(view)
        while len(_recent) > RECENT_VIEWS:
            _recent.popitem(last=False)
        here = _views_of(path) if new and save else None
    if here is not None:
        saved_views.save(path, [(_KINDS[c], name, f, options) for c, name, f, options in here])


def _views_of(path: str) -> list[tuple[Any, ...]]:
    """(cached function, name, filters, options) of the store `path`'s recent views, latest
    first; the caller holds `_recent_lock`."""
    return [view[1:] for view in reversed(_recent) if view[0] == path]


def _recent_views_here() -> list[tuple[Any, ...]]:
    path = str(store().path)
    with _recent_lock:
        return _views_of(path)


def recent_views() -> list[tuple[str, Filters]]:
    """(query name, filters) of the views `rewarm` would ask for, most recent first."""
    return [(name, f) for _, name, f, _ in _recent_views_here()]


def rewarm(progress: Callable[[float, str], None] | None = None) -> int:
    """Run the recently viewed queries against the current data version, so that the next
    viewer of those pages finds them cached; returns how many were run. Called by the page
    that wrote, after the write: the one who uploaded waits a little longer, not every leader."""
    views = _recent_views_here()
    store_key = _store_key()
    with runslots.released():
        for done, (cached, name, f, options) in enumerate(views, start=1):
            if progress is not None:
                progress((done - 1) / len(views), f"正在更新看板：{done}/{len(views)} 个视图…")
            try:
                cached(ask=Ask(name, f, **store_key, options=options))
            except Exception:  # the page that shows it will say what is wrong; the write stands
                _log.exception("warming %s after a write failed", name)
    if progress is not None:
        progress(1.0, "看板已更新。")
    return len(views)


_KINDS: Final[dict[Callable[..., Any], saved_views.Kind]] = {_query: "frame", _query_rows: "rows"}
_CACHED: Final = {kind: cached for cached, kind in _KINDS.items()}
_warming: dict[str, threading.Thread] = {}  # store path → the thread warming its saved views


def _warm_saved_views(path: str, opened: Store) -> None:
    """When a server process opens the store: ask the views saved by the one before it again,
    in the background, so that they are cached before (or while) the first viewers come."""
    views = saved_views.load(path)
    if views:
        thread = threading.Thread(
            target=_ask_again, args=(path, opened, views), name="warm-saved-views", daemon=True
        )
        _warming[path] = thread
        thread.start()


def _ask_again(path: str, opened: Store, views: list[saved_views.SavedView]) -> None:
    version = opened.data_version()
    for kind, name, f, options in reversed(views):  # oldest first: the latest ends most recent
        cached = _CACHED[kind]
        ask = Ask(name, f, path, version, options)
        _remember(cached, ask, save=False)
        try:
            cached(ask=ask)
        except Exception:  # a view of an older store (other columns, a reseeded file)
            _log.warning("warming the saved view %s failed", name, exc_info=True)
    _log.info("warmed %d saved views of %s", len(views), path)


def evaluations(f: Filters) -> pd.DataFrame:
    """Every evaluation in scope, in full: for one evaluation's own page, never for many."""
    return _run("evaluations", f)


def indicator_lines(f: Filters) -> pd.DataFrame:
    """Every indicator line in scope, in full: for one evaluation's tree, never for many."""
    return _run("indicator_lines", f)


def evaluation_summary(f: Filters) -> pd.Series:
    """Counts, year span, funds totals, mean scores and self-score gaps of the scope."""
    return _rows("evaluation_summary", f)[0]


def year_over_year(f: Filters, year: int) -> dict[str, pd.Series]:
    """{"now": …, "before": …}: see `perfcore.queries.year_over_year`."""
    return {row["period"]: row for row in _rows("year_over_year", f, year=year)}


def funds_by_source(f: Filters) -> pd.DataFrame:
    return _run("funds_by_source", f)


def funds_by_department(f: Filters) -> pd.DataFrame:
    return _run("funds_by_department", f)


def spending_by_item(f: Filters, top: int) -> pd.DataFrame:
    return _run("spending_by_item", f, top=top)


def indicator_summary(
    f: Filters, level2: str = queries.ALL_LEVEL2, name_contains: str = ""
) -> pd.Series:
    return _rows("indicator_summary", f, level2=level2, name_contains=name_contains)[0]


def indicator_page(f: Filters, **options: Any) -> pd.DataFrame:
    """A bounded page of indicator lines; options as `perfcore.queries.indicator_page`."""
    return _run("indicator_page", f, **options)


def findings_by_code(f: Filters) -> pd.DataFrame:
    return _run("findings_by_code", f)


def findings_page(f: Filters, limit: int) -> pd.DataFrame:
    return _run("findings_page", f, limit=limit)


def csv_export(
    name: str, f: Filters, headers: Mapping[str, str], name_contains: str = ""
) -> Callable[[], bytes]:
    """What a download button calls, only when clicked: every row of page query `name` as CSV
    (only those whose 三级指标 contains `name_contains`, when given). The store is bound now,
    since the click runs the callable outside the script run."""
    s = store()
    return lambda: queries.export_csv(s, name, f, headers, name_contains)


# The small lookups below are shared objects too (see `_query`); callers get copies.
@st.cache_resource(show_spinner=False, max_entries=16)
def _options(
    *, path: str, version: int, allowed: tuple[str, ...] | None = None, as_of: int | None = None
) -> dict[str, list]:
    runslots.lend()  # as every uncached query (see `_query`)
    return queries.filter_options(_open(path=path), allowed, as_of)


def options() -> dict[str, list]:
    """Values the sidebar offers: years, departments, projects, rule_sets (name, title), grades
    — only from the departments this user may see, and as of the pinned version if any."""
    shared = _options(
        **_store_key(),
        allowed=allowed_departments(),
        as_of=pinned_version(),
    )
    return {name: list(values) for name, values in shared.items()}


@st.cache_resource(show_spinner=False, max_entries=256)
def _project_options(
    *,
    path: str,
    version: int,
    years: tuple[int, ...],
    departments: tuple[str, ...],
    named: tuple[str, ...],
    allowed: tuple[str, ...] | None,
    as_of: int | None,
) -> tuple[list[str], int]:
    runslots.lend()
    return queries.project_options(
        _open(path=path),
        years=years,
        departments=departments,
        named=named,
        allowed_departments=allowed,
        as_of=as_of,
    )


def project_options(
    years: Sequence[int], departments: Sequence[str], named: Sequence[str]
) -> tuple[list[str], int]:
    """(projects the 项目 filter lists, how many match the chosen years and departments): at
    most `queries.PROJECT_OPTIONS_LIMIT`, plus the `named` ones that exist in this user's scope
    — as of the pinned data version of a pinned link."""
    projects, n_matching = _project_options(
        **_store_key(),
        years=tuple(int(y) for y in years),
        departments=tuple(departments),
        named=tuple(dict.fromkeys(named)),
        allowed=allowed_departments(),
        as_of=pinned_version(),
    )
    return list(projects), n_matching


def is_empty() -> bool:
    """True when no evaluation is stored at all (not merely none matching the filters)."""
    return not _options(**_store_key())["years"]


@st.cache_resource(show_spinner=False, max_entries=16)
def _stale_rule_sets(*, path: str, version: int) -> dict[str, int]:
    runslots.lend()
    return _open(path=path).stale_rule_sets()


def stale_rule_sets() -> dict[str, int]:
    """Rule sets whose current scores an older scoring engine made → evaluations concerned."""
    return dict(_stale_rule_sets(**_store_key()))


@st.cache_data(show_spinner=False, max_entries=16)
def _uploads(*, path: str, version: int, allowed: tuple[str, ...] | None) -> pd.DataFrame:
    runslots.lend()
    return queries.uploads(_open(path=path), allowed)


def uploads() -> pd.DataFrame:
    """Upload history, only uploads that touched this user's departments."""
    return _uploads(**_store_key(), allowed=allowed_departments())


@st.cache_data(show_spinner=False, max_entries=16)
def _restorable(*, path: str, version: int, allowed: tuple[str, ...] | None) -> list[EvaluationKey]:
    runslots.lend()
    frame = queries.restorable_evaluations(_open(path=path), allowed)
    return [
        EvaluationKey(int(y), d, p)
        for y, d, p in zip(frame["year"], frame["department"], frame["project"], strict=True)
    ]


def restorable() -> list[EvaluationKey]:
    """The evaluations in this user's departments that have an older version to restore."""
    return _restorable(**_store_key(), allowed=allowed_departments())


def history(key: EvaluationKey | None = None) -> pd.DataFrame:
    """Every stored version in this user's departments (not cached: the restore form must see
    the latest)."""
    versions = store().history(key)
    allowed = allowed_departments()
    if allowed is None:
        return versions
    return versions[versions["department"].isin(allowed)].reset_index(drop=True)


# --- filters ---------------------------------------------------------------------------------


def filters_from_state(state: Mapping[str, Any], as_of: int | None = None) -> Filters:
    """The sidebar widgets' values (empty selection = all) as query filters."""
    return Filters(
        years=tuple(int(y) for y in state.get(YEAR) or ()),
        departments=tuple(state.get(DEPARTMENT) or ()),
        projects=tuple(state.get(PROJECT) or ()),
        grades=tuple(state.get(GRADE) or ()),
        rule_set=None if state.get(RULE_SET) in (None, OWN_RULES) else state[RULE_SET],
        as_of=as_of,
    )


def parse_as_of(raw: str | None) -> int | None:
    """The `asof` link parameter as a data version; None when absent or not a positive number."""
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


_PINNED: Final = "_perf_pinned_version"


def keep_pin() -> None:
    """Keep a pinned link pinned for the whole visit (app.py calls it on every run).

    `asof` is a free parameter, and Streamlit clears free parameters on a page switch (only
    bound widgets keep theirs), so the version a link names is remembered in the session and
    written back into the URL whenever a switch has dropped it. A link naming `asof` decides
    afresh (an invalid value unpins); `unpin` ends it.
    """
    raw = st.query_params.get(AS_OF)
    if raw is not None:
        st.session_state[_PINNED] = parse_as_of(raw)
    elif (pinned := st.session_state.get(_PINNED)) is not None:
        st.query_params[AS_OF] = str(pinned)


def unpin() -> None:
    """Back to the latest data (the 查看最新数据 button): forget the pin, drop it from the URL."""
    st.session_state.pop(_PINNED, None)
    if AS_OF in st.query_params:
        del st.query_params[AS_OF]


def pinned_version() -> int | None:
    """The data version this visit is pinned to (see `keep_pin`); None = the latest data."""
    if _PINNED in st.session_state:
        return st.session_state[_PINNED]
    return parse_as_of(st.query_params.get(AS_OF))


def allowed_departments() -> tuple[str, ...] | None:
    """The signed-in user's department scope (None = all); nothing before the login ran."""
    access = login.current_access()
    return () if access is None else access.departments


def current_filters() -> Filters:
    """Filters for this rerun, from the sidebar widgets and the pinned data version (`asof`),
    cut to the user's department scope — the one place every page query gets its scope from."""
    chosen = filters_from_state(st.session_state, pinned_version())
    return replace(chosen, allowed_departments=allowed_departments())


def filters_to_query(f: Filters) -> list[tuple[str, str]]:
    """The URL query for these filters, repeated keys for several values (what `bind` reads)."""
    pairs: list[tuple[str, str]] = [(YEAR, str(y)) for y in f.years]
    pairs += [(DEPARTMENT, d) for d in f.departments]
    pairs += [(PROJECT, p) for p in f.projects]
    pairs += [(GRADE, g) for g in f.grades]
    if f.rule_set:
        pairs.append((RULE_SET, f.rule_set))
    if f.as_of is not None:
        pairs.append((AS_OF, str(f.as_of)))
    return pairs


def link(page: str, f: Filters) -> str:
    """A relative link to `page` (its url_path, "" for 总览) showing exactly these filters."""
    query = urlencode(filters_to_query(f))
    return f"./{page}?{query}" if query else f"./{page}"


def unknown_link_values(
    raw: Mapping[str, Sequence[str]], offered: Mapping[str, Sequence[object]]
) -> dict[str, list[str]]:
    """Values in a link that the sidebar cannot offer (streamlit drops them silently), per key;
    both mappings are keyed by the widget keys (= URL parameters)."""
    unknown: dict[str, list[str]] = {}
    for key, values in raw.items():
        allowed = {str(v) for v in offered.get(key, ())}
        missing = [v for v in values if v and v not in allowed]
        if missing:
            unknown[key] = missing
    return unknown


# --- upload ----------------------------------------------------------------------------------


def assess(
    files: Sequence[UploadFile], progress: Callable[[float, str], None] | None = None
) -> engine.Assessment:
    """Read, score and check an upload without storing anything (the preview)."""
    with runslots.released():  # minutes for a large upload: viewers must not queue behind it
        return engine.assess(files, progress=progress)


def ingest(
    files: Sequence[UploadFile],
    uploaded_by: str,
    progress: Callable[[float, str], None] | None = None,
    assessed: engine.Assessment | None = None,
) -> IngestOutcome:
    """Store an upload atomically; the data version bump invalidates every cached query.

    `assessed` is the preview of these same files, which then are not read a second time."""
    try:
        with runslots.released():
            return store().ingest(
                files, uploaded_by=uploaded_by, progress=progress, assessed=assessed
            )
    finally:
        _forget_version()


def restore(key: EvaluationKey, version: int, restored_by: str) -> int:
    try:
        with runslots.released():
            return store().restore(key, version, restored_by=restored_by)
    finally:
        _forget_version()


def shipped_rule_sets() -> dict[str, str]:
    """Rule sets a recompute can use (shipped with perfcore), name → title."""
    return {info.name: info.title for info in available_rule_sets()}


def recompute(
    rule_set: str, requested_by: str, progress: Callable[[float, str], None] | None = None
) -> int:
    """Rescore every stored evaluation version under `rule_set` (a new data version)."""
    try:
        with runslots.released():
            return store().recompute(rule_set, progress, requested_by=requested_by)
    finally:
        _forget_version()


def recompute_stale(
    requested_by: str, progress: Callable[[float, str], None] | None = None
) -> list[str]:
    """Rescore under every rule set whose scores an older scoring engine made."""
    try:
        with runslots.released():
            return store().recompute_stale(progress, requested_by=requested_by)
    finally:
        _forget_version()


def templates() -> list[Path]:
    """The upload templates shipped in data/templates/, whatever is there."""
    if not TEMPLATES_DIR.is_dir():
        return []
    return sorted(p for p in TEMPLATES_DIR.iterdir() if p.suffix in {".csv", ".xlsx"})


def current_admin() -> str:
    """Who asks for a recompute, which changes every evaluation's scores: admins only."""
    access = login.current_access()
    if access is None or not access.is_admin:
        raise PermissionError("只有管理员可以重新复核全部评价 (admin role required)")
    return access.user


def current_user() -> str:
    """Who is uploading or restoring, as the login identified them (recorded with the data)."""
    access = login.current_access()
    if access is None or not access.can_upload:
        raise PermissionError("只有上传权限的用户可以修改数据 (upload role required)")
    return access.user
