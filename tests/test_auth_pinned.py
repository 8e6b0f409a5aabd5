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
    assert then.button(key="pinned_to_latest").label == "查看最新数据"


def test_a_pinned_link_stays_pinned_when_the_menu_switches_pages(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        pinned = store.data_version()
        store.ingest(seed_as_year(2023), uploaded_by="test")
    at = overview({"asof": str(pinned)})
    # What the browser does on a switch through the menu: free parameters leave the URL.
    del at.query_params["asof"]
    at.switch_page("views/funds.py").run()
    assert not at.exception, at.exception
    assert at.query_params.get("asof") == str(pinned)  # written back into the URL
    assert f"数据版本 {pinned}" in at.main.warning[0].value
    assert {m.label: m.value for m in at.metric}["全年执行数"] == "261.46 万元"  # 2022 alone


def test_the_latest_data_button_ends_the_pin(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        pinned = store.data_version()
        store.ingest(seed_as_year(2023), uploaded_by="test")
    at = overview({"asof": str(pinned)})
    at.button(key="pinned_to_latest").click().run()
    assert not at.exception, at.exception
    assert "asof" not in at.query_params
    assert not at.main.warning
    assert "项目概况" not in [h.value for h in at.subheader]  # both years: the ranking
    at.switch_page("views/funds.py").run()  # and it stays unpinned
    assert {m.label: m.value for m in at.metric}["全年执行数"] == "522.92 万元"


def test_a_link_pinned_to_the_latest_version_says_nothing_is_newer(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        latest = store.data_version()
    at = overview({"asof": str(latest)})
    assert any("没有更新的数据" in i.value for i in at.info)
    assert "pinned_to_latest" not in [b.key for b in at.button]
    assert not at.main.warning


def test_a_pinned_link_offers_the_filter_choices_of_its_version(seeded_db: Path) -> None:
    with open_store(seeded_db) as store:
        pinned = store.data_version()
        store.ingest(seed_as_year(2023), uploaded_by="test")
    assert overview({}).multiselect(key="year").options == ["2023", "2022"]
    at = overview({"asof": str(pinned)})
    assert at.multiselect(key="year").options == ["2022"]  # 2023 came later
    assert at.multiselect(key="dept").options == ["中共益阳市委组织部"]
