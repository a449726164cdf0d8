"""A charge in custody opens the case file, or adds to the one open for that crime (issue
10; the case sink of core/links.py): the defendant as the person charged, the charge with
its offence code and wording, the custody number and times, bail or remand, the court and
the first hearing, and the victims and witnesses of the linked crime reports. Nothing is
typed again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.casefiles.access import RECORD
from station_app.server.casefiles.hearings import next_hearing_date
from station_app.server.casefiles.mapping import CUSTODY_RECORD, INCIDENT
from station_app.server.casefiles.models import CaseEvent, CaseFile, CaseHearing
from station_app.server.casefiles.store import bump
from station_app.server.core.identity import User
from station_app.server.core.links import (
    ChargeNote,
    LinkRegistry,
    PersonAppearance,
    RecordSummary,
)
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError
from station_app.server.core.reference_data import reference_row

# Cases a charge may add to: any not yet finished at court (a case whose every charge has a
# final result is closed to new charges; the new charge opens a new file).
CLOSED = frozenset({"finalised"})
# The file type a charge opens (case-files.md): remanded -> a remand file; otherwise the
# first hearing's file for an anticipated guilty plea, which the officer may change.
FILE_TYPE = {"remand": "remand"}
DEFAULT_FILE_TYPE = "anticipated_guilty_plea"
# The record types a case names in its lists (incident_refs, custody_refs).
NAMED_TYPES = frozenset({INCIDENT, CUSTODY_RECORD})


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _name(person: PersonAppearance) -> str:
    return " ".join(p for p in (person.forenames, person.surname) if p)


def open_case_for(session: Session, links: LinkRegistry, charge: ChargeNote) -> CaseFile | None:
    """The case still open for this crime (a case file linked to one of the charge's reports,
    newest first), else for this custody record: through the core's links, never the text of
    the case's lists."""
    probes = [(INCIDENT, reference) for reference in charge.incident_refs]
    probes.append((CUSTODY_RECORD, charge.custody_number))
    for record_type, reference in probes:
        cases = [
            case_reference
            for kind, case_reference, _relation in links.related(session, record_type, reference)
            if kind == RECORD
        ]
        if not cases:
            continue
        case = session.scalars(
            select(CaseFile)
            .where(CaseFile.reference.in_(cases), CaseFile.status.not_in(CLOSED))
            .order_by(CaseFile.id.desc())
        ).first()
        if case is not None:
            return case
    return None


def relate_named_records(
    session: Session, links: LinkRegistry, case: CaseFile, username: str
) -> None:
    """Link the case to the crime reports and custody records it names, as a charge does,
    and take back the links to those an edit took out, so the crime view and the next charge
    for that crime find the case. Named references are linked even when no such record is
    on this server (a report typed before Station): the crime view says so."""
    named = {(INCIDENT, reference) for reference in case.incident_refs}
    named |= {(CUSTODY_RECORD, reference) for reference in case.custody_refs}
    for reference in case.incident_refs:
        links.relate(session, RECORD, case.reference, INCIDENT, reference, "crime", username)
    for reference in case.custody_refs:
        links.relate(
            session, RECORD, case.reference, CUSTODY_RECORD, reference, "custody", username
        )
    for kind, reference, _relation in links.related(session, RECORD, case.reference):
        if kind in NAMED_TYPES and (kind, reference) not in named:
            links.unrelate(session, RECORD, case.reference, kind, reference)


def case_reference(charge: ChargeNote) -> str:
    """A new file is named after its custody record: `SW-2026-00042-CF`."""
    return f"{charge.custody_number}-CF"


def _same(suspect: dict[str, Any], person: PersonAppearance) -> bool:
    if person.person_id and suspect.get("person_id"):
        return bool(suspect["person_id"] == person.person_id)
    born = person.date_of_birth.isoformat() if person.date_of_birth else None
    return bool(suspect.get("name") == _name(person) and suspect.get("date_of_birth") == born)


def _people(charge: ChargeNote) -> list[dict[str, Any]]:
    found = []
    for person in (*charge.victims, *charge.witnesses):
        incident = person.slot.partition(" ")[0]
        found.append(
            {
                "role": person.role,
                "slot": person.slot,
                "incident": incident,
                "name": _name(person),
                "date_of_birth": _iso_date(person),
                "address": person.address,
                "postcode": person.postcode,
                "person_id": person.person_id,
            }
        )
    return found


def _iso_date(person: PersonAppearance) -> str | None:
    return person.date_of_birth.isoformat() if person.date_of_birth else None


