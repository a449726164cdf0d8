"""The journey from report to court, as Station fills each step from the one before (issue
10): what booking-in takes from a crime report's suspect, and how the crime view orders a
chain of linked records. Standard library only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from station_app.domain.people import split_full_name
from station_app.domain.wire import date_or_none

# The crime view reads from the report to the court (shared by the server's chain and the
# client's view of it): report -> custody records -> case files -> hearings.
CHAIN_ORDER = ("incident", "custody_record", "casefile", "hearing")


@dataclass(frozen=True)
class ArrestFromReport:
    """A booking-in pre-filled from a report's suspect: every fact the report already has,
    so nothing is typed twice. The officer checks each with the detainee."""

    incident_reference: str
    surname: str
    forenames: str
    date_of_birth: dt.date | None
    address: str
    postcode: str
    person_id: str | None
    offence_code: str
    offence_label: str
    place: str
    circumstances: str


def arrest_from_report(incident: Mapping[str, Any], suspect_index: int = 0) -> ArrestFromReport:
    """The booking-in pre-fill for the report's suspect number `suspect_index` (from 0)."""
    suspects: Sequence[Mapping[str, Any]] = incident.get("suspects") or ()
    if not 0 <= suspect_index < len(suspects):
        raise ValueError("The report names no such suspect.")
    suspect = suspects[suspect_index]
    surname, forenames = split_full_name(str(suspect.get("name") or ""))
    place = ", ".join(
        str(part)
        for part in (incident.get("location_address"), incident.get("location_postcode"))
        if part
    )
    offence = incident.get("offence") or {}
    reference = str(incident.get("reference") or "")
    circumstances = f"Arrested for crime {reference}: {offence.get('label', '')}"
    circumstances += f" at {place}." if place else "."
    return ArrestFromReport(
        incident_reference=reference,
        surname=surname,
        forenames=forenames,
        date_of_birth=date_or_none(suspect.get("date_of_birth")),
        address=str(suspect.get("address") or ""),
        postcode=str(suspect.get("postcode") or ""),
        person_id=suspect.get("person_id") or None,
        offence_code=str(offence.get("code") or ""),
        offence_label=str(offence.get("label") or ""),
        place=place,
        circumstances=circumstances,
    )


def chain_in_order(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A chain's records from the report to the court, nearest first within each kind."""
    rank = {kind: n for n, kind in enumerate(CHAIN_ORDER)}
    return sorted(
        records,
        key=lambda r: (rank.get(str(r.get("record_type")), len(rank)), int(r.get("depth", 0))),
    )


def latest_court_result(incident: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The last court result noted on a report's timeline (a case file's hearing tells its
    reports), if any: what the victim's update letter prints."""
    lines = [e for e in incident.get("timeline") or () if e.get("kind") == "court_result"]
    return lines[-1] if lines else None


AFTER_CHARGE_WORDS = {
    "bail": "Bailed to court",
    "remand": "Remanded in custody to court",
}


def _charge_lines(suspect: Mapping[str, Any]) -> str:
    return "\n".join(
        f"{c.get('offence_code', '')}: {c.get('wording', '')}".strip(": ")
        for c in suspect.get("charges") or ()
    )


def known_form_values(form: str, case: Mapping[str, Any]) -> dict[str, Any]:
    """What a new MG form already knows from the case file (the defendant charged in
    custody, the charges, bail or remand, the victims and witnesses of the linked reports):
    filled in, never typed again; the officer checks and completes the rest."""
    suspects: Sequence[Mapping[str, Any]] = case.get("suspects") or ()
    first = suspects[0] if suspects else {}
    names = ", ".join(str(s.get("name") or "") for s in suspects)
    if form == "MG1" and first:
        return {
            "defendant_name": names,
            "date_of_birth": str(first.get("date_of_birth") or ""),
            "charges_summary": "\n".join(_charge_lines(s) for s in suspects),
            "remand_status": AFTER_CHARGE_WORDS.get(str(first.get("after_charge") or ""), ""),
            "officer_in_case": str(case.get("officer_name") or ""),
        }
    if form == "MG4" and first:
        charged = str(first.get("charged_at") or "")[:10]
        return {
            "defendant_name": names,
            "charges": "\n".join(_charge_lines(s) for s in suspects),
            "charged_on": charged,
        }
    if form == "MG9":
        people = case.get("people") or ()
        lines = [f"{p.get('name', '')}, {p.get('role', '')}" for p in people if p.get("name")]
        return {"witnesses": "\n".join(lines)} if lines else {}
    return {}
