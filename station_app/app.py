"""Composition root: builds the services once, hands each tab what it needs, starts the shell.

This is the only module that knows every part. It works in two steps so that Station
paints fast (see `__main__` for the phases):

- `show_first_screen`: only Qt, the window frame and the tab strip (titles only). It paints
  the sign-in dialog, or, when the last session saved a sign-in, the tabs.
- `build_station`: after that first paint, the heavy part: the `Services` (HTTP session,
  clients per feature, outbox, drafts, reference cache, keyring, runner, clock, the embedded
  demo server), the tab factories, and the shell that signs in, locks and syncs.

A tab is made by its factory when the officer first needs it, with the services it uses
and nothing else (no tab builds a client, session or outbox of its own); it is destroyed
at sign-out (`ui.tab`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from station_app import __version__
from station_app.ui.main_window import MainWindow
from station_app.ui.painted import after_first_paint
from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING, SignInDialog, describe_server
from station_app.ui.tab import OpensReferences
from station_app.ui.theme import THEME_SETTING, apply_theme

if TYPE_CHECKING:
    from station_app.domain.clock import Clock
    from station_app.domain.journey import ArrestFromReport
    from station_app.domain.roles import Role
    from station_app.services.api import ApiSession
    from station_app.services.auth import AuthClient, CredentialStore, UserInfo
    from station_app.services.casefiles import CasefilesClient
    from station_app.services.custody import CustodyClient
    from station_app.services.drafts import DraftStore
    from station_app.services.embedded_server import EmbeddedServer
    from station_app.services.incidents import IncidentsApi
    from station_app.services.logs import RingBufferHandler
    from station_app.services.machine_settings import MachineSettings
    from station_app.services.outbox import Outbox
    from station_app.services.paths import StationPaths
    from station_app.services.people import PeopleClient
    from station_app.services.reference import ReferenceCache, ReferenceSync
    from station_app.ui.runner import OperationRunner
    from station_app.ui.session import UserSession
    from station_app.ui.shell import Shell
    from station_app.ui.tab import StationTab
    from station_app.views.incidents.outbox_sender import OutboxSender

log = logging.getLogger(__name__)

SERVER_SETTING = "server_url"
TAB_TITLES = ("Incidents", "Custody", "Case files", "People", "Reference")
"""The tabs in the order officers see them (ui.md, "Layout")."""
TAB_ICONS = {
    "Incidents": "clipboard-list",
    "Custody": "door-closed",
    "Case files": "folder-open",
    "People": "users",
    "Reference": "book-open",
}
"""Each tab's icon (`ui.icons`)."""
TAB_MODULES = {
    "Incidents": "station_app.views.incidents.view",
    "Custody": "station_app.views.custody.view",
    "Case files": "station_app.views.casefiles.view",
    "People": "station_app.views.people.view",
    "Reference": "station_app.views.reference.view",
}
"""The module each tab is made from (imported when the tab is first made)."""
LANDING_HINT_SETTING = "window/last_landing"
"""The tab the last officer landed on: at the next start its module is read on a worker
while the saved sign-in comes out of the keyring (a title, nothing personal)."""


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


@dataclass(frozen=True)
class Services:
    """What the tabs and the shell work with, made once after the first paint."""

    runner: OperationRunner
    clock: Clock
    user_session: UserSession
    api: ApiSession
    auth: AuthClient
    credentials: CredentialStore
    incidents: IncidentsApi
    people: PeopleClient
    reference_cache: ReferenceCache
    reference_sync: ReferenceSync
    drafts: DraftStore
    """Every officer's drafts; a tab gets `drafts.for_user(...)`, the officer's own."""
    outbox: Outbox
    outbox_sender: OutboxSender
    embedded: EmbeddedServer | None

    # Made when their tab is first made: their records' modules cost about 15 ms of the
    # interpreter at start-up for an officer who lands on another tab (bench/startup.py).
    @cached_property
    def custody(self) -> CustodyClient:
        from station_app.services.custody import CustodyClient

        return CustodyClient(self.api)

    @cached_property
    def casefiles(self) -> CasefilesClient:
        from station_app.services.casefiles import CasefilesClient

        return CasefilesClient(self.api)


