"""CustodyClient against the real server: typed rows and records, refusals as typed errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station_app.services.api import ApiSession
from station_app.services.custody import CustodyClient
from station_app.services.errors import ConflictError, ForbiddenError, ValidationProblem
from tests.fixtures.live_server import LiveServer

H = timedelta(hours=1)


def client_for(server: LiveServer, username: str) -> tuple[ApiSession, CustodyClient]:
    session = ApiSession(server.url, workstation="test-ws")
    session.token = server.token_for(username)
    return session, CustodyClient(session)


def booking(now: datetime) -> dict:
    return {
        "station_code": "SW",
        "person": {"surname": "Clientson", "forenames": "Bea", "date_of_birth": "2009-06-01"},
        "offences": ["DMTH001"],
        "arrested_at": (now - 2 * H).isoformat(),
        "arrived_at": (now - H).isoformat(),
        "cell": "SW-C07",
    }


def test_book_in_board_entries_and_placement(live_server: LiveServer) -> None:
    session, custody = client_for(live_server, "custody")
    now = datetime.now(UTC)
    with session:
        record = custody.book_in(booking(now), idempotency_key="key-1")
        assert record.custody_number.startswith("SW-")
        assert record.board.name == "CLIENTSON, Bea"
        assert record.booking()["offences"][0]["code"] == "DMTH001"
        assert custody.book_in(booking(now), idempotency_key="key-1").id == record.id

        board = custody.board("SW")
        assert board is not None and board.etag
        row = next(r for r in board.rows if r.record_id == record.id)
        assert (
            row.cell == "SW-C07"
            and row.relevant_time == now.replace(microsecond=now.microsecond) - H
        )
        assert custody.board("SW", board.etag) is None  # unchanged: 304

        custody.add_entry(record.id, "detention_authorised", now - H / 2, {"grounds": "Evidence"})
        entry = custody.add_entry(record.id, "visit", now, {"response": "not_roused"})
        assert entry.kind == "visit" and entry.officer_rank == "PS"
        full = custody.record(record.id)
        assert [e.kind for e in full.entries] == ["booked_in", "detention_authorised", "visit"]
        value = full.clock(now)
        assert value.next_review_due == now - H / 2 + 6 * H
        assert full.state().juvenile(now)

        moved = custody.change_placement(record.id, full.version, cell="SW-C08")
        assert moved.board.cell == "SW-C08"
        with pytest.raises(ConflictError):
            custody.change_placement(record.id, full.version, observation_level=2)


def test_refusals_arrive_as_typed_errors_with_the_rule(live_server: LiveServer) -> None:
    session, custody = client_for(live_server, "custody")
    now = datetime.now(UTC)
    with session:
        record = custody.book_in(booking(now))
        custody.add_entry(record.id, "detention_authorised", now - H / 2, {"grounds": "Evidence"})
        with pytest.raises(ForbiddenError, match=r"PACE s\.40\(1\)\(b\)"):
            custody.add_entry(
                record.id,
                "review",
                now,
                {"outcome": "continue", "grounds": "x", "means": "in_person"},
            )
        with pytest.raises(ValidationProblem, match="future"):
            custody.add_entry(record.id, "visit", now + H, {"response": "not_roused"})
        with pytest.raises(ValueError):
            custody.add_entry(record.id, "visit", datetime(2026, 1, 1), {})
