"""Logging set-up: a rotating file in the user log folder and a memory ring of recent lines.

The ring goes into crash reports (qutebrowser keeps the same buffer), so a crash dialog can
show what happened just before without reading the file back.
"""

from __future__ import annotations

import logging
import logging.handlers
from collections import deque
from pathlib import Path

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class RingBufferHandler(logging.Handler):
    """Keeps the last `capacity` formatted log lines in memory."""

    def __init__(self, capacity: int = 200) -> None:
        super().__init__()
        self._lines: deque[str] = deque(maxlen=capacity)
        self.setFormatter(logging.Formatter(LOG_FORMAT))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.append(self.format(record))
        except Exception:  # a log line must never break the caller
            self.handleError(record)

    def lines(self) -> list[str]:
        return list(self._lines)


def setup_logging(log_dir: Path, *, level: int = logging.INFO) -> RingBufferHandler:
    """Send Station's log to `log_dir/station.log` (rotated) and to a memory ring."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / "station.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    ring = RingBufferHandler()
    root.addHandler(file_handler)
    root.addHandler(ring)
    logging.captureWarnings(True)
    return ring
