"""The outbox: walk-in reports taken while the core system could not be reached.

Each report is one encrypted file (its own keyring key, `OUTBOX_KEY_NAME`), written
atomically, named by a sequence number so they go in the order they were taken, and
holding the idempotency key the form gave it. `drain` sends them oldest first; the
server answers a key it has seen with the report it already made, so a report whose
answer was lost is never made twice (front-desk.md: "sent exactly once"). A report the
server refuses moves to "needs attention" with the server's reason (and the fields it
names); it leaves there only when the server accepts it (sent again from the form or the
outbox) or the officer confirms the discard. Nothing is dropped.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station_app.domain.wire import parse_utc
from station_app.services.errors import (
    OfflineError,
    ServerError,
    SignedOutError,
    StationError,
    ValidationProblem,
)
from station_app.services.incidents import IncidentsApi
from station_app.services.secure_files import SecretBox, atomic_write

__all__ = ["OUTBOX_KEY_NAME", "DrainResult", "Outbox", "QueuedReport"]

log = logging.getLogger(__name__)

OUTBOX_KEY_NAME = "outbox-key"
_NAME = re.compile(r"^(\d{12})-([A-Za-z0-9_-]{1,100})\.report$")


@dataclass(frozen=True)
class QueuedReport:
    sequence: int
    idempotency_key: str
    username: str
    queued_at: datetime
    report: dict[str, Any]
    title: str = ""
    reason: str = ""
    """Why the server refused it (only in "needs attention")."""
    field_errors: dict[str, str] = field(default_factory=dict)
    """The server's problems by its field names (`victim.date_of_birth`), if it named any."""
    readable: bool = True
    """False for a file no key of this profile opens: listed, kept, never sent or deleted
    without the officer's say."""


