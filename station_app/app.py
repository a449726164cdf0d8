"""Composition root: builds the services once, hands them to the views, registers the tabs.

This is the only module that knows every part. It works in two steps so that Station
paints fast (see `__main__` for the phases):

- `show_first_screen`: only Qt, the window frame and the tabs (whose data comes later
  through the runner). It paints the sign-in dialog, or, when the last session saved a
  sign-in, the tabs.
- `build_station`: after that first paint, the heavy part: HTTP session, keyring, the
  embedded demo server, the shell that signs in, locks and syncs.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from station_app import __version__
from station_app.ui.main_window import LazyTab, MainWindow
from station_app.ui.painted import after_first_paint
from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING, SignInDialog, describe_server
from station_app.ui.theme import apply_style_sheet, apply_theme

if TYPE_CHECKING:
    from station_app.services.logs import RingBufferHandler
    from station_app.services.machine_settings import MachineSettings
    from station_app.services.paths import StationPaths
    from station_app.services.reference import ReferenceCache
    from station_app.ui.runner import OperationRunner
    from station_app.ui.shell import Shell
    from station_app.views.casefiles.view import CasefilesView
    from station_app.views.custody.view import CustodyView

log = logging.getLogger(__name__)

SERVER_SETTING = "server_url"


def user_settings(paths: StationPaths) -> QSettings:
    """The officer's own preferences and window state (never personal data)."""
    return QSettings(str(paths.config_dir / "station.ini"), QSettings.Format.IniFormat)


def chosen_server(
    args: argparse.Namespace, settings: QSettings, machine: MachineSettings
) -> str | None:
    """The core system's URL, or None for the embedded demo server."""
    from station_app.services.machine_settings import effective_setting

    if args.demo:
        return None
    user_value = settings.value(SERVER_SETTING) or None
    url = args.server or effective_setting(SERVER_SETTING, user_value, machine)
    return str(url).rstrip("/") if url else None


@dataclass
class Tabs:
    """The tabs and what they share; their views are made after the first paint."""

    runner: OperationRunner
    reference_cache: ReferenceCache
    incidents: LazyTab
    custody: LazyTab
    casefiles: LazyTab


@dataclass
class FirstScreen:
    """What is on screen before any service exists."""

    window: MainWindow
    machine: MachineSettings
    server_url: str | None
    dialog: SignInDialog | None
    kind: str  # "sign-in" or "main"
    tabs: Tabs | None = None


def add_tabs(window: MainWindow, paths: StationPaths) -> Tabs:
    """The tabs, in the order officers see them (ui.md), each given only what it needs.
    Each view is made on first use (`LazyTab`); `build_station` attaches the network
    services once they exist."""
    from station_app.services.drafts import DraftStore
    from station_app.services.reference import ReferenceCache
    from station_app.ui.runner import OperationRunner

    runner = OperationRunner(window)
    cache = ReferenceCache(paths.data_dir / "reference-cache.db")
    drafts = DraftStore(paths.data_dir / "drafts")

    def incidents() -> QWidget:
        from station_app.views.incidents.view import IncidentsView

        return IncidentsView(cache, runner, drafts)

    def custody() -> QWidget:
        from station_app.views.custody.view import CustodyView

        return CustodyView(cache, runner, drafts)

    def casefiles() -> QWidget:
        from station_app.views.casefiles.view import CasefilesView

        return CasefilesView(runner, drafts)

    def reference() -> QWidget:
        from station_app.views.reference.view import ReferenceView

        return ReferenceView(cache, runner)

    tabs = Tabs(
        runner,
        cache,
        incidents=window.add_lazy_tab("Incidents", incidents),
        custody=window.add_lazy_tab("Custody", custody),
        casefiles=window.add_lazy_tab("Case files", casefiles),
    )
    window.add_lazy_tab("Reference", reference)
    return tabs


def show_first_screen(
    settings: QSettings, paths: StationPaths, args: argparse.Namespace
) -> FirstScreen:
    from station_app.services.machine_settings import load_machine_settings

    machine = load_machine_settings()
    server_url = chosen_server(args, settings, machine)
    window = MainWindow(settings)
    dialog = None
    tabs = None
    if settings.value(TOKEN_HINT_SETTING, False, type=bool):
        tabs = add_tabs(window, paths)
        window.set_signed_in(True)
        window.show_tabs()
        window.show()
        kind = "main"
    else:
        window.show_starting("Sign in to start.")
        window.show()
        dialog = SignInDialog(window)
        dialog.set_server(
            describe_server(server_url or "", server_url is None, False),
            ready=server_url is not None,
        )
        dialog.open()
        kind = "sign-in"
    return FirstScreen(window, machine, server_url, dialog, kind, tabs)


