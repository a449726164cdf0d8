"""Warning markers seen or said at booking in (issue 10), over real HTTP on SQLite and
PostgreSQL: the booking's `person.markers` are kept in its booked_in entry and added to the
person it links (a known person picked, or the new person it makes), each change with an
update audit row naming the record; a marker the person holds is not added twice, none is
ever taken away, and a code not on the list is refused with a sentence, storing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from station_app.server.core.audit import AuditEvent
from station_app.server.custody.models import CustodyRecord
from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.live_server import LiveServer
from tests.fixtures.people import import_index, people_in, read, set_markers

SMYTH = {"surname": "Smyth", "forenames": "John Paul", "date_of_birth": "1984-07-02"}


def markers_of(server: LiveServer, person_id: str) -> list[dict[str, str]]:
    body = read(server, server.token_for("custody"), person_id).json()
    return list(body["warning_markers"])


def updates_of(server: LiveServer, person_id: str) -> list[str]:
    with server.db_session() as session:
        return list(
            session.scalars(
                select(AuditEvent.detail)
                .where(
                    AuditEvent.record_type == "person",
                    AuditEvent.record_id == person_id,
                    AuditEvent.action == "update",
                )
                .order_by(AuditEvent.id)
            )
        )


def book(server: LiveServer, **person: Any) -> dict[str, Any]:
    booked = CustodyClient(server, "custody").book(person={**SMYTH, **person})
    assert booked.status_code == 201, booked.text
    return dict(booked.json())


def test_markers_ticked_at_booking_in_are_added_to_the_known_person_once(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    smyth = import_index(server, tmp_path)["T-01"]
    set_markers(server, smyth, ["violent"])

    record = book(server, person_id=smyth, markers=["self_harm", "violent", "medical"])

    assert markers_of(server, smyth) == [
        {"code": "medical", "title": "Medical condition"},
        {"code": "self_harm", "title": "Self-harm"},
        {"code": "violent", "title": "Violent"},
    ]
    number = record["custody_number"]
    assert updates_of(server, smyth) == [
        f"warning markers medical, self_harm from custody_record {number}"
    ]
    # The booking keeps what was ticked, as sent.
    booked_in = record["events"][0]
    assert booked_in["kind"] == "booked_in"
    assert booked_in["data"]["person"]["markers"] == ["self_harm", "violent", "medical"]

    # Booked again with markers they hold, and with none: nothing added, nothing taken away.
    book(server, person_id=smyth, markers=["medical", "violent"])
    book(server, person_id=smyth)
    assert [m["code"] for m in markers_of(server, smyth)] == ["medical", "self_harm", "violent"]
    assert len(updates_of(server, smyth)) == 1


def test_a_new_person_booked_in_holds_the_markers_ticked(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    record = book(server, surname="Quarrendon", forenames="Ivo", markers=["drugs", "escaper"])

    person_id = people_in(server, record["custody_number"])
    assert [m["code"] for m in markers_of(server, person_id)] == ["drugs", "escaper"]
    assert updates_of(server, person_id) == [
        f"warning markers drugs, escaper from custody_record {record['custody_number']}"
    ]


def test_a_marker_not_on_the_list_is_refused_and_nothing_is_stored(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    smyth = import_index(server, tmp_path)["T-01"]
    with server.db_session() as session:
        records_before = session.scalar(select(func.count()).select_from(CustodyRecord))

    refused = CustodyClient(server, "custody").book(
        person={**SMYTH, "person_id": smyth, "markers": ["violent", "grumpy"]}
    )

    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert [e["field"] for e in problem["errors"]] == ["person.markers"]
    assert "grumpy" in problem["detail"] and "Violent" in problem["detail"]
    assert problem["detail"].endswith(".")
    assert markers_of(server, smyth) == []
    assert updates_of(server, smyth) == []
    with server.db_session() as session:
        records_after = session.scalar(select(func.count()).select_from(CustodyRecord))
    assert records_after == records_before
