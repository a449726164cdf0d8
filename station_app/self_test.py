"""`station-app --self-test`: prove an installed or frozen Station works, headless, then exit.

IT and the release pipeline run it right after building or installing: it starts Qt
offscreen, opens the shell (window, sign-in dialog, services), starts the built-in demo
server (in a bundle: `Station --server-process`, which runs the shipped migrations), signs
in as the demo user, syncs reference data into a cache in a temporary folder, and builds
one PDF with the embedded fonts. Every check prints one line; exit 0 only if all passed.
Nothing touches the user's own profile: every folder is temporary.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

__all__ = ["run_self_test"]

DEMO_USER = "frontdesk"
DEMO_PASSWORD = "Station-Demo-1"  # the demo seed's published training password


class SelfTest:
    """Runs named checks in order, printing `ok` or `FAILED` for each, stopping at the first
    failure (later checks need the earlier ones)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failed = False

    def say(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def check(self, name: str, action: Callable[[], str]) -> bool:
        if self.failed:
            return False
        started = time.perf_counter()
        try:
            detail = action()
        except Exception as error:  # the whole point is to report any failure
            self.failed = True
            self.say(f"FAILED {name}: {error}")
            log_detail = getattr(error, "detail", None)  # a StationError's detail for the log
            if log_detail:
                self.say(str(log_detail))
            self.say(traceback.format_exc().rstrip())
            return False
        self.say(f"ok     {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)")
        return True


def run_self_test(report: str, qt_args: list[str]) -> int:
    """Run every check; `report` is a file to write to, or "-" for standard output."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if report == "-":
        if sys.stdout is not None:
            return _run(sys.stdout, qt_args)
        report = os.devnull  # a windowed Windows build has no console: nowhere to say it
    with Path(report).open("w", encoding="utf-8") as out:
        return _run(out, qt_args)


def _run(out: TextIO, qt_args: list[str]) -> int:
    from station_app import __version__

    test = SelfTest(out)
    frozen = bool(getattr(sys, "frozen", False))
    test.say(f"Station {__version__} self-test ({'frozen bundle' if frozen else 'from source'})")
    with tempfile.TemporaryDirectory(prefix="station-self-test-") as temp:
        _checks(test, Path(temp), qt_args, frozen)
    test.say("Self-test FAILED" if test.failed else "Self-test passed")
    return 1 if test.failed else 0


def _checks(test: SelfTest, temp: Path, qt_args: list[str], frozen: bool) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication

    from station_app.resource_files import resources_dir
    from station_app.services.paths import StationPaths

    folders = [temp / name for name in ("config", "data", "logs", "cache")]
    for folder in folders:
        folder.mkdir()
    paths = StationPaths(*folders)
    state: dict[str, object] = {}

    def start_qt() -> str:
        from station_app.ui.theme import apply_theme

        app = QApplication([sys.argv[0], *qt_args])
        app.setApplicationName("Station")
        apply_theme(app)
        from station_app.ui.icons import ICONS, icon

        missing = [name for name in sorted(ICONS) if icon(name).isNull()]
        if missing:
            raise RuntimeError(f"icons not found or not drawn in {resources_dir()}: {missing}")
        state["app"] = app
        return f"platform {app.platformName()}, {len(ICONS)} icons from {resources_dir()}"

    def open_shell() -> str:
        from station_app.app import build_station, show_first_screen

        settings = QSettings(str(paths.config_dir / "station.ini"), QSettings.Format.IniFormat)
        args = argparse.Namespace(demo=True, server=None)
        first = show_first_screen(settings, paths, args)
        shell = build_station(first, settings, paths)
        state["shell"] = shell
        deadline = time.monotonic() + 10
        while not (first.dialog is not None and first.dialog.isVisible()):
            QApplication.processEvents()
            if time.monotonic() > deadline:
                raise RuntimeError("the sign-in dialog did not show")
        from station_app.ui.theme import StationStyle, current_theme

        if not isinstance(first.window.style(), StationStyle):
            raise RuntimeError("the main window is not dressed by the Station style")
        if first.window.palette().window().color() != QColor(current_theme().window):
            raise RuntimeError("the main window does not wear the theme's colours")
        tabs = ", ".join(first.window.tabs.tabText(i) for i in range(first.window.tabs.count()))
        return f"main window (styled) and sign-in dialog shown; tabs: {tabs}"

    def check_keyring() -> str:
        import keyring

        backend = type(keyring.get_keyring())
        name = f"{backend.__module__}.{backend.__qualname__}"
        if frozen and sys.platform == "win32" and "Windows" not in backend.__module__:
            raise RuntimeError(f"expected Windows Credential Manager, got {name}")
        return name

    def start_server() -> str:
        from station_app.ui.shell import Shell

        shell = state["shell"]
        assert isinstance(shell, Shell) and shell.embedded is not None
        shell.embedded.start()
        url = shell.embedded.wait_ready(timeout=90)
        shell.session.base_url = url
        health = shell.session.health()
        how = "Station --server-process" if frozen else "python -m station_app.server"
        return f"{how} at {url}, migrated, health {health.get('status', health)}"

    def sign_in_and_sync() -> str:
        from station_app.ui.shell import Shell

        shell = state["shell"]
        assert isinstance(shell, Shell)
        saved, user = shell.auth.login(DEMO_USER, DEMO_PASSWORD)
        shell.session.token = saved.token
        result = shell.reference_sync.sync()
        offences = shell.reference_cache.count("offences")
        if offences == 0:
            raise RuntimeError("no offences reached the reference cache")
        return (
            f"signed in as {user.username}; cache at {shell.reference_cache.db_path.name}: "
            f"{len(result.changed)} datasets, {offences} offences"
        )

    def build_one_pdf() -> str:
        from reportlab.platypus import Paragraph

        from station_app.documents.pdf import PageFrame, build_pdf, styles

        story = [Paragraph("Station self-test: fonts, layout and page frame.", styles()["Body"])]
        pdf = build_pdf(story, PageFrame(title="Station self-test"))
        if not pdf.startswith(b"%PDF") or b"FontFile2" not in pdf:
            raise RuntimeError("the PDF has no embedded font")
        return f"{len(pdf)} bytes, DejaVu Sans embedded"

    try:
        test.check("Qt offscreen and theme", start_qt)
        test.check("shell", open_shell)
        test.check("keyring backend", check_keyring)
        test.check("built-in demo server", start_server)
        test.check("sign-in and reference cache", sign_in_and_sync)
        test.check("PDF", build_one_pdf)
    finally:
        shell = state.get("shell")
        if shell is not None:
            from station_app.ui.shell import Shell

            assert isinstance(shell, Shell)
            shell.shutdown()
            shell.window.close()
