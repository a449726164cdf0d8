"""Machine-wide defaults an installer or administrator sets: server address, CA bundle, locks.

On Windows an MSI writes them to HKLM\\SOFTWARE\\Station\\Station; elsewhere they live in
an ini file (/etc/station/station.ini, or the file named by STATION_MACHINE_SETTINGS).
A setting named in `locked` is the machine's to decide: the user's choice is ignored.
"""

from __future__ import annotations

import configparser
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "DEFAULT_INI_PATH",
    "REGISTRY_KEY",
    "MachineSettings",
    "effective_setting",
    "load_machine_settings",
    "parse_locked",
]

log = logging.getLogger(__name__)

REGISTRY_KEY = r"SOFTWARE\Station\Station"
DEFAULT_INI_PATH = Path("/etc/station/station.ini")
ENV_VAR = "STATION_MACHINE_SETTINGS"
INI_SECTION = "station"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MachineSettings:
    """What the machine says; None where it says nothing."""

    server_url: str | None = None
    ca_bundle: str | None = None
    locked: frozenset[str] = field(default_factory=frozenset)
    allow_plain_http: bool = False
    """http:// to another computer, for a closed network IT vouches for; never a user's."""

    def value(self, name: str) -> str | None:
        """The machine's value for a setting name, None when it has none."""
        if name == "server_url":
            return self.server_url
        if name == "ca_bundle":
            return self.ca_bundle
        return None


def parse_locked(text: str | None) -> frozenset[str]:
    """'server_url, CA_Bundle' -> {'server_url', 'ca_bundle'}."""
    if not text:
        return frozenset()
    return frozenset(name.strip().lower() for name in text.split(",") if name.strip())


def _yes(value: object) -> bool:
    return str(value or "").strip().lower() in ("1", "yes", "true", "on")


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def load_machine_settings() -> MachineSettings:
    """Read the machine settings; a missing source means no machine defaults."""
    if sys.platform == "win32":
        return _load_from_registry()
    return _load_from_ini(Path(os.environ.get(ENV_VAR) or DEFAULT_INI_PATH))


def _load_from_ini(path: Path) -> MachineSettings:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as ini:
            parser.read_file(ini)
    except FileNotFoundError:
        return MachineSettings()
    except (OSError, configparser.Error, UnicodeDecodeError) as error:
        # A broken machine file must not stop Station starting: say so in the log.
        log.warning("machine settings %s not read: %s", path, error)
        return MachineSettings()
    if not parser.has_section(INI_SECTION):
        return MachineSettings()
    section = parser[INI_SECTION]
    return MachineSettings(
        server_url=_clean(section.get("server_url")),
        ca_bundle=_clean(section.get("ca_bundle")),
        locked=parse_locked(section.get("locked")),
        allow_plain_http=_yes(section.get("allow_plain_http")),
    )


def _load_from_registry() -> MachineSettings:
    if sys.platform != "win32":  # for mypy on other platforms
        return MachineSettings()
    import winreg

    def read(key: Any, name: str) -> str | None:
        try:
            value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return _clean(value)

    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, REGISTRY_KEY) as key:
            return MachineSettings(
                server_url=read(key, "ServerUrl"),
                ca_bundle=read(key, "CaBundle"),
                locked=parse_locked(read(key, "Locked")),
                allow_plain_http=_yes(read(key, "AllowPlainHttp")),
            )
    except FileNotFoundError:
        return MachineSettings()
    except OSError as error:
        log.warning("machine settings in HKLM\\%s not read: %s", REGISTRY_KEY, error)
        return MachineSettings()


def effective_setting(name: str, user_value: T | None, machine: MachineSettings) -> T | str | None:
    """The value to use: a locked machine value, else the user's, else the machine default."""
    machine_value = machine.value(name)
    if name.lower() in machine.locked:
        return machine_value
    if user_value is not None and user_value != "":
        return user_value
    return machine_value
