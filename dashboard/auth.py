"""Who may see what: the access rules read from secrets.toml, decided without Streamlit.

The mode is chosen by which section `.streamlit/secrets.toml` holds — `[auth]` (OIDC through
`st.login`), `[proxy]` (a user header set by a trusted reverse proxy) or `[passwords]` (per-user
salted hashes). None of them means local mode: one person on their own machine, no login.
`[users.<name>]` gives each known user a role and optionally a list of departments, in every
mode. Everything defaults to deny: an unknown user, a user without a valid role, a proxy request
without the shared secret, or a secrets file that cannot be understood gets no access at all.

`dashboard.login` turns this into Streamlit UI; this module stays importable (and testable)
without it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

Role = Literal["viewer", "uploader", "admin"]
Mode = Literal["local", "oidc", "proxy", "passwords"]

ROLES: Final[tuple[Role, ...]] = ("viewer", "uploader", "admin")
MODE_SECTIONS: Final[dict[str, Mode]] = {"auth": "oidc", "proxy": "proxy", "passwords": "passwords"}
LOCAL_USER: Final = "本机用户"

# scrypt with a per-user 16-byte salt; n=2**14, r=8 costs ~16 MiB and a few tens of ms, so a
# stolen secrets.toml does not give the passwords away cheaply.
_SCRYPT_N: Final = 2**14
_SCRYPT_R: Final = 8
_SCRYPT_P: Final = 1
_SALT_BYTES: Final = 16
_KEY_BYTES: Final = 32
_HASH_SCHEME: Final = "scrypt"
_MIN_PROXY_SECRET: Final = 24


class AccessConfigError(ValueError):
    """secrets.toml names a mode but cannot be used as written; the app then lets nobody in."""

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(f"{message} ({message_en})")
        self.message = message
        self.message_en = message_en


@dataclass(frozen=True)
class Access:
    """What one signed-in person may do; `departments` None means every department."""

    user: str
    role: Role
    departments: tuple[str, ...] | None = None

    @property
    def can_upload(self) -> bool:
        return self.role in ("uploader", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see(self, department: str) -> bool:
        return self.departments is None or department in self.departments

    def outside_scope(self, departments: list[str] | tuple[str, ...]) -> list[str]:
        """The given departments this user may not see (or change), in order, without repeats."""
        return [d for d in dict.fromkeys(departments) if not self.may_see(d)]


@dataclass(frozen=True)
class UserRule:
    role: Role
    departments: tuple[str, ...] | None


@dataclass(frozen=True)
class ProxySettings:
    """The proxy sets `user_header`; it proves it is the proxy by also sending `secret_header`."""

    user_header: str
    secret_header: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class AccessConfig:
    mode: Mode
    users: Mapping[str, UserRule] = field(default_factory=dict)  # keyed by `user_key(name)`
    password_hashes: Mapping[str, str] = field(default_factory=dict, repr=False)
    proxy: ProxySettings | None = None
    providers: tuple[str, ...] = ()  # named OIDC providers ([auth.<name>]); () = the unnamed one

    def resolve(self, user: str | None) -> Access | None:
        """The access of an identified user, or None (deny) when unknown or without a role."""
        if self.mode == "local":
            return Access(LOCAL_USER, "admin", None)
        if not user or not user.strip():
            return None
        rule = self.users.get(user_key(user))
        if rule is None:
            return None
        return Access(user.strip(), rule.role, rule.departments)


def user_key(name: str) -> str:
    """Names and e-mail addresses match regardless of case and surrounding blanks."""
    return name.strip().casefold()


def load_config(secrets_map: Mapping[str, Any]) -> AccessConfig:
    """Read the access rules from the parsed secrets; raises AccessConfigError when unusable."""
    users = _users(secrets_map.get("users", {}))
    modes = [mode for section, mode in MODE_SECTIONS.items() if section in secrets_map]
    if not modes:
        return AccessConfig("local", users)
    if len(modes) > 1:
        names = "、".join(f"[{s}]" for s in MODE_SECTIONS if s in secrets_map)
        raise AccessConfigError(
            f"secrets.toml 同时配置了 {names}，只能选一种登录方式。",
            "secrets.toml configures more than one login mode; keep exactly one.",
        )
    mode = modes[0]
    if mode == "oidc":
        return AccessConfig(mode, users, providers=_providers(secrets_map["auth"]))
    if mode == "proxy":
        return AccessConfig(mode, users, proxy=_proxy(secrets_map["proxy"]))
    return AccessConfig(mode, users, password_hashes=_password_hashes(secrets_map["passwords"]))


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AccessConfigError(
            f"secrets.toml 中的 {where} 应为表（[...] 小节）。",
            f"{where} in secrets.toml must be a table.",
        )
    return value


def _users(raw: Any) -> dict[str, UserRule]:
    users: dict[str, UserRule] = {}
    for name, entry in _table(raw, "[users]").items():
        entry = _table(entry, f"[users.{name}]")
        role = entry.get("role")
        if role not in ROLES:
            raise AccessConfigError(
                f"用户「{name}」的角色「{role}」无效，应为 viewer、uploader 或 admin。",
                f"user {name!r} has invalid role {role!r}; use viewer, uploader or admin.",
            )
        departments = entry.get("departments")
        if departments is not None and (
            not isinstance(departments, list | tuple)
            or not all(isinstance(d, str) and d.strip() for d in departments)
        ):
            raise AccessConfigError(
                f"用户「{name}」的 departments 应为部门名称列表。",
                f"user {name!r}: departments must be a list of department names.",
            )
        key = user_key(name)
        if key in users:
            raise AccessConfigError(
                f"用户「{name}」重复出现（不区分大小写）。",
                f"user {name!r} is listed twice (names ignore case).",
            )
        scope = None if departments is None else tuple(d.strip() for d in departments)
        users[key] = UserRule(role, scope)
    return users


def _is_placeholder(value: str) -> bool:
    return value.strip().startswith("<")


def _providers(raw: Any) -> tuple[str, ...]:
    auth = _table(raw, "[auth]")
    for key in ("redirect_uri", "cookie_secret"):
        value = auth.get(key)
        if not isinstance(value, str) or not value.strip() or _is_placeholder(value):
            raise AccessConfigError(
                f"[auth] 缺少 {key}，或仍是示例占位符。",
                f"[auth] {key} is missing or still the example placeholder.",
            )
    return tuple(sorted(name for name, value in auth.items() if isinstance(value, Mapping)))


def _proxy(raw: Any) -> ProxySettings:
    proxy = _table(raw, "[proxy]")
    user_header = str(proxy.get("user_header") or "X-Remote-User").strip()
    secret_header = str(proxy.get("secret_header") or "X-Proxy-Secret").strip()
    secret = proxy.get("secret")
    if not isinstance(secret, str) or len(secret) < _MIN_PROXY_SECRET or _is_placeholder(secret):
        raise AccessConfigError(
            f"[proxy] 需要 secret（至少 {_MIN_PROXY_SECRET} 个字符的随机串，与 nginx 中设置的相同），"
            "否则任何能直接访问本服务的人都能冒充用户。",
            f"[proxy] needs a random secret of at least {_MIN_PROXY_SECRET} characters, the same "
            "as in nginx; without it anyone reaching the app directly could forge the user header.",
        )
    if user_key(user_header) == user_key(secret_header):
        raise AccessConfigError(
            "[proxy] 的 user_header 与 secret_header 不能相同。",
            "[proxy] user_header and secret_header must differ.",
        )
    return ProxySettings(user_header, secret_header, secret)


def _password_hashes(raw: Any) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for name, entry in _table(raw, "[passwords]").items():
        value = entry.get("hash") if isinstance(entry, Mapping) else None
        if not isinstance(value, str) or _parse_hash(value) is None:
            raise AccessConfigError(
                f"[passwords.{name}] 的 hash 不是有效的密码散列；"
                "请用 `python -m dashboard.users add` 生成，切勿写明文密码。",
                f"[passwords.{name}] hash is not a valid password hash; generate it with "
                "`python -m dashboard.users add`, never store a plain password.",
            )
        hashes[user_key(name)] = value
    return hashes


# --- proxy header ----------------------------------------------------------------------------


def proxy_user(settings: ProxySettings, headers: Mapping[str, str]) -> str | None:
    """The user the proxy vouches for, or None unless the request carries the proxy's secret."""
    lowered = {k.lower(): v for k, v in headers.items()}
    sent = lowered.get(settings.secret_header.lower(), "")
    if not hmac.compare_digest(sent.encode(), settings.secret.encode()):
        return None
    user = lowered.get(settings.user_header.lower(), "").strip()
    return user or None


