"""A custody record in the journey from report to court (issue 10): booked in from a crime
report's suspect, it is linked to that report and the report's timeline shows the arrest;
charged, it opens the case file (or adds to the one open for that crime) and the report's
timeline shows the charge. All through the core's link registry: this feature never reads
another's tables (core/links.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.custody_rules import AFTER_CHARGE, data_datetime
from station_app.domain.people import format_person_id
from station_app.domain.wire import aware_time_or_none
from station_app.server.core.links import (
    ChargeNote,
    LinkRegistry,
    PersonAppearance,
    RecordNote,
    RecordSummary,
)
from station_app.server.core.problems import ProblemError
from station_app.server.custody import store
from station_app.server.custody.models import CustodyEventRow, CustodyRecord
from station_app.server.custody.people import people_named

RECORD = "custody_record"
INCIDENT = "incident"


def check_incident(session: Session, links: LinkRegistry, reference: str | None) -> None:
    """Refuse a booking for a crime report this server does not hold, before anything is
    stored."""
    if not reference:
        return
    (link,) = links.resolve(session, INCIDENT, [reference])
    if link.found is not True:
        raise ProblemError(
            422,
            f"There is no crime report {reference}. Check the reference, or book in without one.",
            errors=[{"field": "incident_reference", "message": "Check the crime reference."}],
        )


def _name(person: dict[str, Any]) -> str:
    return " ".join(p for p in (person.get("forenames"), person.get("surname")) if p)


def arrested_for(
    session: Session,
    links: LinkRegistry,
    record: CustodyRecord,
    reference: str,
    booking: store.Booking,
    username: str,
) -> None:
    """Link the new custody record to the crime report and put the arrest on its timeline."""
    links.relate(session, RECORD, record.custody_number, INCIDENT, reference, "arrest", username)
    name = _name(booking.person)
    links.tell(
        session,
        INCIDENT,
        reference,
        RecordNote(
            kind="arrest",
            text=f"{name} arrested and booked in at {record.station_code} custody: custody "
            f"record {record.custody_number}.",
            source_type=RECORD,
            source_reference=record.custody_number,
            at=booking.arrested_at,
            data={
                "custody_number": record.custody_number,
                "record_id": record.id,
                "name": name,
                "arrested_at": booking.arrested_at.isoformat(),
            },
        ),
        username,
    )


def linked(session: Session, links: LinkRegistry, number: str, record_type: str) -> list[str]:
    return [ref for kind, ref, _ in links.related(session, RECORD, number) if kind == record_type]


def charged(
    session: Session, links: LinkRegistry, record: CustodyRecord, row: CustodyEventRow, user: str
) -> str | None:
    """After a charge entry: the case file opened or added to, and the charge on each linked
    report's timeline; the case file's reference (None: no case files on this server)."""
    booked = store.event_rows(session, record.id)[0].data
    named = people_named(session, [record.custody_number]).get(record.custody_number)
    detainee = named[0] if named else PersonAppearance(role="detainee", slot="detainee")
    if detainee.person_id is None:
        number = links.person_in(session, RECORD, record.custody_number, "detainee")
        if number is not None:
            detainee = replace(detainee, person_id=format_person_id(number))
    offence = row.data.get("offence") or {}
    code = str(offence.get("code", ""))
    wording = str(row.data.get("wording", ""))
    incidents = linked(session, links, record.custody_number, INCIDENT)
    after = str(row.data.get("after_charge") or "")
    first_hearing = data_datetime(row.data, "first_hearing_at")
    note = ChargeNote(
        custody_number=record.custody_number,
        station_code=record.station_code,
        defendant=replace(detainee, role="defendant", slot="defendant"),
        offence_code=code,
        wording=wording,
        arrested_at=aware_time_or_none(booked.get("arrested_at")),
        arrived_at=aware_time_or_none(booked.get("arrived_at")),
        charged_at=row.occurred_at,
        after_charge=after,
        bail_conditions=str(row.data.get("bail_conditions") or ""),
        court_code=str(row.data.get("court") or ""),
        first_hearing_at=first_hearing,
        officer_in_case=str(row.data.get("officer_in_case") or ""),
        incident_refs=tuple(incidents),
    )
    case_reference = links.charged(session, note, user)
    name = _name(booked.get("person") or {})
    until = dict(AFTER_CHARGE).get(after, "")
    text = f"{name} charged in custody ({record.custody_number}): {offence.get('label') or code}."
    if case_reference:
        text += f" Case file {case_reference}."
    if until:
        text += f" {until.split(' (')[0]}."
    for incident in incidents:
        links.tell(
            session,
            INCIDENT,
            incident,
            RecordNote(
                kind="charge",
                text=text,
                source_type=RECORD,
                source_reference=record.custody_number,
                at=row.occurred_at,
                data={
                    "custody_number": record.custody_number,
                    "case_file": case_reference or "",
                    "offence_code": code,
                    "wording": wording,
                    "after_charge": after,
                    "court": note.court_code,
                    "first_hearing_at": first_hearing.isoformat() if first_hearing else "",
                },
            ),
            user,
        )
    return case_reference


def summarise(session: Session, numbers: Sequence[str]) -> dict[str, RecordSummary]:
    """Custody records as the crime view shows them."""
    rows = session.scalars(
        select(CustodyRecord).where(CustodyRecord.custody_number.in_(list(numbers)))
    )
    found: dict[str, RecordSummary] = {}
    for record in rows:
        board = record.summary or {}
        name = f"{record.forenames} {record.surname}".strip()
        state = "charged" if board.get("charged") else record.status.replace("_", " ")
        found[record.custody_number] = RecordSummary(
            heading=f"Custody record {record.custody_number}",
            lines=(
                f"Detainee: {name}",
                "Offences: " + ", ".join(str(o) for o in board.get("offences") or []),
                f"Status: {state}",
            ),
            at=record.opened_at,
            station_code=record.station_code,
        )
    return found
