"""The queries the dashboard pages read, one function per named query in `perfcore/sql/`.

Every function takes the store and the page filters and returns a DataFrame. Filtering and
aggregation happen in DuckDB; the filters travel as bound parameters only. Which versions
and which scoring run count ("current" or "as of" a data_version) is defined once, in the
`scoped_evaluations` macro (sql/migrations/002_page_scope.sql).

Money columns (万元) come back as float or Decimal; rates are fractions (1.0 = 100 %).

At province scale (10^5 evaluations, 2·10^6 indicator lines) a page never reads every row: it
reads summaries (`*_summary`, `*_by_*`, `*_levels`, `*_quartiles`) and bounded pages
(`*_page`, at most `limit` rows in a stated order). The full row lists (`evaluations`,
`indicator_lines`, …) are for one evaluation, the tests, and `export_csv` — which DuckDB writes
straight to a file, so no DataFrame of every row is ever built.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import duckdb
import pandas as pd

from perfcore import names
from perfcore.codes import CODES
from perfcore.rules import available_rule_sets
from perfcore.sqlfiles import query
from perfcore.store import Store

GRADES = ("优", "良", "中", "差")
ALL_LEVEL2: Final = "%"  # `level2` patterns (SQL LIKE) of the indicator queries
SATISFACTION: Final = "%满意度%"
COST: Final = "%成本%"
PROJECT_OPTIONS_LIMIT: Final = 100  # projects the 项目 filter lists before asking to narrow
SORTS: Final = ("best", "worst", "lowest_rate", "widest_gap")  # orders of `evaluation_page`
EXPORTS: Final = frozenset(
    {
        "evaluations",
        "funds_lines",
        "expenditures",
        "indicator_lines",
        "satisfaction_indicators",
        "cost_indicators",
        "findings",
    }
)


@dataclass(frozen=True)
class Filters:
    years: tuple[int, ...] = ()  # empty = all
    departments: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()  # computed grade 优/良/中/差
    rule_set: str | None = None  # None = each evaluation's own rule set
    as_of: int | None = None  # a data_version: the data as it was then (pinned links)
    # The viewer's department scope, set by the dashboard from the login: None = every
    # department, () = none at all. Not a choice in the sidebar and never put in a link.
    allowed_departments: tuple[str, ...] | None = None

    def params(self) -> dict[str, Any]:
        return {
            "years": [int(y) for y in self.years],
            "departments": self._scoped_departments(),
            "projects": list(self.projects),
            "grades": list(self.grades),
            "rule_set": self.rule_set,
            "as_of": self.as_of,
        }

    def _scoped_departments(self) -> list[str] | None:
        """The chosen departments cut to the allowed ones. The scope macro reads an empty list
        as "all" and NULL as "none" (len(NULL) = 0 is not true), so a scope that leaves
        nothing becomes None: every page query then returns no rows."""
        chosen = list(self.departments)
        if self.allowed_departments is None:
            return chosen
        allowed = set(self.allowed_departments)
        kept = [d for d in chosen if d in allowed] if chosen else sorted(allowed)
        return kept or None


def _frame(store: Store, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    cur = store.cursor()
    try:
        return cur.execute(query(name), params or {}).df()
    finally:
        cur.close()


def _with_titles(frame: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's title and plain-language explanation beside each finding code."""
    at = frame.columns.get_loc("code") + 1
    frame.insert(at, "title", frame["code"].map(lambda c: CODES[c].title if c in CODES else c))
    frame.insert(
        at + 1, "explain", frame["code"].map(lambda c: CODES[c].explain if c in CODES else "")
    )
    return frame


def filter_options(
    store: Store, allowed_departments: tuple[str, ...] | None = None, as_of: int | None = None
) -> dict[str, list]:
    """Choices for the filter widgets: years (newest first), departments, rule sets as (name,
    title) — shipped ones plus any others stored scores use — and grades. Years and departments
    come only from the allowed departments (None = all) and, with `as_of`, from the data as it
    was at that data version (a pinned link); projects from `project_options`."""
    allowed = None if allowed_departments is None else list(allowed_departments)
    options = _frame(store, "filter_options", {"allowed": allowed, "as_of": as_of}).iloc[0]
    shipped = [(info.name, info.title) for info in available_rule_sets()]
    known = {name for name, _ in shipped}
    stored = _frame(store, "scored_rule_sets")["rule_set"].tolist()
    return {
        "years": [int(y) for y in options["years"]],
        "departments": list(options["departments"]),
        "rule_sets": shipped + [(name, name) for name in stored if name not in known],
        "grades": list(GRADES),
    }


