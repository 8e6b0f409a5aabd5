"""Versions: a re-upload makes version 2, a restore brings version 1 back as version 3, the
history lists every version with who and when, and `as_of` shows the data as it was."""

from __future__ import annotations

import shlex
from decimal import Decimal
from pathlib import Path

import pytest

from perfcore import cli, queries
from perfcore.model import EvaluationKey
from perfcore.store import EarlierVersion, Store, open_store
from perfcore.versions import VersionNotFound
from tests.fixtures.snapshot import table_checksums
from tests.fixtures.uploads import seed_like, write

SEED_KEY = EvaluationKey(2022, "中共益阳市委组织部", "业务工作开展专项经费")
# Version 2 says the spending deadline was missed badly: 7.13 → 3 points, total 93.
V2_EDITS = {
    "evaluations.csv": {"实际完成情况": "第二次上传：部分目标未完成", "自评得分": "93"},
}


def _reupload(store: Store, user: str = "alice") -> None:
    outcome = store.ingest(seed_like([SEED_KEY], edits=V2_EDITS), uploaded_by=user)
    assert outcome.status == "stored", outcome.assessment.all_findings()
    assert outcome.versions == {SEED_KEY: 2}


def _current(store: Store) -> tuple:
    frame = queries.evaluations(store, queries.Filters())
    assert len(frame) == 1
    row = frame.iloc[0]
    return int(row["version"]), float(row["total_reported"])


def test_reupload_makes_version_2_and_keeps_version_1(seeded_store: Store) -> None:
    _reupload(seeded_store)
    history = seeded_store.history(SEED_KEY)
    assert history["version"].tolist() == [1, 2]
    assert history["is_current"].tolist() == [False, True]
    assert history["created_by"].tolist() == ["seed", "alice"]
    assert history["action"].tolist() == ["ingest", "ingest"]
    assert history["created_at"].is_monotonic_increasing
    assert [float(t) for t in history["total_reported"]] == [97.13, 93.0]
    assert _current(seeded_store) == (2, 93.0)
    assert seeded_store.data_version() == 2


def test_restore_brings_version_1_back_as_a_new_version(seeded_store: Store) -> None:
    _reupload(seeded_store)
    assert seeded_store.restore(SEED_KEY, 1, restored_by="carol") == 3
    history = seeded_store.history(SEED_KEY)
    assert history["version"].tolist() == [1, 2, 3]
    assert history["is_current"].tolist() == [False, False, True]
    assert history["action"].tolist() == ["ingest", "ingest", "restore"]
    assert history["restored_from"].tolist()[2] == 1
    assert history["created_by"].tolist() == ["seed", "alice", "carol"]
    assert _current(seeded_store) == (3, 97.13)
    # the copy is complete: lines, spending, scores under every rule set, findings
    cur = seeded_store.cursor()
    per_version = cur.execute(
        "SELECT e.version,"
        " (SELECT count(*) FROM funds_lines f WHERE f.evaluation_id = e.evaluation_id),"
        " (SELECT count(*) FROM indicator_lines l WHERE l.evaluation_id = e.evaluation_id),"
        " (SELECT count(*) FROM expenditures x WHERE x.evaluation_id = e.evaluation_id),"
        " (SELECT count(*) FROM scores s WHERE s.evaluation_id = e.evaluation_id),"
        " (SELECT count(*) FROM indicator_scores i JOIN indicator_lines l USING (line_id)"
        "  WHERE l.evaluation_id = e.evaluation_id),"
        " (SELECT count(*) FROM findings f WHERE f.evaluation_id = e.evaluation_id)"
        " FROM evaluations e ORDER BY e.version"
    ).fetchall()
    cur.close()
    assert per_version[2][1:] == per_version[0][1:]
    lines = queries.indicator_lines(seeded_store, queries.Filters())
    assert float(lines.loc[lines["name"] == "经费支付时限", "score_reported"].iloc[0]) == 7.13
    assert lines["score_computed"].notna().all()


def test_restoring_the_current_version_changes_nothing(seeded_store: Store) -> None:
    before = table_checksums(seeded_store.cursor())
    assert seeded_store.restore(SEED_KEY, 1, restored_by="carol") == 1
    assert table_checksums(seeded_store.cursor()) == before


def test_restoring_a_missing_version_fails_and_changes_nothing(seeded_store: Store) -> None:
    before = table_checksums(seeded_store.cursor())
    with pytest.raises(VersionNotFound, match="第 7 版"):
        seeded_store.restore(SEED_KEY, 7, restored_by="carol")
    assert table_checksums(seeded_store.cursor()) == before


def test_as_of_shows_the_data_as_it_was(seeded_store: Store) -> None:
    _reupload(seeded_store)
    seeded_store.restore(SEED_KEY, 1, restored_by="carol")
    as_of = {
        v: queries.evaluations(seeded_store, queries.Filters(as_of=v)).iloc[0] for v in (1, 2, 3)
    }
    assert [int(as_of[v]["version"]) for v in (1, 2, 3)] == [1, 2, 3]
    assert [float(as_of[v]["total_reported"]) for v in (1, 2, 3)] == [97.13, 93.0, 97.13]
    assert queries.evaluations(seeded_store, queries.Filters(as_of=0)).empty
    goals = queries.evaluations(seeded_store, queries.Filters(as_of=2))
    assert goals.iloc[0]["uploaded_by"] == "alice"


