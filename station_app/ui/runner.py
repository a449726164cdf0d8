"""The one background-operation runner: every service call runs here, off the UI thread.

A call runs on a worker of a private QThreadPool; its result or failure comes back on the UI
thread to the `on_success` / `on_failure` callbacks, and `operation_finished` tells any other
view that something changed (Anki's `aqt/operations` has the same shape). Expected failures
(`StationError`) go to `on_failure`; anything else is a bug and goes to the crash handler.

`run` is generic: the type `call` returns is the type `on_success` receives. At sign-out the
shell calls `forget_signed_in_work`: whatever a tab started for the officer who left still
finishes, but its outcome reaches no screen of the next one. Work of the station itself
(sync, health, sign-in) is started with `lasting=True` and is not forgotten.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

Progress = Callable[[int, int, str], None]
"""Told how far a long call is: done, total (0 when not known yet), what it is doing."""


@dataclass(frozen=True)
class OperationFailure:
    """What a view needs to tell the officer an operation did not work."""

    operation: str
    message: str
    error: BaseException


def _receiver_alive(callback: Callable[..., object] | None) -> bool:
    """False when `callback` is a method of a Qt object that has been deleted meanwhile (a
    view closed while its call ran): calling it would crash, and nobody is there to see."""
    if callback is None:
        return False
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject):
        import shiboken6

        return bool(shiboken6.isValid(owner))
    return True


class _WorkerSignals(QObject):
    succeeded = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int, str)


class _Job(QRunnable):
    def __init__(self, job_id: int, call: Callable[[], object], signals: _WorkerSignals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job_id = job_id
        self._call = call
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as error:  # handed to the UI thread, never swallowed
            self._signals.failed.emit(self._job_id, error)
        else:
            self._signals.succeeded.emit(self._job_id, result)


@dataclass
class _Pending:
    name: str
    on_success: Callable[[Any], object] | None
    on_failure: Callable[[OperationFailure], object] | None
    on_progress: Progress | None
    lasting: bool

    def forget(self) -> None:
        self.on_success = self.on_failure = self.on_progress = None


class OperationRunner(QObject):
    """Runs calls in the background and delivers their outcome on the UI thread."""

    operation_finished = Signal(str)
    """Emitted with the operation's name after a successful call, for other views to refresh."""
    busy_changed = Signal(bool, str)
    """Whether anything runs now, and the name of the newest operation."""
    progress = Signal(str, int, int, str)
    """Progress of an operation: name, done, total, what it is doing."""
    failure = Signal(object)
    """Every expected failure (`OperationFailure`), so the shell can track the connection."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._signals = _WorkerSignals(self)
        self._signals.succeeded.connect(self._on_succeeded)
        self._signals.failed.connect(self._on_failed)
        self._signals.progressed.connect(self._on_progressed)
        self._pending: dict[int, _Pending] = {}
        self._next_id = 1
        self._held: list[_Job] | None = None
        self._closed = False

    def run(
        self,
        name: str,
        call: Callable[[], T],
        *,
        on_success: Callable[[T], object] | None = None,
        on_failure: Callable[[OperationFailure], object] | None = None,
        lasting: bool = False,
        warm_up: bool = False,
    ) -> int:
        """Start `call` on a worker. Returns an id that `cancel` accepts.

        `warm_up`: work that makes later actions quicker but that nobody waits for now
        (building a type-ahead index, reading the last sync time). While start-up holds
        warm-ups (`hold_warm_ups`) it waits, so it does not compete with the landing tab
        for the interpreter; it starts at `release_warm_ups`."""
        return self._start(name, call, on_success, on_failure, None, lasting, warm_up)

    def run_with_progress(
        self,
        name: str,
        call: Callable[[Progress], T],
        *,
        on_progress: Progress,
        on_success: Callable[[T], object] | None = None,
        on_failure: Callable[[OperationFailure], object] | None = None,
        lasting: bool = False,
        warm_up: bool = False,
    ) -> int:
        """Start long work that says how far it is: `call` receives a `Progress` to call
        from the worker; `on_progress` hears it on the UI thread. `warm_up` as for `run`."""
        job_id = self._next_id
        signals = self._signals

        def report(done: int, total: int, text: str) -> None:
            signals.progressed.emit(job_id, done, total, text)

        return self._start(
            name, lambda: call(report), on_success, on_failure, on_progress, lasting, warm_up
        )

    def _start(
        self,
        name: str,
        call: Callable[[], T],
        on_success: Callable[[T], object] | None,
        on_failure: Callable[[OperationFailure], object] | None,
        on_progress: Progress | None,
        lasting: bool,
        warm_up: bool = False,
    ) -> int:
        job_id = self._next_id
        self._next_id += 1
        if self._closed:
            # Quitting: a worker started now could still run while Python finalises.
            log.debug("Not started after shutdown: %s", name)
            return job_id
        self._pending[job_id] = _Pending(name, on_success, on_failure, on_progress, lasting)
        self.busy_changed.emit(True, name)
        job = _Job(job_id, call, self._signals)
        if warm_up and self._held is not None:
            self._held.append(job)
        else:
            self._pool.start(job)
        return job_id

    def hold_warm_ups(self) -> None:
        """Start-up: keep warm-up work back until `release_warm_ups` (the landing tab is
        usable, or the sign-in dialog is up)."""
        if self._held is None:
            self._held = []

    def release_warm_ups(self) -> None:
        """Start the warm-up work held back, and any later at once."""
        held, self._held = self._held or [], None
        if self._closed:
            return
        for job in held:
            self._pool.start(job)

    def cancel(self, job_id: int) -> None:
        """Forget the callbacks of an operation (the work itself finishes, unseen)."""
        pending = self._pending.get(job_id)
        if pending is not None:
            pending.forget()

    def forget_signed_in_work(self) -> None:
        """At sign-out: the outcome of everything a tab started for the officer who left
        reaches nobody (the work itself finishes). Lasting work is kept."""
        for pending in self._pending.values():
            if not pending.lasting:
                pending.forget()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait_for_done(self, timeout_ms: int = 10_000) -> bool:
        """Wait for every running operation (used at shutdown and by tests)."""
        return bool(self._pool.waitForDone(timeout_ms))

    def shutdown(self) -> None:
        """Forget every outcome, start nothing more (a late signal may still ask), and wait
        for what runs."""
        self._closed = True
        for pending in self._pending.values():
            pending.forget()
        self._pending.clear()
        self._held = None
        self._pool.clear()
        self._pool.waitForDone(10_000)

    def _finish(self, job_id: int) -> _Pending | None:
        pending = self._pending.pop(job_id, None)
        self.busy_changed.emit(bool(self._pending), pending.name if pending else "")
        return pending

    @Slot(int, object)
    def _on_succeeded(self, job_id: int, result: object) -> None:
        pending = self._finish(job_id)
        if pending is None:
            return
        if pending.on_success is not None and _receiver_alive(pending.on_success):
            pending.on_success(result)
        self.operation_finished.emit(pending.name)

    @Slot(int, object)
    def _on_failed(self, job_id: int, error: BaseException) -> None:
        from station_app.services.errors import StationError

        pending = self._finish(job_id)
        if pending is None:
            return
        on_failure = pending.on_failure
        if isinstance(error, StationError):
            log.info("%s failed: %s", pending.name, error.message)
            failure = OperationFailure(pending.name, error.message, error)
            self.failure.emit(failure)
            if on_failure is not None and _receiver_alive(on_failure):
                on_failure(failure)
            return
        # A bug: tell the view something went wrong, then hand it to the crash handler.
        if on_failure is not None and _receiver_alive(on_failure):
            on_failure(
                OperationFailure(
                    pending.name,
                    "Something went wrong inside Station. The details are in the log; "
                    "please tell the IT service desk.",
                    error,
                )
            )
        sys.excepthook(type(error), error, error.__traceback__)

    @Slot(int, int, int, str)
    def _on_progressed(self, job_id: int, done: int, total: int, text: str) -> None:
        pending = self._pending.get(job_id)
        if pending is None:
            return
        self.progress.emit(pending.name, done, total, text)
        if pending.on_progress is not None and _receiver_alive(pending.on_progress):
            pending.on_progress(done, total, text)
