"""The crash handler: what happens when Station meets a bug rather than an expected failure.

It writes a crash file with the traceback and the last log lines into the log folder, and,
unless `--no-err-windows` was given, shows a dialog that says what to do next. It is
installed before anything else, so it must not import Qt at module level.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class CrashHandler:
    """Turns an uncaught exception into a crash file and, if allowed, a dialog."""

    def __init__(self, *, show_dialogs: bool = True) -> None:
        self.show_dialogs = show_dialogs
        self.log_dir: Path | None = None
        self.recent_lines: Callable[[], list[str]] = list
        self._previous_hook: ExceptHook | None = None
        self._handling = False

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            self._previous_hook = None

    def handle(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        text = "".join(traceback.format_exception(kind, error, tb))
        log.critical("Uncaught exception\n%s", text)
        if self._handling:  # a crash while reporting a crash: don't loop
            sys.__excepthook__(kind, error, tb)
            return
        self._handling = True
        try:
            crash_file = self.write_crash_file(text)
            print(text, file=sys.stderr)
            if self.show_dialogs:
                self._show_dialog(text, crash_file)
        finally:
            self._handling = False

    def write_crash_file(self, traceback_text: str) -> Path | None:
        if self.log_dir is None:
            return None
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        path = self.log_dir / f"crash-{stamp}.txt"
        try:
            from station_app import __version__

            lines = self.recent_lines()
            path.write_text(
                f"Station {__version__} crash report {stamp} UTC\n\n{traceback_text}\n"
                "Last log lines:\n" + "\n".join(lines) + "\n",
                encoding="utf-8",
            )
        except OSError:
            log.exception("Could not write the crash file")
            return None
        return path

    def _show_dialog(self, traceback_text: str, crash_file: Path | None) -> None:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is None:
            return
        from station_app.ui.crash_dialog import CrashDialog

        CrashDialog(traceback_text, self.recent_lines(), crash_file).exec()
