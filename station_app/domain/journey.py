"""The journey from report to court, as Station fills each step from the one before (issue
10): what booking-in takes from a crime report's suspect, and how the crime view orders a
chain of linked records. Standard library only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from station_app.domain.casefile_forms import FORM_FIELDS
from station_app.domain.clock import london
from station_app.domain.custody_record import local_text
from station_app.domain.people import split_full_name
from station_app.domain.wire import aware_time_or_none, date_or_none

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


def _london_date(value: object) -> str:
    """The London calendar date of a wire time, as a form's date field takes it (YYYY-MM-DD):
    a charge at 00:30 BST is charged on that day, not on the UTC day before."""
    moment = aware_time_or_none(value)
    return moment.astimezone(london()).date().isoformat() if moment else ""


def _when(value: object) -> str:
    """A wire time as the station's wall clock says it, with the zone; "" when not held."""
    moment = aware_time_or_none(value)
    return local_text(moment) if moment else ""


def _born(value: object) -> str:
    born = date_or_none(value)
    return f"born {born:%d/%m/%Y}" if born else ""


def _joined(*parts: object, sep: str = ", ") -> str:
    return sep.join(str(part) for part in parts if part)


def _defendant_summary(suspect: Mapping[str, Any]) -> list[str]:
    """One defendant on the MG5: who, the custody record and its times, the charges, and bail
    or remand, each line only as far as the case holds it."""
    address = _joined(suspect.get("address"), suspect.get("postcode"))
    lines = [
        "Defendant: "
        + _joined(
            suspect.get("name"), _born(suspect.get("date_of_birth")), address and f"of {address}"
        )
    ]
    number = suspect.get("custody_number")
    times = [
        f"{verb} {when}"
        for verb, key in (
            ("arrested", "arrested_at"),
            ("arrived", "arrived_at"),
            ("charged", "charged_at"),
        )
        if (when := _when(suspect.get(key)))
    ]
    custody = _joined(number and f"Custody record {number}", *times)
    if custody:
        lines.append(custody[:1].upper() + custody[1:])
    charges = _charge_lines(suspect)
    if charges:
        lines += ["Charges:", charges]
    after = AFTER_CHARGE_WORDS.get(str(suspect.get("after_charge") or ""), "")
    conditions = str(suspect.get("bail_conditions") or "")
    if after:
        lines.append(after + (f", conditions: {conditions}" if conditions else ""))
    return lines


def _hearing_line(case: Mapping[str, Any]) -> str:
    """The first hearing as listed (court by name), else the hearing date the case holds."""
    hearings = sorted(case.get("hearings") or (), key=lambda h: int(h.get("sequence") or 0))
    if hearings:
        first = hearings[0]
        where = first.get("court") or first.get("court_code")
        return "First hearing: " + _joined(where, _when(first.get("sitting_at")))
    hearing_date = date_or_none(case.get("hearing_date"))
    if hearing_date is None:
        return ""
    court = case.get("court_code")
    return f"Hearing: {hearing_date:%d/%m/%Y}" + (f", court {court}" if court else "")


def _case_summary(case: Mapping[str, Any], suspects: Sequence[Mapping[str, Any]]) -> str:
    blocks = ["\n".join(_defendant_summary(s)) for s in suspects if s.get("name")]
    hearing = _hearing_line(case)
    return "\n\n".join([*blocks, hearing] if hearing else blocks)


def _references(case: Mapping[str, Any]) -> str:
    """The crime reports and custody records the case names: where the prosecutor's
    background comes from (MG6)."""
    incidents = ", ".join(str(r) for r in case.get("incident_refs") or ())
    custody = ", ".join(str(r) for r in case.get("custody_refs") or ())
    return _joined(
        incidents and f"Crime reports: {incidents}",
        custody and f"Custody records: {custody}",
        sep="\n",
    )