def test_history_and_restore_from_the_command_line(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write(seed_like([SEED_KEY], edits=V2_EDITS), tmp_path / "v2")
    db = ["--db", str(seeded_db)]
    assert cli.main(["ingest", *map(str, paths), *db, "--user", "alice"]) == 0
    out = capsys.readouterr().out
    assert "第 2 版" in out
    assert "已保存" in out
    key_args = ["--year", "2022", "--department", SEED_KEY.department]
    assert (
        cli.main(["restore", *key_args, "--project", SEED_KEY.project, "--version", "1", *db]) == 0
    )
    assert "恢复为第 3 版" in capsys.readouterr().out
    assert cli.main(["history", "--year", "2022", *db]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 3
    assert "第 1 版" in listing[0] and "seed" in listing[0]
    assert "第 2 版" in listing[1] and "alice" in listing[1]
    assert "第 3 版［当前］" in listing[2] and "由第 1 版恢复" in listing[2]
    assert "97.13" in listing[2]


def test_restore_of_unknown_version_from_the_command_line(
    seeded_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["restore", "--year", "2022", "--department", SEED_KEY.department]
    args += ["--project", SEED_KEY.project, "--version", "5", "--db", str(seeded_db)]
    assert cli.main(args) == 1
    assert "没有找到" in capsys.readouterr().err


def test_recompute_adds_a_run_and_keeps_the_old_one(seeded_store: Store) -> None:
    assert seeded_store.recompute("hubei", requested_by="dave") == 1
    assert seeded_store.data_version() == 2
    cur = seeded_store.cursor()
    runs = cur.execute(
        "SELECT data_version, total_computed FROM scores WHERE rule_set = 'hubei' ORDER BY 1"
    ).fetchall()
    audit = cur.execute("SELECT action, actor, rule_set FROM audit_log ORDER BY 1").fetchall()
    cur.close()
    assert [v for v, _ in runs] == [1, 2]
    assert runs[0][1] == runs[1][1]  # the rules did not change, so neither did the score
    assert audit[-1] == ("recompute", "dave", "hubei")
    shown = queries.evaluations(seeded_store, queries.Filters(rule_set="hubei"))
    assert shown.iloc[0]["rule_set"] == "hubei"
    assert Decimal(str(shown.iloc[0]["total_computed"])) == runs[1][1]
    lines = queries.indicator_lines(seeded_store, queries.Filters(rule_set="hubei"))
    assert len(lines) == 9
    assert lines["rule"].notna().all()


def test_recompute_under_an_unknown_rule_set_changes_nothing(seeded_store: Store) -> None:
    from perfcore.rules import UnknownRuleSet

    before = table_checksums(seeded_store.cursor())
    with pytest.raises(UnknownRuleSet):
        seeded_store.recompute("atlantis")
    assert table_checksums(seeded_store.cursor()) == before


def test_reuploading_an_older_version_is_a_duplicate_that_says_how_to_restore_it(
    seeded_store: Store,
) -> None:
    _reupload(seeded_store)
    assert seeded_store.restore(SEED_KEY, 1, restored_by="carol") == 3
    before = table_checksums(seeded_store.cursor())
    again = seeded_store.ingest(seed_like([SEED_KEY], edits=V2_EDITS), uploaded_by="alice")
    assert again.status == "duplicate"
    assert again.upload_id == 2
    assert again.earlier == (EarlierVersion(SEED_KEY, 2, 3),)
    note = again.duplicate_note("请在「恢复旧版本」中恢复")
    assert "：这些文件即第 2 版，当前为第 3 版" in note
    assert note.endswith("如要以这些文件为准，请在「恢复旧版本」中恢复。")
    assert table_checksums(seeded_store.cursor()) == before  # by the contract: nothing changed
    assert _current(seeded_store) == (3, 97.13)


def test_a_duplicate_of_the_current_version_needs_no_restore(seeded_store: Store) -> None:
    _reupload(seeded_store)
    again = seeded_store.ingest(seed_like([SEED_KEY], edits=V2_EDITS), uploaded_by="alice")
    assert again.status == "duplicate"
    assert again.earlier == (EarlierVersion(SEED_KEY, 2, 2),)
    note = again.duplicate_note("请在「恢复旧版本」中恢复")
    assert "：这些文件即第 2 版，仍是当前版本" in note and "恢复" not in note


def test_a_duplicate_from_the_command_line_prints_the_restore_command_that_works(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(p) for p in write(seed_like([SEED_KEY], edits=V2_EDITS), tmp_path / "v2")]
    db = ["--db", str(seeded_db)]
    assert cli.main(["ingest", *paths, *db]) == 0
    key_args = ["--year", "2022", "--department", SEED_KEY.department]
    assert (
        cli.main(["restore", *key_args, "--project", SEED_KEY.project, "--version", "1", *db]) == 0
    )
    capsys.readouterr()
    assert cli.main(["ingest", *paths, *db]) == 0
    out = capsys.readouterr().out
    assert "与第 2 次上传的文件完全相同，未做任何更改" in out
    assert f"{SEED_KEY.label()}：这些文件即第 2 版，当前为第 3 版" in out
    (command,) = [line.strip() for line in out.splitlines() if "perfcore restore" in line]
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "perfcore"]
    assert cli.main(argv[3:]) == 0
    assert "第 2 版恢复为第 4 版" in capsys.readouterr().out
    with open_store(seeded_db) as store:
        history = store.history(SEED_KEY)
    assert history["is_current"].tolist() == [False, False, False, True]
    assert history["restored_from"].tolist()[-1] == 2
