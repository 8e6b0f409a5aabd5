"""The way in, as Streamlit UI: `require_access(pages)` runs first in every rerun of the entry.

It reads the access rules from `st.secrets` (`dashboard.auth`), works out who this session is —
the OIDC user of `st.login`, the user a trusted proxy names in a header, the name that passed
the password form, or the local user — and returns their `Access`. Anyone else gets the login
form or a refusal and the script stops there, before any data is read. While stopping it still
registers every page (hidden), so a deep link such as `/upload?dept=…` keeps its path through
the login.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Final, NoReturn

import streamlit as st
from streamlit import config as st_config
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.navigation.page import StreamlitPage

from dashboard import auth
from dashboard import format as fmt
from dashboard.auth import Access, AccessConfig, AccessConfigError

log = logging.getLogger(__name__)

ACCESS_KEY: Final = "_perf_access"  # this rerun's Access, for data.current_filters and upload
_MODE_KEY: Final = "_perf_access_mode"
_PASSWORD_USER: Final = "_perf_password_user"  # who passed the password form in this session
LOCAL_BANNER: Final = "本地模式：未启用登录，请勿对外开放"
ROLE_ZH: Final = {"viewer": "查看", "uploader": "上传", "admin": "管理员"}


def read_config() -> AccessConfig:
    """The access rules in secrets.toml; local mode only when no secrets file exists at all."""
    try:
        secrets = st.secrets.to_dict()
    except StreamlitSecretNotFoundError as exc:
        present = [p for p in st_config.get_option("secrets.files") if Path(p).is_file()]
        if present:  # a file that does not parse must not silently mean "no login"
            raise AccessConfigError(
                "secrets.toml 无法解析，请检查格式。", f"secrets.toml could not be read: {exc}"
            ) from exc
        return AccessConfig("local")
    return auth.load_config(secrets)


@st.cache_resource
def _throttle() -> auth.LoginThrottle:
    return auth.LoginThrottle()


def current_access() -> Access | None:
    """The access `require_access` granted in this rerun; None (see nothing) before it ran."""
    access = st.session_state.get(ACCESS_KEY)
    return access if isinstance(access, Access) else None


def require_access(pages: Sequence[StreamlitPage]) -> Access:
    """Who this session is and what they may do, or the login UI and `st.stop()`."""
    st.session_state.pop(ACCESS_KEY, None)
    st.session_state.pop(_MODE_KEY, None)
    try:
        config = read_config()
    except AccessConfigError as exc:
        log.error("access configuration refused: %s", exc)
        _stop(pages, "登录配置有误，看板暂不可用。请联系管理员。", exc.message_en)
    access = _identify(config, pages)
    st.session_state[ACCESS_KEY] = access
    st.session_state[_MODE_KEY] = config.mode
    return access


def _identify(config: AccessConfig, pages: Sequence[StreamlitPage]) -> Access:
    if config.mode == "local":
        # Local mode trusts the machine, not the network: nobody but this computer gets in.
        # (st.context.ip_address is None for loopback; AppTest has no address at all.)
        if isinstance(st.context.ip_address, str):
            _stop(
                pages,
                "本地模式只允许本机访问。要共享给同事，请先在 secrets.toml 中配置登录。",
                "Local mode serves this computer only; configure a login to share the app.",
            )
        return Access(auth.LOCAL_USER, "admin", None)
    if config.mode == "oidc":
        user = _oidc_user(config, pages)
    elif config.mode == "proxy":
        assert config.proxy is not None
        user = auth.proxy_user(config.proxy, dict(st.context.headers))
        if user is None:
            _stop(pages, "未通过统一登录，无法访问。", "No trusted proxy login on this request.")
    else:
        user = _password_user(config, pages)
    access = config.resolve(user)
    if access is None:
        log.warning("access denied to %r (no role in secrets.toml)", user)
        _stop(
            pages,
            f"账号「{fmt.md_escape(user)}」尚未分配角色，无法查看数据。请联系管理员。",
            "This account has no role; ask an administrator.",
            logout=config.mode in ("oidc", "passwords"),
        )
    return access


def _oidc_user(config: AccessConfig, pages: Sequence[StreamlitPage]) -> str:
    if importlib.util.find_spec("authlib") is None:
        _stop(
            pages,
            "已配置统一身份认证，但服务器缺少 streamlit[auth] 组件。请联系管理员。",
            'OIDC is configured but Authlib is missing: pip install -e ".[auth]".',
        )
    if not st.user.get("is_logged_in", False):
        _hide_pages(pages)
        st.title("绩效自评看板")
        st.info("请先登录。Please log in.", icon=":material/lock:")
        for provider in config.providers or (None,):
            label = "登录" if provider is None else f"使用 {provider} 登录"
            args = () if provider is None else (provider,)
            st.button(label, on_click=st.login, args=args, type="primary", key=f"login_{provider}")
        st.stop()
    if st.user.get("email_verified") is False:  # an address the provider has not confirmed
        _stop(
            pages,
            "身份提供方尚未验证您的电子邮箱，无法按邮箱分配权限。",
            "The identity provider reports this e-mail address as unverified.",
            logout=True,
        )
    return str(st.user.get("email") or "")


def _password_user(config: AccessConfig, pages: Sequence[StreamlitPage]) -> str:
    user = st.session_state.get(_PASSWORD_USER)
    if isinstance(user, str):
        return user
    _hide_pages(pages)
    st.title("绩效自评看板")
    with st.form("login", border=True, enter_to_submit=True):
        st.subheader("登录 Log in", anchor=False)
        name = st.text_input("用户名 User name", autocomplete="username")
        password = st.text_input("密码 Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        throttle = _throttle()
        if throttle.blocked(name):
            st.error("密码错误次数过多，请 5 分钟后再试。Too many failed attempts; wait 5 minutes.")
        elif auth.check_password(config, name, password):
            throttle.reset(name)
            log.info("password login: %r", name.strip())
            st.session_state[_PASSWORD_USER] = name.strip()
            st.rerun()
        else:
            throttle.record_failure(name)
            log.warning("failed password login for %r", name.strip())
            st.error("用户名或密码错误。Wrong user name or password.")
    st.stop()


def _hide_pages(pages: Sequence[StreamlitPage]) -> None:
    """Register every page without showing the menu, so a deep link survives the login."""
    st.navigation(list(pages), position="hidden")


def _stop(
    pages: Sequence[StreamlitPage], message: str, message_en: str, *, logout: bool = False
) -> NoReturn:
    _hide_pages(pages)
    st.title("绩效自评看板")
    st.error(f"{message}  \n{fmt.md_escape(message_en)}", icon=":material/block:")
    if logout:
        st.button("退出登录", on_click=log_out)
    st.stop()


def log_out() -> None:
    """End this session's login: the OIDC cookie, or the password session."""
    if st.session_state.pop(_PASSWORD_USER, None) is None and st.user.get("is_logged_in", False):
        st.logout()


def show_account(access: Access) -> None:
    """Who is signed in, in the sidebar; the local-mode warning when nobody needs to sign in."""
    with st.sidebar:
        mode = st.session_state.get(_MODE_KEY)
        if mode == "local":
            st.warning(LOCAL_BANNER, icon=":material/lock_open:")
            return
        scope = "全部部门" if access.departments is None else "、".join(access.departments) or "无"
        st.caption(
            f"已登录：{fmt.md_escape(access.user)} · {ROLE_ZH[access.role]}  \n"
            f"可见部门：{fmt.md_escape(scope)}"
        )
        if mode in ("oidc", "passwords"):
            st.button("退出登录", icon=":material/logout:", on_click=log_out, width="stretch")
