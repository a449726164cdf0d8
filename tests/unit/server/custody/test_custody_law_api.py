"""Issue 11's custody law over real HTTP: answering pre-charge bail (PACE s.47(6)), warrants
of further detention (s.43(5)), remote reviews (s.40A, s.45A), a detainee who could not be
roused (Code C Annex H), appears under 18 (Code C 1.5), the custody rules data, and the
supervisors' compliance list."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from station_app.server.core.audit import AuditEvent
from station_app.server.custody.rules import care_rules
from tests.fixtures.custody import Client, H, M, bailed, booked, iso
from tests.fixtures.live_server import LiveServer, assert_problem

REVIEW = {"outcome": "continue", "grounds": "Interview to follow", "means": "in_person"}
PERSON = {"surname": "Bailbrook", "forenames": "Orla", "date_of_birth": "1988-06-21"}


def bail_to_answer(client: Client, **person: str) -> requests.Response:
    return requests.get(
        client.url("/bail-to-answer"), params=person, headers=client.headers, timeout=10
    )


def test_answering_bail_offers_the_time_used_and_the_clock_counts_it(
    any_db_live_server: LiveServer,
) -> None:
    live_server = any_db_live_server
    sergeant = Client(live_server, "custody")
    earlier = bailed(sergeant, PERSON, used_hours=9)

    offered = bail_to_answer(sergeant, **PERSON)
    assert offered.status_code == 200, offered.text
    (bail,) = offered.json()["bails"]
    assert bail["custody_number"] == earlier["custody_number"]
    assert bail["detained_before_seconds"] == 9 * 3600
    assert bail["offences"][0]["code"] == "DMTH005"

    answering = booked(sergeant, H, person=PERSON, answering_bail=earlier["custody_number"])
    row = answering["board"]
    relevant = datetime.fromisoformat(row["relevant_time"])
    # PNLD's example: nine hours used before bail leaves fifteen on the clock.
    assert datetime.fromisoformat(row["detention_limit"]) == relevant + 15 * H
    assert row["detained_before_seconds"] == 9 * 3600
    assert row["answering_bail_from"] == earlier["custody_number"]
    noted = answering["events"][0]["data"]["answering_bail"]
    assert noted["custody_number"] == earlier["custody_number"]

    with live_server.db_session() as session:
        looked_up = session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "custody_bail_to_answer")
        ).all()
    assert any(earlier["custody_number"] in row.record_id for row in looked_up)


def test_answering_bail_is_refused_for_someone_else_or_another_offence(
    live_server: LiveServer,
) -> None:
    sergeant = Client(live_server, "custody")
    earlier = bailed(sergeant, PERSON, used_hours=4)["custody_number"]
    other = {**PERSON, "forenames": "Nuala"}
    body = assert_problem(sergeant.book(H, person=other, answering_bail=earlier), 422)
    assert "someone else" in body["detail"]
    body = assert_problem(
        sergeant.book(H, person=PERSON, offences=["DMTH001"], answering_bail=earlier), 422
    )
    assert "s.47(6)" in body["detail"]
    charged = booked(sergeant, 5 * H, person=PERSON)
    body = assert_problem(
        sergeant.book(H, person=PERSON, answering_bail=charged["custody_number"]), 422
    )
    assert "did not end in release on pre-charge bail" in body["detail"]
    assert bail_to_answer(Client(live_server, "inspector"), **PERSON).status_code == 403


def test_a_warrant_sought_after_the_24_hour_limit_lapsed_is_refused(
    live_server: LiveServer,
) -> None:
    sergeant, inspector = Client(live_server, "custody"), Client(live_server, "inspector")
    record = booked(sergeant, 27 * H)
    start = datetime.fromisoformat(record["board"]["relevant_time"])
    rid = record["id"]
    assert sergeant.add(rid, "detention_authorised", start + 5 * M, grounds="Evidence").ok
    assert inspector.add(rid, "review", start + 6 * H, **REVIEW).status_code == 201
    assert inspector.add(rid, "review", start + 14 * H, **REVIEW).status_code == 201
    warrant = {
        "court": "Southwark Magistrates' Court",
        "applied_at": iso(start + 25 * H),
        "issued_at": iso(start + 26 * H),
        "expires_at": iso(start + 50 * H),
    }
    body = assert_problem(sergeant.add(rid, "warrant", start + 26 * H, **warrant), 422)
    assert "24-hour limit" in body["detail"] and "s.41(7)" in body["detail"]
    no_application = {k: v for k, v in warrant.items() if k != "applied_at"}
    body = assert_problem(sergeant.add(rid, "warrant", start + 26 * H, **no_application), 422)
    assert body["errors"][0]["field"] == "data.applied_at"


def test_a_telephone_review_after_charge_is_refused_with_the_reason(
    live_server: LiveServer,
) -> None:
    sergeant = Client(live_server, "custody")
    record = booked(sergeant, 5 * H)
    start = datetime.fromisoformat(record["board"]["arrived_at"])
    rid = record["id"]
    assert sergeant.add(rid, "detention_authorised", start + 5 * M, grounds="Evidence").ok
    charge = {"offence": {"code": "DMTH005", "label": "Robbery"}, "wording": "Robbery"}
    assert sergeant.add(rid, "charge", start + H, **charge).status_code == 201
    by_phone = {**REVIEW, "means": "telephone"}
    body = assert_problem(sergeant.add(rid, "review", start + 2 * H, **by_phone), 422)
    assert "only before charge" in body["detail"] and "s.40A" in body["detail"]
    assert sergeant.add(rid, "review", start + 2 * H, **REVIEW).status_code == 201


def test_could_not_be_roused_demands_the_response_and_tops_the_board_at_once(
    live_server: LiveServer,
) -> None:
    sergeant = Client(live_server, "custody")
    record = booked(sergeant, 2 * H)
    rid = record["id"]
    at = datetime.now(UTC) - 2 * M
    body = assert_problem(sergeant.add(rid, "visit", at, response="none"), 422)
    assert "emergency" in body["detail"] and "Annex H" in body["detail"]
    assert sergeant.add(rid, "visit", at, response="none", action_taken="ambulance_called").ok
    (row,) = [r for r in sergeant.board().json()["rows"] if r["record_id"] == rid]
    assert datetime.fromisoformat(row["not_rousable_at"]) == at
    assert datetime.fromisoformat(row["next_visit_due"]) == at  # now, not in an hour
    assert row["emergency_action"] == "ambulance_called"


def test_level_2_visit_without_rousing_is_refused(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    rid = booked(sergeant, H)["id"]
    assert sergeant.add(
        rid, "observation_level_set", datetime.now(UTC) - 5 * M, observation_level="2"
    ).ok
    body = assert_problem(sergeant.add(rid, "visit", datetime.now(UTC), response="not_roused"), 422)
    assert "roused and spoken to" in body["detail"]


def test_appears_under_18_is_kept_and_shown(live_server: LiveServer) -> None:
    sergeant = Client(live_server, "custody")
    person = {"surname": "Younge", "forenames": "Tye", "appears_under_18": True}
    record = booked(sergeant, H, person=person)
    assert record["board"]["appears_under_18"] is True
    assert record["events"][0]["data"]["person"]["appears_under_18"] is True


def test_supervisors_see_the_compliance_of_their_suite(any_db_live_server: LiveServer) -> None:
    live_server = any_db_live_server
    sergeant, inspector = Client(live_server, "custody"), Client(live_server, "inspector")
    late = booked(sergeant, 3 * H, person={"surname": "Latchford", "forenames": "Rhiannon"})
    response = requests.get(
        inspector.url("/compliance"),
        params={"station": "SW"},
        headers=inspector.headers,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    (row,) = [r for r in body["records"] if r["custody_number"] == late["custody_number"]]
    missed = [b for b in row["breaches"] if b["what"] == "Visit missed"]
    assert missed and "Annex H" in missed[0]["rule"] and "due by" in missed[0]["sentence"]
    refused = requests.get(sergeant.url("/compliance"), headers=sergeant.headers, timeout=10)
    assert_problem(refused, 403)
    with live_server.db_session() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.record_type == "custody_compliance")
        ).all()
    assert any(late["custody_number"] in row.detail for row in audited)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [({"3": 15}, "watched all the time"), ({"2": 45}, "further apart")],
)
def test_the_server_refuses_custody_rules_that_break_the_app(
    tmp_path: Path, minutes: dict, words: str
) -> None:
    shipped_file = Path(__file__).parents[4] / "resources" / "rules" / "custody.json"
    shipped = json.loads(shipped_file.read_text(encoding="utf-8"))
    rules = tmp_path / "custody.json"
    rules.write_text(json.dumps({**shipped, "observation_minutes": minutes}), encoding="utf-8")
    with pytest.raises(ValueError, match=words):
        care_rules(rules)
    assert care_rules().observation.interval(3) is None  # the shipped file is kept


def test_time_in_the_rules_data_is_minutes() -> None:
    assert care_rules().observation.interval(1) == timedelta(hours=1)
