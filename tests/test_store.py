"""The store on real DuckDB files: seeding, what ingest writes, rejections, duplicates."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from perfcore import cli
from perfcore.model import EvaluationKey, UploadFile
from perfcore.rules import available_rule_sets
from perfcore.store import Store, db_path, open_store, seed_files, upload_sha256
from perfcore.versions import stored_evaluations
from tests.fixtures.snapshot import file_checksums, table_checksums
from tests.fixtures.uploads import seed_like, write

SEED_KEY = EvaluationKey(2022, "中共益阳市委组织部", "业务工作开展专项经费")
SHIPPED = {info.name for info in available_rule_sets()}


def _rows(store: Store, sql: str, params: dict | None = None) -> list[tuple]:
    cur = store.cursor()
    try:
        return cur.execute(sql, params or {}).fetchall()
    finally:
        cur.close()


def _counts(store: Store) -> dict[str, int]:
    return {name: count for name, (count, _) in table_checksums(store.cursor()).items()}


def test_seed_tables_hold_what_the_files_say(seeded_store: Store) -> None:
    assert seeded_store.data_version() == 1
    counts = _counts(seeded_store)
    assert counts["uploads"] == 1
    assert counts["upload_files"] == 4
    assert counts["evaluations"] == 1
    assert counts["funds_lines"] == 4
    assert counts["indicator_lines"] == 9
    assert counts["expenditures"] == 18
    assert counts["scores"] == len(SHIPPED)
    assert counts["indicator_scores"] == 9 * len(SHIPPED)
    assert counts["audit_log"] == 1
    [row] = _rows(
        seeded_store,
        "SELECT s.total_reported, s.total_computed, s.grade_computed, s.annual_budget,"
        " s.executed, s.initial_budget, e.grade_reported, e.rule_set, e.created_by"
        " FROM scores s JOIN evaluations e USING (evaluation_id) WHERE s.rule_set = e.rule_set",
    )
    assert row == (
        Decimal("97.13"),
        Decimal("97.13"),
        "优",
        Decimal("261.46"),
        Decimal("261.46"),
        Decimal("155.68"),
        "优秀",
        "national",
        "seed",
    )
    [(spent, items)] = _rows(seeded_store, "SELECT sum(executed), count(*) FROM expenditures")
    assert (spent, items) == (Decimal("261.46"), 18)
    [(minus_days,)] = _rows(
        seeded_store, "SELECT score_reported FROM indicator_lines WHERE name = '经费支付时限'"
    )
    assert minus_days == Decimal("7.13")


def test_every_shipped_rule_set_is_scored_on_ingest(seeded_store: Store) -> None:
    per_rule_set = _rows(
        seeded_store,
        "SELECT rule_set, count(*) FROM indicator_scores GROUP BY ALL ORDER BY 1",
    )
    assert {name for name, _ in per_rule_set} == SHIPPED
    assert {n for _, n in per_rule_set} == {9}


def test_upload_keeps_the_raw_bytes_and_their_hash(seeded_store: Store) -> None:
    files = seed_files()
    assert seeded_store.upload_files(1) == files
    assert seeded_store.upload_files(99) == []
    stored = _rows(
        seeded_store, "SELECT encoding, octet_length(data), size_bytes FROM upload_files"
    )
    assert all(encoding == "zlib" and packed < size for encoding, packed, size in stored)
    [(sha, names, size, n_rows)] = _rows(
        seeded_store, "SELECT sha256, file_names, size_bytes, n_rows FROM uploads"
    )
    assert sha == upload_sha256(files)
    assert names == [f.name for f in files]
    assert size == sum(len(f.data) for f in files)
    assert n_rows == 4 + 9 + 18


def test_warnings_are_stored_with_the_data(seeded_store: Store) -> None:
    codes = _rows(
        seeded_store,
        "SELECT f.code, l.name FROM findings f LEFT JOIN indicator_lines l USING (line_id)"
        " WHERE f.rule_set = 'national' ORDER BY 1",
    )
    assert ("TARGET_TOO_LOW", "开展学习及活动次数") in codes


def test_stored_evaluation_rebuilds_to_what_was_read(seeded_store: Store) -> None:
    from perfcore.engine import assess

    [original] = assess(seed_files()).results
    [stored] = stored_evaluations(seeded_store.cursor())
    assert stored.evaluation == original.evaluation
    assert sorted(stored.line_ids) == list(range(1, 10))


def test_same_bytes_twice_changes_nothing(seeded_store: Store) -> None:
    before = table_checksums(seeded_store.cursor())
    renamed = [UploadFile(f"copy-{f.name}", f.data) for f in reversed(seed_files())]
    outcome = seeded_store.ingest(renamed, uploaded_by="alice")
    assert outcome.status == "duplicate"
    assert outcome.upload_id == 1
    assert outcome.versions == {}
    assert table_checksums(seeded_store.cursor()) == before
    assert seeded_store.data_version() == 1


def _bad_cell() -> list[UploadFile]:
    return seed_like([SEED_KEY], edits={"funds.csv": {"全年执行数": "二百六十万"}})


def _missing_column() -> list[UploadFile]:
    return seed_like([SEED_KEY], drop_column=("indicators.csv", "分值"))


def _unreadable() -> list[UploadFile]:
    return [UploadFile("自评表.xlsx", b"PK\x03\x04 this is not really a workbook \x00\xff")]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (_bad_cell, "NUMBER_INVALID"),
        (_missing_column, "COLUMN_MISSING"),
        (_unreadable, "FILE_UNREADABLE"),
    ],
)
def test_bad_upload_exits_1_and_changes_no_table(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make, code: str
) -> None:
    before = file_checksums(seeded_db)
    paths = write(make(), tmp_path / "upload")
    exit_code = cli.main(["ingest", *map(str, paths), "--db", str(seeded_db), "--user", "bob"])
    out = capsys.readouterr().out
    assert exit_code == 1
    assert code in out
    assert "未保存任何数据" in out
    assert file_checksums(seeded_db) == before


def test_rejected_outcome_carries_the_findings(seeded_store: Store) -> None:
    outcome = seeded_store.ingest(_bad_cell(), uploaded_by="bob")
    assert outcome.status == "rejected"
    assert outcome.upload_id is None
    errors = [f for _, f in outcome.assessment.all_findings() if f.severity == "error"]
    assert errors
    assert errors[0].location is not None
    assert errors[0].location.file == "funds.csv"


HOSTILE = {
    "department": "<script>alert('部门')</script>",
    "project": "'); DROP TABLE evaluations; --",
    "goal": '=HYPERLINK("http://evil.example/","点我")',
}


def test_hostile_text_is_stored_and_read_back_verbatim(seeded_store: Store) -> None:
    key = EvaluationKey(2023, HOSTILE["department"], HOSTILE["project"])
    files = seed_like([key], edits={"evaluations.csv": {"实际完成情况": HOSTILE["goal"]}})
    outcome = seeded_store.ingest(files, uploaded_by="=cmd|' /C calc'!A0")
    assert outcome.status == "stored", outcome.assessment.all_findings()
    assert outcome.versions == {key: 1}
    [row] = _rows(
        seeded_store,
        "SELECT department, project, goal_actual, created_by FROM evaluations WHERE year = 2023",
    )
    assert row == (
        HOSTILE["department"],
        HOSTILE["project"],
        HOSTILE["goal"],
        "=cmd|' /C calc'!A0",
    )
    assert _counts(seeded_store)["evaluations"] == 2
    history = seeded_store.history(key)
    assert history["project"].tolist() == [HOSTILE["project"]]


def test_first_open_creates_and_seeds_the_file_named_by_perf_db(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nested" / "perf.duckdb"
    monkeypatch.setenv("PERF_DB", str(target))
    assert db_path() == target
    with open_store() as store:
        assert store.path == target
        assert store.data_version() == 1
        assert store.history()["created_by"].tolist() == ["seed"]
    with open_store() as again:  # an existing file is not seeded twice
        assert again.data_version() == 1


def test_default_path_without_perf_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERF_DB", raising=False)
    assert db_path() == Path("data/perf.duckdb")


def test_failed_first_seed_leaves_no_half_made_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken-seed"
    write(_missing_column(), broken)
    target = tmp_path / "perf.duckdb"
    with pytest.raises(RuntimeError, match="种子数据无法导入"):
        open_store(target, seed_dir=broken)
    assert not target.exists()


def test_empty_store_is_migrated_and_empty(empty_store: Store) -> None:
    counts = _counts(empty_store)
    assert counts.pop("schema_version") >= 2
    assert set(counts.values()) == {0}
    assert empty_store.data_version() == 0


def test_duckdb_memory_is_bounded_by_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's default (80 % of RAM) would let the app's buffer pool grow past 1 GB."""

    def limit_of(store: Store) -> str:
        return store.cursor().execute("SELECT current_setting('memory_limit')").fetchone()[0]

    monkeypatch.delenv("PERF_DB_MEMORY_LIMIT", raising=False)
    with open_store(tmp_path / "default.duckdb", seed=False) as store:
        assert limit_of(store) == "488.2 MiB"  # 512MB
    monkeypatch.setenv("PERF_DB_MEMORY_LIMIT", "2GB")
    with open_store(tmp_path / "custom.duckdb", seed=False) as store:
        assert limit_of(store) == "1.8 GiB"
