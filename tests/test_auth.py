"""dashboard.auth: modes, roles, department scope, proxy header, password hashes — no Streamlit."""

from __future__ import annotations

import pytest

from dashboard import auth
from dashboard.auth import Access, AccessConfigError, load_config

PROXY_SECRET = "s" * 40

USERS = {
    "alice": {"role": "uploader", "departments": ["市委组织部", "财政局"]},
    "Leader@Example.cn": {"role": "viewer"},
    "root": {"role": "admin"},
}


def test_no_mode_section_is_local_with_full_admin_access() -> None:
    config = load_config({"users": USERS})
    assert config.mode == "local"
    assert config.resolve(None) == Access(auth.LOCAL_USER, "admin", None)


def test_each_section_selects_its_mode() -> None:
    oidc = {"auth": {"redirect_uri": "https://x/oauth2callback", "cookie_secret": "c" * 40}}
    proxy = {"proxy": {"secret": PROXY_SECRET}}
    passwords = {"passwords": {"alice": {"hash": auth.hash_password("password-1")}}}
    assert load_config(oidc).mode == "oidc"
    assert load_config(proxy).mode == "proxy"
    assert load_config(passwords).mode == "passwords"


def test_two_modes_at_once_are_refused() -> None:
    with pytest.raises(AccessConfigError, match="只能选一种"):
        load_config({"proxy": {"secret": PROXY_SECRET}, "passwords": {}})


def test_known_user_gets_role_and_scope_case_insensitively() -> None:
    config = load_config({"proxy": {"secret": PROXY_SECRET}, "users": USERS})
    alice = config.resolve(" ALICE ")
    assert alice is not None
    assert (alice.role, alice.departments) == ("uploader", ("市委组织部", "财政局"))
    assert alice.can_upload and not alice.is_admin
    leader = config.resolve("leader@example.cn")
    assert leader is not None and leader.departments is None and not leader.can_upload


def test_default_deny_for_unknown_or_missing_user() -> None:
    config = load_config({"proxy": {"secret": PROXY_SECRET}, "users": USERS})
    assert config.resolve("mallory") is None
    assert config.resolve("") is None
    assert config.resolve(None) is None


@pytest.mark.parametrize(
    "entry",
    [
        {},
        {"role": "superuser"},
        {"role": "viewer", "departments": "财政局"},
        {"role": "viewer", "departments": [""]},
    ],
)
def test_invalid_user_entries_are_refused(entry: dict) -> None:
    with pytest.raises(AccessConfigError):
        load_config({"proxy": {"secret": PROXY_SECRET}, "users": {"bob": entry}})


def test_empty_department_list_means_nothing() -> None:
    config = load_config(
        {"proxy": {"secret": PROXY_SECRET}, "users": {"bob": {"role": "viewer", "departments": []}}}
    )
    bob = config.resolve("bob")
    assert bob is not None and bob.departments == ()
    assert not bob.may_see("财政局")


def test_outside_scope_lists_foreign_departments_once() -> None:
    alice = Access("alice", "uploader", ("财政局",))
    assert alice.outside_scope(["财政局", "教育局", "教育局", "卫健委"]) == ["教育局", "卫健委"]
    assert Access("root", "admin", None).outside_scope(["教育局"]) == []


# --- OIDC ------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["redirect_uri", "cookie_secret"])
def test_oidc_needs_redirect_and_cookie_secret(missing: str) -> None:
    section = {"redirect_uri": "https://x/oauth2callback", "cookie_secret": "c" * 40}
    section[missing] = "<placeholder>"
    with pytest.raises(AccessConfigError, match=missing):
        load_config({"auth": section})


def test_oidc_named_providers_are_listed() -> None:
    section = {
        "redirect_uri": "https://x/oauth2callback",
        "cookie_secret": "c" * 40,
        "wecom": {"client_id": "a"},
        "azure": {"client_id": "b"},
    }
    assert load_config({"auth": section}).providers == ("azure", "wecom")


# --- proxy -----------------------------------------------------------------------------------


def test_proxy_header_needs_the_shared_secret() -> None:
    settings = load_config({"proxy": {"secret": PROXY_SECRET}}).proxy
    assert settings is not None
    good = {"x-remote-user": "alice", "X-Proxy-Secret": PROXY_SECRET}
    assert auth.proxy_user(settings, good) == "alice"
    assert auth.proxy_user(settings, {"X-Remote-User": "alice"}) is None
    assert auth.proxy_user(settings, {"X-Remote-User": "alice", "X-Proxy-Secret": "x" * 40}) is None
    assert auth.proxy_user(settings, {"X-Proxy-Secret": PROXY_SECRET}) is None


def test_proxy_header_names_are_configurable() -> None:
    config = load_config(
        {"proxy": {"secret": PROXY_SECRET, "user_header": "X-Auth-User", "secret_header": "X-Gate"}}
    )
    assert config.proxy is not None
    assert auth.proxy_user(config.proxy, {"X-Auth-User": "bob", "X-Gate": PROXY_SECRET}) == "bob"
    assert auth.proxy_user(config.proxy, {"X-Remote-User": "bob", "X-Gate": PROXY_SECRET}) is None


@pytest.mark.parametrize(
    "secret", [None, "short", "<python -c 'import secrets; print(secrets.token_urlsafe(32))'>"]
)
def test_proxy_without_a_real_secret_is_refused(secret: str | None) -> None:
    with pytest.raises(AccessConfigError, match="secret"):
        load_config({"proxy": {"secret": secret} if secret else {}})


# --- passwords -------------------------------------------------------------------------------


def test_password_hash_is_salted_and_verifies() -> None:
    first, second = auth.hash_password("正确的密码 pw"), auth.hash_password("正确的密码 pw")
    assert first != second  # a fresh salt each time
    assert first.startswith("scrypt$16384$8$1$")
    assert "正确的密码" not in first
    assert auth.verify_password(first, "正确的密码 pw")
    assert not auth.verify_password(first, "正确的密码 pW")
    assert not auth.verify_password("plain-text", "plain-text")


def test_plain_text_password_in_secrets_is_refused() -> None:
    with pytest.raises(AccessConfigError, match="明文"):
        load_config({"passwords": {"alice": {"hash": "hunter2hunter2"}}})
    with pytest.raises(AccessConfigError):
        load_config({"passwords": {"alice": "scrypt$16384$8$1$abc$def"}})


def test_check_password_by_user() -> None:
    config = load_config({"passwords": {"Alice": {"hash": auth.hash_password("open sesame")}}})
    assert auth.check_password(config, "alice", "open sesame")
    assert not auth.check_password(config, "alice", "open sesame!")
    assert not auth.check_password(config, "bob", "open sesame")


def test_throttle_blocks_after_repeated_failures_then_expires() -> None:
    throttle = auth.LoginThrottle(max_failures=3, window_seconds=60)
    for t in (0.0, 1.0, 2.0):
        assert not throttle.blocked("alice", now=t)
        throttle.record_failure("Alice", now=t)
    assert throttle.blocked("alice", now=3.0)
    assert not throttle.blocked("bob", now=3.0)
    assert not throttle.blocked("alice", now=61.5)
    throttle.record_failure("alice", now=62.0)
    throttle.reset("alice")
    assert not throttle.blocked("alice", now=62.0)
