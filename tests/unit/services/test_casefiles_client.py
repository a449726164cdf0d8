"""CasefilesClient sends an Idempotency-Key with every new form and attachment: a save whose
answer was lost, sent again with the same key, gives back the document the first one made,
and the case holds it once (issue 12)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from station_app.domain.roles import Role
from station_app.domain.wire import API_PREFIX
from station_app.server.casefiles.models import CaseDocument
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.services.errors import ServerTimeoutError
from tests.fixtures.live_server import LiveServer
from tests.fixtures.pdfs import small_pdf

CASE = "TST-26-0931"
HOLD = 8.0
STATEMENT = {"summary": "Seen leaving by the fire door.", "officer_name": "DC Resend"}


def documents(server: LiveServer) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count(CaseDocument.id))) or 0)


@pytest.fixture
def casefiles(live_server: LiveServer):
    live_server.create_user("dc-resend", [Role.DETECTIVE], display_name="DC Resend")
    with ApiSession(live_server.url, workstation="test-ws") as session:
        session.token = live_server.token_for("dc-resend")
        CasefilesClient(session).create({"reference": CASE, "file_type": "anticipated_guilty_plea"})
    # A wait for answers shorter than the hold (HOLD), so a held answer is a timeout in the test;
    # long enough that a busy server still commits before the client gives up.
    with ApiSession(live_server.url, workstation="test-ws", read_timeout=3.0) as session:
        session.token = live_server.token_for("dc-resend")
        yield CasefilesClient(session)


def test_a_form_whose_answer_was_lost_is_saved_once_when_sent_again(
    live_server: LiveServer, casefiles: CasefilesClient
) -> None:
    before, key = documents(live_server), uuid.uuid4().hex
    path = f"{API_PREFIX}/casefiles/{CASE}/documents"
    live_server.faults.lose_answers("POST", path, hold_seconds=HOLD)

    with pytest.raises(ServerTimeoutError):
        casefiles.add_form(CASE, "MG5", STATEMENT, idempotency_key=key)
    assert live_server.faults.wait_for_held(1)  # a busy server may commit after the timeout
    assert documents(live_server) == before + 1  # saved; only the answer was lost
    again = casefiles.add_form(CASE, "MG5", STATEMENT, idempotency_key=key)

    assert documents(live_server) == before + 1
    assert again["form"] == "MG5" and again["data"]["summary"] == STATEMENT["summary"]
    assert live_server.faults.count("POST", path) == 2


def test_an_attachment_whose_answer_was_lost_is_attached_once_when_sent_again(
    live_server: LiveServer, casefiles: CasefilesClient
) -> None:
    before, key, pdf = documents(live_server), uuid.uuid4().hex, small_pdf("Exhibit DR/1")
    path = f"{API_PREFIX}/casefiles/{CASE}/attachments"
    live_server.faults.lose_answers("POST", path, hold_seconds=HOLD)

    with pytest.raises(ServerTimeoutError):
        casefiles.attach(CASE, "EXHIBIT", "Fire door photo", pdf, idempotency_key=key)
    assert live_server.faults.wait_for_held(1)
    again = casefiles.attach(CASE, "EXHIBIT", "Fire door photo", pdf, idempotency_key=key)

    assert documents(live_server) == before + 1
    assert casefiles.attachment(CASE, int(again["id"])) == pdf


def test_every_new_form_goes_with_a_key_of_its_own(
    live_server: LiveServer, casefiles: CasefilesClient
) -> None:
    first = casefiles.add_form(CASE, "MG5", STATEMENT)
    second = casefiles.add_form(CASE, "MG5", STATEMENT)  # a second, identical statement

    assert first["id"] != second["id"]


def test_a_case_whose_answer_was_lost_is_given_back_when_opened_again(
    live_server: LiveServer, casefiles: CasefilesClient
) -> None:
    key, fields = uuid.uuid4().hex, {"reference": "TST-26-0932", "file_type": "remand"}
    live_server.faults.lose_answers("POST", f"{API_PREFIX}/casefiles", hold_seconds=HOLD)

    with pytest.raises(ServerTimeoutError):
        casefiles.create(fields, idempotency_key=key)
    assert live_server.faults.wait_for_held(1)
    again = casefiles.create(fields, idempotency_key=key)  # not "already exists"

    assert again["reference"] == "TST-26-0932" and again["version"] == 1
