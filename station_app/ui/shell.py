"""The shell's behaviour: connecting, signing in and out, locking, syncing, and the status bar.

`MainWindow` is the frame; this controller drives it and owns the `UserSession`. It is built
once by `app.py` with the services it needs and knows nothing of any particular tab: at
sign-in the window makes the tabs for the officer, at sign-out it destroys them.

The keyring is only touched on a worker, one call at a time and in order (a slow Secret
Service must not freeze the window, and a sign-out's clear must not overtake a sign-in's save).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QWidget

from station_app.services.api import ApiSession
from station_app.services.auth import (
    AuthClient,
    CredentialStore,
    PasswordCheck,
    SavedToken,
    UserInfo,
)
from station_app.services.embedded_server import EmbeddedServer
from station_app.services.errors import OfflineError, ServerError, SignedOutError
from station_app.services.reference import ReferenceCache, ReferenceSync, SyncResult
from station_app.ui.lock import IdleWatcher
from station_app.ui.main_window import MainWindow
from station_app.ui.painted import after_first_paint
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.session import UserSession
from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING, SignInDialog, describe_server
from station_app.ui.status_bar import Connection

log = logging.getLogger(__name__)

# Operations whose 401 is part of signing in, not a session that has ended.
_SIGN_IN_OPERATIONS = frozenset({"auth.login", "auth.unlock", "auth.logout"})


WARM_UP_LATEST_MS = 4000
"""The longest start-up holds warm-up work back (`OperationRunner.run(warm_up=True)`)."""


@dataclass(frozen=True)
class ShellOptions:
    idle_lock_minutes: float = 10.0
    sync_minutes: float = 5.0
    health_seconds: float = 10.0
    me_retry_seconds: float = 3.0


def describe_user(user: UserInfo) -> str:
    rank = f"{user.rank} {user.staff_number}".strip()
    station = f" · {user.station_name}" if user.station_name else ""
    return f"{user.display_name} ({rank}){station}"


class Shell(QObject):
    def __init__(
        self,
        window: MainWindow,
        runner: OperationRunner,
        *,
        user_session: UserSession,
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
        # Warm-ups (type-ahead indexes, the last sync time) wait until the landing tab is
        # usable or the sign-in dialog is up, and never longer than WARM_UP_LATEST_MS.
        runner.hold_warm_ups()
        QTimer.singleShot(WARM_UP_LATEST_MS, runner.release_warm_ups)
        self.user_session = user_session
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
        self.username = ""
        self._password_check: PasswordCheck | None = None
        self._server_ready = embedded is None
        self._syncing = False
        self._confirmed = False
        """Whether the core system has confirmed this session's user (/auth/me or login)."""
        self._keyring_jobs: deque[Callable[[], object]] = deque()
        self._keyring_busy = False

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(lambda: self.lock(idle=True))
        self._sync_timer = QTimer(self)
        self._sync_timer.timeout.connect(self.sync_reference)
        self._health_timer = QTimer(self)
        self._health_timer.timeout.connect(self.check_health)

        window.sign_out_requested.connect(self.sign_out)
        window.lock_requested.connect(lambda: self.lock(idle=False))
        window.sync_requested.connect(self.sync_reference)
        window.lock_screen.unlock_requested.connect(self._unlock)
        window.lock_screen.sign_out_requested.connect(self.sign_out)
        runner.failure.connect(self._on_failure)
        runner.busy_changed.connect(self._on_busy_changed)
        runner.progress.connect(self._on_progress)

    @property
    def user(self) -> UserInfo | None:
        return self.user_session.user

    # --- start-up -----------------------------------------------------------------------
    def start(self) -> None:
        """Connect to the core system (starting the demo one if needed) and sign in."""
        self.window.status.set_demo(self.embedded is not None)
        if self.embedded is not None:
            embedded = self.embedded

            def start_embedded() -> str:
                embedded.start()
                return embedded.wait_ready()

            self.runner.run(
                "server.start", start_embedded, on_success=self._on_server_ready, lasting=True
            )
        else:
            self.check_health()
        self._health_timer.start(int(self.options.health_seconds * 1000))
        self._keyring("keyring.load", self.credentials.load, self._saved_sign_in_read)

    def _saved_sign_in_read(self, saved: SavedToken | None) -> None:
        if self.session.token:
            return  # signed in through the dialog while the keyring was being read
        if saved is None:
            self._set_token_hint(False)
            if self.dialog is None or not self.dialog.isVisible():
                self.show_sign_in()
            return  # else the first screen shows it already: leave what is typed alone
        self.session.token = saved.token
        self.username = saved.username
        self._close_dialog()
        if saved.user is not None:
            # Known from the last sign-in: work can start now, even offline; /auth/me
            # confirms it (or ends the session) as soon as the core system answers.
            self._enter(saved.user, confirmed=False)
        else:
            self.window.show_tabs()
            self.window.status.set_user(f"Signing in as {saved.username}…")
        if self._server_ready:
            self._confirm_user()

    def _on_server_ready(self, url: str) -> None:
        self.session.base_url = url
        self._server_ready = True
        log.info("Demo server ready at %s", url)
        if self.dialog is not None:
            self.dialog.set_server(describe_server(url, True, True), ready=True)
        self.check_health()
        if self.session.token:
            if self._confirmed:
                self._after_sign_in()
            else:
                self._confirm_user()

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

    # --- the keyring, on a worker, in order -------------------------------------------------
    def _keyring(
        self,
        name: str,
        call: Callable[[], Any],
        on_success: Callable[[Any], object] | None = None,
    ) -> None:
        def job() -> None:
            def done(result: object) -> None:
                self._keyring_done()
                if on_success is not None:
                    on_success(result)

            def failed(failure: OperationFailure) -> None:
                self._keyring_done()
                # No usable keyring: carry on; the officer signs in at each start.
                log.warning("%s: %s", name, failure.message)
                if name == "keyring.load":
                    self._saved_sign_in_read(None)

            self.runner.run(name, call, on_success=done, on_failure=failed, lasting=True)

        self._keyring_jobs.append(job)
        if not self._keyring_busy:
            self._keyring_next()

    def _keyring_next(self) -> None:
        if self._keyring_jobs:
            self._keyring_busy = True
            self._keyring_jobs.popleft()()

    def _keyring_done(self) -> None:
        self._keyring_busy = False
        self._keyring_next()

    def _keep_token(self, saved: SavedToken) -> None:
        self._keyring(
            "keyring.save",
            lambda: self.credentials.save(saved),
            lambda _r: self._set_token_hint(True),
        )

    def _forget_token(self) -> None:
        self._set_token_hint(False)
        self._keyring("keyring.clear", self.credentials.clear)

    # --- signing in -----------------------------------------------------------------------
    def show_sign_in(self, message: str = "") -> None:
        self.runner.release_warm_ups()  # the officer types: nothing else is waited for
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

        def signed_in(result: tuple[SavedToken, UserInfo]) -> None:
            saved, user = result
            self._password_check = PasswordCheck.from_password(password)
            self._keep_token(saved)
            self._close_dialog()
            self.username = username
            self._enter(user, confirmed=True)

        def failed(failure: OperationFailure) -> None:
            if self.dialog is not None:
                self.dialog.show_error(failure.message)

        self.runner.run(
            "auth.login",
            lambda: auth.login(username, password),
            on_success=signed_in,
            on_failure=failed,
            lasting=True,
        )

    def _enter(self, user: UserInfo, *, confirmed: bool) -> None:
        """Show the tabs for a signed-in officer (from the dialog or a saved sign-in)."""
        self._confirmed = confirmed
        self.username = user.username
        self.window.status.set_user(describe_user(user))
        self.window.set_signed_in(True)
        self.window.show_tabs()
        self.window.tabs_signed_in(user)
        landing = self.window.current_tab()
        if landing is None:
            self.runner.release_warm_ups()
        else:
            landing.when_ready(lambda: self._release_warm_ups_once_painted(landing.widget()))
        self.user_session.begin(user)
        self.idle.start(self.options.idle_lock_minutes)
        if self._server_ready and confirmed:
            self._after_sign_in()

    def _release_warm_ups_once_painted(self, widget: QWidget) -> None:
        """The landing tab is usable: start the warm-ups once it is on screen. Started any
        earlier, four workers' Python (type-ahead indexes, the first sync) shares the
        interpreter with that paint and held it back by 70 ms (bench/startup.py)."""
        if not widget.isVisible():  # no paint will come (a hidden window): start them now
            self.runner.release_warm_ups()
            return
        after_first_paint(widget, self.runner.release_warm_ups)
        widget.update()

    def _confirm_user(self) -> None:
        """Ask the core system who the saved token signs in (/auth/me)."""

        def confirmed(user: UserInfo) -> None:
            previous = self.user
            if previous is not None and previous != user:
                # Roles or station changed since the sign-in was saved: start afresh.
                self._leave()
            if self.user is None:
                self._enter(user, confirmed=True)
            else:
                self._confirmed = True
                self._after_sign_in()

        def failed(failure: OperationFailure) -> None:
            # Offline or the demo server still starting: ask again shortly. A 401 ends
            # the session (see _on_failure).
            if self.session.token and not isinstance(failure.error, SignedOutError):
                QTimer.singleShot(int(self.options.me_retry_seconds * 1000), self._retry_me)

        self.runner.run(
            "auth.me", self.auth.me, on_success=confirmed, on_failure=failed, lasting=True
        )

    def _retry_me(self) -> None:
        if self.session.token and not self._confirmed:
            self._confirm_user()

    def _after_sign_in(self) -> None:
        self.sync_reference()
        if self.options.sync_minutes > 0:
            self._sync_timer.start(int(self.options.sync_minutes * 60_000))

    # --- signing out and locking ------------------------------------------------------
    def sign_out(self) -> None:
        auth, token = self.auth, self.session.token
        self.session.token = None  # nothing more is asked with it; the server revokes it
        self.runner.run("auth.logout", lambda: auth.logout(token), lasting=True)
        self._forget_token()
        self._leave()
        self.show_sign_in("You have signed out.")

    def _leave(self) -> None:
        """Everything of the officer who is leaving goes: work in flight, tabs, dialogs."""
        self.runner.forget_signed_in_work()
        self._password_check = None
        self._confirmed = False
        self._sync_timer.stop()
        self.idle.stop()
        self.window.unlock()
        self.window.tabs_signed_out()
        self.user_session.end()
        self.window.set_signed_in(False)
        self.window.status.set_user("Not signed in")
        self.window.status.clear_alert()

    def lock(self, *, idle: bool) -> None:
        if not self.session.token or self.window.locked or self.user is None:
            return
        self.window.show_lock(self.user.display_name, idle=idle)

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

        def checked(result: tuple[SavedToken, UserInfo]) -> None:
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
            lasting=True,
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

        self.runner.run_with_progress(
            "reference.sync",
            self.reference_sync.sync,
            on_success=done,
            on_failure=failed,
            on_progress=lambda _d, _t, _x: None,
            lasting=True,
            warm_up=True,  # at start-up, once the landing tab is usable and painted
        )

    def check_health(self) -> None:
        if not self._server_ready:
            return

        def healthy(health: dict[str, Any]) -> None:
            self.window.status.set_connection(Connection.ONLINE)
            self.window.status.set_demo(bool(health.get("demo")))

        self.runner.run("server.health", self.session.health, on_success=healthy, lasting=True)

    def show_last_sync(self) -> None:
        # On a worker: the first use of the cache opens its database (and SQLAlchemy).
        self.runner.run(
            "reference.last_sync",
            self.reference_cache.last_sync_at,
            on_success=self.window.status.set_synced,
            lasting=True,
            warm_up=True,
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
            and failure.operation not in _SIGN_IN_OPERATIONS
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
        self._leave()
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
        if self.user is not None:
            self.window.tabs_signed_out()
        if self.embedded is not None:  # first, so a start-up still waiting for it ends now
            self.embedded.stop()
        self.runner.shutdown()
        self.reference_cache.close()
        self.session.close()
