"""The reference cache and its sync against the real core API: full, unchanged, delta, offline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station_app.domain.search import TypeAheadIndex
from station_app.services.api import ApiSession
from station_app.services.errors import OfflineError
from station_app.services.reference import (
    ReferenceApi,
    ReferenceCache,
    ReferenceRow,
    ReferenceSync,
)


class RecordingReferenceApi(ReferenceApi):
    """The real API client, noting what it asked for and what the server answered."""

    def __init__(self, session: ApiSession) -> None:
        super().__init__(session)
        self.list_calls: list[str | None] = []
        self.dataset_calls: list[tuple[str, int | None, dict[str, Any] | None]] = []

    def list_datasets(self, etag: str | None) -> Any:
        self.list_calls.append(etag)
        return super().list_datasets(etag)

    def dataset(self, name: str, since: int | None, etag: str | None) -> Any:
        body = super().dataset(name, since, etag)
        self.dataset_calls.append((name, since, body))
        return body


@pytest.fixture
def session(live_server) -> Iterator[ApiSession]:
    with ApiSession(live_server.url, workstation="SW-FRONT-DESK-01") as api:
        api.token = live_server.login("frontdesk")
        yield api


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[ReferenceCache]:
    reference_cache = ReferenceCache(tmp_path / "cache" / "reference.db")
    yield reference_cache
    reference_cache.close()


@pytest.fixture
def api(session: ApiSession) -> RecordingReferenceApi:
    return RecordingReferenceApi(session)


def _server_rows(session: ApiSession, name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = session.json(session.get(f"/reference/{name}"))["rows"]
    return rows


def test_first_sync_fills_the_cache_with_every_dataset(
    api: RecordingReferenceApi, cache: ReferenceCache, session: ApiSession
) -> None:
    progress: list[tuple[int, int, str]] = []
    result = ReferenceSync(api, cache).sync(lambda *step: progress.append(step))
    assert not result.not_modified
    listed = session.json(session.get("/reference"))["datasets"]
    assert set(result.changed) == {d["name"] for d in listed}
    assert result.rows_received == sum(d["row_count"] for d in listed)
    # Progress once per dataset, counting up to the total, with the title staff read.
    assert [done for done, _total, _title in progress] == list(range(1, len(listed) + 1))
    assert {title for _done, _total, title in progress} == {d["title"] for d in listed}
    # Every dataset cached with the server's version and count.
    cached = {d.name: d for d in cache.datasets()}
    for dataset in listed:
        assert cached[dataset["name"]].version == dataset["version"]
        assert cached[dataset["name"]].row_count == dataset["row_count"]
        assert cached[dataset["name"]].title == dataset["title"]
        assert cached[dataset["name"]].synced_at is not None
    # And the rows are the server's rows, in code order.
    offences = _server_rows(session, "offences")
    rows = cache.rows("offences", limit=10_000)
    assert rows == [ReferenceRow(r["code"], r["label"], r["attributes"]) for r in offences]
    assert [row.code for row in rows] == sorted(row.code for row in rows)
    assert all(since is None for _name, since, _body in api.dataset_calls)  # full, not delta


def test_a_second_sync_with_nothing_changed_is_not_modified(
    api: RecordingReferenceApi, cache: ReferenceCache
) -> None:
    sync = ReferenceSync(api, cache)
    first = sync.sync()
    calls_after_first = len(api.dataset_calls)
    second = sync.sync()
    assert second.not_modified
    assert second.changed == ()
    assert second.rows_received == 0
    assert api.list_calls[-1] is not None  # it sent the list ETag it had stored
    assert len(api.dataset_calls) == calls_after_first  # and fetched no dataset
    assert cache.last_sync_at() == second.finished_at
    assert second.finished_at >= first.finished_at


def test_a_changed_and_a_deleted_row_arrive_as_exactly_that_delta(
    api: RecordingReferenceApi, cache: ReferenceCache, session: ApiSession, live_server
) -> None:
    sync = ReferenceSync(api, cache)
    sync.sync()
    before = {row.code: row for row in cache.rows("offences", limit=10_000)}
    version_before = cache.dataset("offences").version  # type: ignore[union-attr]
    rows = _server_rows(session, "offences")
    changed_code, deleted_code = rows[0]["code"], rows[1]["code"]
    rows[0] = {**rows[0], "label": "Theft from a shop (relabelled)"}
    del rows[1]
    live_server.import_reference("offences", rows)

    api.dataset_calls.clear()
    result = sync.sync()

    assert result.changed == ("offences",)
    assert result.rows_received == 1
    ((name, since, body),) = api.dataset_calls
    assert (name, since) == ("offences", version_before)  # it asked with since=
    assert body is not None and body["complete"] is False and body["since"] == version_before
    assert body["deleted"] == [deleted_code]
    after = {row.code: row for row in cache.rows("offences", limit=10_000)}
    assert after[changed_code].label == "Theft from a shop (relabelled)"
    assert deleted_code not in after
    # Everything else is untouched.
    del before[deleted_code]
    assert {c: r for c, r in after.items() if c != changed_code} == {
        c: r for c, r in before.items() if c != changed_code
    }
    cached = cache.dataset("offences")
    assert cached is not None
    assert cached.version == version_before + 1
    assert cached.row_count == len(after) == cache.count("offences")
    assert sync.sync().not_modified  # and then it is current again


def test_an_offline_sync_leaves_the_cache_readable(
    api: RecordingReferenceApi, cache: ReferenceCache, live_server
) -> None:
    sync = ReferenceSync(api, cache)
    sync.sync()
    synced_at = cache.last_sync_at()
    rows_before = cache.rows("offences", limit=10_000)
    live_server.stop()

    with pytest.raises(OfflineError):
        sync.sync()

    assert cache.last_sync_at() == synced_at
    assert cache.rows("offences", limit=10_000) == rows_before
    assert cache.count("offences", text="theft") > 0
    index = TypeAheadIndex(cache.entries("offences"))
    assert index.search("theft shop")[0].label.lower().startswith("theft")


def test_filtering_paging_and_counting_rows(
    api: RecordingReferenceApi, cache: ReferenceCache, session: ApiSession
) -> None:
    ReferenceSync(api, cache).sync()
    server_rows = _server_rows(session, "offences")

    def words_match(row: dict[str, Any], text: str) -> bool:
        haystack = " ".join(
            [row["code"], row["label"], *(str(v) for v in row["attributes"].values())]
        ).casefold()
        return all(word in haystack for word in text.casefold().split())

    # "%" and "_" are LIKE wildcards: what staff type is matched literally.
    for text in ["theft", "THEFT act", "1968 theft", "section", "zzzz", "", "%", "_", "either_"]:
        expected = sorted(r["code"] for r in server_rows if words_match(r, text))
        assert [r.code for r in cache.rows("offences", text=text, limit=1000)] == expected, text
        assert cache.count("offences", text=text) == len(expected), text
    all_codes = [r.code for r in cache.rows("offences", limit=1000)]
    page = cache.rows("offences", offset=5, limit=10)
    assert [r.code for r in page] == all_codes[5:15]
    assert cache.count("offences", text="%") == 0


def test_type_ahead_entries_carry_the_statutory_wording(
    api: RecordingReferenceApi, cache: ReferenceCache, session: ApiSession
) -> None:
    ReferenceSync(api, cache).sync()
    entries = {entry.code: entry for entry in cache.entries("offences")}
    for row in _server_rows(session, "offences"):
        assert entries[row["code"]].label == row["label"]
        assert entries[row["code"]].keywords == row["attributes"].get("wording", "")
    stations = cache.entries("stations")
    assert stations and all(entry.keywords == "" for entry in stations)


def test_an_empty_cache_answers_without_a_server(cache: ReferenceCache) -> None:
    assert cache.datasets() == []
    assert cache.dataset("offences") is None
    assert cache.rows("offences") == []
    assert cache.count("offences") == 0
    assert cache.entries("offences") == []
    assert cache.last_sync_at() is None


def test_reads_from_other_threads_during_a_sync_see_whole_datasets(
    api: RecordingReferenceApi, cache: ReferenceCache, session: ApiSession, live_server
) -> None:
    sync = ReferenceSync(api, cache)
    sync.sync()
    full = cache.count("offences")
    rows = _server_rows(session, "offences")
    live_server.import_reference("offences", rows[: len(rows) // 2])
    seen: set[int] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def read_while_syncing() -> None:
        try:
            while not done.is_set():
                seen.add(cache.count("offences"))
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    reader = threading.Thread(target=read_while_syncing)
    reader.start()
    try:
        sync.sync()
    finally:
        done.set()
        reader.join(timeout=10)
    assert errors == []
    assert seen <= {full, len(rows) // 2}  # never half-applied
    assert cache.count("offences") == len(rows) // 2