# --- passwords -------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=128 * r * (n + p + 2) + 2**20,
        dklen=_KEY_BYTES,
    )


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$key` (base64), with a fresh random salt: safe to store in secrets.toml."""
    if not password:
        raise ValueError("empty password")
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
    return "$".join(
        [_HASH_SCHEME, str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(key)]
    )


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != _HASH_SCHEME:
        return None
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if (
        not 2**10 <= n <= 2**20
        or n & (n - 1)
        or not 1 <= r <= 64
        or not 1 <= p <= 16
        or len(salt) < 8
        or not key
    ):
        return None
    return n, r, p, salt, key


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` matches the stored hash; the comparison takes constant time."""
    parsed = _parse_hash(stored)
    if parsed is None:
        return False
    n, r, p, salt, key = parsed
    return hmac.compare_digest(_derive(password, salt, n, r, p), key)


# Compared against when the user name is unknown, so a wrong name costs as long as a wrong
# password and the form does not reveal which names exist.
_DECOY_HASH: Final = hash_password(secrets.token_urlsafe(16))


def check_password(config: AccessConfig, user: str, password: str) -> bool:
    stored = config.password_hashes.get(user_key(user))
    if stored is None:
        verify_password(_DECOY_HASH, password)
        return False
    return verify_password(stored, password)


class LoginThrottle:
    """Refuses a user name for a while after repeated wrong passwords (per server process)."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 300.0) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window_seconds]
        self._failures[key] = recent
        return recent

    def blocked(self, user: str, now: float | None = None) -> bool:
        with self._lock:
            now = time.monotonic() if now is None else now
            return len(self._recent(user_key(user), now)) >= self.max_failures

    def record_failure(self, user: str, now: float | None = None) -> None:
        with self._lock:
            now = time.monotonic() if now is None else now
            self._recent(user_key(user), now).append(now)

    def reset(self, user: str) -> None:
        with self._lock:
            self._failures.pop(user_key(user), None)
