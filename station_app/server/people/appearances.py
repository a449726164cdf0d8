"""The people sink (core/links.py): after a write of a crime report, custody record or case
file, the people it names become people of this feature, linked by their role.

One person per appearance: a name in a record is never matched to someone already known
here (that is a person's decision: "known person?" in the form, or a supervisor's merge).
An appearance the officer linked to a known person (`person_id`) links that person. An edit
keeps each slot's person while the surname still agrees (exact, sounds alike, a slip); a
correction then updates the person the record itself wrote down, and a different surname
in the slot is a new person (the one before keeps their record). Links of people a record no
longer names are removed; the people stay.

A known person the record links is kept up to date by it: an address they are not known at
becomes where they live from the record's own date (store.note_address), a name they are not
known by becomes an alias (store.note_alias), each with an audit row on the person naming the
record. Warning markers a record saw or was told of (a booking in's) are added to the person
it links, known or new, that does not hold them (store.note_markers), with an audit row too;
no record ever takes a marker away.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from station_app.domain.clock import london
from station_app.domain.people import format_person_id
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.links import PersonAppearance, RecordLink
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError
from station_app.server.people.compare import compare_surname
from station_app.server.people.models import Person, PersonAddress
from station_app.server.people.store import (
    PersonDetails,
    add_person,
    checked_cro,
    checked_pnc_id,
    clean_postcode,
    find_person,
    merged_into,
    note_address,
    note_alias,
    note_markers,
    refresh_keys,
    survivor_of,
)

PERSON_RECORD = "person"  # the audit trail's record type of a person (router.RECORD)

SAME_SURNAME = frozenset({"exact", "part", "sounds", "typo", "missing"})


def details_of(appearance: PersonAppearance) -> PersonDetails:
    return PersonDetails(
        surname=appearance.surname,
        forenames=appearance.forenames,
        date_of_birth=appearance.date_of_birth,
        gender=appearance.gender,
        description=appearance.description,
        pnc_id=appearance.pnc_id,
        cro=appearance.cro,
        address=appearance.address,
        postcode=appearance.postcode,
    )


def _says_anything(appearance: PersonAppearance) -> bool:
    return bool(
        appearance.surname.strip()
        or appearance.forenames.strip()
        or appearance.date_of_birth
        or appearance.description.strip()
    )


def _correct(session: Session, person: Person, appearance: PersonAppearance) -> None:
    """The record that wrote this person down corrected what it says of them."""
    person.surname = " ".join(appearance.surname.split())[:100]
    person.forenames = " ".join(appearance.forenames.split())[:200]
    person.date_of_birth = appearance.date_of_birth
    person.gender = appearance.gender.strip()[:20] or person.gender
    person.description = appearance.description.strip() or person.description
    person.pnc_id = checked_pnc_id(appearance.pnc_id) or person.pnc_id
    person.cro = checked_cro(appearance.cro) or person.cro
    address, postcode = " ".join(appearance.address.split())[:500], appearance.postcode.strip()
    if address or postcode:
        if len(person.addresses) <= 1:
            person.addresses = [PersonAddress(address=address, postcode=clean_postcode(postcode))]
        elif not any(held.address == address for held in person.addresses):
            person.addresses.append(
                PersonAddress(address=address, postcode=clean_postcode(postcode))
            )
    person.version += 1
    person.updated_at = utc_now()
    person.duplicates_checked_at = None  # compare them again for suggested merges
    refresh_keys(session, person)


def _picked(session: Session, appearance: PersonAppearance) -> Person:
    chosen = find_person(session, str(appearance.person_id))
    if chosen is None:
        raise ProblemError(
            422,
            f"There is no person {appearance.person_id}. Pick the person again from the "
            "known people, or leave it to make a new person.",
        )
    return survivor_of(session, chosen)


def _members(session: Session, person: Person) -> list[Person]:
    """The people merged into `person`, at any depth."""
    return [
        member
        for member_id in merged_into(session, [person.id])[person.id]
        if (member := session.get(Person, member_id)) is not None
    ]


def _audit_changes(
    session: Session,
    person: Person,
    changes: Sequence[str],
    record_type: str,
    reference: str,
    username: str,
) -> None:
    for what in changes:
        record_audit(
            session,
            username,
            AuditAction.UPDATE,
            PERSON_RECORD,
            format_person_id(person.id),
            f"{what} from {record_type} {reference}",
        )


def _markers_change(session: Session, person: Person, appearance: PersonAppearance) -> list[str]:
    """The warning markers the record gives the person, as an audit detail (none: [])."""
    if not appearance.markers:
        return []
    held = [code for member in _members(session, person) for code in member.markers or ()]
    added = note_markers(person, appearance.markers, held)
    return ["warning markers " + ", ".join(added)] if added else []


def _keep_up_to_date(
    session: Session,
    person: Person,
    appearance: PersonAppearance,
    record_type: str,
    reference: str,
    username: str,
) -> None:
    """What a record says of a known person it links that the person does not hold yet."""
    on = (appearance.at or utc_now()).astimezone(london()).date()
    members = _members(session, person)
    held = [address for member in members for address in member.addresses]
    names = [(member.surname, member.forenames) for member in members]
    names += [(alias.surname, alias.forenames) for member in members for alias in member.aliases]
    changes: list[str] = []
    moved = note_address(session, person, appearance.address, appearance.postcode, on, held)
    if moved is not None:
        changes.append("new current address" if moved == "current" else "earlier address")
    if note_alias(session, person, appearance.surname, appearance.forenames, names):
        changes.append("alias")
    changes += _markers_change(session, person, appearance)
    _audit_changes(session, person, changes, record_type, reference, username)


def record_named(
    session: Session,
    record_type: str,
    reference: str,
    named: Sequence[PersonAppearance],
    username: str,
) -> None:
    """Keep the people of one record and their links up to date (not committed)."""
    links = list(
        session.scalars(
            select(RecordLink).where(
                RecordLink.record_type == record_type, RecordLink.reference == reference
            )
        )
    )
    by_slot = {(link.slot, link.role): link for link in links}
    slot_person = {link.slot: link.person_id for link in links}
    kept: set[tuple[int, str]] = set()
    corrected: set[str] = set()
    now = utc_now()
    for appearance in named:
        person: Person | None = None
        if appearance.person_id:
            person = _picked(session, appearance)
            _keep_up_to_date(session, person, appearance, record_type, reference, username)
        elif appearance.slot in slot_person:
            person = session.get(Person, slot_person[appearance.slot])
            if person is not None:
                origin = (person.origin_record_type, person.origin_reference, person.origin_slot)
                same_slot = origin == (record_type, reference, appearance.slot)
                surname = compare_surname(appearance.surname, person.surname).level
                if surname not in SAME_SURNAME:
                    person = None  # a different name in the slot: someone else
                elif same_slot and appearance.slot not in corrected:
                    _correct(session, person, appearance)  # the record's own correction
                    corrected.add(appearance.slot)
        if person is None:
            if not _says_anything(appearance):
                continue
            person = add_person(
                session,
                details_of(appearance),
                username,
                origin=(record_type, reference, appearance.slot),
            )
            corrected.add(appearance.slot)
        if not appearance.person_id:  # a picked person's were noted with the rest above
            markers = _markers_change(session, person, appearance)
            _audit_changes(session, person, markers, record_type, reference, username)
        slot_person[appearance.slot] = person.id
        if (person.id, appearance.role) in kept:
            continue
        kept.add((person.id, appearance.role))
        link = by_slot.get((appearance.slot, appearance.role))
        if link is not None and link.person_id == person.id:
            continue
        existing = next(
            (held for held in links if (held.person_id, held.role) == (person.id, appearance.role)),
            None,
        )
        if existing is not None:
            existing.slot = appearance.slot
            continue
        new_link = RecordLink(
            person_id=person.id,
            record_type=record_type,
            reference=reference,
            role=appearance.role,
            slot=appearance.slot,
            created_at=now,
            created_by=username[:150],
        )
        session.add(new_link)
        links.append(new_link)
    stale = [link.id for link in links if link.id and (link.person_id, link.role) not in kept]
    if stale:
        session.execute(delete(RecordLink).where(RecordLink.id.in_(stale)))
    session.flush()
