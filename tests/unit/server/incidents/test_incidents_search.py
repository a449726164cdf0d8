"""Free-text search of reports through its index (migration incidents_0003): part of a word
or of a reference number finds the report, on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm),
an edit is found by its new words only, and the database answers from the index, not by
reading every report."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from sqlalchemy import func, insert, select, text

from station_app.server.incidents import store
from station_app.server.incidents.models import FLAG_COLUMNS, Incident
from station_app.server.incidents.store import COMMON, ListFilter, list_query, text_search
from station_app.server.migrations.versions import incidents_0005
from tests.fixtures.explain import explain, selects_sent
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
    server: LiveServer,
    count: int,
    word: str,
    has_word: Callable[[int], bool] = lambda _n: True,
    *,
    newest: datetime | None = None,
    numbered_as_made: bool = False,
    first: int = 9_000_000,
) -> None:
    """`count` reports, BK-…-`first` the newest (made at `newest`, else 10 minutes ago), one
    a minute older each; `word` in those whose number `has_word`. Their ids run from the
    newest down, unless `numbered_as_made` (the oldest first, as the server numbers them)."""
    now = datetime.now(UTC)
    newest = newest or now - timedelta(minutes=10)
    rows = []
    for n in range(count):
        reported = newest - timedelta(minutes=n)
        rows.append(
            {
                "reference": f"BK-{now.year}-{first + n:07d}",
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
        session.execute(insert(Incident), rows[::-1] if numbered_as_made else rows)
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


def test_sqlite_reads_the_newest_matches_from_the_top_of_its_index(live_server: LiveServer) -> None:
    """SQLite, newest first: FTS5 reads the matches from the highest id down and stops at
    the page, where the reports were numbered as they were made (checked on the time
    index); where they were not, every match is collected and sorted as before. The page is
    the newest matches either way."""
    server = live_server
    mark = uuid.uuid4().hex[:6]
    pair, scattered = f"pair{mark}", f"far{mark}"
    with server.db_session() as session:
        latest = session.scalar(select(func.max(Incident.reported_at)))
    after_all = max(latest or datetime.now(UTC), datetime.now(UTC)) + timedelta(hours=1)
    _bulk_reports(  # BK-…-9000000 to 9000299, the newest of all, numbered as made
        server,
        300,
        f"{pair} {scattered}",
        lambda n: n % 3 == 0,
        newest=after_all,
        numbered_as_made=True,
    )
    captured: list[tuple[str, Any]]

    def numbers(words: str, **params: Any) -> list[int]:
        nonlocal captured
        with selects_sent(server.app.state.engine, lambda s: "incident_search" in s) as sent:
            references = found(server, words, **params)
        captured = sent
        return [int(r.rsplit("-", 1)[1]) - 9_000_000 for r in references]

    def read_from_the_top() -> bool:
        """The page came from FTS5 read by id, highest first, not from collecting matches."""
        statements = [statement for statement, _ in captured]
        return any("incident_search.rowid DESC" in s for s in statements) and not any(
            "LIMIT" in s and "ORDER BY" not in s for s in statements
        )

    assert numbers(f"{pair} {scattered[1:]}", limit=10) == list(range(0, 30, 3))
    assert read_from_the_top()
    assert numbers(pair, limit=10, offset=20) == list(range(60, 90, 3))
    assert read_from_the_top()
    assert numbers(f"{pair} ws", limit=200) == []  # a short word checked on the rows
    assert numbers(pair, limit=200) == list(range(0, 300, 3))  # fewer than the page: all
    assert read_from_the_top()

    # Older reports numbered after these (an import): the time index shows it, and the page
    # is made from every match, sorted, as before.
    _bulk_reports(server, 5, pair, newest=after_all - timedelta(days=1), first=9_000_500)
    assert numbers(pair, limit=7) == list(range(0, 21, 3))  # not the imported, older ones
    assert not read_from_the_top()
    assert numbers(pair, limit=3, offset=100) == [500, 501, 502]


def test_postgres_reads_whole_only_the_reports_of_the_page(
    postgres_live_server: LiveServer, monkeypatch
) -> None:
    """PostgreSQL's trigram pass brings each match's time with its id, so a page newest
    first reads only its own reports whole, not every match."""
    server = postgres_live_server
    monkeypatch.setattr(store, "RECENT", 40)  # the server runs in this process
    monkeypatch.setattr(store, "MOST_RECENT", 150)
    word = f"paged{uuid.uuid4().hex[:6]}"
    _bulk_reports(server, 300, word, lambda n: n >= 200 and n % 5 == 0)  # none of the newest
    engine = server.app.state.engine
    with selects_sent(engine, lambda s: "incident.offence_label" in s and "LIKE" not in s) as sent:
        numbers = [int(r.rsplit("-", 1)[1]) - 9_000_000 for r in found(server, word, limit=5)]

    assert numbers == [200, 205, 210, 215, 220]
    [(statement, parameters)] = sent  # the reports read whole: by id, after the index
    asked = [value for value in parameters.values() if isinstance(value, list)]
    assert "= ANY" in statement and [len(ids) for ids in asked] == [6], statement
    # the page and one more (is there a next page?), not all 20 matches to sort them


def window_bound(statement: str) -> bool:
    """The statement that finds when a window of the newest reports begins (PostgreSQL)."""
    return statement.startswith("SELECT incident.reported_at") and "OFFSET" in statement


def test_postgres_goes_straight_to_the_index_for_words_rare_together(
    postgres_live_server: LiveServer, monkeypatch
) -> None:
    """Two words that the planner's statistics say are rare together (each in one report in
    ten) are looked up in the index at once, without first reading the newest reports, when
    the newest reports that should hold a page of them are more than MOST_RECENT; fewer, and
    that many are read first (a surname and a common postcode district). Two words in every
    report still fill the page from the newest. The statistics sample the search text
    finely (migration incidents_0005): from the default 100 texts a surname in one report in
    64 was often estimated in none."""
    server = postgres_live_server
    with server.db_session() as session:
        target = session.scalar(
            text(
                "SELECT attstattarget FROM pg_attribute "
                "WHERE attrelid = 'incident'::regclass AND attname = 'search_text'"
            )
        )
    assert target == incidents_0005.SAMPLE == 1000
    monkeypatch.setattr(store, "RECENT", 40)  # the server runs in this process
    monkeypatch.setattr(store, "MOST_RECENT", 150)
    mark = uuid.uuid4().hex[:6]
    one, other, everywhere = f"one{mark}", f"other{mark}", f"every{mark}"
    _bulk_reports(server, 400, everywhere)
    with server.db_session() as session:
        for row in session.scalars(select(Incident).where(Incident.search_text.like("%bk-%"))):
            n = int(row.reference.rsplit("-", 1)[1]) - 9_000_000
            extra = ([one] if n % 10 == 0 else []) + ([other] if n % 10 in (0, 5) else [])
            row.search_text = f"{row.search_text} {' '.join(extra)} {n % 10}x{n}"
        session.commit()
        session.connection().exec_driver_sql("ANALYZE incident")
        session.commit()
    engine = server.app.state.engine

    def asked(words: str) -> tuple[list[int], bool]:
        """(the numbers listed, whether the newest reports were read first)."""

        with selects_sent(engine, window_bound) as sent:
            references = found(server, words, limit=5)
        return [int(r.rsplit("-", 1)[1]) - 9_000_000 for r in references], bool(sent)

    # Estimated in 1 report in 50: a page and one more in the newest 450, over MOST_RECENT.
    assert asked(f"{one} {other}") == ([0, 10, 20, 30, 40], False)
    assert asked(f"{everywhere} bicycle") == ([0, 1, 2, 3, 4], True)
    monkeypatch.setattr(store, "MOST_RECENT", 1000)  # the newest 450 are read instead
    assert asked(f"{one} {other}") == ([0, 10, 20, 30, 40], True)


def test_postgres_reads_common_words_newest_first_in_windows(
    postgres_live_server: LiveServer, monkeypatch
) -> None:
    """Two words the planner takes for rare together (each in one report in ten, taken as
    independent: one in a hundred) that are always together: the windows are skipped, the
    index finds them common, and the page is then read from the newest reports in a window
    sized by COMMON, not left to a plan that may read the whole table and sort it (440 ms
    at a million reports: a surname and a postcode district)."""
    server = postgres_live_server
    monkeypatch.setattr(store, "RECENT", 40)  # the server runs in this process
    monkeypatch.setattr(store, "MOST_RECENT", 150)  # estimated: 1 in 100, in the newest 900
    monkeypatch.setattr(store, "COMMON", 20)
    mark = uuid.uuid4().hex[:6]
    one, other = f"one{mark}", f"other{mark}"
    _bulk_reports(server, 400, f"{one} {other}", lambda n: n % 10 == 0)
    with server.db_session() as session:
        session.connection().exec_driver_sql("ANALYZE incident")
        session.commit()
        reports = session.scalar(text("SELECT count(*) FROM incident"))
    engine = server.app.state.engine

    with selects_sent(engine, window_bound) as sent:
        references = found(server, f"{one} {other}", limit=5)

    assert [int(r.rsplit("-", 1)[1]) - 9_000_000 for r in references] == [0, 10, 20, 30, 40]
    # One window, after the index: at most the newest 6 x reports / 20 x 1.5 (the page and
    # one more, at the rate COMMON sets; fewer where the planner expects more matches).
    [(_statement, parameters)] = sent
    assert 5 < parameters["param_2"] < math.ceil(6 * reports / 20 * 1.5), sent


def test_a_list_reads_the_summaries_not_the_whole_reports(any_db_live_server: LiveServer) -> None:
    """The list shows each report's summary: it does not read their timelines, accounts,
    people or property (the larger part of a report)."""
    server = any_db_live_server
    mark = uuid.uuid4().hex[:8]
    token = server.token_for("frontdesk")
    for n in range(3):
        post(server, token, walk_in(account=f"Parcel {mark} taken, number {n}"))
    with selects_sent(server.app.state.engine, lambda s: "FROM incident" in s) as sent:
        assert len(found(server, mark)) == 3
        assert len(found(server, "")) >= 3

    statements = [statement for statement, _ in sent]
    assert statements and not any("incident_event" in s for s in statements), statements
    assert not any("incident.account" in s or "incident.people" in s for s in statements)


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
