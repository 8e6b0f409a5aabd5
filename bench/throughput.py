"""Throughput figures: DuckDB's own CSV load, perfcore's read+score, scoring alone, and ingest.

Each function times one run and returns seconds (plus what it counted); `bench.run` repeats
them and takes medians. Rows are data rows of all four tables, the same basis for every figure,
so the ingest/DuckDB ratio compares like with like.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psutil

from bench.generate import TABLES, Generated
from dashboard.saved_views import views_file
from perfcore.engine import assess_paths
from perfcore.reader import read_paths
from perfcore.rules import DEFAULT_RULE_SET, load_rule_set
from perfcore.schema import migrate
from perfcore.scoring import score_evaluation

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Timed:
    seconds: float
    rows: int
    evaluations: int


# DuckDB's own CSV load, one statement per table (literal SQL: table names are not parameters).
RAW_LOAD = {
    "evaluations": "CREATE TABLE evaluations AS SELECT * FROM read_csv($files)",
    "funds": "CREATE TABLE funds AS SELECT * FROM read_csv($files)",
    "indicators": "CREATE TABLE indicators AS SELECT * FROM read_csv($files)",
    "expenditures": "CREATE TABLE expenditures AS SELECT * FROM read_csv($files)",
}


def duckdb_read_csv(generated: Generated, db: Path) -> Timed:
    """`CREATE TABLE … AS SELECT * FROM read_csv([...])` for each table, into a fresh file."""
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    try:
        started = time.perf_counter()
        for table in TABLES:
            files = [str(p) for p in generated.table_files(table)]
            con.execute(RAW_LOAD[table], {"files": files})
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - started
        rows = con.execute(
            "SELECT (SELECT count(*) FROM evaluations) + (SELECT count(*) FROM funds)"
            " + (SELECT count(*) FROM indicators) + (SELECT count(*) FROM expenditures)"
        ).fetchone()[0]
    finally:
        con.close()
        db.unlink(missing_ok=True)
    if rows != sum(generated.rows.values()):
        raise RuntimeError(f"read_csv loaded {rows} rows, the generator wrote {generated.rows}")
    return Timed(seconds, rows, generated.evaluations)


def python_csv_floor(generated: Generated) -> Timed:
    """Python's own floor for a row-by-row reader: `csv.reader` over every file, one tuple per
    row and nothing done with it. Whatever parses, scores and checks in Python starts here."""
    started = time.perf_counter()
    rows = 0
    for path in generated.files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)  # the header
            rows += sum(1 for _ in reader)
    seconds = time.perf_counter() - started
    return Timed(seconds, rows, generated.evaluations)


def _sample(generated: Generated, max_evaluations: int) -> tuple[list[tuple[Path, ...]], int]:
    """The first parts, up to about `max_evaluations` evaluations (at least one part)."""
    per_part = -(-generated.evaluations // len(generated.parts))
    count = max(1, min(len(generated.parts), max_evaluations // per_part))
    parts = list(generated.parts[:count])
    return parts, min(generated.evaluations, count * per_part)


def _data_rows(paths: Sequence[Path]) -> int:
    rows = 0
    for path in paths:
        with path.open("rb") as handle:
            rows += sum(1 for _ in handle) - 1
    return rows


def assess_parts(generated: Generated, max_evaluations: int) -> Timed:
    """`perfcore.engine.assess` (read + score + check) over the first parts, part by part."""
    parts, evaluations = _sample(generated, max_evaluations)
    started = time.perf_counter()
    for part in parts:
        assessment = assess_paths(part)
        if assessment.has_errors:
            raise RuntimeError(f"generated files have error findings: {part[0].name}")
    seconds = time.perf_counter() - started
    return Timed(seconds, _data_rows([p for part in parts for p in part]), evaluations)


def score_parts(generated: Generated, max_evaluations: int) -> Timed:
    """Scoring and checks alone: evaluations read beforehand, then `score_evaluation` timed."""
    parts, evaluations = _sample(generated, max_evaluations)
    read = [read_paths(part).evaluations for part in parts]
    rule_sets = {}
    started = time.perf_counter()
    for evaluations_read in read:
        for evaluation in evaluations_read:
            name = evaluation.rule_set or DEFAULT_RULE_SET
            rules = rule_sets.get(name) or rule_sets.setdefault(name, load_rule_set(name))
            score_evaluation(evaluation, rules)
    seconds = time.perf_counter() - started
    return Timed(seconds, _data_rows([p for part in parts for p in part]), evaluations)


@dataclass(frozen=True)
class Ingested(Timed):
    peak_rss_bytes: int  # of the `perfcore ingest` process


def cli_ingest(generated: Generated, db: Path) -> Ingested:
    """`python -m perfcore ingest FILE… --db DB` of every generated file as one upload, into a
    fresh store file, as a province would store its year; the process's peak RSS with it."""
    for stale in (db, db.with_name(db.name + ".wal"), views_file(db)):
        stale.unlink(missing_ok=True)
    command = [sys.executable, "-m", "perfcore", "ingest", *map(str, generated.files)]
    started = time.perf_counter()
    returncode, stderr, peak = _run_watched([*command, "--db", str(db)])
    seconds = time.perf_counter() - started
    if returncode != 0:
        raise RuntimeError(f"perfcore ingest failed ({returncode}): {stderr[-2000:]}")
    return Ingested(seconds, sum(generated.rows.values()), generated.evaluations, peak)