@dataclass
class FirstScreen:
    """What is on screen before any service exists."""

    window: MainWindow
    machine: MachineSettings
    server_url: str | None
    dialog: SignInDialog | None
    kind: str  # "sign-in" or "main"


def show_first_screen(
    settings: QSettings, paths: StationPaths, args: argparse.Namespace
) -> FirstScreen:
    from station_app.services.machine_settings import load_machine_settings

    machine = load_machine_settings()
    server_url = chosen_server(args, settings, machine)
    window = MainWindow(settings)
    dialog = None
    if settings.value(TOKEN_HINT_SETTING, False, type=bool):
        add_tab_pages(window)  # the tab strip is part of this first screen
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
    return FirstScreen(window, machine, server_url, dialog, kind)


def add_tab_pages(window: MainWindow) -> None:
    """The tab strip: a page per tab, by title; each tab is made later, for its officer."""
    if not window.pages():
        for title in TAB_TITLES:
            window.add_tab_page(title, TAB_ICONS.get(title, ""))


def build_services(first: FirstScreen, paths: StationPaths) -> Services:
    """Every service, once; nothing here talks to the network or the keyring yet."""
    import socket

    from station_app.domain.clock import SystemClock
    from station_app.services.api import ApiSession
    from station_app.services.auth import AuthClient, CredentialStore
    from station_app.services.drafts import DraftStore
    from station_app.services.incidents import IncidentsApi
    from station_app.services.outbox import Outbox
    from station_app.services.people import PeopleClient
    from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync
    from station_app.ui.runner import OperationRunner
    from station_app.ui.session import UserSession
    from station_app.views.incidents.outbox_sender import OutboxSender

    window = first.window
    runner = OperationRunner(window)
    embedded = None
    if not first.server_url:
        from station_app.services.embedded_server import EmbeddedServer

        embedded = EmbeddedServer(paths.data_dir, paths.log_dir)
    log.info("Core system: %s", first.server_url or "embedded demo server")
    api = ApiSession(
        first.server_url or "",
        workstation=socket.gethostname(),
        ca_bundle=first.machine.ca_bundle,
        allow_plain_http=first.machine.allow_plain_http,
    )
    cache = ReferenceCache(paths.data_dir / "reference-cache.db")
    incidents = IncidentsApi(api)
    outbox = Outbox(paths.data_dir / "outbox")
    return Services(
        runner=runner,
        clock=SystemClock(),
        user_session=UserSession(window),
        api=api,
        auth=AuthClient(api),
        # The embedded server's port changes each run; its sign-ins are kept under one name.
        credentials=CredentialStore(first.server_url or "embedded-demo-server"),
        incidents=incidents,
        people=PeopleClient(api),
        reference_cache=cache,
        reference_sync=ReferenceSync(ReferenceApi(api), cache),
        drafts=DraftStore(paths.data_dir / "drafts"),
        outbox=outbox,
        outbox_sender=OutboxSender(runner, incidents, outbox, window),
        embedded=embedded,
    )


