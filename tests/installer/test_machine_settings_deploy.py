"""What an MSI deployment sets machine-wide is what Station uses: the server address IT gave
(SERVERURL) is the default, and while it is locked an officer's own choice does not count.

The MSI writes HKLM\\SOFTWARE\\Station\\Station (Windows only); elsewhere Station reads the same
three values from the machine ini file, which these tests write (conftest points
STATION_MACHINE_SETTINGS at a file of the test's own).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from PySide6.QtCore import QSettings

from installer.msi import DEFAULT_LOCKED
from station_app.app import SERVER_SETTING, chosen_server
from station_app.services.machine_settings import effective_setting, load_machine_settings

FORCE_SERVER = "https://core.force.example.police.uk"
OFFICERS_OWN = "https://officers-own.example.org"


def write_machine_ini(server_url: str = "", ca_bundle: str = "", locked: str = "") -> Path:
    path = Path(os.environ["STATION_MACHINE_SETTINGS"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"[station]\nserver_url = {server_url}\nca_bundle = {ca_bundle}\nlocked = {locked}\n",
        encoding="utf-8",
    )
    return path


def user_settings(tmp_path: Path, server_url: str | None) -> QSettings:
    settings = QSettings(str(tmp_path / "user" / "station.ini"), QSettings.Format.IniFormat)
    if server_url is not None:
        settings.setValue(SERVER_SETTING, server_url)
    return settings


def chosen(settings: QSettings) -> str | None:
    args = argparse.Namespace(demo=False, server=None)
    return chosen_server(args, settings, load_machine_settings())


def test_a_locked_machine_server_wins_over_the_officers_own(tmp_path):
    # msiexec /i Station.msi /qn SERVERURL=... (LOCKED defaults to server_url,ca_bundle)
    write_machine_ini(FORCE_SERVER, r"C:\ProgramData\Force\root-ca.pem", DEFAULT_LOCKED)

    assert chosen(user_settings(tmp_path, OFFICERS_OWN)) == FORCE_SERVER
    machine = load_machine_settings()
    assert machine.ca_bundle == r"C:\ProgramData\Force\root-ca.pem"
    assert effective_setting("ca_bundle", "/home/officer/own.pem", machine) == machine.ca_bundle


def test_an_unlocked_machine_server_is_only_the_default(tmp_path):
    # msiexec ... SERVERURL=... LOCKED=none
    write_machine_ini(FORCE_SERVER, locked="none")

    assert chosen(user_settings(tmp_path, None)) == FORCE_SERVER
    assert chosen(user_settings(tmp_path, OFFICERS_OWN)) == OFFICERS_OWN


def test_an_install_without_properties_leaves_the_choice_to_station(tmp_path):
    # msiexec /i Station.msi /qn: the three values are written empty.
    write_machine_ini()

    machine = load_machine_settings()
    assert machine.server_url is None and machine.ca_bundle is None and not machine.locked
    assert chosen(user_settings(tmp_path, None)) is None  # the built-in demo server
    assert chosen(user_settings(tmp_path, OFFICERS_OWN)) == OFFICERS_OWN
