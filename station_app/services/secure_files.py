"""Personal data at rest on the workstation: encrypted, written atomically, key in the keyring.

Station keeps personal data on disk only in drafts and in the outbox (architecture page,
"Data"). Both use `SecretBox` (Fernet: AES-128-CBC with HMAC-SHA256) with a key that lives
only in the OS keyring, and `atomic_write`, so a crash or power cut mid-write leaves either
the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.services.errors import StationError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

KEYRING_SERVICE = "Station"

NO_KEYRING_MESSAGE = (
    "Station can't keep unsent work safely on this computer because the system's "
    "password store is not available. Ask the IT service desk to check it."
)


class SecretBox:
    """Encrypts and decrypts small files with a key kept in the OS keyring under `key_name`."""

    def __init__(self, key_name: str) -> None:
        self._key_name = key_name
        self._fernet: Fernet | None = None
        self._lock = threading.Lock()

    def _cipher(self) -> Fernet:
        with self._lock:
            if self._fernet is None:
                import keyring
                import keyring.errors
                from cryptography.fernet import Fernet

                try:
                    key = keyring.get_password(KEYRING_SERVICE, self._key_name)
                    if key is None:
                        key = Fernet.generate_key().decode("ascii")
                        keyring.set_password(KEYRING_SERVICE, self._key_name, key)
                except keyring.errors.KeyringError as error:
                    raise StationError(NO_KEYRING_MESSAGE, detail=str(error)) from error
                self._fernet = Fernet(key.encode("ascii"))
            return self._fernet

    def encrypt(self, plain: bytes) -> bytes:
        return self._cipher().encrypt(plain)

    def decrypt(self, sealed: bytes) -> bytes | None:
        """The plain bytes, or None when the file was not sealed with this key (or is damaged)."""
        from cryptography.fernet import InvalidToken

        try:
            return self._cipher().decrypt(sealed)
        except InvalidToken:
            return None


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