def _investigation_began(suspects: Sequence[Mapping[str, Any]]) -> str:
    """The London day the case's investigation began: the earliest its charges record (each
    charge's crime report, or its arrest, whichever came first)."""
    times = [
        moment
        for suspect in suspects
        if (moment := aware_time_or_none(suspect.get("investigation_began_at")))
    ]
    return _london_date(min(times).isoformat()) if times else ""


def _witness_values(witness: Mapping[str, Any]) -> dict[str, Any]:
    """An MG11 opened for a known witness of the case: who they are, linked to their person
    as the "known person?" pick links them (address written as the pick writes it)."""
    return {
        "witness_name": str(witness.get("name") or ""),
        "date_of_birth": (
            born.isoformat() if (born := date_or_none(witness.get("date_of_birth"))) else ""
        ),
        "address": _joined(witness.get("address"), witness.get("postcode"), sep=" "),
        "person_id": str(witness.get("person_id") or ""),
    }


def statements_to_take(case: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The case's victims and witnesses (from its linked reports) with no MG11 in the file
    yet, in the case's order: each is offered an MG11 of their own, opened with who they
    are. A statement is theirs when it names their person or their name."""
    taken_ids: set[str] = set()
    taken_names: set[str] = set()
    for document in case.get("documents") or ():
        if document.get("form") != "MG11":
            continue
        data = document.get("data") or {}
        if data.get("person_id"):
            taken_ids.add(str(data["person_id"]))
        taken_names.add(" ".join(str(data.get("witness_name") or "").casefold().split()))
    return [
        person
        for person in case.get("people") or ()
        if person.get("name")
        and not (person.get("person_id") and str(person["person_id"]) in taken_ids)
        and " ".join(str(person["name"]).casefold().split()) not in taken_names
    ]


def known_form_values(
    form: str, case: Mapping[str, Any], witness: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """What a new MG form already knows from the case file (the defendant charged in
    custody, the charges, bail or remand, the hearing, the victims and witnesses of the
    linked reports): filled in, never typed again; the officer checks and completes the rest.

    Only fields of the form's definition, only facts the case holds (a suspect typed on
    the file by hand brings no charging officer or investigation start: those stay for the
    officer). `witness`: for an MG11, the case's person (one of `people`) the statement is from."""
    suspects: Sequence[Mapping[str, Any]] = case.get("suspects") or ()
    first = suspects[0] if suspects else {}
    names = ", ".join(str(s.get("name") or "") for s in suspects)
    people: Sequence[Mapping[str, Any]] = [p for p in case.get("people") or () if p.get("name")]
    charges = "\n".join(line for s in suspects if (line := _charge_lines(s)))
    values: dict[str, Any] = {}
    if form == "MG1" and first:
        values = {
            "defendant_name": names,
            "date_of_birth": str(first.get("date_of_birth") or ""),
            "charges_summary": charges,
            "remand_status": AFTER_CHARGE_WORDS.get(str(first.get("after_charge") or ""), ""),
            "officer_in_case": str(case.get("officer_name") or ""),
        }
    elif form == "MG3":
        values = {"offences": charges}
    elif form == "MG4" and first:
        values = {
            "defendant_name": names,
            "charges": charges,
            "charged_on": _london_date(first.get("charged_at")),
            "charging_officer": str(first.get("charged_by") or ""),
        }
    elif form == "MG5":
        values = {"summary": _case_summary(case, suspects)}
    elif form == "MG6":
        values = {
            "officer_name": str(case.get("officer_name") or ""),
            "investigation_began": _investigation_began(suspects),
            "information": _references(case),
        }
    elif form == "MG9":
        values = {"witnesses": "\n".join(f"{p['name']}, {p.get('role', '')}" for p in people)}
    elif form == "MG10":
        # Manual of Guidance MG10: "witness, dates, reason"; the dates are the witness's
        # to give, so each line is begun with the name and left for the officer.
        values = {"dates_to_avoid": "\n".join(f"{p['name']}, " for p in people)}
    elif form == "MG11" and witness is not None:
        values = _witness_values(witness)
    fields = {spec.name for spec in FORM_FIELDS.get(form, ())}
    return {name: value for name, value in values.items() if name in fields and value}
