"""Reference data (offences, stations, courts, ...) kept in a local SQLite cache.

The cache lets the station keep working when the network does not: the UI reads it
from worker threads while a sync runs on another. A sync asks the core system what
changed (ETag / If-None-Match, then `?since=<version>` deltas; docs/api.md "Reference
data") and applies each dataset in one transaction, so a reader never sees half a
dataset and an interrupted sync leaves the cache as it was.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station_app.services.errors import ServerError
from station_app.services.reference_types import CachedDataset, ReferenceRow, SyncResult

if TYPE_CHECKING:
    from station_app.domain.search import SearchEntry
    from station_app.services.api import ApiSession
    from station_app.services.reference_store import SqliteReferenceStore

__all__ = [
    "CachedDataset",
    "ReferenceApi",
    "ReferenceCache",
    "ReferenceRow",
    "ReferenceSync",
    "SyncResult",
]

log = logging.getLogger(__name__)


class ReferenceApi:
    """GET /reference and GET /reference/{name}."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def list_datasets(self, etag: str | None) -> tuple[list[dict[str, Any]], str | None] | None:
        """The datasets and the list's ETag, or None when nothing changed since `etag`."""
        headers = {"If-None-Match": etag} if etag else None
        response = self._session.get("/reference", headers=headers)
        if response.status_code == 304:
            return None
        body = self._session.json(response)
        if not isinstance(body, dict) or not isinstance(body.get("datasets"), list):
            raise ServerError(detail="GET /reference: no 'datasets' list")
        return body["datasets"], response.headers.get("ETag")

    def dataset(self, name: str, since: int | None, etag: str | None) -> dict[str, Any] | None:
        """One dataset (whole, or what changed after `since`), or None when unchanged.

        The answer is the server's body plus "etag" from the response header.
        """
        headers = {"If-None-Match": etag} if etag else None
        params = {"since": since} if since is not None else None
        response = self._session.get(f"/reference/{name}", params=params, headers=headers)
        if response.status_code == 304:
            return None
        body = self._session.json(response)
        if not isinstance(body, dict) or not isinstance(body.get("rows"), list):
            raise ServerError(detail=f"GET /reference/{name}: no 'rows' list")
        body["etag"] = response.headers.get("ETag")
        return body


class ReferenceCache:
    """The local copy of reference data, safe to read from several threads at once.

    The database is opened on first use (always on a worker thread), so building the
    cache costs start-up nothing.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._store: SqliteReferenceStore | None = None
        self._lock = threading.Lock()

    def _opened(self) -> SqliteReferenceStore:
        with self._lock:
            if self._store is None:
                from station_app.services.reference_store import SqliteReferenceStore

                self._store = SqliteReferenceStore(self.db_path)
            return self._store

    # -- reads ---------------------------------------------------------------------

    def datasets(self) -> list[CachedDataset]:
        return self._opened().datasets()

    def dataset(self, name: str) -> CachedDataset | None:
        return self._opened().dataset(name)

    def etag(self, name: str) -> str | None:
        return self._opened().etag(name)

    def rows(
        self, name: str, *, text: str = "", offset: int = 0, limit: int = 200
    ) -> list[ReferenceRow]:
        """A page of a dataset ordered by code; every word of `text` must appear."""
        return self._opened().rows(name, text=text, offset=offset, limit=limit)

    def count(self, name: str, *, text: str = "") -> int:
        return self._opened().count(name, text=text)

    def entries(self, name: str) -> list[SearchEntry]:
        """The dataset as type-ahead entries; an offence's statutory wording is searchable."""
        return self._opened().entries(name)

    def list_etag(self) -> str | None:
        return self._opened().list_etag()

    def last_sync_at(self) -> datetime | None:
        return self._opened().last_sync_at()

    # -- writes (by ReferenceSync) -------------------------------------------------

    def record_sync(self, finished_at: datetime, list_etag: str | None = None) -> None:
        """Note a finished sync; `list_etag` only when every dataset is now current."""
        self._opened().record_sync(finished_at, list_etag)

    def apply(
        self, listed: Mapping[str, Any], body: Mapping[str, Any], synced_at: datetime
    ) -> None:
        """Apply one dataset answer in one transaction: replace all, or upsert and delete."""
        self._opened().apply(listed, body, synced_at)

    def forget(self, names: Iterable[str]) -> None:
        """Drop datasets the core system no longer lists."""
        self._opened().forget(names)

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


ProgressCallback = Callable[[int, int, str], None]


class ReferenceSync:
    """Brings the cache up to date with the core system, fetching only what changed."""

    def __init__(self, api: ReferenceApi, cache: ReferenceCache) -> None:
        self._api = api
        self._cache = cache

    def sync(self, progress: ProgressCallback | None = None) -> SyncResult:
        """One sync; raises OfflineError (cache untouched) when the server can't be reached."""
        listing = self._api.list_datasets(self._cache.list_etag())
        if listing is None:
            finished_at = datetime.now(UTC)
            self._cache.record_sync(finished_at)
            return SyncResult(True, (), 0, finished_at)
        listed, list_etag = listing
        cached = {dataset.name: dataset for dataset in self._cache.datasets()}
        stale = [
            item
            for item in listed
            if item["name"] not in cached or cached[item["name"]].version != item["version"]
        ]
        changed: list[str] = []
        rows_received = 0
        for done, item in enumerate(stale, start=1):
            name = str(item["name"])
            mine = cached.get(name)
            body = self._api.dataset(
                name,
                since=mine.version if mine is not None else None,
                etag=self._cache.etag(name) if mine is not None else None,
            )
            if body is not None:
                self._cache.apply(item, body, datetime.now(UTC))
                rows_received += len(body["rows"])
                changed.append(name)
            if progress is not None:
                progress(done, len(stale), str(item.get("title") or name))
        listed_names = {str(item["name"]) for item in listed}
        self._cache.forget(name for name in cached if name not in listed_names)
        finished_at = datetime.now(UTC)
        # The list ETag is stored last: if anything above failed, the next sync
        # asks again instead of believing the cache is current.
        self._cache.record_sync(finished_at, list_etag or "")
        log.info("reference sync: %d datasets changed, %d rows", len(changed), rows_received)
        return SyncResult(False, tuple(changed), rows_received, finished_at)
