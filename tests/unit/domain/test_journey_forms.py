"""MG forms open with what the case file already knows (issue 10, "each fact typed once"):
`known_form_values` on plain case dicts as GET /casefiles/{reference} gives them. Each form
gets only its own fields, in its own formats, and nothing the case does not hold."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from station_app.domain.casefile_forms import FORM_FIELDS, validate_form
from station_app.domain.journey import known_form_values

VICTIM = {
    "role": "victim",
    "name": "Wilhelmina Ashgrove",
    "date_of_birth": "1971-03-02",
    "address": "12 Canal Row, London",
    "postcode": "SE1 9XY",
    "person_id": "P-000041",
    "incident": "SW/26/004211",
}
WITNESS = {
    "role": "witness",
    "name": "Noor Halloway",
    "date_of_birth": None,
    "address": "9 Quill Lane",
    "postcode": "",
    "person_id": None,
    "incident": "SW/26/004211",
}

# Opened by a charge in custody: charged at 00:30 BST on 2 June, which is 23:30 UTC on 1 June.
CHARGED: dict[str, Any] = {
    "reference": "SW-2026-00007-CF",
    "officer_name": "DC Priya Lanning",
    "incident_refs": ["SW/26/004211"],
    "custody_refs": ["SW-2026-00007"],
    "court_code": "MC-RVS",
    "hearing_date": "2026-06-05",
    "suspects": [
        {
            "name": "Dale Testwick",
            "date_of_birth": "1993-08-14",
            "address": "4 Lamplighter Street, London",
            "postcode": "SE1 7QP",
            "person_id": "P-000007",
            "custody_number": "SW-2026-00007",
            "arrested_at": "2026-06-01T18:05:00Z",
            "arrived_at": "2026-06-01T18:40:00Z",
            "charged_at": "2026-06-01T23:30:00Z",
            "charged_by": "PS Omar Fenwright",
            # The report was made at 00:20 BST on 1 June, 23:20 UTC on 31 May (the London
            # day is a day later than the UTC one), before the arrest.
            "investigation_began_at": "2026-05-31T23:20:00Z",
            "after_charge": "bail",
            "bail_conditions": "Not to enter Borough Market",
            "charges": [{"offence_code": "TH68010", "wording": "Stole two bottles of gin."}],
        }
    ],
    "people": [VICTIM, WITNESS],
    "hearings": [
        {
            "sequence": 1,
            "court_code": "MC-RVS",
            "court": "Riverside Magistrates' Court",
            "sitting_at": "2026-06-05T09:00:00Z",
        }
    ],
}

# Opened by hand: a name and an offence, nothing from custody, no people, no hearing.
BY_HAND: dict[str, Any] = {
    "reference": "CF-HAND-1",
    "officer_name": "",
    "incident_refs": [],
    "custody_refs": [],
    "court_code": "",
    "hearing_date": None,
    "suspects": [{"name": "Ola Brisk", "charges": [{"offence_code": "PU86001", "wording": ""}]}],
    "people": [],
    "hearings": [],
}


@pytest.mark.parametrize("case", [CHARGED, BY_HAND, {}], ids=["charged", "by_hand", "empty"])
@pytest.mark.parametrize("form", sorted(FORM_FIELDS))
def test_only_the_forms_own_fields_are_filled_and_each_passes_its_check(form, case):
    values = known_form_values(form, case, witness=WITNESS if form == "MG11" else None)
    assert set(values) <= {spec.name for spec in FORM_FIELDS[form]}
    assert all(value not in ("", None) for value in values.values())
    # What is filled is in the form's own format (dates YYYY-MM-DD, nothing over length):
    # the only problems left are fields still to be completed.
    problems = validate_form(form, values, today=date(2026, 6, 3))
    assert not set(problems) & set(values)


def test_an_empty_case_fills_nothing():
    assert all(known_form_values(form, {}) == {} for form in FORM_FIELDS)


def test_mg1_front_sheet():
    assert known_form_values("MG1", CHARGED) == {
        "defendant_name": "Dale Testwick",
        "date_of_birth": "1993-08-14",
        "charges_summary": "TH68010: Stole two bottles of gin.",
        "remand_status": "Bailed to court",
        "officer_in_case": "DC Priya Lanning",
    }


def test_mg4_charges_on_the_london_day_by_the_officer_who_recorded_the_charge():
    assert known_form_values("MG4", CHARGED) == {
        "defendant_name": "Dale Testwick",
        "charges": "TH68010: Stole two bottles of gin.",
        "charged_on": "2026-06-02",  # 00:30 BST; the UTC day was the 1st
        "charging_officer": "PS Omar Fenwright",
    }
    # Charged nowhere Station knows of: no date and no officer, not a guess.
    assert known_form_values("MG4", BY_HAND) == {
        "defendant_name": "Ola Brisk",
        "charges": "PU86001",
    }


def test_mg5_case_summary_from_custody_and_the_first_hearing():
    summary = known_form_values("MG5", CHARGED)["summary"]
    assert summary.splitlines() == [
        "Defendant: Dale Testwick, born 14/08/1993, of 4 Lamplighter Street, London, SE1 7QP",
        "Custody record SW-2026-00007, arrested Mon 1 Jun 2026 19:05 BST, "
        "arrived Mon 1 Jun 2026 19:40 BST, charged Tue 2 Jun 2026 00:30 BST",
        "Charges:",
        "TH68010: Stole two bottles of gin.",
        "Bailed to court, conditions: Not to enter Borough Market",
        "",
        "First hearing: Riverside Magistrates' Court, Fri 5 Jun 2026 10:00 BST",
    ]
    assert set(known_form_values("MG5", CHARGED)) == {"summary"}  # interview, officer: not held


def test_mg5_of_a_case_made_by_hand_says_only_what_was_typed():
    assert known_form_values("MG5", BY_HAND) == {
        "summary": "Defendant: Ola Brisk\nCharges:\nPU86001"
    }
    listed = {**BY_HAND, "hearing_date": "2026-07-01", "court_code": "MC-RVS"}
    assert known_form_values("MG5", listed)["summary"].endswith(
        "\n\nHearing: 01/07/2026, court MC-RVS"
    )


def test_mg6_officer_references_and_the_london_day_the_investigation_began():
    assert known_form_values("MG6", CHARGED) == {
        "officer_name": "DC Priya Lanning",
        "investigation_began": "2026-06-01",  # 00:20 BST on 1 June; 23:20 UTC on 31 May
        "information": "Crime reports: SW/26/004211\nCustody records: SW-2026-00007",
    }
    # Two defendants charged apart: the investigation began with the earlier.
    second = {**CHARGED["suspects"][0], "investigation_began_at": "2026-05-20T09:00:00Z"}
    both = {**CHARGED, "suspects": [CHARGED["suspects"][0], second]}
    assert known_form_values("MG6", both)["investigation_began"] == "2026-05-20"
    assert known_form_values("MG6", BY_HAND) == {}


def test_mg3_offences_to_consider():
    assert known_form_values("MG3", BY_HAND) == {"offences": "PU86001"}


def test_mg9_and_mg10_list_the_victims_and_witnesses_of_the_linked_reports():
    assert known_form_values("MG9", CHARGED) == {
        "witnesses": "Wilhelmina Ashgrove, victim\nNoor Halloway, witness"
    }
    # Their dates to avoid are theirs to give: each line begun with the name, no dates.
    assert known_form_values("MG10", CHARGED) == {
        "dates_to_avoid": "Wilhelmina Ashgrove, \nNoor Halloway, "
    }
    assert known_form_values("MG9", BY_HAND) == {}
    assert known_form_values("MG10", BY_HAND) == {}


def test_mg11_for_a_known_witness_links_their_person_and_fills_what_is_known():
    assert known_form_values("MG11", CHARGED, witness=VICTIM) == {
        "witness_name": "Wilhelmina Ashgrove",
        "date_of_birth": "1971-03-02",
        "address": "12 Canal Row, London SE1 9XY",
        "person_id": "P-000041",
    }
    # No date of birth, no person: left for the officer (and "known person?").
    assert known_form_values("MG11", CHARGED, witness=WITNESS) == {
        "witness_name": "Noor Halloway",
        "address": "9 Quill Lane",
    }
    # Opened for no one in particular: which witness is not a guess.
    assert known_form_values("MG11", CHARGED) == {}


def test_each_victim_and_witness_without_a_statement_is_offered_one():
    from station_app.domain.journey import statements_to_take

    assert statements_to_take(CHARGED) == [VICTIM, WITNESS]
    assert statements_to_take(BY_HAND) == [] == statements_to_take({})

    def with_statements(*data: dict[str, Any]) -> dict[str, Any]:
        documents = [{"form": "MG11", "data": d} for d in data]
        return {**CHARGED, "documents": [{"form": "MG5", "data": {}}, *documents]}

    # The victim's statement names her person; the witness's is known by name (no person),
    # however the officer spaced or cased it.
    assert statements_to_take(with_statements({"person_id": "P-000041"})) == [WITNESS]
    assert statements_to_take(with_statements({"witness_name": " noor  HALLOWAY"})) == [VICTIM]
    # A statement from someone else leaves both waiting.
    other = {"person_id": "P-000099", "witness_name": "Ivo Tamsett"}
    assert statements_to_take(with_statements(other)) == [VICTIM, WITNESS]
