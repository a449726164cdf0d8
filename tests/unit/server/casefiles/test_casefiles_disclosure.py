"""Disclosure on the server, over real HTTP on SQLite and PostgreSQL: the MG6C and the MG6D
each number their own items and a number is never given twice (CPS Disclosure Manual ch.7),
a case has a nil MG6D or a listed one but never both (ch.8), the MG6E names items by
schedule (ch.10), and the Streamlined Disclosure Certificate only as agreed locally (ch.6)."""

from __future__ import annotations

import pytest

from station_app.domain.roles import Role
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.services.errors import ValidationProblem
from tests.fixtures.live_server import LiveServer

REF = "TST-26-0600"
CASE = {
    "reference": REF,
    "file_type": "anticipated_not_guilty_plea",
    "suspects": [{"name": "Rowan Testwick", "charges": [{"offence_code": "TH68010"}]}],
    "hearing_date": "2026-12-24",
    "court_code": "MC-RVS",
}
OFFICER = {"disclosure_officer": "DC Test"}


@pytest.fixture
def detective(any_db_live_server: LiveServer) -> CasefilesClient:
    server = any_db_live_server
    server.create_user("dc-disclose", [Role.DETECTIVE], display_name="DC Test")
    session = ApiSession(server.url, workstation="test-ws")
    session.token = server.token_for("dc-disclose")
    return CasefilesClient(session)


def numbers(document: dict) -> list[int]:
    return [item["number"] for item in document["data"]["items"]]


def test_the_mg6c_and_mg6d_number_their_own_items_and_never_reuse_a_number(
    detective: CasefilesClient,
) -> None:
    """CPS Disclosure Manual ch.7 (7.2): MG6C items consecutively numbered, continuation and
    later schedules consecutive to earlier ones. Before, the MG6D's item took 3 and the MG6C
    served on the defence went 1, 2, 4: a gap that says a sensitive item exists."""
    detective.create(CASE)
    first = detective.add_form(
        REF, "MG6C", OFFICER, items=[{"description": "Crime report"}, {"description": "999 call"}]
    )
    sensitive = detective.add_form(
        REF, "MG6D", OFFICER, items=[{"description": "Informant contact log", "remarks": "CHIS"}]
    )
    later = detective.add_form(REF, "MG6C", OFFICER, items=[{"description": "CCTV log"}])
    grown = detective.update_form(
        REF,
        first["id"],
        first["version"],
        "MG6C",
        OFFICER,
        items=[*first["data"]["items"], {"description": "Draft statement of N Brook"}],
    )

    assert numbers(first) == [1, 2]
    assert numbers(sensitive) == [1]
    assert numbers(later) == [3]
    assert numbers(grown) == [1, 2, 4]
    # An item taken off keeps its number: the next new item never takes it again.
    shorter = detective.update_form(
        REF, later["id"], later["version"], "MG6C", OFFICER, items=[{"description": "Replaced"}]
    )
    assert numbers(shorter) == [5]
    case = detective.case(REF)
    assert case["schedule_numbers"] == {"MG6C": 5, "MG6D": 1}
    with pytest.raises(ValidationProblem, match="does not belong"):
        detective.update_form(
            REF,
            sensitive["id"],
            sensitive["version"],
            "MG6D",
            OFFICER,
            items=[{"number": 2, "description": "an MG6C item's number"}],
        )

    report = {"disclosure_officer": "DC Test", "report": "Items that may assist the defence."}
    with pytest.raises(ValidationProblem, match="Say which schedule item 4 is on") as bare:
        detective.add_form(REF, "MG6E", {**report, "undermining_items": "4"})
    assert "data.undermining_items" in bare.value.field_errors
    with pytest.raises(ValidationProblem, match="no item 2 on this case's MG6D"):
        detective.add_form(REF, "MG6E", {**report, "undermining_items": "MG6C 4, MG6D 2"})
    mg6e = detective.add_form(REF, "MG6E", {**report, "undermining_items": "c4, mg6d 1"})
    assert mg6e["data"]["undermining_items"] == "MG6C 4, MG6D 1"


def test_a_nil_mg6d_and_a_listed_mg6d_cannot_both_be_on_a_case(
    detective: CasefilesClient,
) -> None:
    """CPS Disclosure Manual ch.8 (8.3): a signed nil MG6D says there is no sensitive
    material; a case cannot also list some."""
    detective.create(CASE)
    nil = detective.add_form(REF, "MG6D", {**OFFICER, "nil": True, "signed_by": "DC Test"})

    with pytest.raises(ValidationProblem, match="has a nil MG6D") as refused:
        detective.add_form(REF, "MG6D", OFFICER, items=[{"description": "Observation post log"}])
    assert "ch.8" in refused.value.field_errors["data.nil"]

    # The nil MG6D itself may become the list (the officer found sensitive material).
    listed = detective.update_form(
        REF, nil["id"], nil["version"], "MG6D", OFFICER, items=[{"description": "OP log"}]
    )
    assert numbers(listed) == [1]
    with pytest.raises(ValidationProblem, match="already has an MG6D listing"):
        detective.add_form(REF, "MG6D", {**OFFICER, "nil": True, "signed_by": "DC Test"})
    assert [d["form"] for d in detective.case(REF)["documents"]] == ["MG6D"]


def test_the_streamlined_certificate_replaces_the_schedules_only_as_agreed_for_the_file(
    detective: CasefilesClient,
) -> None:
    """CPS Disclosure Manual ch.6: SDCs for anticipated not guilty pleas reasonably expected
    to be suitable for summary trial, as agreed locally."""
    case = detective.create({**CASE, "conditions": ["streamlined_disclosure"]})
    items = {i["id"]: i for i in case["completeness"]["items"]}
    assert items["sdc"]["status"] == "missing"
    assert items["mg6c"]["status"] == "not_needed"
    assert "Streamlined Disclosure Certificate" in items["mg6c"]["sentence"]

    detective.add_form(
        REF,
        "SDC",
        {
            "disclosure_officer": "DC Test",
            "nothing_to_disclose": True,
            "signed_by": "DC Test",
            "signed_on": "2026-11-20",
        },
    )
    assert {i["id"]: i["status"] for i in detective.completeness(REF)["items"]}["sdc"] == "done"
    with pytest.raises(ValidationProblem, match="only for anticipated not guilty pleas") as no:
        detective.create(
            {
                **CASE,
                "reference": "TST-26-0601",
                "file_type": "crown_court_first_hearing",
                "conditions": ["streamlined_disclosure"],
            }
        )
    assert "conditions" in no.value.field_errors
