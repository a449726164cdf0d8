"""Signing in and out, and keeping the sign-in token only in the OS keyring."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from station_app.services.api import ApiSession
from station_app.services.auth import (
    KEYRING_SERVICE,
    AuthClient,
    CredentialStore,
    PasswordCheck,
    SavedToken,
    UserInfo,
)
from station_app.services.errors import SignedOutError, StationError
from station_app.services.paths import resolve_paths
from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync

PASSWORD = "Station-Demo-1"


@pytest.fixture
def session(live_server) -> Iterator[ApiSession]:
    with ApiSession(live_server.url, workstation="SW-CUSTODY-02") as api:
        yield api


def _files_containing(folder: Path, secret: str) -> list[Path]:
    needle = secret.encode()
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            if needle in path.read_bytes():
                found.append(path)
    return found


def test_sign_in_gives_the_user_and_a_working_token(session: ApiSession) -> None:
    saved, user = AuthClient(session).login("custody", PASSWORD)
    assert user.username == "custody"
    assert "custody_officer" in user.roles
    assert user.display_name and user.station_code
    assert saved.username == "custody"
    assert saved.expires_at.tzinfo is not None
    assert saved.expires_at > datetime.now(UTC) + timedelta(hours=1)
    assert session.token == saved.token
    assert AuthClient(session).me() == user


def test_a_wrong_password_leaves_the_session_signed_out(session: ApiSession) -> None:
    session.token = "stale-token"
    with pytest.raises(SignedOutError, match="user name or password is not right"):
        AuthClient(session).login("custody", "not-the-password")
    assert session.token is None


def test_the_token_lives_only_in_the_keyring(
    session: ApiSession, live_server, memory_keyring, fresh_profile: Path
) -> None:
    # A realistic run: the profile folders exist and the reference cache is written.
    paths = resolve_paths()
    saved, _user = AuthClient(session).login("frontdesk", PASSWORD)
    store = CredentialStore(live_server.url)
    store.save(saved)
    cache = ReferenceCache(paths.cache_dir / "reference.db")
    try:
        ReferenceSync(ReferenceApi(session), cache).sync()
    finally:
        cache.close()
    assert memory_keyring.secrets  # the keyring has it...
    (service, user_name), secret = next(iter(memory_keyring.secrets.items()))
    assert (service, user_name) == (KEYRING_SERVICE, live_server.url)
    assert json.loads(secret)["token"] == saved.token
    assert _files_containing(fresh_profile, saved.token) == []  # ...and no file does
    assert any(fresh_profile.rglob("reference.db"))  # (the walk did see real files)
    assert store.load() == saved


def test_a_saved_token_is_per_server(live_server) -> None:
    expires = datetime.now(UTC) + timedelta(hours=2)
    CredentialStore("https://core.example").save(SavedToken("elsewhere", expires, "a"))
    assert CredentialStore(live_server.url).load() is None
    assert CredentialStore("https://core.example").load() == SavedToken("elsewhere", expires, "a")


def test_an_expired_token_is_not_loaded_and_is_removed(memory_keyring) -> None:
    store = CredentialStore("https://core.example")
    store.save(SavedToken("old", datetime.now(UTC) - timedelta(seconds=1), "custody"))
    assert store.load() is None
    assert memory_keyring.secrets == {}


@pytest.mark.parametrize("garbage", ["not json", "{}", '{"token": 1}', "[]", '"x"'])
def test_an_unreadable_keyring_entry_is_treated_as_none(memory_keyring, garbage: str) -> None:
    memory_keyring.secrets[(KEYRING_SERVICE, "https://core.example")] = garbage
    assert CredentialStore("https://core.example").load() is None
    assert memory_keyring.secrets == {}


def test_clearing_an_empty_keyring_is_fine(memory_keyring) -> None:
    store = CredentialStore("https://core.example")
    store.clear()
    assert store.load() is None


def test_no_keyring_on_the_computer_is_a_plain_message() -> None:
    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture puts it back
    store = CredentialStore("https://core.example")
    saved = SavedToken("t", datetime.now(UTC) + timedelta(hours=1), "custody")
    for action in (lambda: store.save(saved), store.load, store.clear):
        with pytest.raises(StationError) as caught:
            action()
        assert "no safe place to keep your sign-in" in caught.value.message
        assert caught.value.detail  # the backend's own words, for the log


def test_sign_out_revokes_the_token_on_the_server(session: ApiSession, live_server) -> None:
    saved, _user = AuthClient(session).login("inspector", PASSWORD)
    AuthClient(session).logout()
    assert session.token is None
    with ApiSession(live_server.url, workstation="elsewhere") as other:
        other.token = saved.token
        with pytest.raises(SignedOutError):
            AuthClient(other).me()


def test_sign_out_while_offline_still_forgets_the_token(session: ApiSession, live_server) -> None:
    AuthClient(session).login("inspector", PASSWORD)
    live_server.stop()
    AuthClient(session).logout()
    assert session.token is None


def test_user_info_reads_the_me_shape() -> None:
    user = UserInfo.from_json(
        {
            "username": "custody",
            "display_name": "Sgt A Example",
            "staff_number": "S1",
            "rank": "Sergeant",
            "station_code": "SW",
            "station_name": None,
            "roles": ["custody_officer", "inspector"],
        }
    )
    assert user.roles == ("custody_officer", "inspector")
    assert user.station_name == ""
    with pytest.raises(StationError):
        UserInfo.from_json({"username": "x"})


def test_the_lock_screen_check_matches_only_the_password() -> None:
    check = PasswordCheck.from_password("Correct-Horse-1")
    assert check.matches("Correct-Horse-1")
    assert not check.matches("correct-horse-1")
    assert not check.matches("")
    assert "Correct-Horse-1" not in repr(check)
    # Salted: the same password gives a different digest each time.
    assert PasswordCheck.from_password("p")._digest != PasswordCheck.from_password("p")._digest
