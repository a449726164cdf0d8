"""Machine-wide settings from the installer: read the ini file, and let locks win."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station_app.services.machine_settings import (
    MachineSettings,
    effective_setting,
    load_machine_settings,
)


@pytest.fixture
def machine_ini() -> Path:
    """The per-test file STATION_MACHINE_SETTINGS points at (not written yet)."""
    path = Path(os.environ["STATION_MACHINE_SETTINGS"])
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_no_file_means_no_machine_defaults(machine_ini: Path) -> None:
    assert not machine_ini.exists()
    assert load_machine_settings() == MachineSettings(None, None, frozenset())


def test_the_installers_ini_file_is_read(machine_ini: Path) -> None:
    machine_ini.write_text(
        "[station]\n"
        "server_url = https://core.force.example\n"
        "ca_bundle = /etc/station/force-ca.pem\n"
        "locked = server_url, CA_Bundle ,\n",
        encoding="utf-8",
    )
    assert load_machine_settings() == MachineSettings(
        server_url="https://core.force.example",
        ca_bundle="/etc/station/force-ca.pem",
        locked=frozenset({"server_url", "ca_bundle"}),
    )


@pytest.mark.parametrize(
    "content",
    [
        "",  # empty
        "[other]\nserver_url = x\n",  # no [station] section
        "this is not an ini file",  # garbage
        "[station]\nserver_url =   \nlocked =\n",  # blank values
    ],
)
def test_an_empty_or_broken_file_gives_no_defaults(machine_ini: Path, content: str) -> None:
    machine_ini.write_text(content, encoding="utf-8")
    assert load_machine_settings() == MachineSettings()


def test_a_file_that_is_not_text_gives_no_defaults(machine_ini: Path) -> None:
    machine_ini.write_bytes(b"\xff\xfe\x00[station]")
    assert load_machine_settings() == MachineSettings()


def test_the_users_choice_wins_over_a_machine_default() -> None:
    machine = MachineSettings(server_url="https://core.force.example")
    assert effective_setting("server_url", "http://test:8470", machine) == "http://test:8470"
    assert effective_setting("server_url", None, machine) == "https://core.force.example"
    assert effective_setting("server_url", "", machine) == "https://core.force.example"
    assert effective_setting("ca_bundle", None, machine) is None


def test_a_locked_setting_ignores_the_users_choice() -> None:
    machine = MachineSettings(
        server_url="https://core.force.example", locked=frozenset({"server_url", "ca_bundle"})
    )
    assert effective_setting("server_url", "http://rogue:80", machine) == (
        "https://core.force.example"
    )
    # Locked with no machine value: the user's own CA bundle is still not used.
    assert effective_setting("ca_bundle", "/home/me/ca.pem", machine) is None
    # Settings the machine knows nothing about are the user's.
    assert effective_setting("theme", "dark", machine) == "dark"


def test_plain_http_is_allowed_only_by_the_machine(machine_ini: Path) -> None:
    assert load_machine_settings().allow_plain_http is False  # the default: https only
    machine_ini.write_text("[station]\nallow_plain_http = yes\n", encoding="utf-8")
    assert load_machine_settings().allow_plain_http is True
