"""Login, roles and department scope in the running app (AppTest) and in the page queries.

The seeded store holds one department (中共益阳市委组织部); a second one (益阳市财政局) is added
from the same tables so that a scope has something to hide.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from perfcore import queries
from perfcore.model import UploadFile
from perfcore.queries import Filters
from perfcore.store import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
ENTRY = str(ROOT / "dashboard" / "app.py")
SEED_DEPT = "中共益阳市委组织部"
OTHER_DEPT = "益阳市财政局"
PAGES = [
    "views/overview.py",
    "views/funds.py",
    "views/indicators.py",
    "views/satisfaction.py",
    "views/review.py",
]
OIDC = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c" * 40}
USERS = {
    "up@example.cn": {"role": "uploader"},
    "view@example.cn": {"role": "viewer"},
    "scoped@example.cn": {"role": "viewer", "departments": [OTHER_DEPT]},
    "nobody@example.cn": {"role": "viewer", "departments": []},
}
QUERIES = [
    queries.evaluations,
    queries.funds_lines,
    queries.funds_by_department,
    queries.expenditures,
    queries.indicator_lines,
    queries.satisfaction_indicators,
    queries.cost_indicators,
    queries.findings,
]


def other_department_files() -> list[UploadFile]:
    """The seed report again, filed by another department (a new evaluation, not a duplicate)."""
    return [
        UploadFile(
            p.name,
            p.read_text(encoding="utf-8").replace(f",{SEED_DEPT},", f",{OTHER_DEPT},").encode(),
        )
        for p in sorted((ROOT / "data" / "seed").glob("*.csv"))
    ]


@pytest.fixture
def two_departments(seeded_db: Path) -> Path:
    with open_store(seeded_db) as store:
        outcome = store.ingest(other_department_files(), uploaded_by="test")
        assert outcome.status == "stored", outcome.assessment.findings
    return seeded_db


@pytest.fixture
def store(two_departments: Path):
    with open_store(two_departments) as s:
        yield s


def departments_in(store: Store, query, f: Filters) -> set[str]:
    frame = query(store, f)
    return set(frame["department"]) if "department" in frame else set()


# --- the queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.__name__)
def test_scope_limits_every_page_query(store: Store, query) -> None:
    assert departments_in(store, query, Filters()) == {SEED_DEPT, OTHER_DEPT}
    assert departments_in(store, query, Filters(allowed_departments=(OTHER_DEPT,))) == {OTHER_DEPT}
    assert query(store, Filters(allowed_departments=())).empty
    assert query(store, Filters(allowed_departments=("不存在的部门",))).empty
    # a department chosen in the sidebar but outside the scope shows nothing, not everything
    assert query(store, Filters(departments=(SEED_DEPT,), allowed_departments=(OTHER_DEPT,))).empty


def test_scope_limits_filter_options(store: Store) -> None:
    assert queries.filter_options(store)["departments"] == sorted([SEED_DEPT, OTHER_DEPT])
    scoped = queries.filter_options(store, (OTHER_DEPT,))
    assert scoped["departments"] == [OTHER_DEPT] and scoped["years"] == [2022]
    nothing = queries.filter_options(store, ())
    assert nothing["departments"] == [] and nothing["years"] == []
    assert queries.project_options(store, allowed_departments=()) == ([], 0)
    named = queries.project_options(store, named=("业务工作开展专项经费",), allowed_departments=())
    assert named == ([], 0)  # a link cannot reveal a project outside the scope


# --- the app ---------------------------------------------------------------------------------


def app(
    user: dict | None = None, secrets: dict | None = None, query: dict | None = None
) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.secrets.update(secrets if secrets is not None else {"auth": OIDC, "users": USERS})
    if user is not None:
        at.user = user
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def signed_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0]}


def rendered(at: AppTest) -> str:
    """Every text, table and chart the run produced, as one string to search in."""
    parts = [
        str(getattr(e, "value", ""))
        for kind in ("markdown", "caption", "metric", "info", "warning", "error", "success")
        for e in at.get(kind)
    ]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    parts += [df.value.to_json(force_ascii=False, date_format="iso") for df in at.dataframe]
    parts += [
        json.dumps(json.loads(el.proto.spec), ensure_ascii=False) for el in at.get("plotly_chart")
    ]
    parts += [json.dumps(list(ms.options), ensure_ascii=False) for ms in at.multiselect]
    return "\n".join(parts)


def test_oidc_without_a_user_renders_no_data(two_departments: Path) -> None:
    at = app(user={"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["登录"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart") and not at.multiselect
    assert SEED_DEPT not in rendered(at)


def test_signed_in_user_without_a_role_sees_nothing(two_departments: Path) -> None:
    at = app(user=signed_in("stranger@example.cn"))
    assert not at.exception
    assert "尚未分配角色" in at.error[0].value
    assert not at.metric and not at.dataframe and SEED_DEPT not in rendered(at)


def test_uploader_gets_the_upload_page(two_departments: Path) -> None:
    at = app(user=signed_in("Up@Example.cn"))
    at.switch_page("views/upload.py").run()
    assert not at.exception
    assert at.title[0].value == "数据上传"
    assert at.get("file_uploader")
    account = at.sidebar.caption[0].value.replace("\\", "")  # user text is markdown-escaped
    assert "已登录" in account and "Up@Example.cn" in account


def test_viewer_never_gets_the_upload_page(two_departments: Path) -> None:
    at = app(user=signed_in("view@example.cn"))
    assert not at.exception
    with pytest.raises(Exception, match=r"(?i)page"):
        at.switch_page("views/upload.py").run()


def test_viewer_deep_link_to_upload_lands_on_the_overview(two_departments: Path) -> None:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.secrets.update({"auth": OIDC, "users": USERS})
    at.user = signed_in("view@example.cn")
    at.run()
    assert at.title[0].value == "总览"
    assert not at.get("file_uploader")


@pytest.mark.parametrize("page", PAGES)
def test_department_scope_filters_every_page(two_departments: Path, page: str) -> None:
    everyone = app(user=signed_in("view@example.cn"))
    everyone.switch_page(page).run()
    assert not everyone.exception, everyone.exception
    assert OTHER_DEPT in rendered(everyone) and SEED_DEPT in rendered(everyone)

    scoped = app(user=signed_in("scoped@example.cn"))
    scoped.switch_page(page).run()
    assert not scoped.exception, scoped.exception
    text = rendered(scoped)
    assert OTHER_DEPT in text
    assert SEED_DEPT not in text
    assert scoped.multiselect(key="dept").options == [OTHER_DEPT]


def test_a_link_naming_a_foreign_department_shows_nothing_of_it(two_departments: Path) -> None:
    at = app(user=signed_in("scoped@example.cn"), query={"dept": SEED_DEPT})
    assert not at.exception
    text = rendered(at)
    assert "不存在" in text  # reported as an unknown value, exactly like a typo
    assert OTHER_DEPT in text and "97.13" in text


def test_empty_scope_sees_no_numbers(two_departments: Path) -> None:
    at = app(user=signed_in("nobody@example.cn"))
    assert not at.exception
    assert SEED_DEPT not in rendered(at) and OTHER_DEPT not in rendered(at)
    assert not at.metric and not at.get("plotly_chart")


def test_upload_records_the_signed_in_user(two_departments: Path) -> None:
    at = app(user=signed_in("up@example.cn"))
    at.switch_page("views/upload.py").run()
    files = [
        (f.name, f.data.replace(b"2022,", b"2023,"), "text/csv") for f in other_department_files()
    ]
    at.file_uploader(key="upload_files_0").set_value(files).run()
    at.button(key="upload_confirm").click().run()
    assert not at.exception, at.exception
    with open_store(two_departments) as store:
        frame = queries.evaluations(store, Filters(years=(2023,)))
    assert list(frame["uploaded_by"]) == ["up@example.cn"]


def test_scoped_uploader_cannot_store_another_departments_tables(two_departments: Path) -> None:
    users = {**USERS, "up@example.cn": {"role": "uploader", "departments": [SEED_DEPT]}}
    at = app(user=signed_in("up@example.cn"), secrets={"auth": OIDC, "users": users})
    at.switch_page("views/upload.py").run()
    files = [
        (f.name, f.data.replace(b"2022,", b"2024,"), "text/csv") for f in other_department_files()
    ]
    at.file_uploader(key="upload_files_0").set_value(files).run()
    at.button(key="upload_confirm").click().run()
    assert not at.exception, at.exception
    assert any(OTHER_DEPT in e.value and "不在范围内" in e.value for e in at.error)
    with open_store(two_departments) as store:
        assert queries.evaluations(store, Filters(years=(2024,))).empty


def test_scoped_uploader_sees_only_their_departments_uploads(two_departments: Path) -> None:
    users = {**USERS, "up@example.cn": {"role": "uploader", "departments": [SEED_DEPT]}}
    at = app(user=signed_in("up@example.cn"), secrets={"auth": OIDC, "users": users})
    at.switch_page("views/upload.py").run()
    assert not at.exception, at.exception
    history = next(d.value for d in at.dataframe if "uploaded_by" in d.value.columns)
    assert history["uploaded_by"].tolist() == ["seed"]


def test_admin_recomputes_every_evaluation_with_progress(two_departments: Path) -> None:
    users = {**USERS, "boss@example.cn": {"role": "admin"}}
    at = app(user=signed_in("boss@example.cn"), secrets={"auth": OIDC, "users": users})
    at.switch_page("views/upload.py").run()
    with open_store(two_departments) as store:
        before = store.data_version()
    at.selectbox(key="recompute_rule_set").select("hunan").run()
    at.button(key="recompute_confirm").click().run()
    assert not at.exception, at.exception
    assert any("已按规则 hunan 重新复核 2 个评价版本" in s.value for s in at.success)
    with open_store(two_departments) as store:
        assert store.data_version() == before + 1
        audit = (
            store.cursor()
            .execute(
                "SELECT action, actor, rule_set FROM audit_log ORDER BY data_version DESC LIMIT 1"
            )
            .fetchone()
        )
    assert audit == ("recompute", "boss@example.cn", "hunan")


def test_scores_of_an_older_engine_are_flagged_and_an_admin_updates_them(
    two_departments: Path,
) -> None:
    con = duckdb.connect(str(two_departments))
    con.execute("UPDATE scores SET engine = NULL WHERE rule_set = 'national'")
    con.close()
    users = {**USERS, "boss@example.cn": {"role": "admin"}}
    at = app(user=signed_in("boss@example.cn"), secrets={"auth": OIDC, "users": users})
    assert any("由旧版评分程序计算" in w.value and "national" in w.value for w in at.warning)
    at.switch_page("views/upload.py").run()
    assert any("旧版计算" in w.value and "（2 个评价）" in w.value for w in at.warning)
    at.button(key="recompute_stale").click().run()
    assert not at.exception, at.exception
    assert any("重新复核规则：national" in s.value for s in at.success)
    with open_store(two_departments) as store:
        assert store.stale_rule_sets() == {}
    at.switch_page("views/overview.py").run()
    assert not any("旧版评分程序" in w.value for w in at.warning)


def test_uploader_gets_no_recompute_button(two_departments: Path) -> None:
    at = app(user=signed_in("up@example.cn"))
    at.switch_page("views/upload.py").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == "recompute_confirm"]


# --- password mode and local mode -------------------------------------------------------------


@pytest.fixture(scope="module")
def password_secrets() -> dict:
    return {
        "passwords": {"zhangsan": {"hash": auth.hash_password("正确的密码-123")}},
        "users": {"zhangsan": {"role": "viewer", "departments": [OTHER_DEPT]}},
    }


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_password_form_refuses_a_wrong_password(
    two_departments: Path, password_secrets: dict
) -> None:
    at = app(secrets=password_secrets)
    assert not at.metric and not at.dataframe
    log_in(at, "zhangsan", "错误的密码-123")
    assert not at.exception
    assert "用户名或密码错误" in at.error[0].value
    assert not at.metric and OTHER_DEPT not in rendered(at)


def test_password_login_opens_the_scoped_dashboard(
    two_departments: Path, password_secrets: dict
) -> None:
    at = log_in(app(secrets=password_secrets), "ZhangSan", "正确的密码-123")
    assert not at.exception, at.exception
    text = rendered(at)
    assert OTHER_DEPT in text and SEED_DEPT not in text
    assert at.metric  # the overview's numbers


def test_local_mode_banner_and_full_access(two_departments: Path) -> None:
    at = app(user={}, secrets={"users": USERS})  # secrets without a login section
    assert not at.exception
    assert any("本地模式" in w.value for w in at.sidebar.warning)
    assert SEED_DEPT in rendered(at) and OTHER_DEPT in rendered(at)
    at.switch_page("views/upload.py").run()
    assert at.get("file_uploader")


def test_a_broken_access_config_lets_nobody_in(two_departments: Path) -> None:
    at = app(secrets={"proxy": {"secret": "too short"}, "users": USERS})
    assert not at.exception
    assert "登录配置有误" in at.error[0].value
    assert not at.metric and SEED_DEPT not in rendered(at)


def test_viewer_on_an_empty_store_is_not_sent_to_the_upload_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.duckdb"
    open_store(path, seed=False).close()
    monkeypatch.setenv("PERF_DB", str(path))
    at = app(user=signed_in("view@example.cn"))
    assert not at.exception, at.exception
    assert any("只能查看" in c.value for c in at.caption)


def test_an_unverified_oidc_email_gets_no_role(two_departments: Path) -> None:
    at = app(user={**signed_in("up@example.cn"), "email_verified": False})
    assert not at.exception
    assert "尚未验证" in at.error[0].value
    assert not at.metric and SEED_DEPT not in rendered(at)
