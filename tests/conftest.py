"""Test set-up shared by every test: offscreen Qt, a fresh profile and an in-memory keyring.

Every test gets its own HOME, XDG folders, QSettings scope and keyring, so nothing touches
the developer's real profile (napari's `_fresh_settings` does the same).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.keyrings import MemoryKeyring

# Offscreen Qt on the desk ui.md designs for: one 1366x768 screen at 96 dpi (the plugin's own
# default is 800x800), so a dialog that fits the screen in a test fits that desk.
DESK_SCREEN = Path(__file__).parent / "fixtures" / "desk.json"
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={DESK_SCREEN}"
os.environ.setdefault("QT_ACCESSIBILITY", "1")

pytest_plugins = ["tests.fixtures.live_server", "tests.fixtures.station", "tests.fixtures.workers"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """Once, before any worker starts (`make test` runs two): install pg_trgm where PostgreSQL
    is reachable, so two workers' first migrations never race to create the extension (the
    one that lost would fall back to the tsvector index and fail the trigram tests)."""
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller did it
    from tests.fixtures.live_server import install_trigram_extension

    install_trigram_extension()


@pytest.fixture(autouse=True)
def fresh_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give the test its own home, XDG folders and machine settings file."""
    home = tmp_path / "home"
    for sub in ("", ".config", ".local/share", ".cache", ".local/state"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("STATION_MACHINE_SETTINGS", str(tmp_path / "machine" / "station.ini"))
    monkeypatch.delenv("STATION_SERVER_URL", raising=False)
    yield home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Swap the OS keyring for one in memory, and put the old one back afterwards."""
    import keyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running."""
    before = set(threading.enumerate())
    yield
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and not t.daemon and not t.name.startswith("Dummy")
    ]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"threads left running: {still}"
