"""Progress of long work: a bar that moves through every phase of a large upload, never back."""

from pathlib import Path

import pyarrow as pa
import pytest

from bench.generate import generate
from perfcore import cli, records
from perfcore import store as store_module
from perfcore.connection import WriteFailed
from perfcore.engine import assess
from perfcore.model import UploadFile
from perfcore.progress import counted, within
from perfcore.reader import READ_TICK_ROWS
from perfcore.store import ASSESSED_AT, PREPARED_AT, open_store
from tests.fixtures.snapshot import file_checksums


def test_within_maps_a_part_onto_its_range_and_clamps() -> None:
    heard: list[tuple[float, str]] = []
    part = within(lambda f, m: heard.append((f, m)), 0.2, 0.6)
    part(0.0, "a")
    part(0.5, "b")
    part(1.5, "c")
    assert heard == [(0.2, "a"), (pytest.approx(0.4), "b"), (pytest.approx(0.6), "c")]


def test_counted_reports_every_step_and_the_last_item() -> None:
    heard: list[tuple[float, str]] = []
    items = list(range(1, 1201))
    assert list(counted(items, lambda f, m: heard.append((f, m)), "正在复核")) == items
    assert heard == [
        (500 / 1200, "正在复核：500/1,200 个评价…"),
        (1000 / 1200, "正在复核：1,000/1,200 个评价…"),
        (1.0, "正在复核：1,200/1,200 个评价…"),
    ]


def _check_steady(heard: list[tuple[float, str]]) -> None:
    fractions = [f for f, _ in heard]
    assert fractions == sorted(fractions), "the bar went back"
    assert fractions[0] == 0.0 and fractions[-1] == 1.0


@pytest.fixture(scope="module")
def generated_upload(tmp_path_factory: pytest.TempPathFactory) -> list[UploadFile]:
    out = generate(400, seed=3, out=tmp_path_factory.mktemp("progress"))
    return [UploadFile(p.name, p.read_bytes()) for p in out.files]


def test_an_upload_reports_reading_scoring_and_writing_in_order(
    generated_upload: list[UploadFile], tmp_path: Path
) -> None:
    heard: list[tuple[float, str]] = []
    with open_store(tmp_path / "p.duckdb", seed=False) as store:
        outcome = store.ingest(
            generated_upload, uploaded_by="test", progress=lambda f, m: heard.append((f, m))
        )
    assert outcome.status == "stored"
    _check_steady(heard)
    messages = [m for _, m in heard]
    # Reading moves within a file, row by row, before any scoring.
    rows_read = [f for f, m in heard if f"第 {READ_TICK_ROWS:,} 行" in m]
    assert rows_read and all(0.0 < f < ASSESSED_AT for f in rows_read)
    assert any(m == "正在复核：400/400 个评价…" for m in messages)
    assert (PREPARED_AT, "正在按其他评分规则复核：400/400 个评价…") in heard
    writing = [m for m in messages if m.startswith("正在写入") and "（" in m]
    tables = [m.split("（")[1].split("）")[0] for m in writing]
    assert tables == [t for t in records.TABLES if t in tables]  # in order, each once
    assert {"evaluations", "indicator_lines", "indicator_scores", "findings"} <= set(tables)
    assert writing == [
        f"正在写入{records.TABLE_NAMES_ZH[t]}（{t}）：400/400 个评价…" for t in tables
    ]
    assert messages[-1] == "已保存 400 个评价。"


def test_a_recompute_reports_scoring_then_writing_without_going_back(
    generated_upload: list[UploadFile], tmp_path: Path
) -> None:
    heard: list[tuple[float, str]] = []
    with open_store(tmp_path / "r.duckdb", seed=False) as store:
        store.ingest(generated_upload, uploaded_by="test")
        store.recompute("hunan", lambda f, m: heard.append((f, m)), requested_by="test")
    _check_steady(heard)
    assert (pytest.approx(0.8), "正在按规则 hunan 复核：400/400 个评价…") in heard
    assert heard[-1] == (1.0, "已按规则 hunan 重新复核 400 个评价版本。")


