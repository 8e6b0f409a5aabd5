"""The dashboard's recent views, saved beside the store file (`perf.duckdb.views.json`).

A restarted server has nothing cached, and at a province's size the first leader to open
指标得分 waited 4.4 s for what takes 0.07 s warm. The views any session asked for lately are
saved here, so that the next server process can ask them again as soon as it opens the store.
The file holds filters only (years, departments, projects, grades, a rule set, the viewer's
department scope), never data; a missing, unreadable or foreign file just means nothing to warm.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import threading
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, Literal

from perfcore import queries
from perfcore.queries import Filters

FORMAT = 1
Kind = Literal["frame", "rows"]  # a cached query's result: a frame, or its rows
SavedView = tuple[Kind, str, Filters, tuple[tuple[str, Any], ...]]  # kind, query, filters, options
_FILTER_FIELDS = frozenset(f.name for f in fields(Filters))
_log = logging.getLogger(__name__)


def views_file(db: str | Path) -> Path:
    return Path(f"{db}.views.json")


def save(db: str | Path, views: list[SavedView]) -> None:
    """Write `views` (latest first) for the store `db`, replacing the file in one step; a
    failure is logged, never raised: the page the viewer asked for matters more."""
    target = views_file(db)
    document = {
        "format": FORMAT,
        "views": [
            {"kind": kind, "query": name, "filters": asdict(f), "options": list(options)}
            for kind, name, f, options in views
        ],
    }
    partial = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        _log.warning("could not save the recent views to %s", target, exc_info=True)
        partial.unlink(missing_ok=True)


def load(db: str | Path) -> list[SavedView]:
    """The views saved for the store `db`, latest first; those that do not read as a view of
    a public query of perfcore.queries are left out."""
    source = views_file(db)
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        _log.warning("ignoring the unreadable saved views in %s", source, exc_info=True)
        return []
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return []
    views = []
    for entry in document.get("views", []):
        try:
            views.append(_view(entry))
        except (KeyError, TypeError, ValueError):
            _log.warning("ignoring a saved view that does not read: %r", entry)
    return views


def _view(entry: dict[str, Any]) -> SavedView:
    kind, name = entry["kind"], entry["query"]
    if kind not in ("frame", "rows") or not isinstance(name, str) or name.startswith("_"):
        raise ValueError(name)
    query = getattr(queries, name, None)
    if not (inspect.isfunction(query) and query.__module__ == queries.__name__):
        raise ValueError(name)
    raw = entry["filters"]
    if not isinstance(raw, dict) or not set(raw) <= _FILTER_FIELDS:
        raise ValueError(raw)
    f = Filters(**{key: _frozen(value) for key, value in raw.items()})
    options = tuple((str(key), _frozen(value)) for key, value in entry["options"])
    return kind, name, f, options


def _frozen(value: Any) -> Any:
    """JSON's lists back as the tuples the cache keys were made of."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value