def project_options(
    store: Store,
    *,
    years: tuple[int, ...] = (),
    departments: tuple[str, ...] = (),
    named: tuple[str, ...] = (),
    allowed_departments: tuple[str, ...] | None = None,
    limit: int = PROJECT_OPTIONS_LIMIT,
    as_of: int | None = None,
) -> tuple[list[str], int]:
    """(projects to offer, how many match) for the 项目 filter: the first `limit` projects of
    the chosen years and departments (empty = all), then the `named` ones (a link's, the current
    selection) that exist, wherever they are — a province has 10^5 projects, too many to send
    to every browser on every rerun, but a link's project must stay selectable. With `as_of`,
    from the data as it was at that data version (a pinned link)."""
    allowed = None if allowed_departments is None else list(allowed_departments)
    params = {
        "years": [int(y) for y in years],
        "departments": list(departments),
        "allowed": allowed,
        "limit": limit,
        "as_of": as_of,
    }
    listed = _frame(store, "project_options", params)
    n_matching = int(listed["n_matching"].iloc[0]) if len(listed) else 0
    names = listed["project"].tolist()
    if named:
        found = _frame(
            store, "named_projects", {"names": list(named), "allowed": allowed, "as_of": as_of}
        )
        known = set(names)
        names += [p for p in found["project"] if p not in known]
    return names, n_matching


def evaluations(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "evaluations", f.params())


def funds_lines(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "funds_lines", f.params())


def funds_by_department(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "funds_by_department", f.params())


def expenditures(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "expenditures", f.params())


def indicator_lines(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "indicator_lines", f.params())


def satisfaction_indicators(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "satisfaction_indicators", f.params())


def cost_indicators(store: Store, f: Filters) -> pd.DataFrame:
    return _frame(store, "cost_indicators", f.params())


def findings(store: Store, f: Filters) -> pd.DataFrame:
    """Findings with the catalogue's title and plain-language explanation beside each code."""
    return _with_titles(_frame(store, "findings", f.params()))


