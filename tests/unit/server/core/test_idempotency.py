"""Idempotency keys belong to the user who sent them, on every creating write (issue 12 #9),
case-file documents and attachments included:
another user's key makes that user's own record, the same key again from the same user with
the same request gives the first result back (200), and with a different request is refused
(422) and makes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import threading
import uuid
from datetime import UTC, datetime

import requests
from sqlalchemy import func, select

from station_app.domain.roles import Role
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.custody.models import CustodyEventRow, CustodyRecord
from station_app.server.incidents.models import Incident
from tests.fixtures.custody import Client, H, M, booked
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.pdfs import small_pdf

PDF_BASE64 = base64.b64encode(small_pdf("Exhibit DK/1")).decode()
REVIEW = {"outcome": "continue", "grounds": "Interview to follow", "means": "in_person"}


def count(server: LiveServer, column) -> int:
    with server.db_session() as session:
        return int(session.scalar(select(func.count(column))) or 0)


def keyed(client: Client, key: str) -> Client:
    client.headers["Idempotency-Key"] = key
    return client


def test_the_inspector_reusing_the_officers_key_on_a_record_gets_the_review_recorded(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    record = booked(Client(server, "custody"), 3 * H)
    authorised = datetime.now(UTC) - 2 * H
    assert (
        Client(server, "custody")
        .add(record["id"], "detention_authorised", authorised, grounds="Evidence")
        .ok
    )
    key = uuid.uuid4().hex
    officer, inspector = (
        keyed(Client(server, "custody"), key),
        keyed(Client(server, "inspector"), key),
    )

    meal_at = datetime.now(UTC) - 10 * M
    meal = officer.add(record["id"], "meal", meal_at, meal="light")
    review = inspector.add(record["id"], "review", datetime.now(UTC) - 5 * M, **REVIEW)
    meal_again = officer.add(record["id"], "meal", meal_at, meal="light")  # the answer was lost

    assert (meal.status_code, review.status_code) == (201, 201), review.text
    assert review.json()["kind"] == "review" and review.json()["officer_username"] == "inspector"
    assert meal_again.status_code == 200 and meal_again.json()["id"] == meal.json()["id"]
    kinds = [entry["kind"] for entry in officer.record(record["id"])["events"]]
    assert kinds.count("review") == 1 and kinds.count("meal") == 1


def test_a_key_reused_by_the_same_user_for_another_entry_is_422_and_makes_nothing(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    officer = Client(server, "custody")
    first, second = booked(officer, 2 * H), booked(officer, 2 * H)
    keyed(officer, uuid.uuid4().hex)
    at = datetime.now(UTC) - 5 * M
    assert officer.add(first["id"], "visit", at, response="comprehensive").status_code == 201
    entries = count(server, CustodyEventRow.id)

    for record_id, data in (
        (first["id"], {"response": "not_roused"}),  # the same record, different words
        (second["id"], {"response": "comprehensive"}),  # the same words, another record
    ):
        refused = assert_problem(officer.add(record_id, "visit", at, **data), 422)
        assert refused["errors"][0]["field"] == "header.idempotency-key"
        assert first["custody_number"] in refused["detail"]
    assert count(server, CustodyEventRow.id) == entries


def test_booking_keys_are_per_officer_and_a_changed_booking_is_422(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("ps-second", [Role.CUSTODY_OFFICER], rank="PS")
    key = uuid.uuid4().hex
    first, second = keyed(Client(server, "custody"), key), keyed(Client(server, "ps-second"), key)

    mine = first.book(H, circumstances="Arrested in the street")
    theirs = second.book(H, circumstances="Arrested at home")
    before = count(server, CustodyRecord.id)
    changed = first.book(H, circumstances="Arrested at the station")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["custody_number"] != theirs.json()["custody_number"]
    body = assert_problem(changed, 422)
    assert mine.json()["custody_number"] in body["detail"]
    assert count(server, CustodyRecord.id) == before


def test_report_keys_are_per_user_and_a_changed_report_is_422(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("desk-second", [Role.FRONT_DESK])
    key = uuid.uuid4().hex
    mine = post(server, server.token_for("frontdesk"), walk_in(), key)
    theirs = post(server, server.token_for("desk-second"), walk_in(), key)
    same_again = post(server, server.token_for("frontdesk"), walk_in(), key)
    before = count(server, Incident.id)

    changed = post(server, server.token_for("frontdesk"), walk_in(account="Another bike."), key)

    assert (mine.status_code, theirs.status_code, same_again.status_code) == (201, 201, 200)
    assert mine.json()["reference"] != theirs.json()["reference"]
    assert same_again.json()["reference"] == mine.json()["reference"]
    body = assert_problem(changed, 422)
    assert body["errors"][0]["field"] == "header.idempotency-key"
    assert mine.json()["reference"] in body["detail"]
    assert count(server, Incident.id) == before


def test_the_same_key_on_another_kind_of_request_is_422(live_server: LiveServer) -> None:
    server = live_server
    server.create_user("two-hats", [Role.FRONT_DESK, Role.CUSTODY_OFFICER], rank="PS")
    key = uuid.uuid4().hex
    report = post(server, server.token_for("two-hats"), walk_in(), key)
    booking = keyed(Client(server, "two-hats"), key).book(H)

    assert report.status_code == 201
    assert_problem(booking, 422)
    response = requests.get(f"{server.api_url}/health", timeout=10)
    assert response.ok


# --- case-file documents and attachments ------------------------------------------------------

CASE = "TST-26-0777"
STATEMENT = {"summary": "Seen on CCTV taking two bottles.", "officer_name": "DC Keyes"}


def case_documents(server: LiveServer) -> list[CaseDocument]:
    with server.db_session() as session:
        query = select(CaseDocument).join(CaseFile).where(CaseFile.reference == CASE)
        return list(session.scalars(query))


def detectives(server: LiveServer) -> tuple[dict[str, str], dict[str, str]]:
    """Two detectives of SW, the first with a case file of their own."""
    server.create_user("dc-keyes", [Role.DETECTIVE], display_name="DC Keyes")
    server.create_user("dc-other", [Role.DETECTIVE], display_name="DC Other")
    mine, theirs = bearer(server.token_for("dc-keyes")), bearer(server.token_for("dc-other"))
    created = requests.post(
        f"{server.api_url}/casefiles",
        json={"reference": CASE, "file_type": "anticipated_guilty_plea"},
        headers=mine,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return mine, theirs


def add_form(server: LiveServer, headers: dict[str, str], key: str, **data: str):
    return requests.post(
        f"{server.api_url}/casefiles/{CASE}/documents",
        json={"form": "MG5", "data": {**STATEMENT, **data}},
        headers={**headers, "Idempotency-Key": key},
        timeout=10,
    )


def test_case_file_form_keys_are_per_user_a_resend_is_200_and_a_changed_form_is_422(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    mine, theirs = detectives(server)
    key = uuid.uuid4().hex

    first = add_form(server, mine, key)
    other_user = add_form(server, theirs, key)
    again = add_form(server, mine, key)  # the answer was lost; the same form is sent again
    changed = add_form(server, mine, key, summary="Seen on CCTV taking three bottles.")

    assert (first.status_code, other_user.status_code, again.status_code) == (201, 201, 200)
    assert other_user.json()["id"] != first.json()["id"]
    assert again.json() == first.json()
    body = assert_problem(changed, 422)
    assert body["errors"][0]["field"] == "header.idempotency-key"
    assert f"document {first.json()['id']}" in body["detail"] and CASE in body["detail"]
    assert sorted(d.id for d in case_documents(server)) == sorted(
        [first.json()["id"], other_user.json()["id"]]
    )


def test_a_form_resent_after_the_file_went_for_review_gets_its_first_answer(
    live_server: LiveServer,
) -> None:
    server = live_server
    mine, _theirs = detectives(server)
    key = uuid.uuid4().hex
    first = add_form(server, mine, key)
    version = requests.get(f"{server.api_url}/casefiles/{CASE}", headers=mine, timeout=10).json()
    submitted = requests.post(
        f"{server.api_url}/casefiles/{CASE}/submit",
        json={},
        headers={**mine, "If-Match": f'"{version["version"]}"'},
        timeout=10,
    )
    assert submitted.status_code == 200, submitted.text

    again = add_form(server, mine, key)
    new = add_form(server, mine, uuid.uuid4().hex)

    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert_problem(new, 409)  # a new form is refused: the file is with the supervisor
    assert len(case_documents(server)) == 1


def test_attachment_keys_give_back_the_first_attachment_and_refuse_another_pdf(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    mine, theirs = detectives(server)
    key = uuid.uuid4().hex

    def attach(headers: dict[str, str], title: str, pdf: str = PDF_BASE64) -> requests.Response:
        body = {"kind": "EXHIBIT", "title": title, "content_base64": pdf}
        return requests.post(
            f"{server.api_url}/casefiles/{CASE}/attachments",
            json=body,
            headers={**headers, "Idempotency-Key": key},
            timeout=10,
        )

    first = attach(mine, "CCTV still")
    other_user = attach(theirs, "CCTV still")
    again = attach(mine, "CCTV still")
    changed = attach(mine, "CCTV still, second camera")
    other_pdf = attach(mine, "CCTV still", base64.b64encode(small_pdf("Exhibit DK/2")).decode())

    assert (first.status_code, other_user.status_code, again.status_code) == (201, 201, 200)
    assert again.json() == first.json() and other_user.json()["id"] != first.json()["id"]
    assert assert_problem(changed, 422)["errors"][0]["field"] == "header.idempotency-key"
    assert assert_problem(other_pdf, 422)["errors"][0]["field"] == "header.idempotency-key"
    assert len(case_documents(server)) == 2
    content = requests.get(
        f"{server.api_url}/casefiles/{CASE}/documents/{first.json()['id']}/content",
        headers=mine,
        timeout=10,
    )
    assert base64.b64encode(content.content).decode() == PDF_BASE64


def test_the_same_form_key_six_times_at_once_makes_one_document(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    mine, _theirs = detectives(server)
    key, answers = uuid.uuid4().hex, []
    start = threading.Barrier(6)

    def send() -> None:
        start.wait()
        answers.append(add_form(server, mine, key))

    senders = [threading.Thread(target=send) for _ in range(6)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()

    assert sorted(a.status_code for a in answers) == [200] * 5 + [201], [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(case_documents(server)) == 1


def test_note_keys_are_per_user_a_resend_adds_nothing_and_another_note_is_422(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("desk-second", [Role.FRONT_DESK])
    reference = post(server, server.token_for("frontdesk"), walk_in()).json()["reference"]
    key = uuid.uuid4().hex

    def note(username: str, text: str) -> requests.Response:
        return requests.post(
            f"{server.api_url}/incidents/{reference}/notes",
            json={"text": text},
            headers={**bearer(server.token_for(username)), "Idempotency-Key": key},
            timeout=10,
        )

    first = note("frontdesk", "Victim rang: the bicycle was found.")
    theirs = note("desk-second", "Victim rang: the bicycle was found.")
    again = note("frontdesk", "Victim rang: the bicycle was found.")
    changed = note("frontdesk", "Victim rang: the bicycle was not found.")

    assert (first.status_code, theirs.status_code, again.status_code) == (201, 201, 200)
    assert again.json()["timeline"] == theirs.json()["timeline"]
    texts = [e["text"] for e in again.json()["timeline"] if e["kind"] == "note"]
    assert texts == ["Victim rang: the bicycle was found."] * 2  # one each, none twice
    body = assert_problem(changed, 422)
    assert body["errors"][0]["field"] == "header.idempotency-key"
    assert reference in body["detail"]


def test_a_case_file_opened_again_with_its_key_is_given_back_not_taken(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("dc-keyes", [Role.DETECTIVE], display_name="DC Keyes")
    mine, key = bearer(server.token_for("dc-keyes")), uuid.uuid4().hex

    def open_case(key: str | None, **fields: str) -> requests.Response:
        body = {"reference": CASE, "file_type": "anticipated_guilty_plea", **fields}
        headers = {**mine, **({"Idempotency-Key": key} if key else {})}
        return requests.post(f"{server.api_url}/casefiles", json=body, headers=headers, timeout=10)

    first = open_case(key)
    again = open_case(key)  # the answer was lost; the detective saves again
    changed = open_case(key, court_code="MC-RVS")
    without_key = open_case(None)

    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["reference"] == CASE and again.json()["version"] == 1
    assert assert_problem(changed, 422)["errors"][0]["field"] == "header.idempotency-key"
    assert "already exists" in assert_problem(without_key, 409)["detail"]
    with server.db_session() as session:
        assert (
            session.scalar(select(func.count(CaseFile.id)).where(CaseFile.reference == CASE)) == 1
        )
