"""Who a custody record names, for the core's person links (core/links.py): the detainee as
booked in. People are found through the people feature's search (server/people), which
these links feed; the custody suite keeps no index of its own (custody_0004)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.people import LinkRole
from station_app.domain.wire import date_or_none
from station_app.server.core.links import PersonAppearance
from station_app.server.custody.models import CustodyEventRow, CustodyRecord


def people_named(
    session: Session, references: Sequence[str] | None
) -> dict[str, list[PersonAppearance]]:
    """Who each custody record names, for person links (core/links.py): the detainee, as
    booked in, at their arrival, with the warning markers seen or said at booking in (every
    record when `references` is None)."""
    query = (
        select(CustodyRecord.custody_number, CustodyEventRow.data, CustodyEventRow.occurred_at)
        .join(CustodyEventRow, CustodyEventRow.record_id == CustodyRecord.id)
        .where(CustodyEventRow.kind == "booked_in")
        .order_by(CustodyRecord.id)
    )
    if references is not None:
        query = query.where(CustodyRecord.custody_number.in_(list(references)))
    found: dict[str, list[PersonAppearance]] = {}
    for number, data, arrived_at in session.execute(query):
        person = (data or {}).get("person") or {}
        found[number] = [
            PersonAppearance(
                role=LinkRole.DETAINEE.value,
                slot="detainee",
                surname=str(person.get("surname") or ""),
                forenames=str(person.get("forenames") or ""),
                date_of_birth=date_or_none(person.get("date_of_birth")),
                gender=str(person.get("gender") or ""),
                address=str(person.get("address") or ""),
                postcode=str(person.get("postcode") or ""),
                pnc_id=str(person.get("pnc_id") or ""),
                person_id=person.get("person_id") or None,
                at=arrived_at,  # the booking's own time: arrival at the station
                markers=tuple(str(code) for code in person.get("markers") or ()),
            )
        ]
    return found
