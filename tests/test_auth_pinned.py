"""Version-pinned links: `asof=<data version>` keeps showing the numbers as they were, and says
when newer data exists (with a link to it)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from perfcore.model import UploadFile
from perfcore.store import open_store

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard" / "app.py")


def seed_as_year(year: int) -> list[UploadFile]:
    return [
        UploadFile(p.name, p.read_text(encoding="utf-8").replace("\n2022,", f"\n{year},").encode())
        for p in sorted((ROOT / "data" / "seed").glob("*.csv"))
    ]


def overview(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_pinned_link_keeps_the_old_numbers_after_an_upload(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        pinned = store.data_version()
        assert store.ingest(seed_as_year(2023), uploaded_by="test").status == "stored"
        latest = store.data_version()
    assert latest > pinned

    now = overview({})
    assert now.multiselect(key="year").options == ["2023", "2022"]
    assert "项目概况" not in [h.value for h in now.subheader]  # two evaluations now: the ranking

    then = overview({"asof": str(pinned)})
    # the snapshot still has the one 2022 evaluation: the project summary with its total
    assert then.subheader[0].value == "项目概况"
    assert {m.label: m.value for m in then.metric}["自评得分"] == "97.13"
    note = then.main.warning[0].value
    assert f"数据版本 {pinned}" in note and "已有更新的数据" in note and str(latest) in note
    button = then.get("link_button")[0]
    assert button.proto.label == "查看最新数据"
    assert "asof" not in button.proto.url


def test_a_link_pinned_to_the_latest_version_says_nothing_is_newer(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        latest = store.data_version()
    at = overview({"asof": str(latest)})
    assert any("没有更新的数据" in i.value for i in at.info)
    assert not at.get("link_button")
    assert not at.main.warning
