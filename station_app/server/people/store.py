"""Writing people: a person from what a record or an imported row says of them, their
blocking keys kept with every change, and reading one person back (404 for an unknown id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, literal, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from station_app.domain.people import WarningMarker, fold, parse_person_id
from station_app.domain.validation import (
    is_valid_cro_number,
    is_valid_pnc_id,
    normalise_postcode,
)
from station_app.server.core.db import id_in
from station_app.server.core.links import RecordLink
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError
from station_app.server.people.keys import person_keys
from station_app.server.people.models import (
    Person,
    PersonAddress,
    PersonAlias,
    PersonKey,
    PersonRef,
)

MARKERS = frozenset(marker.value for marker in WarningMarker)
MAX_MERGE_DEPTH = 20


@dataclass
class PersonDetails:
    """What a record or an imported row says of a person."""

    surname: str = ""
    forenames: str = ""
    date_of_birth: dt.date | None = None
    gender: str = ""
    description: str = ""
    pnc_id: str = ""
    cro: str = ""
    address: str = ""
    postcode: str = ""
    aliases: list[tuple[str, str]] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)


def clean_postcode(text: str) -> str:
    """A UK postcode as formats.md stores it; anything else as typed, upper case."""
    try:
        return normalise_postcode(text)
    except ValueError:
        return " ".join(text.split()).upper()[:20]


def checked_pnc_id(text: str) -> str | None:
    """The PNC ID upper case without spaces when its check letter holds, else None."""
    compact = "".join(text.split()).upper()
    return compact if compact and is_valid_pnc_id(compact) else None


def checked_cro(text: str) -> str | None:
    compact = "".join(text.split()).upper()
    return compact if compact and is_valid_cro_number(compact) else None


def _line(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def new_person(
    details: PersonDetails,
    username: str,
    origin: tuple[str, str, str] | None = None,
    now: dt.datetime | None = None,
) -> Person:
    """A person row from `details` (identifiers that fail their check are left out)."""
    now = now or utc_now()
    person = Person(
        surname=_line(details.surname, 100),
        forenames=_line(details.forenames, 200),
        date_of_birth=details.date_of_birth,
        gender=_line(details.gender, 20),
        description=details.description.strip(),
        pnc_id=checked_pnc_id(details.pnc_id),
        cro=checked_cro(details.cro),
        markers=sorted({marker for marker in details.markers if marker in MARKERS}),
        origin_record_type=origin[0] if origin else None,
        origin_reference=origin[1][:100] if origin else None,
        origin_slot=origin[2][:60] if origin else None,
        version=1,
        created_at=now,
        created_by=username[:150],
        updated_at=now,
    )
    person.aliases = [
        PersonAlias(surname=_line(surname, 100), forenames=_line(forenames, 200))
        for surname, forenames in details.aliases
        if surname.strip() or forenames.strip()
    ]
    if details.address.strip() or details.postcode.strip():
        person.addresses = [
            PersonAddress(
                address=_line(details.address, 500), postcode=clean_postcode(details.postcode)
            )
        ]
    return person


def keys_of(person: Person) -> set[str]:
    names = [(person.surname, person.forenames)]
    names += [(alias.surname, alias.forenames) for alias in person.aliases]
    names = [name for name in names if name[0].strip() or name[1].strip()]
    postcodes = [address.postcode for address in person.addresses if address.postcode]
    return person_keys(names, person.date_of_birth, postcodes)


def refresh_keys(session: Session, person: Person) -> None:
    """Replace the person's blocking keys with those of their details now (flushed)."""
    session.flush()
    session.execute(delete(PersonKey).where(PersonKey.person_id == person.id))
    keys = keys_of(person)
    if keys:
        session.execute(insert(PersonKey), [{"key": k, "person_id": person.id} for k in keys])


def add_person(
    session: Session,
    details: PersonDetails,
    username: str,
    origin: tuple[str, str, str] | None = None,
    refs: Iterable[str] = (),
) -> Person:
    """A new person with their keys (and imported refs); not committed."""
    person = new_person(details, username, origin)
    session.add(person)
    session.flush()
    for ref in dict.fromkeys(ref.strip()[:100] for ref in refs if ref.strip()):
        session.add(PersonRef(person_id=person.id, ref=ref))
    refresh_keys(session, person)
    return person


