"""Who a crime report names, for person links (core/links.py): the reporting person, the
victim, each suspect and each witness, as the report's people list holds them. A report
whose reporter is the victim names them in both roles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.people import LinkRole, split_full_name
from station_app.domain.wire import date_or_none
from station_app.server.core.links import PersonAppearance
from station_app.server.incidents.models import Incident

_ROLES = {
    "reporter": LinkRole.REPORTING_PERSON,
    "victim": LinkRole.VICTIM,
    "suspect": LinkRole.SUSPECT,
    "witness": LinkRole.WITNESS,
}


def appearances(
    people: Sequence[Mapping[str, Any]], at: datetime | None = None
) -> list[PersonAppearance]:
    """The report's people list as appearances (as of `at`, when it was reported); slots
    number each role from 1."""
    found: list[PersonAppearance] = []
    counts: dict[str, int] = {}
    has_victim = any(entry.get("role") == "victim" for entry in people)
    for entry in people:
        kind = str(entry.get("role", ""))
        role = _ROLES.get(kind)
        if role is None:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        slot = kind if kind in ("reporter", "victim") else f"{kind} {counts[kind]}"
        surname, forenames = split_full_name(str(entry.get("name") or ""))
        person = PersonAppearance(
            role=role.value,
            slot=slot,
            surname=surname,
            forenames=forenames,
            date_of_birth=date_or_none(entry.get("date_of_birth")),
            address=str(entry.get("address") or ""),
            postcode=str(entry.get("postcode") or ""),
            description=str(entry.get("description") or ""),
            person_id=entry.get("person_id") or None,
            at=at,
        )
        found.append(person)
        if kind == "reporter" and not has_victim:
            found.append(PersonAppearance(**{**vars(person), "role": LinkRole.VICTIM.value}))
    return found


def people_named(
    session: Session, references: Sequence[str] | None
) -> dict[str, list[PersonAppearance]]:
    """The people each report names (every report when `references` is None)."""
    query = select(Incident.reference, Incident.people, Incident.reported_at).order_by(Incident.id)
    if references is not None:
        query = query.where(Incident.reference.in_(list(references)))
    return {
        reference: appearances(people or [], reported_at)
        for reference, people, reported_at in session.execute(query)
    }
