"""Free-text search of reports through its index (migration incidents_0003): part of a word
or of a reference number finds the report, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm),
an edit is found by its new words only, and the database answers from the index, not by
reading every report."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import insert, select

from station_app.server.incidents import store
from station_app.server.incidents.models import FLAG_COLUMNS, Incident
from station_app.server.incidents.store import COMMON, ListFilter, list_query, text_search
from tests.fixtures.explain import explain
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, bearer


def found(server: LiveServer, q: str, **params: Any) -> list[str]:
    response = requests.get(
        f"{server.api_url}/incidents",
        params={"q": q, **params},
        headers=bearer(server.token_for("detective")),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


def test_part_of_a_word_or_of_a_reference_finds_the_report(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    mark = uuid.uuid4().hex[:10]
    report = post(server, token, walk_in(account=f"Scooter {mark} taken from Quillborough Mews"))
    reference = report.json()["reference"]
    other = post(server, token, walk_in(account=f"Wallet {mark} lost")).json()["reference"]
    serial = reference.rsplit("-", 1)[1]

    assert found(server, mark) == [other, reference]
    assert found(server, f"{mark} illboro") == [reference]  # inside a word, two words
    assert found(server, f"{mark[2:8]} QUILL") == [reference]  # any case
    assert reference in found(server, f"{serial[-5:]} {mark}")  # part of the reference
    assert found(server, f"{mark} ws") == [reference]  # a short word among long ones
    assert found(server, f"{mark} nowhere-at-all") == []
    for odd in ('"', "%", "'", 'a"b*', "NEAR(", "_"):  # the search syntax is not staff's
        assert found(server, f"{mark} {odd}") == [], odd


def test_an_edited_report_is_found_by_its_new_words_only(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")
    mark = uuid.uuid4().hex[:10]
    made = post(server, token, walk_in(account=f"Bicycle {mark} Fennimore Yard")).json()
    url = f"{server.api_url}/incidents/{made['reference']}"
    headers = {**bearer(token), "If-Match": '"1"'}
    account = f"Bicycle {mark} Trelawney Yard"
    edited = requests.put(url, json=walk_in(account=account), headers=headers, timeout=10)

    assert edited.status_code == 200, edited.text
    assert found(server, f"{mark} trelawney") == [made["reference"]]
    assert found(server, f"{mark} fennimore") == []


def _bulk_reports(
    server: LiveServer, count: int, word: str, has_word: Callable[[int], bool] = lambda _n: True
) -> None:
    """`count` reports, BK-…-9000000 the newest, one a minute older each; `word` in those
    whose number `has_word`."""
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        reported = now - timedelta(minutes=n + 10)
        rows.append(
            {
                "reference": f"BK-{now.year}-{9_000_000 + n:07d}",
                "version": 1,
                "station_code": "SW",
                "status": "recorded",
                "offence_code": "DMTH003",
                "offence_label": "Theft of a pedal cycle",
                "reported_at": reported,
                "account": "",
                "people": [],
                "property": [],
                **dict.fromkeys(FLAG_COLUMNS, False),
                "search_text": f"bk-{n} {word if has_word(n) else ''} bicycle taken",
                "created_by": "test",
                "officer_name": "Test",
                "officer_number": "T1",
                "created_at": reported,
                "updated_at": reported,
            }
        )
    with server.db_session() as session:
        session.execute(insert(Incident), rows)
        session.commit()


def test_a_common_word_fills_the_page_newest_first(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    word = f"common{uuid.uuid4().hex[:6]}"
    _bulk_reports(server, COMMON + 10, word)

    with server.db_session() as session:
        search = text_search(session, [word])
    first = found(server, word, limit=3)

    assert search is not None and search.common
    assert first == [f"BK-{datetime.now(UTC).year}-{9_000_000 + n:07d}" for n in range(3)]


def test_matches_among_the_newest_and_older_reports_come_newest_first(
    any_db_live_server: LiveServer, monkeypatch
) -> None:
    """PostgreSQL reads the newest RECENT reports first and answers from them when they
    hold the page asked for; else the index. Either way the page is the newest matches."""
    server = any_db_live_server
    monkeypatch.setattr(store, "RECENT", 40)  # the server runs in this process
    monkeypatch.setattr(store, "MOST_RECENT", 150)
    mark = uuid.uuid4().hex[:6]
    dense, rare, old, sparse = f"dense{mark}", f"rare{mark}", f"old{mark}", f"sparse{mark}"
    year = datetime.now(UTC).year
    _bulk_reports(server, 200, dense, lambda n: n % 2 == 0)
    with server.db_session() as session:  # the other words, on chosen reports
        for n in range(200):
            words = [rare] if n in (5, 150, 160, 170) else []
            words += [old] if n >= 100 else []
            words += [sparse] if n % 8 == 0 else []
            if words:
                row = session.scalars(
                    select(Incident).where(Incident.reference == f"BK-{year}-{9_000_000 + n:07d}")
                ).one()
                row.search_text = f"{row.search_text} {' '.join(words)}"
        session.commit()

    def numbers(word: str, **params: Any) -> list[int]:
        return [int(r.rsplit("-", 1)[1]) - 9_000_000 for r in found(server, word, **params)]

    assert numbers(dense, limit=10) == list(range(0, 20, 2))  # 20 among the newest 40
    assert numbers(dense, limit=10, offset=10) == list(range(20, 40, 2))  # 21 not: the index
    assert numbers(rare, limit=10) == [5, 150, 160, 170]  # 1 among the newest, 3 older
    assert numbers(sparse, limit=10) == list(range(0, 80, 8))  # 5 in 40: the next 132 hold it
    assert numbers(old, limit=5) == [100, 101, 102, 103, 104]  # none among the newest
    assert numbers(f"{dense} {old}", limit=3) == [100, 102, 104]
    assert numbers(rare, limit=2, sort="reported_at") == [170, 160]  # oldest first: the index


def plan(server: LiveServer, filters: ListFilter) -> str:
    """The database's plan for the list's query (tests/fixtures/explain.py)."""
    with server.db_session() as session:
        search = text_search(session, filters.text.casefold().split())
        return explain(session, list_query(filters, datetime.now(UTC), search))


def test_free_text_is_answered_from_the_index(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    account = "Scooter taken from Quillborough Mews"
    reference = post(server, server.token_for("frontdesk"), walk_in(account=account))
    serial = reference.json()["reference"].rsplit("-", 1)[1]
    words = plan(server, ListFilter(text="quillborough mews"))
    part_of_a_reference = plan(server, ListFilter(text=serial[-5:]))

    if server.database_url.startswith("sqlite"):
        # The FTS5 index gave the ids; the reports are then read by them, not scanned.
        for shown in (words, part_of_a_reference):
            assert "USING INTEGER PRIMARY KEY" in shown and "SCAN incident" not in shown, shown
        return
    # The trigram index finds the ids; the reports are then read by them.
    for shown in (words, part_of_a_reference):
        assert "incident_pkey" in shown, shown
    with server.db_session() as session:
        likes = [Incident.search_text.like(f"%{w}%") for w in ("quillborough", serial[-5:])]
        probe = explain(session, select(Incident.id).where(*likes).limit(COMMON))
    assert "ix_incident_search_trgm" in probe, probe