def add_address(
    session: Session,
    person: Person,
    address: str,
    postcode: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> PersonAddress:
    """Another address of the person (an old one when `date_to` is given); keys kept."""
    row = PersonAddress(
        address=_line(address, 500),
        postcode=clean_postcode(postcode),
        date_from=date_from,
        date_to=date_to,
    )
    person.addresses.append(row)
    person.duplicates_checked_at = None
    refresh_keys(session, person)
    return row


def _address_words(text: str) -> str:
    return " ".join(text.replace(",", " ").replace(".", " ").casefold().split())


def _postcode_key(text: str) -> str:
    return "".join(clean_postcode(text).split()) if text.strip() else ""


def same_address(held: PersonAddress, address: str, postcode: str) -> bool:
    """Whether a record's address is this held one: every part given on both sides agrees,
    whatever its case, spaces and commas (and a postcode however it is spaced)."""
    pairs = (
        (_address_words(held.address), _address_words(address)),
        (_postcode_key(held.postcode), _postcode_key(postcode)),
    )
    return all(mine == theirs for mine, theirs in pairs if mine and theirs)


def note_address(
    session: Session,
    person: Person,
    address: str,
    postcode: str,
    on: dt.date,
    also_held: Sequence[PersonAddress] = (),
) -> str | None:
    """A record linking the person gives their address on `on`. One they live or lived at
    (theirs or `also_held`: the people merged into them) adds nothing. Another becomes
    where they live from `on`, and the one before ends on `on`; if where they live now
    began after `on` (an older record), it is an address they lived at before, up to then.
    What was done ("current", "before"), or None; not committed."""
    address = _line(address, 500)
    if not (address or postcode.strip()):
        return None
    if any(same_address(held, address, postcode) for held in [*person.addresses, *also_held]):
        return None
    current = [held for held in person.addresses if held.date_to is None]
    later = [held.date_from for held in current if held.date_from and held.date_from > on]
    if later:
        add_address(session, person, address, postcode, on, min(later))
        done = "before"
    else:
        for held in current:
            held.date_to = on
        add_address(session, person, address, postcode, on)
        done = "current"
    person.version += 1
    person.updated_at = utc_now()
    return done


def known_by(surname: str, forenames: str, names: Iterable[tuple[str, str]]) -> bool:
    """Whether the person is known by this name: the same surname as one of their names
    (or aliases), and forenames that are some of that name's (case, accents and spacing
    aside: `domain.people.fold`)."""
    surname_folded, forename_words = fold(surname), set(fold(forenames).split())
    return any(
        surname_folded == fold(held_surname) and forename_words <= set(fold(held).split())
        for held_surname, held in names
    )


def note_alias(
    session: Session,
    person: Person,
    surname: str,
    forenames: str,
    also_known: Iterable[tuple[str, str]] = (),
) -> bool:
    """A record linking the person names them so: a name they are not known by (theirs,
    their aliases', or `also_known`: those of the people merged into them) becomes an
    alias, with its keys, so a search finds them by it. Whether it did; not committed."""
    surname, forenames = _line(surname, 100), _line(forenames, 200)
    if not fold(surname):
        return False  # a record with no surname says nothing to be known by
    names = [(person.surname, person.forenames), *also_known]
    names += [(alias.surname, alias.forenames) for alias in person.aliases]
    if known_by(surname, forenames, names):
        return False
    person.aliases.append(PersonAlias(surname=surname, forenames=forenames))
    person.version += 1
    person.updated_at = utc_now()
    person.duplicates_checked_at = None  # compare them again for suggested merges
    refresh_keys(session, person)
    return True


def note_markers(
    person: Person, markers: Iterable[str], also_held: Iterable[str] = ()
) -> list[str]:
    """A record linking the person saw or was told of these warning markers: those on the
    list that they (or `also_held`: the people merged into them) do not hold are added; none
    is ever taken away here. The codes added, in order; not committed."""
    held = {*(person.markers or ()), *also_held}
    added = sorted({code for code in markers if code in MARKERS} - held)
    if added:
        person.markers = sorted({*(person.markers or ()), *added})  # a new list: JSON is saved
        person.version += 1
        person.updated_at = utc_now()
    return added


def unknown_person(text: str) -> ProblemError:
    shown = " ".join(text.split())[:40]
    return ProblemError(
        404, f"There is no person {shown}. Check the person number (it looks like P-000123)."
    )


def find_person(session: Session, person_id: str) -> Person | None:
    number = parse_person_id(person_id)
    return session.get(Person, number) if number is not None else None


def get_person(session: Session, person_id: str) -> Person:
    person = find_person(session, person_id)
    if person is None:
        raise unknown_person(person_id)
    return person


def survivor_of(session: Session, person: Person) -> Person:
    """The person a merged person now lives on in (themselves when not merged)."""
    current = person
    for _ in range(MAX_MERGE_DEPTH):
        if current.merged_into_id is None:
            return current
        following = session.get(Person, current.merged_into_id)
        if following is None:
            return current
        current = following
    return current


def merged_into(session: Session, survivor_ids: Sequence[int]) -> dict[int, list[int]]:
    """For each survivor, every person merged into them, at any depth."""
    members: dict[int, list[int]] = {survivor: [] for survivor in survivor_ids}
    top_of: dict[int, int] = {survivor: survivor for survivor in survivor_ids}
    frontier = list(survivor_ids)
    for _ in range(MAX_MERGE_DEPTH):
        if not frontier:
            break
        rows = (
            session.connection()
            .execute(
                select(Person.id, Person.merged_into_id).where(
                    id_in(Person.merged_into_id, frontier, session.get_bind().dialect)
                )
            )
            .all()
        )
        frontier = []
        for member, into in rows:
            if into is None or member in top_of:
                continue
            top_of[member] = top_of[into]
            members[top_of[into]].append(member)
            frontier.append(member)
    return members


def refs_of(session: Session, person_ids: Sequence[int]) -> dict[int, list[str]]:
    """Every reference that names each person: their records' references (links), then
    the refs of imported rows, in the order they were made."""
    refs: dict[int, list[str]] = {person_id: [] for person_id in person_ids}
    if not person_ids:
        return refs
    connection = session.connection()
    links = select(
        RecordLink.person_id,
        RecordLink.reference.label("ref"),
        literal(0).label("part"),
        RecordLink.created_at.label("made"),
        RecordLink.id.label("seq"),
    ).where(id_in(RecordLink.person_id, person_ids, connection.dialect))
    imported = select(PersonRef.person_id, PersonRef.ref, literal(1), null(), null()).where(
        id_in(PersonRef.person_id, person_ids, connection.dialect)
    )
    # One statement: the links in the order they were made, then the imported refs in order.
    both: CompoundSelect[Any] = union_all(links, imported)
    rows: Sequence[Any] = connection.execute(both.order_by("part", "made", "seq", "ref")).all()
    for person_id, ref, *_order in rows:
        refs[person_id].append(ref)
    return {person_id: list(dict.fromkeys(found)) for person_id, found in refs.items()}
