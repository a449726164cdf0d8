"""Signing in and out, the signed-in user, and where the sign-in token is kept.

The token lives only in the operating system's keyring (Windows Credential Manager,
macOS Keychain, Secret Service), never in settings or files. The password is never
kept: the lock screen checks it against a salted scrypt digest held in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from station_app.domain.wire import parse_utc, utc_text
from station_app.services.errors import OfflineError, ServerError, SignedOutError, StationError

if TYPE_CHECKING:
    from station_app.services.api import ApiSession

__all__ = ["AuthClient", "CredentialStore", "PasswordCheck", "SavedToken", "UserInfo"]

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Station"

_NO_KEYRING = (
    "This computer has no safe place to keep your sign-in, so you will need to sign in "
    "each time Station starts. Call the service desk if this keeps happening."
)


@dataclass(frozen=True, slots=True)
class UserInfo:
    """Who is signed in, as the core system knows them (GET /auth/me)."""

    username: str
    display_name: str
    staff_number: str
    rank: str
    station_code: str
    station_name: str
    roles: tuple[str, ...]
    covers: tuple[str, ...] = ()
    """Other stations they work at (docs/api.md, "Stations")."""
    all_stations: bool = False
    """True when they may act at every station (a force-wide role, or the force's setting)."""

    def may_act_at(self, station_code: str) -> bool:
        """Whether the core system lets them open this station's records; the server
        decides, this only keeps the screens from offering what it would refuse."""
        return self.all_stations or station_code in (self.station_code, *self.covers)

    def to_json(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "staff_number": self.staff_number,
            "rank": self.rank,
            "station_code": self.station_code,
            "station_name": self.station_name,
            "roles": list(self.roles),
            "covers": list(self.covers),
            "all_stations": self.all_stations,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> UserInfo:
        try:
            return cls(
                username=str(data["username"]),
                display_name=str(data["display_name"]),
                staff_number=str(data.get("staff_number") or ""),
                rank=str(data.get("rank") or ""),
                station_code=str(data.get("station_code") or ""),
                station_name=str(data.get("station_name") or ""),
                roles=tuple(str(role) for role in data.get("roles") or ()),
                covers=tuple(str(code) for code in data.get("covers") or ()),
                all_stations=data.get("all_stations") is True,
            )
        except (KeyError, TypeError) as error:
            raise ServerError(detail=f"unexpected user info: {data!r}") from error


@dataclass(frozen=True, slots=True)
class SavedToken:
    """A sign-in token, when it stops working, and who it signs in (as the core system
    said at sign-in: Station can start for them offline, then checks with /auth/me)."""

    token: str
    expires_at: datetime
    username: str
    user: UserInfo | None = None

    def expired(self, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) >= self.expires_at


class CredentialStore:
    """Keeps one sign-in token per core-system address in the OS keyring."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url

    def save(self, saved: SavedToken) -> None:
        import keyring
        import keyring.errors

        entry: dict[str, Any] = {
            "token": saved.token,
            "expires_at": utc_text(saved.expires_at),
            "username": saved.username,
        }
        if saved.user is not None:
            entry["user"] = saved.user.to_json()
        secret = json.dumps(entry)
        try:
            keyring.set_password(KEYRING_SERVICE, self.server_url, secret)
        except (keyring.errors.KeyringError, RuntimeError) as error:
            raise StationError(_NO_KEYRING, detail=f"keyring save: {error!r}") from error

    def load(self) -> SavedToken | None:
        """The saved token, or None when there is none, it is unreadable, or it has expired."""
        import keyring
        import keyring.errors

        try:
            secret = keyring.get_password(KEYRING_SERVICE, self.server_url)
        except (keyring.errors.KeyringError, RuntimeError) as error:
            raise StationError(_NO_KEYRING, detail=f"keyring load: {error!r}") from error
        if not secret:
            return None
        try:
            data = json.loads(secret)
            user = data.get("user")
            saved = SavedToken(
                token=str(data["token"]),
                expires_at=parse_utc(str(data["expires_at"])),
                username=str(data["username"]),
                user=UserInfo.from_json(user) if isinstance(user, dict) else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError, ServerError):
            log.warning("the saved sign-in could not be read; it has been removed")
            self.clear()
            return None
        if saved.expired():
            self.clear()
            return None
        return saved

    def clear(self) -> None:
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, self.server_url)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing saved: already clear
        except (keyring.errors.KeyringError, RuntimeError) as error:
            raise StationError(_NO_KEYRING, detail=f"keyring clear: {error!r}") from error


class AuthClient:
    """POST /auth/login, GET /auth/me, POST /auth/logout."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def login(self, username: str, password: str) -> tuple[SavedToken, UserInfo]:
        """Sign in; the session carries the new token from now on."""
        # A stale token must not decide how the sign-in is treated.
        self._session.token = None
        response = self._session.post(
            "/auth/login", json={"username": username, "password": password}
        )
        body = self._session.json(response)
        try:
            user = UserInfo.from_json(body["user"])
            saved = SavedToken(
                token=str(body["token"]),
                expires_at=parse_utc(str(body["expires_at"])),
                username=user.username,
                user=user,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"unexpected login answer keys: {sorted(body)}") from error
        self._session.token = saved.token
        return saved, user

    def me(self) -> UserInfo:
        body = self._session.json(self._session.get("/auth/me"))
        if not isinstance(body, dict):
            raise ServerError(detail=f"unexpected /auth/me answer: {body!r}")
        return UserInfo.from_json(body)

    def logout(self, token: str | None = None) -> None:
        """Revoke `token` (by default the session's) on the server if it can be reached;
        the session forgets it either way. The shell passes the token it had, because it
        stops using it at once while this call runs on a worker."""
        token = token or self._session.token
        if not token:
            return
        try:
            self._session.post("/auth/logout", headers={"Authorization": f"Bearer {token}"})
        except (OfflineError, SignedOutError) as error:
            # Offline: the token expires by itself; signed out: it is already dead.
            log.info("sign-out not confirmed by the server: %s", type(error).__name__)
        finally:
            if self._session.token == token:
                self._session.token = None


# scrypt cost: about 50 ms and 16 MiB, slow for guessing, quick for the lock screen.
_SCRYPT_N = 2**14
_SCRYPT_R = 8
_SCRYPT_P = 1


class PasswordCheck:
    """Checks the lock-screen password offline without keeping the password itself."""

    __slots__ = ("_digest", "_salt")

    def __init__(self, salt: bytes, digest: bytes) -> None:
        self._salt = salt
        self._digest = digest

    @staticmethod
    def _derive(password: str, salt: bytes) -> bytes:
        return hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
        )

    @classmethod
    def from_password(cls, password: str) -> PasswordCheck:
        salt = os.urandom(16)
        return cls(salt, cls._derive(password, salt))

    def matches(self, password: str) -> bool:
        return hmac.compare_digest(self._derive(password, self._salt), self._digest)

    def __repr__(self) -> str:
        return "PasswordCheck(<hidden>)"