def attach_tabs(window: MainWindow, services: Services, settings: QSettings) -> None:
    """Give each tab page its factory (what the tab needs, and nothing else) and the roles
    that use it (a tab nobody in the officer's roles uses is not shown)."""
    from station_app.domain.custody_rules import READERS as CUSTODY_READERS
    from station_app.domain.file_standard import CASEFILE_READ_ROLES
    from station_app.domain.incidents import READ_ROLES as INCIDENT_READ_ROLES
    from station_app.domain.roles import Role

    def incidents(user: UserInfo) -> StationTab:
        from station_app.views.incidents.view import IncidentsView

        return IncidentsView(
            services.runner,
            api=services.incidents,
            people=services.people,
            outbox=services.outbox,
            sender=services.outbox_sender,
            drafts=services.drafts.for_user(user.username),
            cache=services.reference_cache,
            clock=services.clock,
            arrest=arrest_and_book_in,
        )

    def arrest_and_book_in(arrest: ArrestFromReport) -> None:
        """From the Incidents tab: the Custody tab's booking-in, pre-filled (issue 10)."""
        from station_app.views.custody.view import CustodyView

        tab = window.open_tab("Custody")
        assert isinstance(tab, CustodyView)
        tab.open_booking(arrest)

    def custody(user: UserInfo) -> StationTab:
        from station_app.views.custody.view import CustodyView

        return CustodyView(
            services.runner,
            client=services.custody,
            people=services.people,
            drafts=services.drafts.for_user(user.username),
            cache=services.reference_cache,
            clock=services.clock,
            notify=window.status.show_alert,
        )

    def casefiles(user: UserInfo) -> StationTab:
        from station_app.views.casefiles.view import CasefilesView

        return CasefilesView(
            services.runner,
            client=services.casefiles,
            people=services.people,
            drafts=services.drafts.for_user(user.username),
            cache=services.reference_cache,
        )

    def people(_user: UserInfo) -> StationTab:
        from station_app.views.people.view import PeopleView

        return PeopleView(
            services.runner,
            client=services.people,
            open_record=lambda kind, reference: open_record(window, kind, reference),
        )

    def reference(_user: UserInfo) -> StationTab:
        from station_app.views.reference.view import ReferenceView

        return ReferenceView(services.reference_cache, services.runner)

    factories = dict(
        zip(TAB_TITLES, (incidents, custody, casefiles, people, reference), strict=True)
    )
    readers = {
        "Incidents": INCIDENT_READ_ROLES,
        "Custody": frozenset(Role(name) for name in CUSTODY_READERS),
        "Case files": CASEFILE_READ_ROLES,
    }
    for page in window.pages():
        roles = readers.get(page.title)
        page.attach(factories[page.title], None if roles is None else _holds_any(roles))

    def landing(user: UserInfo) -> str:
        title = landing_tab(user)
        settings.setValue(LANDING_HINT_SETTING, title)
        return title

    window.landing = landing


RECORD_TABS = {
    "incident": "Incidents",
    "custody_record": "Custody",
    "casefile": "Case files",
}
"""The tab that holds each kind of record a person's timeline names (core/links.py)."""


def open_record(window: MainWindow, record_type: str, reference: str) -> str:
    """Open a record in its own tab, for the People tab's timeline (tabs never import one
    another: this root knows them all). "" when it opened, else why not, in words."""
    title = RECORD_TABS.get(record_type)
    user = window.user
    if title is None:
        return f"{reference} is not a kind of record Station can open yet."
    if user is None or not window.page(title).serves(user):
        return f"{reference} is in the {title} tab, which your role does not use."
    tab = window.open_tab(title)
    return tab.open_reference(reference) if isinstance(tab, OpensReferences) else ""


def preload_landing(services: Services, settings: QSettings) -> None:
    """Import the last landing tab's module on a worker, while the keyring is read: making
    the tab then costs the UI thread only its widgets (bench/startup.py)."""
    import importlib

    module = TAB_MODULES.get(str(settings.value(LANDING_HINT_SETTING, "")))
    if module is not None:
        services.runner.run(
            "preload.landing", lambda: bool(importlib.import_module(module)), lasting=True
        )


def _holds_any(roles: frozenset[Role]) -> Callable[[UserInfo], bool]:
    names = {role.value for role in roles}
    return lambda user: bool(names & set(user.roles))


def landing_tab(user: UserInfo) -> str:
    """Each role lands on its own work (ui.md): the front desk on the incident log, the
    custody suite on the board, detectives on My cases, supervisors on Cases to review."""
    for role, title in (
        ("front_desk", "Incidents"),
        ("custody_officer", "Custody"),
        ("inspector", "Custody"),
        ("superintendent", "Custody"),
        ("detective", "Case files"),
        ("supervisor", "Case files"),
    ):
        if role in user.roles:
            return title
    return "Incidents"


