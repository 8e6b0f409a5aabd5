"""The recent views saved beside the store: what a restarted server warms."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard import saved_views
from perfcore.queries import Filters


def test_views_come_back_as_the_cache_keys_they_were(tmp_path: Path) -> None:
    db = tmp_path / "perf.duckdb"
    views: list[saved_views.SavedView] = [
        (
            "frame",
            "indicator_page",
            Filters(years=(2022, 2023), departments=("合成数据·甲局",), allowed_departments=()),
            (("limit", 200), ("only_differs", True), ("worst_first", False)),
        ),
        ("rows", "evaluation_summary", Filters(rule_set="hubei"), ()),
        (
            "frame",
            "achievement_quartiles",
            Filters(),
            (("level2", "满意度"), ("names", ("甲", "乙"))),
        ),
    ]
    saved_views.save(db, views)
    assert saved_views.load(db) == views
    assert list(tmp_path.iterdir()) == [saved_views.views_file(db)]  # no partial file left


def test_nothing_saved_or_an_unreadable_file_is_nothing_to_warm(tmp_path: Path) -> None:
    db = tmp_path / "perf.duckdb"
    assert saved_views.load(db) == []
    saved_views.views_file(db).write_text("{not json", encoding="utf-8")
    assert saved_views.load(db) == []
    saved_views.views_file(db).write_text(json.dumps({"format": 99, "views": []}))
    assert saved_views.load(db) == []


def test_entries_that_are_not_views_of_a_public_query_are_left_out(tmp_path: Path) -> None:
    db = tmp_path / "perf.duckdb"
    good = {"kind": "frame", "query": "funds_by_source", "filters": {}, "options": []}
    document = {
        "format": saved_views.FORMAT,
        "views": [
            {**good, "query": "_frame"},  # private
            {**good, "query": "no_such_query"},
            {**good, "query": "Filters"},  # a class, no query
            {**good, "query": "query"},  # imported into queries, not one of its queries
            {**good, "kind": "table"},
            {**good, "filters": {"password": "x"}},  # not a filter
            {**good, "options": [["limit"]]},  # not a pair
            good,
        ],
    }
    saved_views.views_file(db).write_text(json.dumps(document), encoding="utf-8")
    assert saved_views.load(db) == [("frame", "funds_by_source", Filters(), ())]


def test_a_store_folder_that_cannot_be_written_loses_only_the_saving(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "perf.duckdb"
    saved_views.save(missing, [("rows", "evaluation_summary", Filters(), ())])  # logs, no raise
    assert saved_views.load(missing) == []
