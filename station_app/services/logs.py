"""Logging set-up: a memory ring of recent lines, and a rotating file in the user log folder.

The ring goes into crash reports (qutebrowser keeps the same buffer), so a crash dialog can
show what happened just before without reading the file back. The ring starts first; the
file joins once the window is on screen (`logging.handlers` costs start-up 10 ms), and
begins with every line the ring already holds, so nothing logged early is lost.
"""

from __future__ import annotations

import logging
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


def setup_logging(*, level: int = logging.INFO) -> RingBufferHandler:
    """Start Station's log in a memory ring (see `attach_log_file` for the file)."""
    root = logging.getLogger()
    root.setLevel(level)
    ring = RingBufferHandler()
    root.addHandler(ring)
    logging.captureWarnings(True)
    return ring


def attach_log_file(log_dir: Path, ring: RingBufferHandler) -> logging.Handler:
    """Add `log_dir/station.log` (rotated at 2 MB, 5 kept), starting with the ring's lines."""
    import logging.handlers

    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "station.log"
    with path.open("a", encoding="utf-8") as early:
        early.writelines(line + "\n" for line in ring.lines())
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger().addHandler(file_handler)
    return file_handler
