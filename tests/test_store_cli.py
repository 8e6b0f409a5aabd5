"""`python -m perfcore ingest|seed|recompute` on real store files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from perfcore import cli, queries
from perfcore.model import EvaluationKey
from perfcore.scoring import ENGINE_VERSION
from perfcore.store import open_store
from tests.fixtures.uploads import seed_like, write

KEY = EvaluationKey(2024, "合成测试局", "命令行项目")


def test_ingest_prints_versions_totals_and_findings_with_location(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write(seed_like([KEY]), tmp_path / "up")
    code = cli.main(["ingest", *map(str, paths), "--db", str(seeded_db), "--user", "erin"])
    out = capsys.readouterr().out
    assert code == 0
    assert "2024年 合成测试局「命令行项目」" in out
    assert "复核得分 97.13（优）" in out
    assert "TARGET_TOO_LOW［文件「indicators.csv」，第 4 行" in out
    assert "2024年 合成测试局 命令行项目 → 第 1 版（当前）" in out
    again = cli.main(["ingest", *map(str, paths), "--db", str(seeded_db), "--user", "erin"])
    assert again == 0
    assert "完全相同，未做任何更改" in capsys.readouterr().out
    with open_store(seeded_db) as store:
        assert store.history(KEY)["created_by"].tolist() == ["erin"]


def test_seed_creates_once_then_leaves_the_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "data" / "perf.duckdb"
    monkeypatch.setenv("PERF_DB", str(target))
    assert cli.main(["seed"]) == 0
    assert "已创建并导入示例数据" in capsys.readouterr().out
    assert cli.main(["seed"]) == 0
    assert "已存在，数据版本 1" in capsys.readouterr().out


def test_recompute_and_history_need_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.duckdb"
    assert cli.main(["history", "--db", str(missing)]) == 1
    assert cli.main(["recompute", "--rule-set", "hubei", "--db", str(missing)]) == 1
    assert "不存在" in capsys.readouterr().err
    assert not missing.exists()


def test_recompute_from_the_command_line(
    seeded_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["recompute", "--rule-set", "hunan", "--db", str(seeded_db)]) == 0
    assert "重新复核 1 个评价版本" in capsys.readouterr().out
    assert cli.main(["recompute", "--rule-set", "atlantis", "--db", str(seeded_db)]) == 1
    assert "评分规则「atlantis」不存在" in capsys.readouterr().err


def test_seed_rescores_what_an_older_scoring_engine_computed(
    seeded_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As a store written before the engine stamp, by an engine that scored differently.
    con = duckdb.connect(str(seeded_db))
    con.execute("UPDATE scores SET engine = NULL, total_computed = 50")
    con.close()
    with open_store(seeded_db) as store:
        assert store.stale_rule_sets() == {"hubei": 1, "hunan": 1, "national": 1}
        assert queries.evaluations(store, queries.Filters())["total_computed"].tolist() == [50]
    assert cli.main(["seed", "--db", str(seeded_db)]) == 0
    out = capsys.readouterr().out
    assert "评分程序已更新" in out and "national（1 个评价）" in out
    with open_store(seeded_db) as store:
        assert store.stale_rule_sets() == {}
        assert queries.evaluations(store, queries.Filters())["total_computed"].tolist() == [97.13]
        engines = store.cursor().execute(
            "SELECT DISTINCT engine FROM scores WHERE data_version = (SELECT max(data_version) FROM scores)"
        )
        assert engines.fetchall() == [(ENGINE_VERSION,)]
    assert cli.main(["seed", "--db", str(seeded_db)]) == 0
    assert "评分程序已更新" not in capsys.readouterr().out


def test_a_bad_lock_timeout_setting_is_a_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PERF_DB_LOCK_TIMEOUT", "ten")
    assert cli.main(["seed", "--db", str(tmp_path / "perf.duckdb")]) == 1
    assert "PERF_DB_LOCK_TIMEOUT 应为等待的秒数" in capsys.readouterr().err