def build_station(first: FirstScreen, settings: QSettings, paths: StationPaths) -> Shell:
    import socket

    from station_app.services.api import ApiSession
    from station_app.services.auth import AuthClient, CredentialStore
    from station_app.services.embedded_server import EmbeddedServer
    from station_app.services.reference import ReferenceApi, ReferenceSync
    from station_app.ui.shell import Shell, ShellOptions
    from station_app.views.incidents.view import bind_incidents

    first.window.install_shortcuts()
    tabs = first.tabs or add_tabs(first.window, paths)
    embedded = None if first.server_url else EmbeddedServer(paths.data_dir, paths.log_dir)
    log.info("Core system: %s", first.server_url or "embedded demo server")
    session = ApiSession(
        first.server_url or "",
        workstation=socket.gethostname(),
        ca_bundle=first.machine.ca_bundle,
    )
    shell = Shell(
        first.window,
        tabs.runner,
        session=session,
        auth=AuthClient(session),
        # The embedded server's port changes each run; its sign-ins are kept under one name.
        credentials=CredentialStore(first.server_url or "embedded-demo-server"),
        reference_cache=tabs.reference_cache,
        reference_sync=ReferenceSync(ReferenceApi(session), tabs.reference_cache),
        embedded=embedded,
        options=ShellOptions(
            idle_lock_minutes=float(settings.value("lock/idle_minutes", 10)),
            sync_minutes=float(settings.value("reference/sync_minutes", 5)),
        ),
        settings=settings,
        dialog=first.dialog,
    )
    shell.show_last_sync()
    bind_incidents(first.window, session, shell, paths)
    cast("CustodyView", tabs.custody.view()).bind(session)
    cast("CasefilesView", tabs.casefiles.view()).bind(session)
    first.window.views()  # every tab made now, then styled once (see ui.theme)
    apply_style_sheet(first.window)
    return shell


def run(
    args: argparse.Namespace,
    qt_args: list[str],
    paths: StationPaths,
    log_ring: RingBufferHandler,
    *,
    started: float,
) -> int:
    app = QApplication([sys.argv[0], *qt_args])
    app.setApplicationName("Station")
    app.setOrganizationName("Station")
    app.setApplicationVersion(__version__)
    apply_theme(app)
    settings = user_settings(paths)
    first = show_first_screen(settings, paths, args)
    first_painted = first.dialog if first.dialog is not None else first.window.tabs
    built: dict[str, Any] = {}

    def build() -> None:
        if app.closingDown() or built.get("quitting"):
            return
        from station_app.services.logs import attach_log_file

        attach_log_file(paths.log_dir, log_ring)
        shell = build_station(first, settings, paths)
        built["shell"] = shell
        shell.start()
        view = first.window.current_view()
        if args.quit_when_ready == "content" and first.kind == "main" and view is not None:
            after_first_paint(view, lambda: quit_ready("content"))
            view.update()

    def quit_ready(what: str) -> None:
        built["quitting"] = True
        print(f"ready {what} {(time.perf_counter() - started) * 1000:.1f} ms", flush=True)
        app.quit()

    # Filters run newest first, so the later-installed watcher's callback is queued first.
    after_first_paint(first_painted, build)
    if args.quit_when_ready == "first" or (
        args.quit_when_ready == "content" and first.kind == "sign-in"
    ):
        after_first_paint(first_painted, lambda: quit_ready(first.kind))
    code = app.exec()
    shell = built.get("shell")
    if shell is not None:
        shell.shutdown()
    _tear_down(app, first)
    return int(code)


def _tear_down(app: QApplication, first: FirstScreen) -> None:
    """Delete the widgets while Qt and Python are both still whole. Left to the
    interpreter's final garbage collection, PySide6 6.12 could free them in an order
    that ends in 'Fatal Python error: bool_dealloc' once the tabs had been shown."""
    import gc

    first.window.deleteLater()
    app.processEvents()
    gc.collect()
    shutdown = getattr(app, "shutdown", None)  # PySide6 6.6 and later
    if callable(shutdown):
        shutdown()