def _run_watched(command: list[str], every_s: float = 0.1) -> tuple[int, str, int]:
    """Run `command` from the project folder; its exit code, stderr and peak RSS (sampled)."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        watched, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                peak = max(peak, watched.memory_info().rss)
            except psutil.NoSuchProcess:
                break
            time.sleep(every_s)
        proc.wait()
        err.seek(0)
        return proc.returncode, err.read().decode("utf-8", "replace"), peak


def store_rewrite(db: Path, copy: Path) -> Timed:
    """DuckDB alone writing the rows an ingest stored: the store at `db` copied table by table,
    with its keys and indexes, into a fresh file (`copy`, `COPY FROM DATABASE`), checkpointed.

    About the least any engine that keeps what this store keeps (every line, its score under
    each shipped rule set, every finding, the files) can take: reading the files
    (`duckdb_read_csv`) plus this. The copy reads the rows back too, about a tenth of its time
    at N = 100,000 (a scan of every column of the two largest tables)."""
    copy.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH $path AS ingested (READ_ONLY)", {"path": str(db)})
        con.execute("ATTACH $path AS rewritten", {"path": str(copy)})
        started = time.perf_counter()
        con.execute("COPY FROM DATABASE ingested TO rewritten")
        con.execute("CHECKPOINT rewritten")
        seconds = time.perf_counter() - started
        (rows,) = con.execute(
            "SELECT sum(estimated_size) FROM duckdb_tables() WHERE database_name = 'rewritten'"
        ).fetchone()
    finally:
        con.close()
        copy.unlink(missing_ok=True)
    return Timed(seconds, int(rows), 0)


# The rows a store must keep at the least: every table as stored, but of the scores and
# findings only those of each evaluation's own rule set (the store also keeps the other shipped
# rule sets', so that the 评分规则 filter needs no recompute).
_OWN_RULE_SET_ONLY = {
    "scores": "SELECT s.* FROM ingested.scores s JOIN ingested.evaluations e USING (evaluation_id)"
    " WHERE s.rule_set = e.rule_set",
    "indicator_scores": "SELECT s.* FROM ingested.indicator_scores s"
    " JOIN ingested.indicator_lines USING (line_id)"
    " JOIN ingested.evaluations e USING (evaluation_id) WHERE s.rule_set = e.rule_set",
    "findings": "SELECT f.* FROM ingested.findings f LEFT JOIN ingested.evaluations e"
    " USING (evaluation_id) WHERE f.rule_set IS NULL OR f.rule_set = e.rule_set",
}


def own_rule_set_write(db: Path, copy: Path) -> Timed:
    """DuckDB alone writing what a store that kept only each evaluation's own rule set would
    hold, as an ingest writes: into a fresh store of the same schema (keys and indexes), every
    table in one transaction, then checkpointed.

    The least any engine could write under the contract (every line and upload kept, every
    score recomputed and its findings kept): with `duckdb_read_csv`, a floor that does not
    depend on the store keeping the other rule sets' scores."""
    copy.unlink(missing_ok=True)
    con = duckdb.connect(str(copy))
    try:
        migrate(con)
        con.execute("SET enable_progress_bar = false")
        con.execute("ATTACH $path AS ingested (READ_ONLY)", {"path": str(db)})
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables()"
                " WHERE database_name = 'ingested' AND table_name <> 'schema_version'"
            ).fetchall()
        ]
        started = time.perf_counter()
        con.execute("BEGIN")
        for table in tables:
            # Table names from the store's own catalogue, never user input.
            every_row = f"SELECT * FROM ingested.{table}"  # noqa: S608
            rows = _OWN_RULE_SET_ONLY.get(table, every_row)
            con.execute(f"INSERT INTO main.{table} BY NAME {rows}")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - started
        written = sum(
            con.execute(f"SELECT count(*) FROM main.{table}").fetchone()[0]  # noqa: S608
            for table in tables
        )
    finally:
        con.close()
        copy.unlink(missing_ok=True)
    return Timed(seconds, written, 0)


def db_size(db: Path) -> int:
    """Bytes of the store file and its write-ahead log."""
    wal = db.with_name(db.name + ".wal")
    return sum(p.stat().st_size for p in (db, wal) if p.exists())
