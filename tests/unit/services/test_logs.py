"""The log starts in memory and the file, once attached, begins with what was logged early."""

from __future__ import annotations

import logging

from station_app.services.logs import RingBufferHandler, attach_log_file


def test_log_file_starts_with_the_early_lines_and_keeps_logging(tmp_path):
    logger = logging.getLogger("station.test.logs")
    ring = RingBufferHandler()
    logger.addHandler(ring)
    logger.setLevel(logging.INFO)
    try:
        logger.info("before the window showed")
        handler = attach_log_file(tmp_path / "logs", ring)
        logging.getLogger().removeHandler(handler)  # keep the root logger as it was
        logger.addHandler(handler)
        logger.info("after the window showed")
        handler.close()
    finally:
        logger.handlers.clear()
    text = (tmp_path / "logs" / "station.log").read_text()
    assert text.index("before the window showed") < text.index("after the window showed")
