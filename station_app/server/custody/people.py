"""People booked in before, for the booking-in form's person search (docs/api.md, "Custody").

Every booking keeps one `custody_person` row per person (same names and date of birth)
with their latest details and custody record, and the words they are found by in
`custody_person_name`. A search asks the (token, person) primary key for each typed
prefix as a range, and the date-of-birth index for a date: a few index probes however
many people the suite has seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from station_app.domain.custody_people import (
    PeopleQuery,
    name_key,
    name_tokens,
    person_key,
    prefix_range,
)
from station_app.domain.people import LinkRole
from station_app.domain.wire import date_or_none
from station_app.server.core.links import PersonAppearance
from station_app.server.custody.models import (
    CustodyEventRow,
    CustodyPerson,
    CustodyPersonName,
    CustodyRecord,
)

SEARCH_LIMIT = 10


def remember(
    session: Session, person: Mapping[str, Any], record: CustodyRecord, booked_at: dt.datetime
) -> CustodyPerson:
    """Note who was booked in (Code C 2.1). Not committed; two first bookings of one
    person at once meet the unique person key, and the caller retries."""
    surname, forenames = str(person.get("surname", "")), str(person.get("forenames", ""))
    born = date_or_none(person.get("date_of_birth"))
    key = person_key(surname, forenames, born)
    row = session.scalars(select(CustodyPerson).where(CustodyPerson.person_key == key)).first()
    if row is None:
        row = CustodyPerson(person_key=key, bookings=0, date_of_birth=born)
        session.add(row)
        tokens = name_tokens(surname, forenames)
    else:
        tokens = frozenset()
    row.surname, row.forenames = surname[:100], forenames[:200]
    row.surname_key = name_key(surname)
    row.details = dict(person)
    row.last_record_id = record.id
    row.last_custody_number = record.custody_number
    row.last_station_code = record.station_code
    row.last_booked_at = booked_at
    row.bookings = (row.bookings or 0) + 1
    session.flush()
    session.add_all(CustodyPersonName(token=token, person_id=row.id) for token in tokens)
    return row


def _prefix(column: Any, term: str) -> ColumnElement[bool]:
    low, high = prefix_range(term)
    return column >= low if high is None else and_(column >= low, column < high)


def search_query(query: PeopleQuery, limit: int = SEARCH_LIMIT) -> Select[CustodyPerson]:
    """Everyone matching every typed word (as the start of one of their names) and the
    date of birth; surname typed in full first, then surname begun, then the rest, the
    most recently booked first within each."""
    statement = select(CustodyPerson)
    for term in query.names:
        words = select(CustodyPersonName.person_id).where(_prefix(CustodyPersonName.token, term))
        statement = statement.where(CustodyPerson.id.in_(words))
    if query.born is not None:
        statement = statement.where(CustodyPerson.date_of_birth == query.born)
    if query.names:
        rank: Any = case(
            (CustodyPerson.surname_key.in_(query.names), 0),
            (or_(*(_prefix(CustodyPerson.surname_key, t) for t in query.names)), 1),
            else_=2,
        )
        statement = statement.order_by(rank)
    order = (CustodyPerson.last_booked_at.desc(), CustodyPerson.id.desc())
    return statement.order_by(*order).limit(limit)


def search(session: Session, query: PeopleQuery, limit: int = SEARCH_LIMIT) -> list[CustodyPerson]:
    if query.empty:
        return []
    return list(session.scalars(search_query(query, limit)))


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
