"""Composition root: builds the services once, hands them to the views, registers the tabs.

This is the only module that knows every part. Only Qt and the window frame are imported
before the window is shown; everything heavy is imported in `build_station`, behind a zero-delay
timer, once the window is on screen.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from station_app import __version__
from station_app.ui.main_window import MainWindow
from station_app.ui.theme import apply_theme

if TYPE_CHECKING:
    from station_app.services.paths import StationPaths
    from station_app.ui.shell import Shell

log = logging.getLogger(__name__)

SERVER_SETTING = "server_url"


def user_settings(paths: StationPaths) -> QSettings:
    """The officer's own preferences and window state (never personal data)."""
    return QSettings(str(paths.config_dir / "station.ini"), QSettings.Format.IniFormat)


def run(
    args: argparse.Namespace, qt_args: list[str], paths: StationPaths, *, started: float
) -> int:
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Station")
    app.setOrganizationName("Station")
    app.setApplicationVersion(__version__)
    apply_theme(app)
    settings = user_settings(paths)
    window = MainWindow(settings)
    window.show()

    built: dict[str, Shell] = {}

    def build() -> None:
        shell = build_station(window, settings, paths, args)
        built["shell"] = shell
        if args.quit_when_ready:
            shell.ready.connect(lambda what: _quit_ready(app, what, started))
        shell.start()

    QTimer.singleShot(0, build)
    code = app.exec()
    if "shell" in built:
        built["shell"].shutdown()
    return int(code)


def _quit_ready(app: QApplication, what: str, started: float) -> None:
    print(f"ready {what} {(time.perf_counter() - started) * 1000:.1f} ms", flush=True)
    app.quit()


def build_station(
    window: MainWindow, settings: QSettings, paths: StationPaths, args: argparse.Namespace
) -> Shell:
    from station_app.services.api import ApiSession
    from station_app.services.auth import AuthClient, CredentialStore
    from station_app.services.embedded_server import EmbeddedServer
    from station_app.services.machine_settings import effective_setting, load_machine_settings
    from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync
    from station_app.ui.runner import OperationRunner
    from station_app.ui.shell import Shell, ShellOptions
    from station_app.views.reference.view import ReferenceView

    machine = load_machine_settings()
    user_server = settings.value(SERVER_SETTING) or None
    server_url = args.server or effective_setting(SERVER_SETTING, user_server, machine)
    embedded = None
    if args.demo or not server_url:
        embedded = EmbeddedServer(paths.data_dir)
        server_url = ""
        credential_key = "embedded-demo-server"
    else:
        credential_key = str(server_url).rstrip("/")
    log.info("Core system: %s", server_url or "embedded demo server")

    runner = OperationRunner(window)
    session = ApiSession(
        str(server_url).rstrip("/"),
        workstation=socket.gethostname(),
        ca_bundle=machine.ca_bundle,
    )
    cache = ReferenceCache(paths.data_dir / "reference-cache.db")
    shell = Shell(
        window,
        runner,
        session=session,
        auth=AuthClient(session),
        credentials=CredentialStore(credential_key),
        reference_cache=cache,
        reference_sync=ReferenceSync(ReferenceApi(session), cache),
        embedded=embedded,
        options=ShellOptions(
            idle_lock_minutes=float(settings.value("lock/idle_minutes", 10)),
            sync_minutes=float(settings.value("reference/sync_minutes", 5)),
        ),
    )
    # The tabs, in the order officers see them. Later issues add Incidents, Custody and
    # Case files here, each given only the services it needs.
    window.add_tab(ReferenceView(cache, runner), ReferenceView.title)
    shell.show_last_sync()
    return shell
