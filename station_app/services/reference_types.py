"""The values the reference cache hands out: datasets, rows and what a sync did. Kept apart
from the cache and its SQLite store so each can name them without importing the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["CachedDataset", "ReferenceRow", "SyncResult"]


@dataclass(frozen=True, slots=True)
class CachedDataset:
    name: str
    title: str
    version: int
    row_count: int
    synced_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReferenceRow:
    code: str
    label: str
    attributes: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SyncResult:
    not_modified: bool
    changed: tuple[str, ...]
    rows_received: int
    finished_at: datetime
