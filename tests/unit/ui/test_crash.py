"""The crash handler writes a report with the traceback and the last log lines."""

from __future__ import annotations

import logging
import sys

from station_app.services.logs import RingBufferHandler
from station_app.ui.crash import CrashHandler


def test_crash_file_has_traceback_and_recent_log_lines(tmp_path):
    ring = RingBufferHandler(capacity=3)
    logger = logging.getLogger("station.test.crash")
    logger.addHandler(ring)
    logger.setLevel(logging.INFO)
    try:
        for number in range(5):
            logger.info("line %d", number)
    finally:
        logger.removeHandler(ring)
    handler = CrashHandler(show_dialogs=False)
    handler.log_dir = tmp_path
    handler.recent_lines = ring.lines
    try:
        raise RuntimeError("the custody clock fell over")
    except RuntimeError:
        handler.handle(*sys.exc_info())
    (crash_file,) = tmp_path.glob("crash-*.txt")
    text = crash_file.read_text()
    assert "RuntimeError: the custody clock fell over" in text
    assert "line 4" in text and "line 2" in text and "line 1" not in text


def test_install_and_uninstall_restore_the_previous_hook():
    previous = sys.excepthook
    handler = CrashHandler(show_dialogs=False)
    handler.install()
    try:
        assert sys.excepthook == handler.handle
    finally:
        handler.uninstall()
    assert sys.excepthook is previous
