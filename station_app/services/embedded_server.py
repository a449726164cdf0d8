"""A core API server of its own, run as a child process for demos and training.

When no core system is configured, Station starts `station_app.server` in a child
process on a free port with demo data, and talks to it over HTTP like any other
server. The child watches its stdin: when Station closes it (or dies), the child stops.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

from station_app.services.errors import StationError

__all__ = ["EmbeddedServer"]

log = logging.getLogger(__name__)

LOG_FILE_NAME = "embedded-server.log"
_LOG_TAIL_LINES = 30
_POLL_SECONDS = 0.05

_FAILED_TO_START = (
    "The built-in demo server could not start, so Station cannot show demo data. "
    "Close Station and open it again; if it still fails, call the service desk."
)
_TOO_SLOW = (
    "The built-in demo server is taking too long to start. "
    "Close Station and open it again; if it still fails, call the service desk."
)


class EmbeddedServer:
    """Starts, waits for and stops the demo core API in a child process."""

    def __init__(self, data_dir: Path, log_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.log_path = (log_dir or data_dir) / LOG_FILE_NAME
        self.database_path = data_dir / "embedded" / "station.db"
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._ready_dir: Path | None = None
        self._url: str | None = None

    @property
    def url(self) -> str | None:
        """The server's base URL once it is ready."""
        return self._url

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def command(self, ready_file: Path) -> list[str]:
        """The child's command line; a frozen bundle routes --server-process itself."""
        if getattr(sys, "frozen", False):
            prefix = [sys.executable, "--server-process"]
        else:
            prefix = [sys.executable, "-m", "station_app.server"]
        return [
            *prefix,
            "serve",
            "--port",
            "0",
            "--database-url",
            f"sqlite:///{self.database_path}",
            "--demo",
            "--seed-demo-if-empty",
            "--ready-file",
            str(ready_file),
            "--watch-stdin",
        ]

    @property
    def _ready_file(self) -> Path:
        assert self._ready_dir is not None
        return self._ready_dir / "ready.json"

    def start(self) -> None:
        """Spawn the child; call wait_ready() for its URL."""
        if self.running:
            return
        self.database_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # A fresh folder each time, so a ready file left by an earlier run is never read.
        self._ready_dir = Path(tempfile.mkdtemp(prefix="station-embedded-"))
        self._url = None
        self._log_file = self.log_path.open("ab")
        creationflags = 0
        if sys.platform == "win32":
            # No console window flashing up behind Station.
            creationflags = subprocess.CREATE_NO_WINDOW
        command = self.command(self._ready_file)
        log.info("starting the embedded server: %s", " ".join(command))
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                cwd=str(self.data_dir),
                creationflags=creationflags,
            )
        except OSError as error:
            self._close_files()
            raise StationError(_FAILED_TO_START, detail=f"spawn failed: {error!r}") from error

    def wait_ready(self, timeout: float = 30.0) -> str:
        """Wait for the child to say where it listens; return its URL."""
        if self._process is None:
            raise StationError(_FAILED_TO_START, detail="wait_ready() before start()")
        deadline = time.monotonic() + timeout
        while True:
            ready = self._read_ready_file()
            if ready is not None:
                self._url = str(ready["url"]).rstrip("/")
                log.info("embedded server ready at %s (pid %s)", self._url, ready.get("pid"))
                return self._url
            code = self._process.poll()
            if code is not None:
                detail = f"exited with code {code}; log:\n{self.log_tail()}"
                self.stop()
                raise StationError(_FAILED_TO_START, detail=detail)
            if time.monotonic() >= deadline:
                detail = f"not ready after {timeout:.0f} s; log:\n{self.log_tail()}"
                self.stop()
                raise StationError(_TOO_SLOW, detail=detail)
            time.sleep(_POLL_SECONDS)

    def _read_ready_file(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self._ready_file.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            # Not there yet, or caught half-written: look again next poll.
            return None
        return data if isinstance(data, dict) and "url" in data else None

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The last lines of the child's log, for our own log and crash reports."""
        if self._log_file is not None:
            with contextlib.suppress(OSError, ValueError):
                self._log_file.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 5) -> None:
        """Ask the child to stop by closing its stdin; insist if it does not."""
        process = self._process
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.warning("embedded server did not stop when asked; terminating it")
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=2)
        self._process = None
        self._url = None
        self._close_files()

    def _close_files(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        if self._ready_dir is not None:
            with contextlib.suppress(OSError):
                self._ready_file.unlink(missing_ok=True)
                self._ready_dir.rmdir()
            self._ready_dir = None