def test_a_previewed_upload_is_not_read_again_when_stored(
    generated_upload: list[UploadFile], tmp_path: Path
) -> None:
    preview = assess(generated_upload)
    heard: list[tuple[float, str]] = []
    with open_store(tmp_path / "a.duckdb", seed=False) as store:
        outcome = store.ingest(
            generated_upload,
            uploaded_by="test",
            assessed=preview,
            progress=lambda f, m: heard.append((f, m)),
        )
        computed = store.cursor().execute("SELECT sum(total_computed) FROM scores").fetchone()[0]
    assert outcome.status == "stored" and outcome.assessment is preview
    assert heard[0] == (ASSESSED_AT, "正在按其他评分规则复核…")
    assert not any("读取" in m for _, m in heard)
    with open_store(tmp_path / "b.duckdb", seed=False) as store:
        store.ingest(generated_upload, uploaded_by="test")
        again = store.cursor().execute("SELECT sum(total_computed) FROM scores").fetchone()[0]
    assert computed is not None and computed == again


STORED_COUNTS = """
SELECT (SELECT count(*) FROM evaluations), (SELECT count(DISTINCT evaluation_id) FROM evaluations),
       (SELECT count(*) FROM indicator_lines), (SELECT count(DISTINCT line_id) FROM indicator_lines),
       (SELECT count(*) FROM indicator_scores s JOIN indicator_lines l USING (line_id)),
       (SELECT count(*) FROM findings), (SELECT sum(total_computed) FROM scores),
       (SELECT count(*) FROM funds_lines), (SELECT count(*) FROM expenditures)
"""


def test_an_upload_written_in_parts_stores_what_one_part_would(
    generated_upload: list[UploadFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(tmp_path / "whole.duckdb", seed=False) as store:
        store.ingest(generated_upload, uploaded_by="test")
        store.recompute("hubei", requested_by="test")
        whole = store.cursor().execute(STORED_COUNTS).fetchone()
    monkeypatch.setattr(store_module, "WRITE_CHUNK", 7)  # 400 evaluations in 58 parts
    with open_store(tmp_path / "parts.duckdb", seed=False) as store:
        store.ingest(generated_upload, uploaded_by="test")
        store.recompute("hubei", requested_by="test")
        parts = store.cursor().execute(STORED_COUNTS).fetchone()
    assert parts == whole
    assert (
        whole[0] == whole[1] == 400 and whole[2] == whole[3] and whole[4] == 4 * whole[2]
    )  # 3 rule sets, hubei twice


def test_a_part_once_written_is_not_held_in_memory_until_the_commit(
    generated_upload: list[UploadFile], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part's Arrow tables are freed once inserted: a table registered on the cursor stays
    referenced until the transaction ends, and a province's upload then held every part."""
    monkeypatch.setattr(store_module, "WRITE_CHUNK", 50)  # 400 evaluations in 8 parts
    held: list[int] = []

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("正在写入评价（evaluations）"):  # the first table of each part
            held.append(pa.total_allocated_bytes())

    with open_store(tmp_path / "p.duckdb", seed=False) as store:
        store.ingest(generated_upload, uploaded_by="test", progress=progress)
    assert len(held) == 8
    assert max(held) < 2 * min(held), [f"{b / 2**20:.1f} MB" for b in held]


def test_a_write_duckdb_refuses_stores_nothing_and_says_so_in_chinese(
    generated_upload: list[UploadFile],
    seeded_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = file_checksums(seeded_db)
    monkeypatch.setenv("PERF_DB_MEMORY_LIMIT", "8MB")  # far too little for 400 evaluations
    with open_store(seeded_db) as store:
        with pytest.raises(WriteFailed, match=r"未保存任何数据.*PERF_DB_MEMORY_LIMIT.*8MB"):
            store.ingest(generated_upload, uploaded_by="test")
        assert store.data_version() == 1
    assert file_checksums(seeded_db) == before
    folder = seeded_db.parent / "up"
    folder.mkdir()
    for upload in generated_upload:
        (folder / upload.name).write_bytes(upload.data)
    code = cli.main(["ingest", *map(str, sorted(folder.iterdir())), "--db", str(seeded_db)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("错误：写入数据库失败，未保存任何数据") and "Traceback" not in err
    assert file_checksums(seeded_db) == before
