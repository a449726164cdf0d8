"""Stored people -> response bodies: a search's candidates, one person with the timeline
of every role they play (their own links and those of anyone merged into them), and the
pairs of suggested merges."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.people import (
    MARKER_TITLES,
    ROLE_TITLES,
    LinkRole,
    WarningMarker,
    format_person_id,
)
from station_app.server.core.links import LinkRegistry, RecordLink
from station_app.server.people import schemas
from station_app.server.people.merges import Suggestion, merge_history
from station_app.server.people.models import Person, PersonAddress
from station_app.server.people.scoring import Scored
from station_app.server.people.search import HeldAddressRow, Reading
from station_app.server.people.store import merged_into, refs_of

RECORD_TITLES = {"hearing": "court hearing"}

_Address = TypeVar("_Address", PersonAddress, HeldAddressRow)


def address_line(address: PersonAddress | HeldAddressRow) -> str:
    """`12 Mill Lane, Leeds LS1 4AB`."""
    return " ".join(part for part in (address.address.strip(), address.postcode) if part)


def _addresses_newest_first(addresses: Sequence[_Address]) -> list[_Address]:
    """Where they live now first, then the others by when they moved in, latest first."""
    return sorted(
        addresses,
        key=lambda a: (
            a.date_to is None,
            a.date_to or dt.date.min,
            a.date_from or dt.date.min,
            a.id,
        ),
        reverse=True,
    )


def address_lines(people: Sequence[Person]) -> list[str]:
    lines = [address_line(a) for p in people for a in _addresses_newest_first(p.addresses)]
    return list(dict.fromkeys(line for line in lines if line))


def candidates_out(
    found: Sequence[Scored], reading: Reading, session: Session
) -> list[schemas.Candidate]:
    """The contract's candidates (shared/docs/people.md), from what the search read of them
    (their names, markers and addresses, and those of anyone merged into them) and their
    references, read here."""
    groups = {
        scored.person_id: [scored.person_id, *reading.members[scored.person_id]] for scored in found
    }
    refs = refs_of(session, [m for group in groups.values() for m in group])
    out = []
    for scored in found:
        group = groups[scored.person_id]
        person = reading.rows[scored.person_id]
        lines = [
            address_line(a) for m in group for a in _addresses_newest_first(reading.addresses[m])
        ]
        out.append(
            schemas.Candidate(
                person_id=format_person_id(person.id),
                score=round(scored.probability, 3),
                surname=person.surname,
                forenames=person.forenames,
                date_of_birth=person.date_of_birth,
                addresses=list(dict.fromkeys(line for line in lines if line)),
                refs=list(dict.fromkeys(r for m in group for r in refs[m])),
                reasons=scored.reasons,
                warning_markers=sorted(
                    {marker for m in group for marker in reading.rows[m].markers or []}
                ),
            )
        )
    return out


def _role_title(role: str) -> str:
    try:
        return ROLE_TITLES[LinkRole(role)]
    except ValueError:
        return role.replace("_", " ").capitalize()


def person_out(
    session: Session, person: Person, links: LinkRegistry, roles: AbstractSet[str]
) -> schemas.PersonOut:
    """The person with the timeline of the records `roles` read (issue 10: each record
    type's readers, as in the crime view); the lines of other records are only counted, and
    their references left out of `refs`."""
    members = merged_into(session, [person.id])[person.id]
    merged = list(session.scalars(select(Person).where(Person.id.in_(members))))
    group = [person, *merged]
    ids = [p.id for p in group]
    every_row = list(
        session.scalars(
            select(RecordLink)
            .where(RecordLink.person_id.in_(ids))
            .order_by(RecordLink.created_at, RecordLink.id)
        )
    )
    rows = [row for row in every_row if links.may_read(row.record_type, roles)]
    withheld = {row.reference for row in every_row} - {row.reference for row in rows}
    found: dict[tuple[str, str], bool | None] = {}
    for record_type in {row.record_type for row in rows}:
        references = [row.reference for row in rows if row.record_type == record_type]
        for link in links.resolve(session, record_type, references):
            found[(record_type, link.reference)] = link.found
    titles = {name: links.title_of(name) for name in links.names}
    refs = refs_of(session, ids)
    markers = sorted({m for p in group for m in p.markers})
    return schemas.PersonOut(
        person_id=format_person_id(person.id),
        surname=person.surname,
        forenames=person.forenames,
        aliases=[
            schemas.AliasOut(surname=a.surname, forenames=a.forenames)
            for p in group
            for a in p.aliases
        ],
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        description=person.description,
        pnc_id=person.pnc_id,
        cro=person.cro,
        warning_markers=[
            schemas.MarkerOut(code=m, title=MARKER_TITLES[WarningMarker(m)]) for m in markers
        ],
        addresses=[
            schemas.AddressOut(
                address=a.address,
                postcode=a.postcode,
                date_from=a.date_from,
                date_to=a.date_to,
                current=a.date_to is None and p is person,
            )
            for p in group
            for a in _addresses_newest_first(p.addresses)
        ],
        refs=list(dict.fromkeys(r for p in group for r in refs[p.id] if r not in withheld)),
        roles=[
            schemas.RoleOut(
                record_type=row.record_type,
                record_title=titles.get(row.record_type)
                or RECORD_TITLES.get(row.record_type, row.record_type),
                reference=row.reference,
                role=row.role,
                role_title=_role_title(row.role),
                found=found.get((row.record_type, row.reference)),
                linked_at=row.created_at,
                person_id=format_person_id(row.person_id),
            )
            for row in rows
        ],
        roles_not_shown=len(every_row) - len(rows),
        merged_into=format_person_id(person.merged_into_id) if person.merged_into_id else None,
        merged_people=[
            schemas.MergedPerson(
                person_id=format_person_id(p.id),
                surname=p.surname,
                forenames=p.forenames,
                date_of_birth=p.date_of_birth,
            )
            for p in merged
        ],
        merges=[
            schemas.MergeOut(
                survivor_id=format_person_id(m.survivor_id),
                merged_id=format_person_id(m.merged_id),
                merged_at=m.merged_at,
                merged_by=m.merged_by,
                reason=m.reason,
                unmerged_at=m.unmerged_at,
                unmerged_by=m.unmerged_by,
            )
            for m in merge_history(session, [person.id])
        ],
        version=person.version,
        created_at=person.created_at,
        updated_at=person.updated_at,
    )


def summary_out(person: Person, refs: list[str]) -> schemas.PersonSummary:
    return schemas.PersonSummary(
        person_id=format_person_id(person.id),
        surname=person.surname,
        forenames=person.forenames,
        date_of_birth=person.date_of_birth,
        addresses=address_lines([person]),
        refs=refs,
    )


def suggestions_out(session: Session, found: Sequence[Suggestion]) -> list[schemas.SuggestionOut]:
    refs = refs_of(session, [p.id for s in found for p in (s.first, s.second)])
    return [
        schemas.SuggestionOut(
            people=[
                summary_out(s.first, refs[s.first.id]),
                summary_out(s.second, refs[s.second.id]),
            ],
            score=round(s.score, 3),
            reasons=s.reasons,
        )
        for s in found
    ]
