"""The DuckDB store: one file holding every accepted upload, its evaluation versions and scores.

Writes are all-or-nothing: an upload is read, checked and scored before any transaction is
opened, and then written in one transaction on a fresh cursor, so a failed, rejected or
killed ingest leaves the file exactly as it was. Nothing is ever deleted: a re-upload or a
restore adds a version, a recompute adds a scoring run. Every write appends to `audit_log`,
whose highest entry is the `data_version` the dashboard caches on.

DuckDB 2.0 refuses a connection object shared between threads, so each query or transaction
gets its own `cursor()`; writers in one process queue on a lock, writers in other processes
are kept out by DuckDB's file lock (see `perfcore.connection`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import pyarrow as pa

from perfcore import records, versions
from perfcore.collector import fewer_collections
from perfcore.connection import StoreBusy, WriteFailed, connect
from perfcore.engine import Assessment, assess, rescore
from perfcore.files import decode, encode
from perfcore.model import EvaluationKey, EvaluationResult, UploadFile
from perfcore.progress import Progress, counted, quiet, within
from perfcore.rescoring import ScoredLines, rescore_reusing
from perfcore.rules import available_rule_sets, load_rule_set
from perfcore.schema import migrate
from perfcore.scoring import ENGINE_VERSION
from perfcore.sqlfiles import one_row, query

DEFAULT_DB = "data/perf.duckdb"
SEED_DIR = Path(__file__).resolve().parent.parent / "data" / "seed"
SEED_USER = "seed"

Place = tuple[str | None, int | None]  # (file, row) a line or finding was read from
__all__ = [
    "DEFAULT_DB",
    "EarlierVersion",
    "IngestOutcome",
    "PreparedUpload",
    "Store",
    "StoreBusy",
    "db_path",
    "open_store",
    "prepare_upload",
    "upload_sha256",
]


def db_path() -> Path:
    """The store file: $PERF_DB, else data/perf.duckdb (relative to the working directory)."""
    return Path(os.environ.get("PERF_DB") or DEFAULT_DB)


def upload_sha256(files: Sequence[UploadFile]) -> str:
    """The identity of an upload: the same files, in any order and under any names, hash alike."""
    digests = sorted(hashlib.sha256(f.data).hexdigest() for f in files)
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


@dataclass(frozen=True)
class PreparedUpload:
    """An upload read, checked and scored under every shipped rule set, ready to be written.

    Preparing needs no store, so a process can do the slow part before it takes the file.
    """

    files: tuple[UploadFile, ...]
    sha256: str
    assessment: Assessment
    runs: tuple[tuple[EvaluationResult, ...], ...]  # per evaluation: own scoring, then others

    @property
    def rejected(self) -> bool:
        return self.assessment.has_errors or not self.assessment.results


# Where an upload's phases end on its progress bar, from their measured shares of the time at
# 2·10^3–10^4 evaluations: reading and its own scoring, the other rule sets, then writing.
ASSESSED_AT = 0.55
PREPARED_AT = 0.8
# Evaluations whose rows are built and inserted at a time. Building every row of 10^4
# evaluations before inserting any took 1.5 GB above the scored upload; 10^5 would not fit in
# an ordinary machine's memory. All parts go in the one transaction.
WRITE_CHUNK = 2_000


@fewer_collections()
def prepare_upload(
    files: Sequence[UploadFile],
    *,
    rule_set: str | None = None,
    progress: Progress | None = None,
    assessed: Assessment | None = None,
) -> PreparedUpload:
    """Read, check and (unless rejected) score `files` under every shipped rule set.

    `assessed` is what `assess(files, rule_set)` already said of these very files (the upload
    page's preview): reading and the own scoring are then not done twice. `progress` hears of
    it up to PREPARED_AT; writing the upload reports the rest.
    """
    report = progress or quiet
    if assessed is None:
        report(0.0, "正在读取并校验文件…")
        assessment = assess(files, rule_set, within(report, 0.0, ASSESSED_AT))
    else:
        assessment = assessed
    runs: tuple[tuple[EvaluationResult, ...], ...] = ()
    if assessment.results and not assessment.has_errors:
        shipped = [info.name for info in available_rule_sets()]
        others = within(report, ASSESSED_AT, PREPARED_AT)
        others(0.0, "正在按其他评分规则复核…")
        scored = list(zip(assessment.results, assessment.scored_lines, strict=True))
        runs = tuple(
            _all_runs(result, lines, shipped)
            for result, lines in counted(scored, others, "正在按其他评分规则复核")
        )
    return PreparedUpload(tuple(files), upload_sha256(files), assessment, runs)


@dataclass(frozen=True)
class EarlierVersion:
    """For a duplicate upload: the version the same files made of an evaluation, and which
    version of it is current now (a restore may have made another one current since)."""

    key: EvaluationKey
    version: int
    current: int

    @property
    def is_current(self) -> bool:
        return self.version == self.current

    def describe_zh(self) -> str:
        if self.is_current:
            return f"{self.key.label()}：这些文件即第 {self.version} 版，仍是当前版本"
        return f"{self.key.label()}：这些文件即第 {self.version} 版，当前为第 {self.current} 版"


@dataclass(frozen=True)
class IngestOutcome:
    status: Literal["stored", "rejected", "duplicate"]
    assessment: Assessment
    upload_id: int | None  # the new upload, or the earlier identical one for a duplicate
    versions: dict[EvaluationKey, int]  # the version each evaluation got (empty unless stored)
    # A duplicate: which version the files are, for the first DUPLICATE_KEYS_SHOWN evaluations.
    earlier: tuple[EarlierVersion, ...] = ()

    def duplicate_note(self, how_to_restore: str) -> str:
        """What the earlier identical upload is now, in Chinese, ending in `how_to_restore`
        (where the reader restores a version, in their tool's words) when one is not current.

        Same files change nothing, even when a restore has since made another version current:
        making these files' version current again is a restore, never a re-upload.
        """
        parts = [e.describe_zh() for e in self.earlier]
        more = len(self.assessment.results) - len(self.earlier)
        if more > 0:
            parts.append(f"另有 {more} 个评价未逐一列出")
        text = "；".join(parts)
        if more > 0 or any(not e.is_current for e in self.earlier):
            text += f"。重新上传不会使旧版本成为当前版本；如要以这些文件为准，{how_to_restore}"
        return text + "。" if text else ""


class Store:
    """An open store file. Use one per process; share it between threads freely."""

    def __init__(self, path: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self._con = con
        self._write_lock = threading.RLock()  # recompute holds it around a transaction

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor for one query or transaction; close it (or let it go) when done."""
        return self._con.cursor()

    def close(self) -> None:
        self._con.close()

    def data_version(self) -> int:
        """The number of the latest change (ingest, restore, recompute); 0 for an empty store."""
        return self._one_row("data_version")[0]

    def _one_row(self, name: str, params: dict[str, Any] | None = None) -> tuple | None:
        cur = self.cursor()
        try:
            return one_row(cur, name, params)
        finally:
            cur.close()

    @contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One write transaction: commit at the end of the block, roll back on any exception.

        DuckDB's own failures (out of memory, above all) come out as `WriteFailed`, which says
        in Chinese that nothing was stored."""
        with self._write_lock:
            cur = self.cursor()
            try:
                cur.begin()
                yield cur
                cur.commit()
            except BaseException as problem:
                _roll_back(cur)
                if isinstance(problem, duckdb.Error):
                    raise WriteFailed(str(problem).splitlines()[0]) from problem
                raise
            finally:
                cur.close()

    # --- ingest --------------------------------------------------------------------------

    def ingest(
        self,
        files: Sequence[UploadFile],
        *,
        uploaded_by: str,
        rule_set: str | None = None,
        progress: Progress | None = None,
        assessed: Assessment | None = None,
    ) -> IngestOutcome:
        """Read, check and score `files`, then store them in one transaction, or not at all.

        `assessed`: what `assess(files, rule_set)` said of the same files already, if it was
        asked (see `prepare_upload`)."""
        prepared = prepare_upload(files, rule_set=rule_set, progress=progress, assessed=assessed)
        return self.ingest_prepared(prepared, uploaded_by=uploaded_by, progress=progress)

    @fewer_collections()
    def ingest_prepared(
        self, prepared: PreparedUpload, *, uploaded_by: str, progress: Progress | None = None
    ) -> IngestOutcome:
        """Store an upload already read and scored by `prepare_upload` (one transaction)."""
        report = progress or quiet
        assessment = prepared.assessment
        if prepared.rejected:
            report(1.0, "文件有错误，未保存任何数据。")
            return IngestOutcome("rejected", assessment, None, {})
        with self._transaction() as cur:
            earlier = one_row(cur, "upload_by_sha256", {"sha256": prepared.sha256})
            if earlier is not None:
                report(1.0, f"这些文件与第 {earlier[0]} 次上传完全相同，未做任何更改。")
                shown = _earlier_versions(cur, earlier[0], assessment)
                return IngestOutcome("duplicate", assessment, earlier[0], {}, shown)
            upload_id, versions_by_key = self._write_upload(cur, prepared, uploaded_by, report)
        report(1.0, f"已保存 {len(versions_by_key)} 个评价。")
        return IngestOutcome("stored", assessment, upload_id, versions_by_key)

    def _write_upload(
        self,
        cur: duckdb.DuckDBPyConnection,
        prepared: PreparedUpload,
        uploaded_by: str,
        report: Progress,
    ) -> tuple[int, dict[EvaluationKey, int]]:
        files, assessment = prepared.files, prepared.assessment
        now = datetime.now()
        ids = _next_ids(cur)
        upload_id = ids["upload_id"]
        keys = pd.DataFrame(
            [(r.key.year, r.key.department, r.key.project) for r in assessment.results],
            columns=["year", "department", "project"],
        ).astype({"year": "Int64", "department": "string", "project": "string"})
        cur.register("new_keys", keys)
        try:
            latest = {
                EvaluationKey(y, d, p): v
                for y, d, p, v in cur.execute(query("latest_versions")).fetchall()
            }
            cur.execute(query("retire_current"))
        finally:
            cur.unregister("new_keys")
        evaluations = [r.evaluation for r in assessment.results]
        cur.execute(
            query("insert_audit"),
            {
                "data_version": ids["data_version"],
                "action": "ingest",
                "happened_at": now,
                "actor": uploaded_by,
                "upload_id": upload_id,
                "rule_set": None,
                "detail": f"上传 {len(files)} 个文件，{len(evaluations)} 个评价",
            },
        )
        cur.execute(
            query("insert_upload"),
            {
                "upload_id": upload_id,
                "sha256": prepared.sha256,
                "file_names": [f.name for f in files],
                "size_bytes": sum(len(f.data) for f in files),
                "n_rows": records.n_rows(evaluations),
                "n_evaluations": len(evaluations),
                "uploaded_by": uploaded_by,
                "uploaded_at": now,
                "data_version": ids["data_version"],
            },
        )
        for file_no, item in enumerate(files, start=1):
            stored, encoding = encode(item.data)
            cur.execute(
                query("insert_upload_file"),
                {
                    "upload_id": upload_id,
                    "file_no": file_no,
                    "name": item.name,
                    "size_bytes": len(item.data),
                    "sha256": hashlib.sha256(item.data).hexdigest(),
                    "data": stored,
                    "encoding": encoding,
                },
            )
        report(PREPARED_AT, "正在写入数据…")
        writing = within(report, PREPARED_AT, 1.0)
        batch = records.Batch(ids["data_version"], ids["evaluation_id"], ids["line_id"])
        types = _column_types(cur)
        versions_by_key: dict[EvaluationKey, int] = {}
        owners: dict[Place, tuple[int, dict[Place, int]]] = {}  # evaluation id, line ids
        # Only the rows a reading finding points at need an owner (of 2.9·10^6 rows, a few).
        wanted = {
            (f.location.file, f.location.row) for f in assessment.findings if f.location is not None
        }
        total = len(prepared.runs)
        for done, own_and_others in enumerate(prepared.runs, start=1):
            own = own_and_others[0]
            version = latest.get(own.key, 0) + 1
            versions_by_key[own.key] = version
            evaluation_id, line_ids = batch.add_evaluation(
                own, upload_id=upload_id, version=version, created_at=now, created_by=uploaded_by
            )
            lines_at = records.lines_by_location(own.evaluation.indicators, line_ids)
            for result in own_and_others:
                batch.add_scores(evaluation_id, upload_id, line_ids, result, lines_at)
            if wanted:
                for place in _places(own):
                    if place in wanted:
                        owners.setdefault(place, (evaluation_id, lines_at))
            if done % WRITE_CHUNK == 0 and done < total:
                _insert_batch(cur, batch, types, writing, done, total)
        _add_reading_findings(batch, assessment, upload_id, owners)
        _insert_batch(cur, batch, types, writing, total, total)
        return upload_id, versions_by_key

    # --- versions ------------------------------------------------------------------------

    def history(
        self,
        key: EvaluationKey | None = None,
        *,
        year: int | None = None,
        department: str | None = None,
        project: str | None = None,
    ) -> pd.DataFrame:
        """Every stored version (of `key`, or matching the given parts), oldest first."""
        if key is not None:
            year, department, project = key.year, key.department, key.project
        cur = self.cursor()
        try:
            return versions.history(cur, year, department, project)
        finally:
            cur.close()

    def upload_files(self, upload_id: int) -> list[UploadFile]:
        """The files of upload `upload_id` exactly as they were uploaded (none if unknown)."""
        cur = self.cursor()
        try:
            rows = cur.execute(query("upload_files"), {"upload_id": upload_id}).fetchall()
        finally:
            cur.close()
        return [
            UploadFile(name, decode(data, encoding, sha256))
            for _no, name, _size, sha256, encoding, data in rows
        ]

    def restore(self, key: EvaluationKey, version: int, *, restored_by: str) -> int:
        """Make a copy of `version` the current one; returns its (new) version number."""
        with self._transaction() as cur:
            return versions.restore(cur, key, version, restored_by, datetime.now())

    # --- rescoring -----------------------------------------------------------------------

    @fewer_collections()
    def recompute(
        self, rule_set: str, progress: Progress | None = None, *, requested_by: str = "system"
    ) -> int:
        """Rescore every stored evaluation version under `rule_set`; returns how many."""
        report = progress or quiet
        load_rule_set(rule_set)  # UnknownRuleSet before any work
        with self._write_lock:
            report(0.0, "正在读取已保存的评价…")
            cur = self.cursor()
            try:
                stored = versions.stored_evaluations(cur)
            finally:
                cur.close()
            # Under the writer lock (and DuckDB's file lock) no one else can take this number.
            batch = records.Batch(self.data_version() + 1, 0, 0)
            scoring = within(report, 0.1, 0.8)
            results = [
                rescore(item.evaluation, rule_set)
                for item in counted(stored, scoring, f"正在按规则 {rule_set} 复核")
            ]
            writing = within(report, 0.8, 1.0)
            with self._transaction() as cur:
                cur.execute(
                    query("insert_audit"),
                    {
                        "data_version": batch.data_version,
                        "action": "recompute",
                        "happened_at": datetime.now(),
                        "actor": requested_by,
                        "upload_id": None,
                        "rule_set": rule_set,
                        "detail": f"按规则 {rule_set} 重新复核 {len(stored)} 个评价版本",
                    },
                )
                total = len(stored)
                types = _column_types(cur)
                for done, (item, result) in enumerate(zip(stored, results, strict=True), 1):
                    batch.add_scores(item.evaluation_id, item.upload_id, item.line_ids, result)
                    if done % WRITE_CHUNK == 0 or done == total:
                        _insert_batch(cur, batch, types, writing, done, total)
        report(1.0, f"已按规则 {rule_set} 重新复核 {len(stored)} 个评价版本。")
        return len(stored)

    def stale_rule_sets(self) -> dict[str, int]:
        """Rule sets whose current scores an older scoring engine made → evaluations concerned."""
        cur = self.cursor()
        try:
            rows = cur.execute(query("stale_rule_sets"), {"engine": ENGINE_VERSION}).fetchall()
        finally:
            cur.close()
        return dict(rows)

    def recompute_stale(
        self, progress: Progress | None = None, *, requested_by: str = "system"
    ) -> list[str]:
        """Rescore under every stale rule set that perfcore still ships; returns those done.

        A stale rule set no longer shipped cannot be rescored; it stays stale and is reported.
        """
        report = progress or quiet
        shipped = {info.name for info in available_rule_sets()}
        todo = [name for name in self.stale_rule_sets() if name in shipped]
        for step, rule_set in enumerate(todo):

            def part(fraction: float, message: str, step: int = step) -> None:
                report((step + fraction) / len(todo), message)

            self.recompute(rule_set, part, requested_by=requested_by)
        return todo


DUPLICATE_KEYS_SHOWN = 5  # a duplicate's message names this many evaluations at most


def _earlier_versions(
    cur: duckdb.DuckDBPyConnection, upload_id: int, assessment: Assessment
) -> tuple[EarlierVersion, ...]:
    """The version upload `upload_id` made of each evaluation (the first few) and the current one."""
    found = []
    for result in assessment.results[:DUPLICATE_KEYS_SHOWN]:
        key = result.key
        rows = versions.history(cur, key.year, key.department, key.project)
        made = rows[(rows["upload_id"] == upload_id) & (rows["action"] == "ingest")]
        current = rows[rows["is_current"]]
        if not made.empty and not current.empty:
            version, now = int(made["version"].iloc[0]), int(current["version"].iloc[0])
            found.append(EarlierVersion(key, version, now))
    return tuple(found)


def _all_runs(
    own: EvaluationResult, lines: ScoredLines, shipped: Sequence[str]
) -> tuple[EvaluationResult, ...]:
    """The evaluation's own scoring first, then one run per other shipped rule set, each
    reusing the own run's lines its rules cannot change (`perfcore.rescoring`)."""
    others = (load_rule_set(name) for name in shipped if name != own.rule_set)
    return (own, *(rescore_reusing(lines, rules) for rules in others))


def _places(result: EvaluationResult) -> Iterator[Place]:
    """(file, row) of every line an evaluation was read from."""
    evaluation = result.evaluation
    for line in (*evaluation.funds, *evaluation.indicators, *evaluation.expenditures):
        if line.location is not None and line.location.row is not None:
            yield line.location.file, line.location.row


def _add_reading_findings(
    batch: records.Batch,
    assessment: Assessment,
    upload_id: int,
    owners: dict[Place, tuple[int, dict[Place, int]]],
) -> None:
    """Reading findings go with the evaluation whose row they point at, else with the upload."""
    for item in assessment.findings:
        loc = item.location
        owner = owners.get((loc.file, loc.row)) if loc is not None else None
        if owner is None:
            batch.add_findings([item], upload_id, None, None, {})
        else:
            evaluation_id, lines_at = owner
            batch.add_findings([item], upload_id, evaluation_id, None, lines_at)


def _next_ids(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = one_row(cur, "next_ids")
    return dict(zip(("data_version", "upload_id", "evaluation_id", "line_id"), row, strict=True))


def _roll_back(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back, where a failed commit may have ended the transaction already."""
    try:
        cur.rollback()
    except duckdb.TransactionException as exc:
        if "no transaction is active" not in str(exc):
            raise


def _insert_batch(
    cur: duckdb.DuckDBPyConnection,
    batch: records.Batch,
    types: dict[str, dict[str, pa.DataType]],
    report: Progress,
    done: int,
    total: int,
) -> None:
    """Insert the rows `batch` holds, table by table, typed by `types` (`_column_types`, asked
    once per write), and empty it; `report` hears each table, with how many of the `total`
    evaluations that makes `done`."""
    for table, rows in batch.take_tables(types).items():
        report(
            done / total,
            f"正在写入{records.TABLE_NAMES_ZH[table]}（{table}）：{done:,}/{total:,} 个评价…",
        )
        # The rows are named for the INSERT by the relation itself: a table registered on the
        # cursor stays referenced, unregistered or not, until the transaction ends (every part
        # of a large upload held in memory at once: 33 MB a part of 2,000 evaluations).
        cur.from_arrow(rows).query(f"new_{table}", query(f"insert_{table}"))


def _column_types(cur: duckdb.DuckDBPyConnection) -> dict[str, dict[str, pa.DataType]]:
    """The Arrow type of every column a Batch writes, from the store tables' own columns."""
    return {
        table: {
            name: records.arrow_type(data_type)
            for name, data_type in cur.execute(query("table_columns"), {"table": table}).fetchall()
        }
        for table in records.TABLES
    }


def seed_files(folder: Path = SEED_DIR) -> list[UploadFile]:
    return [UploadFile(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]


def open_store(
    path: str | Path | None = None, *, seed: bool = True, seed_dir: Path = SEED_DIR
) -> Store:
    """Open (creating and migrating if needed) the store file.

    A file that did not exist is seeded with `seed_dir`/*.csv when `seed` is true; if seeding
    fails, the new file is removed again so the next start tries afresh.
    """
    target = Path(path) if path is not None else db_path()
    is_new = not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    store = Store(target, connect(target))
    try:
        migrate(store._con)
        if is_new and seed:
            outcome = store.ingest(seed_files(seed_dir), uploaded_by=SEED_USER)
            if outcome.status != "stored":
                problems = "; ".join(f.message for _, f in outcome.assessment.all_findings())
                raise RuntimeError(f"种子数据无法导入 / seed data rejected: {problems}")
    except BaseException:
        store.close()
        if is_new:
            for leftover in (target, target.with_name(target.name + ".wal")):
                leftover.unlink(missing_ok=True)
        raise
    return store
