"""Drafts of forms being typed, so nothing is lost to a crash, a kill or a power cut.

A form saves its fields here as the officer types (debounced by the form). A draft is
removed only when the core system has accepted the form or the officer discards it. Each
draft is one encrypted file (`secure_files`), so drafts never show personal data on disk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station_app.services.secure_files import SecretBox, atomic_write

log = logging.getLogger(__name__)

DRAFT_KEY_NAME = "draft-key"
_SAFE = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Draft:
    kind: str
    """What the form is: "walk_in_report", "booking_in", "mg11"…"""
    draft_id: str
    """Which one of that kind (a new form gets a random id; an edit, the record's)."""
    saved_at: datetime
    fields: dict[str, Any]
    title: str = ""
    """A short description for the restore prompt, e.g. "Walk-in report (theft)"."""


class DraftStore:
    """Drafts in one folder, one encrypted file each. Safe to call from worker threads."""

    def __init__(self, folder: Path, box: SecretBox | None = None) -> None:
        self.folder = folder
        self._box = box or SecretBox(DRAFT_KEY_NAME, folder.parent / "keys")

    def for_user(self, username: str) -> DraftStore:
        """The drafts of one officer: a shared workstation offers nobody else's work back."""
        folder = hashlib.sha256(username.casefold().encode("utf-8")).hexdigest()[:24]
        return DraftStore(self.folder / "by-user" / folder, self._box)

    def _path(self, kind: str, draft_id: str) -> Path:
        return self.folder / f"{_SAFE.sub('_', kind)}--{_SAFE.sub('_', draft_id)}.draft"

    def save(self, kind: str, draft_id: str, fields: dict[str, Any], title: str = "") -> Draft:
        draft = Draft(kind, draft_id, datetime.now(UTC), dict(fields), title)
        payload = {
            "kind": kind,
            "draft_id": draft_id,
            "saved_at": draft.saved_at.isoformat(),
            "title": title,
            "fields": fields,
        }
        plain = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        atomic_write(self._path(kind, draft_id), self._box.encrypt(plain))
        return draft

    def load(self, kind: str, draft_id: str) -> Draft | None:
        return self._read(self._path(kind, draft_id))

    def drafts(self, kind: str | None = None) -> list[Draft]:
        """Every readable draft (of `kind`, if given), newest first."""
        if not self.folder.is_dir():
            return []
        pattern = f"{_SAFE.sub('_', kind)}--*.draft" if kind else "*.draft"
        found = [draft for path in self.folder.glob(pattern) if (draft := self._read(path))]
        return sorted(found, key=lambda draft: draft.saved_at, reverse=True)

    def discard(self, kind: str, draft_id: str) -> None:
        self._path(kind, draft_id).unlink(missing_ok=True)

    def _read(self, path: Path) -> Draft | None:
        try:
            sealed = path.read_bytes()
        except OSError:
            return None
        plain = self._box.decrypt(sealed)
        if plain is None:
            # Sealed with another key (a different user profile) or damaged: keep the file
            # for IT rather than delete someone's work, but don't offer it.
            log.warning("Draft %s could not be opened with this profile's key", path.name)
            return None
        payload = json.loads(plain)
        return Draft(
            kind=payload["kind"],
            draft_id=payload["draft_id"],
            saved_at=datetime.fromisoformat(payload["saved_at"]),
            fields=dict(payload["fields"]),
            title=payload.get("title", ""),
        )
