"""Turning stored reports into their JSON answers: a report in full (with the station's
contact details for the victim's letter and the status changes the reader's roles allow)
and a report as a row of the list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.incidents import IncidentStatus, allowed_next
from station_app.domain.people import format_person_id
from station_app.server.core.links import RecordLink
from station_app.server.core.reference_data import reference_row
from station_app.server.incidents.models import Incident
from station_app.server.incidents.schemas import (
    IncidentOut,
    IncidentSummary,
    OffenceOut,
    PersonOut,
    PropertyOut,
    StationOut,
    TimelineEntry,
)
from station_app.server.incidents.store import is_overdue, place_text

_EMPTY_PERSON: dict[str, Any] = {
    "name": "",
    "date_of_birth": None,
    "address": "",
    "postcode": "",
    "phone": "",
    "email": "",
    "contact_method": "",
    "contact_times": "",
    "language": "",
    "interpreter": False,
    "description": "",
}


def _person(data: dict[str, Any], person_id: str | None = None) -> PersonOut:
    fields = {**_EMPTY_PERSON, **{k: v for k, v in data.items() if k in _EMPTY_PERSON}}
    return PersonOut.model_validate({**fields, "person_id": person_id})


def _people(incident: Incident, role: str, people: dict[str, str]) -> list[PersonOut]:
    """The report's people in one role, each with the person linked to their slot
    ("suspect 2": the second suspect; incidents/people.py numbers them the same way)."""
    found = [p for p in incident.people if p.get("role") == role]
    if role in ("reporter", "victim"):
        return [_person(p, people.get(role)) for p in found]
    return [_person(p, people.get(f"{role} {n}")) for n, p in enumerate(found, start=1)]


def linked_people(session: Session, reference: str) -> dict[str, str]:
    """{slot: person id} of the people linked to a report (core/links.py)."""
    rows = session.execute(
        select(RecordLink.slot, RecordLink.person_id)
        .where(RecordLink.record_type == "incident", RecordLink.reference == reference)
        .order_by(RecordLink.id)
    )
    return {slot: format_person_id(person) for slot, person in rows}


def station_out(session: Session, code: str) -> StationOut:
    row = reference_row(session, "stations", code)
    if row is None:
        return StationOut(code=code, name=code, address="", postcode="", phone="")
    attributes = row.attributes or {}
    return StationOut(
        code=code,
        name=row.label,
        address=str(attributes.get("address", "")),
        postcode=str(attributes.get("postcode", "")),
        phone=str(attributes.get("phone", "")),
    )


def incident_out(session: Session, incident: Incident, roles: frozenset[str]) -> IncidentOut:
    offence = reference_row(session, "offences", incident.offence_code)
    wording = str((offence.attributes or {}).get("wording", "")) if offence else ""
    people = linked_people(session, incident.reference)
    reporters = _people(incident, "reporter", people)
    victims = _people(incident, "victim", people)
    reporter = reporters[0] if reporters else _person({})
    status = IncidentStatus(incident.status)
    return IncidentOut(
        reference=incident.reference,
        version=incident.version,
        status=status,
        station=station_out(session, incident.station_code),
        offence=OffenceOut(
            code=incident.offence_code, label=incident.offence_label, wording=wording
        ),
        occurred_from=incident.occurred_from,
        occurred_to=incident.occurred_to,
        reported_at=incident.reported_at,
        recorded_at=incident.recorded_at,
        decision_overdue=is_overdue(incident, datetime.now(UTC)),
        location_address=incident.location_address,
        location_postcode=incident.location_postcode or "",
        location_description=incident.location_description,
        account=incident.account,
        cctv=incident.cctv,
        reporter=reporter,
        victim_is_reporter=not victims,
        victim=victims[0] if victims else reporter,
        suspects=_people(incident, "suspect", people),
        witnesses=_people(incident, "witness", people),
        property=[PropertyOut.model_validate(item) for item in incident.property],
        flags=incident.flags(),
        officer_name=incident.officer_name,
        officer_number=incident.officer_number,
        timeline=[
            TimelineEntry(
                at=event.at,
                kind=event.kind,
                by_name=event.by_name,
                text=event.text,
                from_status=event.from_status,
                to_status=event.to_status,
                data=event.data or {},
            )
            for event in incident.events
        ],
        allowed_statuses=allowed_next(status, set(roles)),
    )


def incident_summary(incident: Incident, now: datetime) -> IncidentSummary:
    return IncidentSummary(
        reference=incident.reference,
        version=incident.version,
        station_code=incident.station_code,
        status=IncidentStatus(incident.status),
        reported_at=incident.reported_at,
        offence_code=incident.offence_code,
        offence_label=incident.offence_label,
        victim_name=incident.victim_name,
        place=place_text(incident),
        flags=incident.flags(),
        decision_overdue=is_overdue(incident, now),
    )
