"""Sends the outbox in the background when the core system is back: through the runner,
oldest first, retrying with backoff (2 s, 4 s, … up to a minute) while it cannot be reached.

One sender serves the workstation for as long as Station runs (`app.py` makes it): reports
wait in the outbox whoever is signed in, and each goes once its own officer signs in."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from station_app.services.errors import OfflineError, ServerError
from station_app.services.incidents import IncidentsApi
from station_app.services.outbox import DrainResult, Outbox
from station_app.ui.runner import OperationFailure, OperationRunner

FIRST_RETRY_MS = 2_000
LONGEST_RETRY_MS = 60_000


class OutboxSender(QObject):
    waiting_changed = Signal(int, bool)
    """How many reports wait, and whether the core system could not be reached."""
    attention_changed = Signal(int)
    """How many reports the server refused (they wait for the officer)."""
    sent = Signal(list)
    """[(idempotency key, crime reference number)] sent by the last drain."""

    def __init__(
        self,
        runner: OperationRunner,
        api: IncidentsApi,
        outbox: Outbox,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.api = api
        self.outbox = outbox
        self.username = ""
        self.waiting = 0
        self.offline = False
        self._running = False
        self._again = False
        self.first_retry_ms = FIRST_RETRY_MS
        self.longest_retry_ms = LONGEST_RETRY_MS
        self._delay_ms = FIRST_RETRY_MS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.send_now)

    def set_backoff(self, first_ms: int, longest_ms: int) -> None:
        self.first_retry_ms = self._delay_ms = first_ms
        self.longest_retry_ms = longest_ms

    def set_user(self, username: str) -> None:
        """The officer signed in (their reports can go now), or "" at sign-out."""
        self.username = username
        if username:
            self.send_now()
        else:
            self._timer.stop()

    def refresh_count(self) -> None:
        outbox = self.outbox

        def counted(counts: tuple[int, int]) -> None:
            self._set_waiting(counts[0])
            self.attention_changed.emit(counts[1])

        self.runner.run(
            "incidents.outbox.count",
            lambda: (outbox.waiting_count(), len(outbox.needs_attention())),
            on_success=counted,
            lasting=True,
        )

    def send_now(self) -> None:
        """Try to send what waits (a new report queued, a sign-in, the retry timer)."""
        api, outbox, username = self.api, self.outbox, self.username
        if not username:
            return
        if self._running:
            self._again = True
            return
        self._timer.stop()
        self._running = True
        self.runner.run(
            "incidents.outbox.send",
            lambda: outbox.drain(api, username),
            on_success=self._drained,
            on_failure=self._failed,
            lasting=True,
        )

    def stop(self) -> None:
        self._timer.stop()

    def _drained(self, result: DrainResult) -> None:
        self._running = False
        if result.sent:
            self.sent.emit(result.sent)
        if result.rejected:
            self.refresh_count()
        offline = isinstance(result.stopped, OfflineError | ServerError)
        if result.sent or result.rejected or result.stopped is not None:
            # Only a drain that spoke to the server knows whether it is reachable.
            changed = offline != self.offline
            self.offline = offline
            self._set_waiting(result.waiting, force=changed or bool(result.sent))
        else:
            self._set_waiting(result.waiting)
        if offline:
            self._timer.start(self._delay_ms)
            self._delay_ms = min(self._delay_ms * 2, self.longest_retry_ms)
        else:
            self._delay_ms = self.first_retry_ms
        if self._again:
            self._again = False
            self.send_now()

    def _failed(self, _failure: OperationFailure) -> None:
        # The outbox files could not be read (no keyring): try again later.
        self._running = False
        self._timer.start(self.longest_retry_ms)

    def _set_waiting(self, waiting: int, force: bool = False) -> None:
        if waiting != self.waiting or force:
            self.waiting = waiting
            self.waiting_changed.emit(waiting, self.offline)
