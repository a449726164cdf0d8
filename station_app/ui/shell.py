"""The shell's behaviour: connecting, signing in and out, locking, syncing, and the status bar.

`MainWindow` is the frame; this controller drives it. It is built once by `app.py` with the
services it needs and knows nothing of any particular tab.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer, Signal

from station_app.services.api import ApiSession
from station_app.services.auth import (
    AuthClient,
    CredentialStore,
    PasswordCheck,
    SavedToken,
    UserInfo,
)
from station_app.services.embedded_server import EmbeddedServer
from station_app.services.errors import (
    OfflineError,
    ServerError,
    SignedOutError,
    StationError,
)
from station_app.services.reference import ReferenceCache, ReferenceSync, SyncResult
from station_app.ui.lock import IdleWatcher
from station_app.ui.main_window import MainWindow
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING, SignInDialog, describe_server
from station_app.ui.status_bar import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShellOptions:
    idle_lock_minutes: float = 10.0
    sync_minutes: float = 5.0
    health_seconds: float = 30.0


def describe_user(user: UserInfo) -> str:
    rank = f"{user.rank} {user.staff_number}".strip()
    station = f" · {user.station_name}" if user.station_name else ""
    return f"{user.display_name} ({rank}){station}"


class Shell(QObject):
    signed_in = Signal(object)
    """The `UserInfo` of who signed in (or a bare user name until the server says more)."""
    signed_out = Signal()

    def __init__(
        self,
        window: MainWindow,
        runner: OperationRunner,
        *,
        session: ApiSession,
        auth: AuthClient,
        credentials: CredentialStore,
        reference_cache: ReferenceCache,
        reference_sync: ReferenceSync,
        embedded: EmbeddedServer | None,
        options: ShellOptions,
        settings: QSettings,
        dialog: SignInDialog | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.session = session
        self.auth = auth
        self.credentials = credentials
        self.reference_cache = reference_cache
        self.reference_sync = reference_sync
        self.embedded = embedded
        self.options = options
        self.settings = settings
        self.dialog: SignInDialog | None = None
        if dialog is not None:
            self._adopt_dialog(dialog)
        self.user: UserInfo | None = None
        self.username = ""
        self._password_check: PasswordCheck | None = None
        self._server_ready = embedded is None
        self._syncing = False

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.sync_reference)
        self._health_timer = QTimer(self)
        self._health_timer.timeout.connect(self.check_health)

        window.sign_out_requested.connect(self.sign_out)
        window.lock_requested.connect(self.lock)
        window.sync_requested.connect(self.sync_reference)
        window.lock_screen.unlock_requested.connect(self._unlock)
        window.lock_screen.sign_out_requested.connect(self.sign_out)
        runner.failure.connect(self._on_failure)
        runner.busy_changed.connect(self._on_busy_changed)
        runner.progress.connect(self._on_progress)

    # --- start-up -----------------------------------------------------------------------
    def start(self) -> None:
        """Connect to the core system (starting the demo one if needed) and sign in."""
        self.window.status.set_demo(self.embedded is not None)
        if self.embedded is not None:
            embedded = self.embedded

            def start_embedded() -> str:
                embedded.start()
                return embedded.wait_ready()

            self.runner.run("server.start", start_embedded, on_success=self._on_server_ready)
        else:
            self.check_health()
        self._health_timer.start(int(self.options.health_seconds * 1000))

        try:
            saved = self.credentials.load()
        except StationError as error:  # no usable keyring: sign in each time
            log.warning("No saved sign-in: %s", error.message)
            saved = None
        if saved is not None:
            self.session.token = saved.token
            self._close_dialog()
            self._enter(saved.username)
        else:
            self._set_token_hint(False)
            self.show_sign_in()

    def _on_server_ready(self, url: str) -> None:
        self.session.base_url = url
        self._server_ready = True
        log.info("Demo server ready at %s", url)
        if self.dialog is not None:
            self.dialog.set_server(describe_server(url, True, True), ready=True)
        self.check_health()
        if self.session.token:
            self._after_sign_in()

    def _adopt_dialog(self, dialog: SignInDialog) -> None:
        self.dialog = dialog
        dialog.sign_in_requested.connect(self._sign_in)
        dialog.rejected.connect(self.window.close)

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.set_busy(False)
            self.dialog.accept()
            self.dialog.deleteLater()
            self.dialog = None

    def _set_token_hint(self, saved: bool) -> None:
        """Remember whether a sign-in is saved (never what it is), so the next start can
        paint the right first screen before the keyring has been asked."""
        self.settings.setValue(TOKEN_HINT_SETTING, saved)

    # --- signing in -----------------------------------------------------------------------
    def show_sign_in(self, message: str = "") -> None:
        self.window.show_starting("Sign in to start.")
        self.window.set_signed_in(False)
        if self.dialog is None:
            self._adopt_dialog(SignInDialog(self.window))
        assert self.dialog is not None
        self.dialog.set_server(
            describe_server(self.session.base_url, self.embedded is not None, self._server_ready),
            ready=self._server_ready,
        )
        if self.username:
            self.dialog.username.setText(self.username)
        self.dialog.password.clear()
        self.dialog.show_info(message)
        if not self.dialog.isVisible():
            self.dialog.open()
        (self.dialog.password if self.username else self.dialog.username).setFocus()

    def _sign_in(self, username: str, password: str) -> None:
        auth = self.auth

        def signed_in(result: Any) -> None:
            saved, user = result
            self._password_check = PasswordCheck.from_password(password)
            self._keep_token(saved)
            self._close_dialog()
            self._enter(username, user)

        def failed(failure: OperationFailure) -> None:
            if self.dialog is not None:
                self.dialog.show_error(failure.message)

        self.runner.run(
            "auth.login",
            lambda: auth.login(username, password),
            on_success=signed_in,
            on_failure=failed,
        )

    def _enter(self, username: str, user: UserInfo | None = None) -> None:
        """Show the tabs for a signed-in officer (from the dialog or a saved token)."""
        self.username = username
        self.user = user
        self.window.status.set_user(describe_user(user) if user else username)
        self.window.set_signed_in(True)
        self.window.show_tabs()
        for view in self.window.views():
            handler = getattr(view, "on_signed_in", None)
            if callable(handler):
                handler()
        self.idle.start(self.options.idle_lock_minutes)
        self.signed_in.emit(user or username)
        if self._server_ready:
            self._after_sign_in()

    def _after_sign_in(self) -> None:
        if self.user is None:
            self.runner.run("auth.me", self.auth.me, on_success=self._on_me)
        self.sync_reference()
        if self.options.sync_minutes > 0:
            self._sync_timer.start(int(self.options.sync_minutes * 60_000))

    def _keep_token(self, saved: SavedToken) -> None:
        try:
            self.credentials.save(saved)
        except StationError as error:  # no keyring: carry on, just ask again next time
            log.warning("The sign-in could not be kept in the keyring: %s", error.message)
            return
        self._set_token_hint(True)

    def _forget_token(self) -> None:
        try:
            self.credentials.clear()
        except StationError as error:
            log.warning("The keyring could not be cleared: %s", error.message)
        self._set_token_hint(False)

    def _on_me(self, user: UserInfo) -> None:
        self.user = user
        self.window.status.set_user(describe_user(user))
        self.signed_in.emit(user)

    # --- signing out and locking ------------------------------------------------------
    def sign_out(self) -> None:
        auth = self.auth
        self.runner.run("auth.logout", auth.logout)
        self._forget_token()
        self.session.token = None
        self.user = None
        self._password_check = None
        self._sync_timer.stop()
        self.idle.stop()
        self.window.unlock()
        for view in self.window.views():
            handler = getattr(view, "on_signed_out", None)
            if callable(handler):
                handler()
        self.window.status.set_user("Not signed in")
        self.signed_out.emit()
        self.show_sign_in("You have signed out.")

    def lock(self) -> None:
        if not self.session.token or self.window.locked:
            return
        name = self.user.display_name if self.user else self.username
        self.window.show_lock(name)

    def _unlock(self, password: str) -> None:
        if self._password_check is not None:
            if self._password_check.matches(password):
                self.window.unlock()
                self.idle.restart()
            else:
                self.window.lock_screen.show_wrong_password()
            return
        # Signed in from a saved token: the password has not been seen this session, so the
        # core system checks it (and we keep a check for next time).
        auth, username = self.auth, self.username

        def checked(result: Any) -> None:
            saved, _user = result
            self._password_check = PasswordCheck.from_password(password)
            self._keep_token(saved)
            self.window.unlock()
            self.idle.restart()

        def failed(failure: OperationFailure) -> None:
            self.window.lock_screen.message.setText(failure.message)
            self.window.lock_screen.message.show()

        self.runner.run(
            "auth.unlock",
            lambda: auth.login(username, password),
            on_success=checked,
            on_failure=failed,
        )

    # --- reference data and health ------------------------------------------------------
    def sync_reference(self) -> None:
        if self._syncing or not self.session.token or not self._server_ready:
            return
        self._syncing = True
        self.window.status.set_busy("Syncing reference data…")

        def done(result: SyncResult) -> None:
            self._syncing = False
            self.window.status.set_synced(result.finished_at)
            self.window.status.set_connection(Connection.ONLINE)

        def failed(_failure: OperationFailure) -> None:
            self._syncing = False

        self.runner.run(
            "reference.sync",
            self.reference_sync.sync,
            on_success=done,
            on_failure=failed,
            on_progress=lambda _d, _t, _x: None,
        )

    def check_health(self) -> None:
        if not self._server_ready:
            return

        def healthy(health: dict[str, Any]) -> None:
            self.window.status.set_connection(Connection.ONLINE)
            self.window.status.set_demo(bool(health.get("demo")))

        self.runner.run("server.health", self.session.health, on_success=healthy)

    def show_last_sync(self) -> None:
        # On a worker: the first use of the cache opens its database (and SQLAlchemy).
        self.runner.run(
            "reference.last_sync",
            self.reference_cache.last_sync_at,
            on_success=self.window.status.set_synced,
        )

    # --- runner events ------------------------------------------------------------------
    def _on_failure(self, failure: OperationFailure) -> None:
        error = failure.error
        if isinstance(error, OfflineError):
            self.window.status.set_connection(Connection.OFFLINE)
        elif isinstance(error, ServerError):
            self.window.status.set_connection(Connection.SERVER_ERROR)
        elif (
            isinstance(error, SignedOutError)
            and failure.operation
            not in (
                "auth.login",
                "auth.unlock",
                "auth.logout",
            )
            and self.session.token
        ):
            self._session_ended()
        if failure.operation == "server.start":
            if not self.session.token:
                self.window.show_starting(failure.message)
            if self.dialog is not None:
                self.dialog.set_server(failure.message, ready=False)

    def _session_ended(self) -> None:
        self._forget_token()
        self.session.token = None
        self.user = None
        self._sync_timer.stop()
        self.idle.stop()
        self.window.unlock()
        self.show_sign_in("Your session has ended. Sign in again to carry on.")

    def _on_busy_changed(self, busy: bool, _name: str) -> None:
        if not busy:
            self.window.status.clear_busy()

    def _on_progress(self, name: str, done: int, total: int, text: str) -> None:
        if name == "reference.sync":
            self.window.status.set_busy(f"Syncing reference data: {text}", done, total)

    # --- shutdown -----------------------------------------------------------------------
    def shutdown(self) -> None:
        self._sync_timer.stop()
        self._health_timer.stop()
        self.idle.stop()
        if self.embedded is not None:  # first, so a start-up still waiting for it ends now
            self.embedded.stop()
        self.runner.shutdown()
        self.reference_cache.close()
        self.session.close()
