"""The custody routes over real HTTP: booking in, entries and their refusals, the board with
its ETag, placement edits with versions, concurrency and the audit trail."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import select, text

from station_app.server.core.audit import AuditEvent
from station_app.server.custody.models import CustodyEventRow
from tests.fixtures.custody import Client, H, M, booked, iso
from tests.fixtures.live_server import LiveServer, assert_problem


def test_booking_in_computes_relevant_time_and_custody_number(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    now = datetime.now(UTC)
    arrested, arrived = now - 3 * H, now - H
    body = booked(sergeant, H, arrested_at=iso(arrested), arrived_at=iso(arrived))

    year = now.year
    assert body["custody_number"].startswith(f"SW-{year}-")
    board_row = body["board"]
    assert datetime.fromisoformat(board_row["relevant_time"]) == arrived
    assert datetime.fromisoformat(board_row["detention_limit"]) == arrived + 24 * H
    assert board_row["offences"] == ["Robbery"]
    (entry,) = body["events"]
    assert entry["kind"] == "booked_in" and entry["officer_rank"] == "PS"
    assert entry["data"]["offences"][0]["mode_of_trial"] == "indictable"

    second = booked(sergeant, H)
    first_number = int(body["custody_number"].rsplit("-", 1)[1])
    assert second["custody_number"] == f"SW-{year}-{first_number + 1:05d}"


def test_an_override_of_the_relevant_time_needs_a_reason(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    override = iso(datetime.now(UTC) - 30 * M)
    body = assert_problem(sergeant.book(H, relevant_time_override=override), 422)
    assert "s.41" in body["detail"]
    done = booked(sergeant, H, relevant_time_override=override, override_reason="Hospital, s.41(6)")
    assert datetime.fromisoformat(done["board"]["relevant_time"]) == datetime.fromisoformat(
        override
    )
    assert done["events"][0]["data"]["override_reason"] == "Hospital, s.41(6)"


def test_impossible_bookings_are_refused_in_words(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    future = {"surname": "Later", "forenames": "Lou", "date_of_birth": "2999-01-01"}
    body = assert_problem(sergeant.book(H, person=future), 422)
    assert "date of birth" in body["detail"]
    body = assert_problem(sergeant.book(H, offences=["NOPE123"]), 422)
    assert "offence list" in body["detail"]
    now = datetime.now(UTC)
    body = assert_problem(sergeant.book(H, arrested_at=iso(now), arrived_at=iso(now - H)), 422)
    assert "before the arrest" in body["detail"]
    naive = {"arrived_at": now.replace(tzinfo=None).isoformat()}
    assert_problem(sergeant.book(H, **naive), 422)


def test_booking_is_idempotent_with_a_key(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    sergeant.headers["Idempotency-Key"] = uuid.uuid4().hex
    now = datetime.now(UTC)
    times = {"arrested_at": iso(now - 2 * H), "arrived_at": iso(now - H)}
    first = sergeant.book(H, **times)
    again = sergeant.book(H, **times)  # the same booking sent again (its answer was lost)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["custody_number"] == again.json()["custody_number"]


def test_the_rules_are_refused_with_the_rule_cited(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    sergeant, inspector = Client(server, "custody"), Client(server, "inspector")
    supt = Client(server, "superintendent")
    now = datetime.now(UTC)
    start = now - 20 * H
    record = booked(sergeant, 20 * H)
    rid = record["id"]
    assert sergeant.add(rid, "detention_authorised", start + 5 * M, grounds="Evidence").ok

    body = assert_problem(sergeant.add(rid, "review", start + 6 * H, **REVIEW), 403)
    assert "PACE s.40(1)(b)" in body["detail"]
    assert inspector.add(rid, "review", start + 6 * H, **REVIEW).status_code == 201

    body = assert_problem(supt.add(rid, "extension", start + 7 * H, **extension(start)), 422)
    assert "PACE s.42(4)(b)" in body["detail"]
    assert inspector.add(rid, "review", start + 14 * H, **REVIEW).status_code == 201
    assert supt.add(rid, "extension", start + 15 * H, **extension(start)).status_code == 201
    body = assert_problem(inspector.add(rid, "extension", start + 15 * H, **extension(start)), 403)
    assert "superintendent" in body["detail"]

    body = assert_problem(sergeant.add(rid, "visit", now + 10 * M, response="comprehensive"), 422)
    assert "future" in body["detail"] and "Annex H" in body["detail"]
    body = assert_problem(sergeant.add(rid, "visit", now, response="shrug"), 422)
    assert body["errors"][0]["field"] == "data.response"

    assert sergeant.add(rid, "released", now - M).status_code == 201
    body = assert_problem(sergeant.add(rid, "meal", now, meal="light"), 422)
    assert "after release" in body["detail"]
    assert record["custody_number"] not in {
        row["custody_number"] for row in sergeant.board().json()["rows"]
    }


REVIEW = {"outcome": "continue", "grounds": "Interview to follow", "means": "in_person"}


def extension(start: datetime) -> dict[str, Any]:
    return {
        "until": iso(start + 36 * H),
        "necessary_for_evidence": True,
        "offence_indictable": True,
        "diligent": True,
        "grounds": "Forensic results awaited",
    }


def test_the_board_answers_304_until_something_changes(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    first = sergeant.board()
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert sergeant.board(etag).status_code == 304

    record = booked(sergeant, H)
    changed = sergeant.board(etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    rows = {row["custody_number"]: row for row in changed.json()["rows"]}
    assert rows[record["custody_number"]]["next_visit_due"] is not None

    etag = changed.headers["ETag"]
    assert sergeant.add(record["id"], "visit", datetime.now(UTC), response="not_roused").ok
    assert sergeant.board(etag).status_code == 200
    assert Client(live_server, "admin").board().status_code == 200  # admin may read


def test_two_workstations_appending_at_once_lose_nothing(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    record = booked(Client(server, "custody"), 2 * H)
    clients = [Client(server, "custody"), Client(server, "custody")]
    statuses: list[int] = []
    lock = threading.Lock()

    def add_visits(client: Client, count: int) -> None:
        for _ in range(count):
            response = client.add(record["id"], "visit", datetime.now(UTC), response="not_roused")
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=add_visits, args=(c, 8)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * 16
    events = clients[0].record(record["id"])["events"]
    assert [e["sequence"] for e in events] == list(range(1, 18))
    assert sum(e["kind"] == "visit" for e in events) == 16


def test_placement_edits_use_the_version_and_stale_ones_get_409(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    record = booked(sergeant, H, cell="SW-C05")
    url = sergeant.url(f"/records/{record['id']}/placement")
    version = record["version"]

    missing = requests.put(url, json={"cell": "SW-C06"}, headers=sergeant.headers, timeout=10)
    assert_problem(missing, 428)
    headers = {**sergeant.headers, "If-Match": f'"{version}"'}
    moved = requests.put(url, json={"cell": "SW-C06"}, headers=headers, timeout=10)
    assert moved.status_code == 200, moved.text
    assert moved.json()["board"]["cell"] == "SW-C06"
    assert moved.json()["events"][-1]["kind"] == "cell_allocated"

    stale = requests.put(url, json={"observation_level": 2}, headers=headers, timeout=10)
    body = assert_problem(stale, 409)
    assert "Reload" in body["detail"]
    headers["If-Match"] = moved.headers["ETag"]
    level = requests.put(url, json={"observation_level": 2}, headers=headers, timeout=10)
    assert level.status_code == 200 and level.json()["board"]["observation_level"] == 2


def test_reads_are_audited_and_entries_cannot_be_changed(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    record = booked(sergeant, H)
    sergeant.record(record["id"])
    sergeant.board()

    with live_server.db_session() as session:
        rows = session.scalars(
            select(AuditEvent).where(
                AuditEvent.record_type.in_(["custody_record", "custody_board"])
            )
        ).all()
        actions = {(row.action, row.record_type, row.record_id) for row in rows}
        assert ("create", "custody_record", record["custody_number"]) in actions
        assert ("read", "custody_record", record["custody_number"]) in actions
        assert ("read", "custody_board", "SW") in actions
        assert all(row.workstation == "ws-custody" for row in rows if row.username == "custody")

        event = session.scalars(select(CustodyEventRow)).first()
        assert event is not None
        with pytest.raises(Exception, match="append-only"):
            session.execute(text("UPDATE custody_event SET kind = 'x'"))
        session.rollback()


def test_roles_per_route(live_server: LiveServer) -> None:
    admin = Client(live_server, "admin")
    assert_problem(admin.book(H), 403)
    detective = Client(live_server, "detective")
    body = assert_problem(detective.board(), 403)
    assert "read custody records" in body["detail"]
    record = booked(Client(live_server, "custody"), H)
    assert_problem(admin.add(record["id"], "meal", datetime.now(UTC), meal="light"), 403)
    assert_problem(
        Client(live_server, "custody").add(999999, "meal", datetime.now(UTC), meal="light"), 404
    )