def connect_outbox(window: MainWindow, services: Services) -> None:
    """The outbox serves the workstation: its count in the status bar, and each report
    sent once its own officer is signed in."""
    from station_app.ui.status_bar import Connection

    sender = services.outbox_sender

    def show_waiting(waiting: int, offline: bool) -> None:
        window.status.set_connection(
            Connection.OFFLINE if offline else Connection.ONLINE, waiting=waiting
        )

    sender.waiting_changed.connect(show_waiting)
    outbox = services.outbox
    window.quit_warning = lambda: _reports_waiting_warning(outbox.files_waiting())
    services.user_session.signed_in.connect(lambda user: sender.set_user(user.username))
    services.user_session.signed_out.connect(lambda: sender.set_user(""))
    sender.refresh_count()


def _reports_waiting_warning(waiting: int) -> str:
    if not waiting:
        return ""
    reports = "1 report is" if waiting == 1 else f"{waiting} reports are"
    return (
        f"{reports} waiting to be sent to the core system. They are kept safely on this "
        "computer and go once it can be reached and the officer who took them signs in "
        "here again. Quit anyway?"
    )


def build_station(first: FirstScreen, settings: QSettings, paths: StationPaths) -> Shell:
    from station_app.ui.shell import Shell, ShellOptions

    first.window.install_shortcuts()
    add_tab_pages(first.window)  # (after the sign-in dialog has painted, when it shows first)
    services = build_services(first, paths)
    attach_tabs(first.window, services, settings)
    preload_landing(services, settings)
    connect_outbox(first.window, services)
    shell = Shell(
        first.window,
        services.runner,
        user_session=services.user_session,
        session=services.api,
        auth=services.auth,
        credentials=services.credentials,
        reference_cache=services.reference_cache,
        reference_sync=services.reference_sync,
        embedded=services.embedded,
        options=ShellOptions(
            idle_lock_minutes=float(str(settings.value("lock/idle_minutes", 10))),
            sync_minutes=float(str(settings.value("reference/sync_minutes", 5))),
            health_seconds=float(str(settings.value("connection/health_seconds", 10))),
        ),
        settings=settings,
        dialog=first.dialog,
    )
    shell.show_last_sync()
    connect_appearance(first.window, settings)
    return shell


def connect_appearance(window: MainWindow, settings: QSettings) -> None:
    """View > Appearance: the theme is the officer's own preference, kept in their settings."""
    from PySide6.QtWidgets import QApplication

    from station_app.ui.theme import THEME_SETTING

    def chosen(choice: str) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, choice)
        settings.setValue(THEME_SETTING, choice)
        window.install_icons()

    window.set_theme_choice(str(settings.value(THEME_SETTING, "system")))
    window.theme_chosen.connect(chosen)
    window.install_icons()


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
    settings = user_settings(paths)
    apply_theme(app, str(settings.value(THEME_SETTING, "system")))
    first = show_first_screen(settings, paths, args)
    first_painted = first.dialog if first.dialog is not None else first.window.tabs
    built: dict[str, Shell] = {}
    quitting: list[bool] = []

    def build() -> None:
        if app.closingDown() or quitting:
            return
        from station_app.services.logs import attach_log_file

        attach_log_file(paths.log_dir, log_ring)
        shell = build_station(first, settings, paths)
        built["shell"] = shell
        if args.quit_when_ready == "content" and first.kind == "main":
            # The tab in front is made once the saved sign-in is read: quit when it paints.
            shell.user_session.signed_in.connect(lambda _user: content_shown())
        shell.start()

    def content_shown() -> None:
        # Usable: the landing tab's first list has answered and its first field has the
        # keyboard (StationTab.when_ready), and that is painted.
        tab = first.window.current_tab()
        if tab is not None:

            def painted() -> None:
                after_first_paint(tab.widget(), lambda: quit_ready("content"))
                tab.widget().update()

            tab.when_ready(painted)

    def quit_ready(what: str) -> None:
        quitting.append(True)
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
    app.shutdown()
