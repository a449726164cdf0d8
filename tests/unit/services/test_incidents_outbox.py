"""The outbox against the real server: order, exactly once even when the answer to a
committed report is lost, refusals kept with the server's reason, files encrypted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from station_app.documents.incident_letter import build_letter
from station_app.domain.wire import API_PREFIX
from station_app.server.incidents.models import Incident
from station_app.services.api import ApiSession
from station_app.services.incidents import IncidentsApi, ListQuery
from station_app.services.outbox import Outbox
from tests.fixtures.incidents import walk_in


def count(server) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count(Incident.id))) or 0)


def _desk_api(live_server, read_timeout: float):
    session = ApiSession(live_server.url, workstation="DESK-1", read_timeout=read_timeout)
    session.token = live_server.token_for("frontdesk")
    return IncidentsApi(session), session


@pytest.fixture
def desk_api(live_server):
    # Station's own read timeout: a slow answer on a busy machine is not a lost one. (A 0.8 s
    # timeout here once turned a slow refusal into "not reached" and the test failed in CI.)
    api, session = _desk_api(live_server, read_timeout=15.0)
    yield api
    session.close()


@pytest.fixture
def impatient_api(live_server):
    # A read timeout shorter than the server's hold (6 s), so the held answer counts as lost;
    # long enough that a busy server still reads and commits the report before the client
    # gives up (at 0.8 s it once did not, in CI).
    api, session = _desk_api(live_server, read_timeout=3.0)
    yield api
    session.close()


def test_three_reports_are_sent_once_each_in_order_even_when_an_answer_is_lost(
    live_server, desk_api, impatient_api, tmp_path
) -> None:
    outbox = Outbox(tmp_path / "outbox")
    before = count(live_server)
    live_server.stop()
    for n in range(3):
        outbox.queue(
            walk_in(reporter={"name": f"Queued Person {n}"}), uuid.uuid4().hex, "frontdesk"
        )
    stopped = outbox.drain(desk_api, "frontdesk")
    assert stopped.sent == [] and stopped.waiting == 3
    live_server.start()
    # The server commits the first report, then holds its answer past the client's wait:
    # the client sees a timeout although the report exists.
    live_server.faults.lose_answers("POST", f"{API_PREFIX}/incidents", count=1, hold_seconds=6.0)
    lost = outbox.drain(impatient_api, "frontdesk")
    assert lost.sent == [] and lost.waiting == 3
    # The client may give up before the route has returned: wait for it, then count.
    assert live_server.faults.wait_for_held(1)
    assert count(live_server) == before + 1  # committed, answer lost
    again = outbox.drain(desk_api, "frontdesk")
    assert all(reference.startswith("SW-") for _key, reference in again.sent)
    assert len(again.sent) == 3 and again.waiting == 0
    assert count(live_server) == before + 3  # exactly three: the resend was recognised
    with live_server.db_session() as session:
        names = session.scalars(select(Incident.victim_name).order_by(Incident.id)).all()[-3:]
    assert names == ["Queued Person 0", "Queued Person 1", "Queued Person 2"]
    assert outbox.drain(desk_api, "frontdesk").sent == []


def test_a_refused_report_needs_attention_with_the_servers_reason(live_server, desk_api, tmp_path):
    outbox = Outbox(tmp_path / "outbox")
    outbox.queue(
        walk_in(offence_code="WITHDRAWN1"), "key-refused", "frontdesk", "Walk-in report (theft)"
    )
    outbox.queue(walk_in(), "key-good", "frontdesk")
    result = outbox.drain(desk_api, "frontdesk")
    assert [key for key, _ref in result.sent] == ["key-good"]
    (refused,) = outbox.needs_attention()
    assert refused.idempotency_key == "key-refused"
    assert "not in the offence list" in refused.reason
    assert outbox.waiting_count() == 0


def test_reports_wait_for_their_own_officer_and_are_encrypted(live_server, desk_api, tmp_path):
    outbox = Outbox(tmp_path / "outbox")
    outbox.queue(walk_in(reporter={"name": "Secret Name Holloway"}), "key-other", "someone-else")
    assert outbox.drain(desk_api, "frontdesk").sent == []
    assert outbox.waiting_count() == 1
    for path in (tmp_path / "outbox").iterdir():
        if path.is_file():
            assert b"Holloway" not in path.read_bytes()


def test_the_letter_holds_reference_offence_officer_and_support(live_server, desk_api) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    created = desk_api.create(walk_in(), uuid.uuid4().hex)
    incident = desk_api.get(created["reference"])
    pdf = build_letter(incident, printed_at=datetime(2026, 11, 26, 10, tzinfo=UTC))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert incident["reference"] in text
    assert "Theft of a pedal cycle" in text
    assert "Priya Natarajan (number S300112)" in text
    assert "020 7946 0101" in text and "Victim Support" in text
    assert "Dear Wilhelmina Ashgrove" in text
    page = desk_api.list(ListQuery(text=created["reference"]))
    assert [item["reference"] for item in page.items] == [created["reference"]]


def test_a_refused_report_leaves_needs_attention_only_when_accepted_or_discarded(
    live_server, desk_api, tmp_path
) -> None:
    outbox = Outbox(tmp_path / "outbox")
    outbox.queue(
        walk_in(reporter={"name": "Ffion Quarrendon", "postcode": "ZZ"}), "k-1", "frontdesk"
    )
    outbox.queue(walk_in(offence_code="WITHDRAWN9"), "k-2", "frontdesk")
    outbox.drain(desk_api, "frontdesk")
    first, second = outbox.needs_attention()
    assert first.field_errors and all(first.field_errors.values())  # the fields it named
    assert "not in the offence list" in second.field_errors["offence_code"]
    # Reopened and still offline: queued again under its key; refused again, it replaces the
    # older copy rather than adding a second one.
    outbox.queue(walk_in(offence_code="WITHDRAWN8"), "k-2", "frontdesk")
    outbox.drain(desk_api, "frontdesk")
    assert [(i.idempotency_key, "WITHDRAWN8" in i.reason) for i in outbox.needs_attention()] == [
        ("k-1", False),
        ("k-2", True),
    ]
    # Corrected and queued again: accepted, so it leaves the list; nothing else does.
    outbox.queue(walk_in(), "k-2", "frontdesk")
    assert len(outbox.drain(desk_api, "frontdesk").sent) == 1
    assert [i.idempotency_key for i in outbox.needs_attention()] == ["k-1"]
    # The officer's confirmed discard is the only other way out.
    assert outbox.forget_attention("k-1") == 1
    assert outbox.needs_attention() == []


def test_a_report_queued_where_no_keyring_keeps_anything_survives_a_restart(
    live_server, desk_api, tmp_path
) -> None:
    """Issue 12 #2: the data key used to be made afresh at each start, and the queued
    report was skipped for good ("Needs attention (0)")."""
    import keyring
    from keyring.backends import null

    keyring.set_keyring(null.Keyring())  # accepts a key and keeps nothing
    before = count(live_server)
    Outbox(tmp_path / "outbox").queue(
        walk_in(reporter={"name": "Kept Person"}), uuid.uuid4().hex, "frontdesk"
    )
    restarted = Outbox(tmp_path / "outbox")  # Station started again
    assert [q.report["reporter"]["name"] for q in restarted.pending()] == ["Kept Person"]
    assert restarted.drain(desk_api, "frontdesk").waiting == 0
    assert restarted.pending() == []
    assert count(live_server) == before + 1  # sent, and once


def test_a_report_no_key_here_can_open_is_listed_as_needing_attention(tmp_path) -> None:
    from cryptography.fernet import Fernet

    outbox = Outbox(tmp_path / "outbox")
    outbox.queue(walk_in(), "readable-1", "frontdesk")
    # A file this profile has no key for (another user's, or a key since lost).
    foreign = Fernet(Fernet.generate_key()).encrypt(b"{}")
    (tmp_path / "outbox" / "000000000007-lost-key-9.report").write_bytes(foreign)
    assert outbox.waiting_count() == 1  # what can be sent
    (item,) = outbox.needs_attention()
    assert not item.readable and item.idempotency_key == "lost-key-9"
    assert "could not be opened on this computer" in item.reason
    assert "service desk" in item.reason
    assert (tmp_path / "outbox" / "000000000007-lost-key-9.report").exists()  # never deleted
    assert outbox.forget_attention("lost-key-9") == 0  # not by a send of the same key
    assert outbox.forget_attention("lost-key-9", discarded=True) == 1  # by the officer's say
