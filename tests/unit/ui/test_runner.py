"""The background runner delivers results and expected failures on the UI thread."""

from __future__ import annotations

import threading

from station_app.services.errors import OfflineError
from station_app.ui.runner import OperationRunner


def test_success_arrives_on_the_ui_thread_and_is_announced(qtbot):
    runner = OperationRunner()
    results, finished = [], []
    worker_threads = []
    runner.operation_finished.connect(finished.append)

    def work() -> int:
        worker_threads.append(threading.get_ident())
        return 42

    def done(value: int) -> None:
        results.append((value, threading.get_ident()))

    runner.run("test.answer", work, on_success=done)
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, threading.get_ident())]
    assert worker_threads[0] != threading.get_ident()
    assert finished == ["test.answer"]
    assert not runner.busy
    runner.shutdown()


def test_expected_failure_reaches_on_failure_with_its_message(qtbot):
    runner = OperationRunner()
    failures = []

    def work() -> None:
        raise OfflineError()

    runner.run("test.offline", work, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    assert "can't be reached" in failures[0].message
    assert isinstance(failures[0].error, OfflineError)
    runner.shutdown()


def test_progress_is_reported(qtbot):
    runner = OperationRunner()
    seen, done = [], []

    def work(progress) -> str:
        progress(1, 2, "offences")
        progress(2, 2, "courts")
        return "ok"

    runner.run_with_progress(
        "test.progress", work, on_success=done.append, on_progress=lambda *a: seen.append(a)
    )
    qtbot.waitUntil(lambda: bool(done))
    assert seen == [(1, 2, "offences"), (2, 2, "courts")]
    runner.shutdown()


def test_a_result_for_a_closed_view_is_dropped_not_crashed(qtbot):
    from PySide6.QtWidgets import QLabel

    runner = OperationRunner()
    label = QLabel()
    finished = []
    runner.operation_finished.connect(finished.append)
    release = threading.Event()
    runner.run("test.slow", lambda: release.wait(5) and "done", on_success=label.setText)
    label.deleteLater()
    qtbot.waitUntil(lambda: not _alive(label))
    release.set()
    qtbot.waitUntil(lambda: finished == ["test.slow"])
    runner.shutdown()


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_sign_out_forgets_what_tabs_started_but_not_lasting_work(qtbot):
    runner = OperationRunner()
    release = threading.Event()
    tab_results, station_results, finished = [], [], []
    runner.operation_finished.connect(finished.append)
    runner.run("tab.work", lambda: release.wait(5) and "tab", on_success=tab_results.append)
    runner.run(
        "station.sync",
        lambda: release.wait(5) and "sync",
        on_success=station_results.append,
        lasting=True,
    )
    runner.forget_signed_in_work()  # the officer signs out while both still run
    release.set()
    qtbot.waitUntil(lambda: sorted(finished) == ["station.sync", "tab.work"])
    assert tab_results == []  # nothing of the officer who left reaches the screen
    assert station_results == ["sync"]
    runner.shutdown()


def test_work_asked_for_after_shutdown_never_starts(qtbot):
    """Quitting: what a last queued signal asks for after the shutdown (the type-ahead index
    rebuilt for a sync that just finished) ran on a worker while Python was finalising, and
    Station ended in "Qt Concurrent has caught an exception thrown from a worker thread"
    (bench/startup.py saw it in 5 quits of 8)."""
    runner = OperationRunner()
    runner.shutdown()
    ran, outcomes = [], []
    runner.run("test.late", lambda: ran.append(True), on_success=outcomes.append)
    held = OperationRunner()
    held.hold_warm_ups()
    held.run("test.warm", lambda: ran.append(True), warm_up=True)
    held.shutdown()
    held.release_warm_ups()
    qtbot.wait(200)
    assert ran == [] and outcomes == []
    assert not runner.busy and not held.busy
