"""The outbound CPS adapter: a file drop. See docs/cps-exchange.md for the format.

Sending writes `outbox/<submission>.pdf` then `outbox/<submission>.json` (the manifest,
written last so its presence means the submission is whole); each file is written to a
temporary name in the same folder, flushed to disk and renamed into place, so a reader
never sees half a file. The CPS side answers with `inbox/<submission>.ack.json`; once
applied, an acknowledgement is moved to `inbox/processed/` (unreadable ones to
`inbox/rejected-files/`).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

FORMAT = "station-cps-exchange"
FORMAT_VERSION = 1
OUTCOMES = ("accepted", "rejected")


@dataclass(frozen=True)
class Acknowledgement:
    submission_id: str
    outcome: str  # accepted / rejected
    reasons: tuple[str, ...]
    source: Path


class CpsAdapter(Protocol):
    def send(self, submission_id: str, bundle: bytes, manifest: Mapping[str, Any]) -> None: ...

    def acknowledgements(self) -> list[Acknowledgement]: ...

    def applied(self, acknowledgement: Acknowledgement) -> None: ...


def atomic_write(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class FileDropAdapter:
    """Exchange through a shared folder: `outbox/` for us to write, `inbox/` for the CPS."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.outbox = folder / "outbox"
        self.inbox = folder / "inbox"

    def _ensure(self) -> None:
        for sub in (
            self.outbox,
            self.inbox,
            self.inbox / "processed",
            self.inbox / "rejected-files",
        ):
            sub.mkdir(parents=True, exist_ok=True)

    def send(self, submission_id: str, bundle: bytes, manifest: Mapping[str, Any]) -> None:
        self._ensure()
        atomic_write(self.outbox / f"{submission_id}.pdf", bundle)
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        atomic_write(self.outbox / f"{submission_id}.json", text.encode("utf-8"))

    def acknowledgements(self) -> list[Acknowledgement]:
        self._ensure()
        found = []
        for path in sorted(self.inbox.glob("*.ack.json")):
            acknowledgement = self._read(path)
            if acknowledgement is None:
                log.warning("CPS acknowledgement %s cannot be read; moved aside", path.name)
                path.replace(self.inbox / "rejected-files" / path.name)
            else:
                found.append(acknowledgement)
        return found

    def applied(self, acknowledgement: Acknowledgement) -> None:
        source = acknowledgement.source
        source.replace(self.inbox / "processed" / source.name)

    @staticmethod
    def _read(path: Path) -> Acknowledgement | None:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            return None
        submission = body.get("submission_id")
        outcome = body.get("outcome")
        reasons = body.get("reasons", [])
        if not isinstance(submission, str) or outcome not in OUTCOMES:
            return None
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            return None
        if outcome == "rejected" and not reasons:
            return None  # a rejection always says why (docs/cps-exchange.md)
        return Acknowledgement(submission, str(outcome), tuple(reasons), path)
