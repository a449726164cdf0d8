"""The key that seals drafts and the outbox survives a restart wherever Station runs: in the
OS keyring, or where no keyring keeps anything, in a key file only this user can read."""

from __future__ import annotations

import os
import stat
import sys

import keyring
import pytest
from keyring.backends import fail, null

from station_app.services.secure_files import KEY_FILE_SUFFIX, SecretBox


def test_with_a_working_keyring_the_key_lives_there_and_nowhere_else(tmp_path, memory_keyring):
    sealed = SecretBox("outbox-key", tmp_path / "keys").encrypt(b"report")
    assert [name for (_service, name) in memory_keyring.secrets] == ["outbox-key"]
    assert not (tmp_path / "keys").exists()
    assert SecretBox("outbox-key", tmp_path / "keys").decrypt(sealed) == b"report"


@pytest.mark.parametrize(
    "backend", [null.Keyring(), fail.Keyring()], ids=["keeps-nothing", "refuses"]
)
def test_where_no_keyring_keeps_the_key_a_restart_can_still_open_the_files(tmp_path, backend):
    keyring.set_keyring(backend)  # the memory_keyring fixture puts the old one back
    sealed = SecretBox("outbox-key", tmp_path / "keys").encrypt(b"report")
    restarted = SecretBox("outbox-key", tmp_path / "keys")
    assert restarted.decrypt(sealed) == b"report"


@pytest.mark.skipif(sys.platform == "win32", reason="Windows protects the key with DPAPI")
def test_the_key_file_is_readable_by_this_user_only(tmp_path):
    keyring.set_keyring(null.Keyring())
    SecretBox("draft-key", tmp_path / "keys").encrypt(b"draft")
    (key_file,) = (tmp_path / "keys").glob(f"*{KEY_FILE_SUFFIX}")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert key_file.stat().st_uid == os.getuid()


def test_files_sealed_under_the_key_file_open_once_the_keyring_works_again(
    tmp_path, memory_keyring
):
    keyring.set_keyring(null.Keyring())
    sealed = SecretBox("outbox-key", tmp_path / "keys").encrypt(b"queued while broken")
    keyring.set_keyring(memory_keyring)
    box = SecretBox("outbox-key", tmp_path / "keys")
    assert box.decrypt(sealed) == b"queued while broken"
    assert box.decrypt(box.encrypt(b"new")) == b"new"