def case_from_charge(
    session: Session, links: LinkRegistry, charge: ChargeNote, username: str
) -> str:
    """Open or add to the case file for the charge; its reference. Not committed."""
    if charge.court_code and reference_row(session, "courts", charge.court_code) is None:
        raise ProblemError(
            422,
            f"There is no court with the code {charge.court_code}. Check the court list "
            "(Reference tab) and enter its code.",
            errors=[{"field": "data.court", "message": "Enter a court code from the list."}],
        )
    case = open_case_for(session, links, charge)
    now = utc_now()
    if case is None:
        owner = charge.officer_in_case.strip() or username
        officer = session.scalars(select(User).where(User.username == owner)).first()
        if officer is None:
            raise ProblemError(
                422,
                f"There is no officer with the user name {owner}. Check it, or leave it empty "
                "to keep the case file yourself.",
                errors=[{"field": "data.officer_in_case", "message": "Check the user name."}],
            )
        username_of_case = officer.username
        case = CaseFile(
            reference=case_reference(charge),
            file_type=FILE_TYPE.get(charge.after_charge, DEFAULT_FILE_TYPE),
            status="draft",
            conditions=["remand_sought"] if charge.after_charge == "remand" else [],
            incident_refs=[],
            custody_refs=[],
            suspects=[],
            people=[],
            officer_username=username_of_case,
            officer_name=officer.display_name,
            station_code=charge.station_code,
            override_reason="",
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        session.flush()
        case.events.append(
            CaseEvent(
                username=username,
                action="opened",
                comment=f"Opened by a charge in custody ({charge.custody_number}).",
                at=now,
            )
        )
    defendant = charge.defendant
    suspects = [dict(s) for s in case.suspects or []]
    suspect = next((s for s in suspects if _same(s, defendant)), None)
    if suspect is None:
        suspect = {"name": _name(defendant), "charges": []}
        suspects.append(suspect)
    suspect.update(
        {
            "date_of_birth": _iso_date(defendant) or suspect.get("date_of_birth"),
            "person_id": defendant.person_id or suspect.get("person_id"),
            "address": defendant.address or suspect.get("address", ""),
            "postcode": defendant.postcode or suspect.get("postcode", ""),
            "custody_number": charge.custody_number,
            "arrested_at": _iso(charge.arrested_at),
            "arrived_at": _iso(charge.arrived_at),
            "charged_at": suspect.get("charged_at") or _iso(charge.charged_at),
            "charged_by": suspect.get("charged_by") or _officer_name(session, username),
            "investigation_began_at": _iso(_investigation_began(session, links, charge)),
            "after_charge": charge.after_charge or suspect.get("after_charge", ""),
            "bail_conditions": charge.bail_conditions or suspect.get("bail_conditions", ""),
        }
    )
    charges = list(suspect.get("charges") or [])
    if not any(c.get("offence_code") == charge.offence_code for c in charges):
        charges.append({"offence_code": charge.offence_code, "wording": charge.wording})
    suspect["charges"] = charges
    case.suspects = suspects
    case.custody_refs = list(dict.fromkeys([*case.custody_refs, charge.custody_number]))
    case.incident_refs = list(dict.fromkeys([*case.incident_refs, *charge.incident_refs]))
    people = [dict(p) for p in case.people or []]
    known = {p.get("slot") for p in people}
    people.extend(p for p in _people(charge) if p["slot"] not in known)
    case.people = people
    if charge.court_code and not case.court_code:
        case.court_code = charge.court_code
    if charge.first_hearing_at is not None:
        _first_hearing(case, charge, username)
    next_hearing_date(case)  # the case's date and court: its next hearing's
    case.events.append(
        CaseEvent(
            username=username,
            action="charged",
            comment=f"{_name(defendant)} charged in custody ({charge.custody_number}): "
            f"{charge.offence_code} {charge.wording}".strip(),
            at=now,
        )
    )
    bump(case)
    session.flush()
    return case.reference


def _officer_name(session: Session, username: str) -> str:
    """The name an officer signs with (the MG4's charging officer)."""
    officer = session.scalars(select(User).where(User.username == username)).first()
    return officer.display_name if officer is not None else username


def _investigation_began(
    session: Session, links: LinkRegistry, charge: ChargeNote
) -> datetime | None:
    """When the investigation began (the MG6 says it: it decides which disclosure rules
    apply): the earliest of the linked crime reports' report times and the arrest."""
    times = [charge.arrested_at] if charge.arrested_at else []
    for reference in charge.incident_refs:
        summary = links.summary_of(session, INCIDENT, reference)
        if summary is not None and summary.at is not None:
            times.append(summary.at)
    return min(times, default=None)


def _first_hearing(case: CaseFile, charge: ChargeNote, username: str) -> None:
    assert charge.first_hearing_at is not None
    for hearing in case.hearings:
        if hearing.sitting_at == charge.first_hearing_at and not hearing.results:
            return
    if any(not hearing.results for hearing in case.hearings):
        return  # a hearing to come is already listed: the charge goes before it
    case.hearings.append(
        CaseHearing(
            sequence=len(case.hearings) + 1,
            court_code=charge.court_code or case.court_code,
            sitting_at=charge.first_hearing_at,
            results=[],
            result_by="",
            version=1,
            created_by=username,
            created_at=utc_now(),
        )
    )


def summarise_cases(session: Session, references: Sequence[str]) -> dict[str, RecordSummary]:
    """Case files as the crime view shows them."""
    found = {}
    for case in session.scalars(select(CaseFile).where(CaseFile.reference.in_(list(references)))):
        defendants = ", ".join(str(s.get("name", "")) for s in case.suspects or [])
        charges = ", ".join(
            str(c.get("offence_code", ""))
            for s in case.suspects or []
            for c in s.get("charges") or []
        )
        found[case.reference] = RecordSummary(
            heading=f"Case file {case.reference}",
            lines=(
                f"Defendants: {defendants or 'none yet'}",
                f"Charges: {charges or 'none yet'}",
                f"Status: {case.status.replace('_', ' ')}",
            ),
            at=case.created_at,
            station_code=case.station_code,
        )
    return found
