"""Personal data at rest on the workstation: encrypted, written atomically, key kept safe.

Station keeps personal data on disk only in drafts and in the outbox (architecture page,
"Data"). Both use `SecretBox` (Fernet: AES-128-CBC with HMAC-SHA256) and `atomic_write`, so
a crash or power cut mid-write leaves either the old file or the new one, never half of one.

The data key lives in the OS keyring. Where no keyring keeps it (a headless Linux box, a
locked-down profile: the keyring refuses, or accepts a key and forgets it), the key goes in
a key file instead, so that a report queued offline can still be opened after a restart:
on Windows sealed with DPAPI for this user, elsewhere readable by this user only (0600 in
a 0700 folder under the user's data folder). That file is as safe as the user's account on
this computer, which is weaker than a keyring that asks for the login password; the
trade-off is written down for IT in installer/README.md. Files sealed under either key can
always be opened while that key exists.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.services.errors import StationError

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Station"
KEY_FILE_SUFFIX = ".key"

NO_KEYRING_MESSAGE = (
    "Station can't keep unsent work safely on this computer because the system's "
    "password store is not available. Ask the IT service desk to check it."
)


class SecretBox:
    """Encrypts and decrypts small files with the data key called `key_name`: kept in the OS
    keyring, or, where the keyring keeps nothing, in a key file in `key_dir`."""

    def __init__(self, key_name: str, key_dir: Path | None = None) -> None:
        self._key_name = key_name
        self._key_dir = key_dir
        self._fernet: MultiFernet | None = None
        self._lock = threading.Lock()

    @property
    def key_file(self) -> Path | None:
        return self._key_dir / f"{self._key_name}{KEY_FILE_SUFFIX}" if self._key_dir else None

    def _cipher(self) -> MultiFernet:
        with self._lock:
            if self._fernet is None:
                from cryptography.fernet import Fernet, MultiFernet

                in_keyring = self._keyring_key()
                in_file = self._read_key_file()
                primary = in_keyring or in_file or self._make_key_file()
                keys = [primary] + [k for k in (in_keyring, in_file) if k and k != primary]
                self._fernet = MultiFernet([Fernet(key) for key in keys])
            return self._fernet

    def _keyring_key(self) -> bytes | None:
        """The key from the OS keyring, made there if need be; None where the keyring
        refuses or does not keep what it is given (read back to be sure)."""
        import keyring
        import keyring.errors
        from cryptography.fernet import Fernet

        try:
            key = keyring.get_password(KEYRING_SERVICE, self._key_name)
            if key is None:
                made = Fernet.generate_key().decode("ascii")
                keyring.set_password(KEYRING_SERVICE, self._key_name, made)
                key = keyring.get_password(KEYRING_SERVICE, self._key_name)
                if key != made:
                    log.warning("The keyring did not keep the %s; using a key file", self._key_name)
                    return None
        except (keyring.errors.KeyringError, RuntimeError) as error:
            log.warning(
                "No usable keyring for the %s (%s); using a key file", self._key_name, error
            )
            return None
        return key.encode("ascii")

    def _read_key_file(self) -> bytes | None:
        path = self.key_file
        if path is None or not path.exists():
            return None
        return _unprotect(path.read_bytes())

    def _make_key_file(self) -> bytes:
        from cryptography.fernet import Fernet

        path = self.key_file
        if path is None:
            raise StationError(NO_KEYRING_MESSAGE, detail=f"no keyring for {self._key_name}")
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if sys.platform != "win32":
            path.parent.chmod(0o700)
        key = Fernet.generate_key()
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another Station made it a moment ago: use theirs
            found = _unprotect(path.read_bytes())
            assert found is not None
            return found
        with os.fdopen(handle, "wb") as out:
            out.write(_protect(key))
            out.flush()
            os.fsync(out.fileno())
        return key

    def encrypt(self, plain: bytes) -> bytes:
        return self._cipher().encrypt(plain)

    def decrypt(self, sealed: bytes) -> bytes | None:
        """The plain bytes, or None when the file was sealed with no key this profile has
        (another user's, a key since lost) or is damaged."""
        from cryptography.fernet import InvalidToken

        try:
            return self._cipher().decrypt(sealed)
        except InvalidToken:
            return None


def _protect(key: bytes) -> bytes:
    """The key as it goes into its file: sealed for this Windows user with DPAPI; elsewhere
    as it is (the file's permissions protect it)."""
    if sys.platform == "win32":
        return base64.b64encode(_dpapi(key, protect=True))
    return key


def _unprotect(stored: bytes) -> bytes | None:
    if sys.platform == "win32":
        try:
            return _dpapi(base64.b64decode(stored), protect=False)
        except (OSError, ValueError) as error:
            log.warning("The key file could not be opened for this user: %s", error)
            return None
    return stored.strip() or None


def _dpapi(data: bytes, *, protect: bool) -> bytes:
    """CryptProtectData / CryptUnprotectData for the current user (Windows only)."""
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = (("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char)))

    buffer = ctypes.create_string_buffer(data, len(data))
    source = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    result = Blob()
    crypt32 = ctypes.WinDLL("crypt32", use_last_error=True)  # type: ignore[attr-defined]
    call = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    ui_forbidden = 0x1  # CRYPTPROTECT_UI_FORBIDDEN: never ask on screen
    if not call(ctypes.byref(source), None, None, None, None, ui_forbidden, ctypes.byref(result)):
        raise OSError(ctypes.get_last_error(), "DPAPI refused the key")  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(result.pbData, result.cbData)
    finally:
        ctypes.windll.kernel32.LocalFree(result.pbData)  # type: ignore[attr-defined]


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        Path(temp_name).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp_name).unlink()
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