def uploads(store: Store, allowed_departments: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Accepted uploads, newest first; with a department scope, only those that stored an
    evaluation of an allowed department (None = all)."""
    allowed = None if allowed_departments is None else list(allowed_departments)
    return _frame(store, "uploads", {"allowed": allowed})


def restorable_evaluations(
    store: Store, allowed_departments: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """Year, department, project and n_versions of every evaluation with an older version to
    restore, in the allowed departments (None = all)."""
    allowed = None if allowed_departments is None else list(allowed_departments)
    return _frame(store, "restorable_evaluations", {"allowed": allowed})


# --- summaries and bounded pages (what the dashboard pages read) ------------------------------


def evaluation_summary(store: Store, f: Filters) -> pd.DataFrame:
    """One row: counts, year span, funds totals, mean scores, self-scores above/below."""
    return _frame(store, "evaluation_summary", f.params())


def year_over_year(store: Store, f: Filters, year: int) -> pd.DataFrame:
    """Rows 'now' (the evaluations of `year` in scope) and 'before' (the same department and
    project pairs a year earlier, any grade): budget, execution, mean scores, grade counts."""
    params = {**replace(f, years=(year,)).params(), "previous": [year - 1]}
    return _frame(store, "year_over_year", params)


def evaluation_page(store: Store, f: Filters, sort: str, limit: int) -> pd.DataFrame:
    """At most `limit` evaluations in the order `sort` (one of SORTS), each with its rank by
    computed total among all in scope and its findings per severity."""
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}; one of {SORTS}")
    return _frame(store, "evaluation_page", {**f.params(), "sort": sort, "limit": limit})


def grade_counts(store: Store, f: Filters, by: str, limit: int) -> pd.DataFrame:
    """Computed grades counted per department or project (`by`): label, grade_computed, n —
    for the `limit` groups with the lowest mean computed total."""
    if by not in ("department", "project"):
        raise ValueError(f"grade counts are by department or project, not {by!r}")
    return _frame(store, "grade_counts", {**f.params(), "by": by, "limit": limit})


def funds_by_source(store: Store, f: Filters) -> pd.DataFrame:
    """Initial budget, annual budget and executed summed per funds source."""
    return _frame(store, "funds_by_source", f.params())


def spending_by_item(store: Store, f: Filters, top: int = 20) -> pd.DataFrame:
    """Spending summed per item, biggest first; beyond `top` items the rest is one 其他 row."""
    return _frame(store, "spending_by_item", {**f.params(), "top": top})


def _names_matching(store: Store, name_contains: str) -> list[str] | None:
    """The stored 三级指标 names a search for `name_contains` matches; None when there is no
    search (every line). Matched in Python, where names fold as `perfcore.names` says: DuckDB
    cannot fold traditional characters, and a store has few distinct names (72 at 10^5)."""
    if not name_contains:
        return None
    return names.containing(_frame(store, "indicator_names")["name"].tolist(), name_contains)


def indicator_summary(
    store: Store, f: Filters, level2: str = ALL_LEVEL2, name_contains: str = ""
) -> pd.DataFrame:
    """One row about the indicator lines whose 二级指标 matches `level2` (ALL_LEVEL2,
    SATISFACTION, COST) and whose 三级指标 contains `name_contains` (see `perfcore.names`;
    "" = all): lines, counted lines, weight, lost points, differing self-scores, numeric
    lines, projects, years."""
    params = {**f.params(), "level2": level2, "names": _names_matching(store, name_contains)}
    return _frame(store, "indicator_summary", params)


def indicator_levels(store: Store, f: Filters) -> pd.DataFrame:
    """Weight and computed score per 一级/二级 indicator: the tree across many evaluations."""
    return _frame(store, "indicator_levels", f.params())


def indicator_page(
    store: Store,
    f: Filters,
    *,
    limit: int,
    level2: str = ALL_LEVEL2,
    only_differs: bool = False,
    numeric_only: bool = False,
    worst_first: bool = True,
    name_contains: str = "",
) -> pd.DataFrame:
    """At most `limit` indicator lines (the columns of `indicator_lines`): most points lost
    first, or in table order when not `worst_first`; only those whose 三级指标 contains
    `name_contains` (see `perfcore.names`) when given. Chosen by id first, then read in
    full."""
    order = {**f.params(), "worst_first": bool(worst_first)}  # numpy bools cannot be bound
    chosen = {
        **order,
        "limit": int(limit),
        "level2": level2,
        "only_differs": bool(only_differs),
        "numeric_only": bool(numeric_only),
        "names": _names_matching(store, name_contains),
    }
    line_ids = _frame(store, "indicator_page_lines", chosen)["line_id"].tolist()
    return _frame(store, "indicator_page", {**order, "line_ids": [int(i) for i in line_ids]})


def achievement_quartiles(store: Store, f: Filters, level2: str, names: int) -> pd.DataFrame:
    """Box-plot statistics (n, low, q1, median, q3, high) of actual ÷ target in % per year and
    indicator name, for the `names` most frequent names matching `level2`."""
    params = {**f.params(), "level2": level2, "names": names}
    return _frame(store, "achievement_quartiles", params)


def findings_by_code(store: Store, f: Filters) -> pd.DataFrame:
    """Findings counted per severity and code (n), with the catalogue's title and explanation;
    errors first, then the most frequent."""
    return _with_titles(_frame(store, "findings_by_code", f.params()))


def findings_page(store: Store, f: Filters, limit: int) -> pd.DataFrame:
    """At most `limit` findings of each severity and code, in `findings` order, with the
    indicator name they point at."""
    return _frame(store, "findings_page", {**f.params(), "limit": limit})


def export_csv(
    store: Store,
    name: str,
    f: Filters,
    headers: Mapping[str, str] | None = None,
    name_contains: str = "",
) -> bytes:
    """Every row of page query `name` (one of EXPORTS) as CSV, UTF-8 with a BOM so that Excel
    reads the Chinese; columns renamed by `headers` where given; only the rows whose `name`
    (三级指标) contains `name_contains` (see `perfcore.names`) when given. DuckDB writes the
    file itself, so no DataFrame of every row is built."""
    if name not in EXPORTS:
        raise ValueError(f"{name!r} cannot be exported; one of {sorted(EXPORTS)}")
    cur = store.cursor()
    try:
        relation = cur.sql(query(name), params=f.params())
        matched = _names_matching(store, name_contains)
        if matched is not None:  # the names as constants, never SQL text
            relation = relation.filter(
                duckdb.ColumnExpression("name").isin(*map(duckdb.ConstantExpression, matched))
                if matched
                else duckdb.ConstantExpression(False)
            )
        labels = headers or {}
        relation = relation.select(
            *[duckdb.ColumnExpression(c).alias(labels.get(c, c)) for c in relation.columns]
        )
        with tempfile.TemporaryDirectory(prefix="perf-export-") as folder:
            path = Path(folder) / f"{name}.csv"
            relation.write_csv(str(path), header=True)
            return codecs.BOM_UTF8 + path.read_bytes()
    finally:
        cur.close()