@dataclass
class DrainResult:
    sent: list[tuple[str, str]] = field(default_factory=list)
    """(idempotency key, crime reference number) for each report the server accepted."""
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(idempotency key, the server's reason) for each report moved to needs attention."""
    stopped: StationError | None = None
    """Why the drain stopped early (offline, signed out); the rest wait for the next try."""
    waiting: int = 0


class Outbox:
    """Safe to call from worker threads; one drain runs at a time."""

    def __init__(self, folder: Path, box: SecretBox | None = None) -> None:
        self.folder = folder
        self.attention_folder = folder / "needs-attention"
        self._box = box or SecretBox(OUTBOX_KEY_NAME, folder.parent / "keys")
        self._lock = threading.Lock()
        self._drain_lock = threading.Lock()

    # --- queueing -------------------------------------------------------------------------
    def queue(
        self, report: dict[str, Any], idempotency_key: str, username: str, title: str = ""
    ) -> QueuedReport:
        if not _NAME.match(f"{0:012d}-{idempotency_key}.report"):
            raise ValueError("an idempotency key is letters, digits, - and _ only")
        with self._lock:
            names = [path.name for path in self._files(self.folder)]
            if any(name.endswith(f"-{idempotency_key}.report") for name in names):
                # Queued twice (a retry of the queueing itself): keep the first.
                return next(q for q in self.pending() if q.idempotency_key == idempotency_key)
            sequence = self._next_sequence()
            item = QueuedReport(
                sequence, idempotency_key, username, datetime.now(UTC), dict(report), title
            )
            self._write(self.folder / self._file_name(item), item)
        return item

    def pending(self) -> list[QueuedReport]:
        """Reports waiting to be sent, oldest first."""
        return [item for item in self._read_folder(self.folder) if item.readable]

    def needs_attention(self) -> list[QueuedReport]:
        """Reports the server refused, and any waiting report this computer cannot open."""
        unreadable = [item for item in self._read_folder(self.folder) if not item.readable]
        return sorted(
            self._read_folder(self.attention_folder) + unreadable, key=lambda i: i.sequence
        )

    def waiting_count(self) -> int:
        return len(self.pending())

    def files_waiting(self) -> int:
        """How many reports are kept here unsent (a directory listing, nothing decrypted:
        cheap enough to ask on the UI thread when Station is about to quit)."""
        return len(self._files(self.folder))

    def forget_attention(
        self, idempotency_key: str, *, keep: str = "", discarded: bool = False
    ) -> int:
        """A refused report is dealt with: the server accepted it, or the officer confirmed
        its discard (`discarded`). Only then (and for older copies, `keep` naming the newest
        file) does it leave "needs attention". Returns how many files went."""
        gone = 0
        with self._lock:
            # A report no key here opens waits in the outbox folder itself; only the
            # officer's confirmed discard removes it (and only that key's file is opened).
            unopenable = [
                path
                for path in (self._files(self.folder) if discarded else [])
                if _key_of(path) == idempotency_key and self._box.decrypt(path.read_bytes()) is None
            ]
            for path in self._files(self.attention_folder) + unopenable:
                if _key_of(path) == idempotency_key and path.name != keep:
                    path.unlink(missing_ok=True)
                    gone += 1
        return gone

    # --- sending ----------------------------------------------------------------------------
    def drain(self, api: IncidentsApi, username: str) -> DrainResult:
        """Send what waits, in order, for `username` (whose session `api` uses)."""
        result = DrainResult()
        if not self._drain_lock.acquire(blocking=False):
            result.waiting = self.waiting_count()
            return result  # another worker is draining already
        try:
            for item in self.pending():
                if item.username != username:
                    continue  # sent when its own officer signs in (the key is per officer)
                try:
                    incident = api.create(item.report, item.idempotency_key)
                except (OfflineError, ServerError, SignedOutError) as error:
                    # Not refused: not reached, or not signed in. Keep it and the order.
                    result.stopped = error
                    break
                except StationError as error:
                    fields = error.field_errors if isinstance(error, ValidationProblem) else {}
                    self._move_to_attention(item, error.message, fields)
                    result.rejected.append((item.idempotency_key, error.message))
                    continue
                (self.folder / self._file_name(item)).unlink(missing_ok=True)
                # Sent again after a refusal (queued from the form): accepted now, so done.
                self.forget_attention(item.idempotency_key)
                result.sent.append((item.idempotency_key, str(incident.get("reference", ""))))
        finally:
            self._drain_lock.release()
        result.waiting = self.waiting_count()
        return result

    # --- files ------------------------------------------------------------------------------
    @staticmethod
    def _file_name(item: QueuedReport) -> str:
        return f"{item.sequence:012d}-{item.idempotency_key}.report"

    def _files(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if _NAME.match(p.name))

    def _next_sequence(self) -> int:
        numbers = [
            int(match.group(1))
            for folder in (self.folder, self.attention_folder)
            for path in self._files(folder)
            if (match := _NAME.match(path.name))
        ]
        return max(numbers, default=0) + 1

    def _write(self, path: Path, item: QueuedReport) -> None:
        payload = {
            "sequence": item.sequence,
            "idempotency_key": item.idempotency_key,
            "username": item.username,
            "queued_at": item.queued_at.isoformat(),
            "report": item.report,
            "title": item.title,
            "reason": item.reason,
            "field_errors": item.field_errors,
        }
        plain = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        atomic_write(path, self._box.encrypt(plain))

    def _read_folder(self, folder: Path) -> list[QueuedReport]:
        items = []
        for path in self._files(folder):
            plain = self._box.decrypt(path.read_bytes())
            if plain is None:
                # Another profile's key, a key since lost, or damage: list it, keep the file.
                log.warning("Outbox file %s could not be opened with this profile's key", path.name)
                items.append(_unreadable(path))
                continue
            data = json.loads(plain)
            items.append(
                QueuedReport(
                    sequence=int(data["sequence"]),
                    idempotency_key=str(data["idempotency_key"]),
                    username=str(data["username"]),
                    queued_at=parse_utc(str(data["queued_at"])),
                    report=dict(data["report"]),
                    title=str(data.get("title", "")),
                    reason=str(data.get("reason", "")),
                    field_errors={
                        str(k): str(v) for k, v in dict(data.get("field_errors") or {}).items()
                    },
                )
            )
        return items

    def _move_to_attention(
        self, item: QueuedReport, reason: str, field_errors: dict[str, str]
    ) -> None:
        refused = QueuedReport(
            item.sequence,
            item.idempotency_key,
            item.username,
            item.queued_at,
            item.report,
            item.title,
            reason,
            dict(field_errors),
        )
        # Written there first, then removed here: a crash in between leaves a copy in both
        # places (the server's key check makes a resend harmless), never in neither.
        name = self._file_name(item)
        self._write(self.attention_folder / name, refused)
        (self.folder / name).unlink(missing_ok=True)
        # Refused again after a correction: the newest copy replaces the older one.
        self.forget_attention(item.idempotency_key, keep=name)


UNREADABLE_REASON = (
    "This report could not be opened on this computer: it was saved with a key this "
    "user's profile does not have (another Windows user, or the key was lost). It is kept "
    "as it is. Call the IT service desk with the file name {name}; they may be able to "
    "open it from the profile that saved it."
)


def _key_of(path: Path) -> str | None:
    match = _NAME.match(path.name)
    return match.group(2) if match else None


def _unreadable(path: Path) -> QueuedReport:
    match = _NAME.match(path.name)
    assert match is not None
    return QueuedReport(
        sequence=int(match.group(1)),
        idempotency_key=match.group(2),
        username="",
        queued_at=datetime.fromtimestamp(path.stat().st_mtime, UTC),
        report={},
        title=path.name,
        reason=UNREADABLE_REASON.format(name=path.name),
        readable=False,
    )
