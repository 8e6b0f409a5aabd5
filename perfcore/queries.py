"""The queries the dashboard pages read, one function per named query in `perfcore/sql/`.

Every function takes the store and the page filters and returns a DataFrame. Filtering and
aggregation happen in DuckDB; the filters travel as bound parameters only. Which versions
and which scoring run count ("current" or "as of" a data_version) is defined once, in the
`scoped_evaluations` macro (sql/migrations/002_page_scope.sql).

Money columns (万元) come back as float or Decimal; rates are fractions (1.0 = 100 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from perfcore.codes import CODES
from perfcore.rules import available_rule_sets
from perfcore.sqlfiles import query
from perfcore.store import Store

GRADES = ("优", "良", "中", "差")


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


def filter_options(
    store: Store, allowed_departments: tuple[str, ...] | None = None
) -> dict[str, list]:
    """Choices for the filter widgets: years (newest first), departments, projects, rule sets
    as (name, title) — shipped ones plus any others stored scores use — and grades. Years,
    departments and projects come only from the allowed departments (None = all)."""
    allowed = None if allowed_departments is None else list(allowed_departments)
    options = _frame(store, "filter_options", {"allowed": allowed}).iloc[0]
    shipped = [(info.name, info.title) for info in available_rule_sets()]
    known = {name for name, _ in shipped}
    stored = _frame(store, "scored_rule_sets")["rule_set"].tolist()
    return {
        "years": [int(y) for y in options["years"]],
        "departments": list(options["departments"]),
        "projects": list(options["projects"]),
        "rule_sets": shipped + [(name, name) for name in stored if name not in known],
        "grades": list(GRADES),
    }


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
    frame = _frame(store, "findings", f.params())
    at = frame.columns.get_loc("code") + 1
    frame.insert(at, "title", frame["code"].map(lambda c: CODES[c].title if c in CODES else c))
    frame.insert(
        at + 1, "explain", frame["code"].map(lambda c: CODES[c].explain if c in CODES else "")
    )
    return frame


def uploads(store: Store) -> pd.DataFrame:
    return _frame(store, "uploads")
