"""Links between features' records, through one declared mechanism (architecture.md, "Server
patterns"): features never import each other, and never probe each other's tables.

Each feature declares the kinds of record it owns (`RecordType`: a name, a title and how
to tell which references exist); the app factory registers every declared type on the app
(`app.state.links`), and a feature holding references to another's records (a case file's
crime reports and custody records) resolves them through the registry. A type no feature
on this server declares resolves to "not known here" (found None), never to an error.

People are linked to the roles they play in those records (a suspect in a crime report, the
detainee of a custody record) in one table, `record_link`, keyed by (person, record type,
reference, role). A feature whose records name people says who they are (`RecordType.people`,
a reader of its own records), and calls `LinkRegistry.note_people` after each write; the one
feature that keeps people (the people sink) turns what the record says into people and
links. The owning feature never imports the people feature, nor it them.

Records are linked to records in one table too, `record_relation` (issue 10): a custody record
to the crime report its detainee was arrested for, a case file to the custody record whose
charge opened it, a court hearing to its case. A feature that makes such a link says so with
`LinkRegistry.relate`, and tells the linked record what happened (`LinkRegistry.tell`, a
`RecordNote`: the arrest, the charge, the court's result) through the record type's own
`hear`, so a crime report's timeline shows its arrests without the custody feature knowing
what a crime report is. A charge in custody goes to the one feature that prepares cases
(the case sink, `LinkRegistry.charged`), which opens the case file or adds to the one open
for that crime. `LinkRegistry.chain` walks the relations from any record: the crime view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from station_app.domain.people import format_person_id
from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now

Finder = Callable[[Session, Sequence[str]], AbstractSet[str]]
"""Given distinct references, the subset of them that name an existing record."""


@dataclass(frozen=True)
class PersonAppearance:
    """Someone a record names, as the record has them.

    `slot` says where in the record ("suspect 2"), so an edit of the record keeps each
    person's link; `person_id` is the person the officer picked ("known person?"), if any;
    `at` is the record's own time (arrival, report), from when what it says of them holds;
    `markers` are warning markers the record saw or was told of (`domain.people.WarningMarker`
    codes: a booking in's), which the person gains and never loses by it.
    """

    role: str  # domain.people.LinkRole
    slot: str
    surname: str = ""
    forenames: str = ""
    date_of_birth: dt.date | None = None
    gender: str = ""
    address: str = ""
    postcode: str = ""
    pnc_id: str = ""
    cro: str = ""
    description: str = ""
    person_id: str | None = None
    at: datetime | None = None
    markers: tuple[str, ...] = ()


PeopleReader = Callable[[Session, Sequence[str] | None], Mapping[str, Sequence[PersonAppearance]]]
"""Given references (None: every record of the type), the people each record names."""

PeopleSink = Callable[[Session, str, str, Sequence[PersonAppearance], str], None]
"""(session, record type, reference, the people it names, user name): keep the record's
people and their links up to date. Not committed: it goes with the write that called it."""


@dataclass(frozen=True)
class RecordNote:
    """Something that happened to a record linked to this one, for this one's own history:
    "Arrested and booked in: custody record SW-2026-00042". `data` carries what a letter
    or a view needs (JSON)."""

    kind: str  # "arrest", "charge", "court_result": the timeline's kind of line
    text: str
    source_type: str
    source_reference: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


NoteSink = Callable[[Session, str, RecordNote, str], None]
"""(session, reference, note, user name): add the note to that record's history. Not
committed: it goes with the write that called it."""


@dataclass(frozen=True)
class RecordSummary:
    """One record as a chain (the crime view) shows it: a heading and a few lines."""

    heading: str  # "Custody record SW-2026-00042"
    lines: tuple[str, ...] = ()
    at: datetime | None = None
    station_code: str = ""


Summariser = Callable[[Session, Sequence[str]], Mapping[str, RecordSummary]]
"""Given references, a summary of each that exists."""


@dataclass(frozen=True)
class ChargeNote:
    """A detainee charged in custody, as the case sink needs it to open or add to the case
    file (Code C 16; case-files.md). Victims and witnesses are added by the registry from the
    crime reports the custody record is linked to."""

    custody_number: str
    station_code: str
    defendant: PersonAppearance
    offence_code: str
    wording: str
    arrested_at: datetime | None
    arrived_at: datetime | None
    charged_at: datetime
    after_charge: str  # "bail" | "remand" | "" (not yet decided)
    bail_conditions: str = ""
    court_code: str = ""
    first_hearing_at: datetime | None = None
    officer_in_case: str = ""  # the user name whose case it is; "" for the charging officer
    incident_refs: tuple[str, ...] = ()
    victims: tuple[PersonAppearance, ...] = ()
    witnesses: tuple[PersonAppearance, ...] = ()


CaseSink = Callable[[Session, "LinkRegistry", ChargeNote, str], str]
"""(session, the link registry, charge, user name) -> the case file's reference, opened or
added to (the registry says which case files are linked to the charge's records)."""


@dataclass(frozen=True)
class RecordType:
    """A kind of record that one feature owns and others may refer to."""

    name: str  # "incident": the same name the audit trail gives the record type
    title: str  # "crime report": how a sentence names one
    find: Finder
    people: PeopleReader | None = None  # who the record names, for person links
    hear: NoteSink | None = None  # takes notes of what happened to linked records
    summarise: Summariser | None = None  # for the crime view
    # Roles that may see its records in a chain and in a person's timeline (may_read).
    readers: frozenset[str] = frozenset()
    # Records of the same feature that belong to this one (a case's hearings), as
    # (record type, reference, relation): the chain follows them as it follows relations.
    parts: Callable[[Session, str], Sequence[tuple[str, str, str]]] | None = None


class RecordLink(Base):
    """A person's role in another feature's record: the suspect in crime report
    SW-2026-0000123, the detainee of custody record SW-2026-00042. The person belongs to the
    people feature (a foreign key in the database, migration people_0001)."""

    __tablename__ = "record_link"
    __table_args__ = (
        UniqueConstraint("person_id", "record_type", "reference", "role", name="uq_record_link"),
        Index("ix_record_link_record", "record_type", "reference"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(BigId)
    record_type: Mapped[str] = mapped_column(String(60))
    reference: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(40))
    slot: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(150), default="")


class RecordRelation(Base):
    """A record that refers to another feature's record: custody record SW-2026-00042 was
    opened for ("arrest") crime report SW-2026-0000123 (migration 0004)."""

    __tablename__ = "record_relation"
    __table_args__ = (
        UniqueConstraint(
            "record_type", "reference", "linked_type", "linked_reference", name="uq_record_relation"
        ),
        Index("ix_record_relation_linked", "linked_type", "linked_reference"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(60))
    reference: Mapped[str] = mapped_column(String(60))
    linked_type: Mapped[str] = mapped_column(String(60))
    linked_reference: Mapped[str] = mapped_column(String(60))
    relation: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(150), default="")


@dataclass(frozen=True)
class ChainLink:
    """One record of a chain (the crime view): how it is reached, and what the user may see."""

    record_type: str
    reference: str
    title: str  # "custody record"
    relation: str  # how it is linked to the record it was reached from ("arrest")
    depth: int
    summary: RecordSummary | None  # None: not on this server, or not for this role
    readable: bool = True  # False: the role may not see records of this type


@dataclass(frozen=True)
class Link:
    """A reference to another feature's record, as resolved on this server."""

    record_type: str
    reference: str
    found: bool | None  # None: no feature on this server owns that record type


class LinkRegistry:
    """The record types the features of one app declare, by name."""

    def __init__(
        self,
        record_types: Iterable[RecordType] = (),
        people_sink: PeopleSink | None = None,
        case_sink: CaseSink | None = None,
    ) -> None:
        self._types: dict[str, RecordType] = {}
        self.people_sink = people_sink
        self.case_sink = case_sink
        for record_type in record_types:
            self.register(record_type)

    def register(self, record_type: RecordType) -> None:
        if record_type.name in self._types:
            raise ValueError(f"Two features declare the record type {record_type.name!r}.")
        self._types[record_type.name] = record_type

    def __contains__(self, name: object) -> bool:
        return name in self._types

    @property
    def names(self) -> list[str]:
        return sorted(self._types)

    def title_of(self, name: str) -> str | None:
        """How a sentence names a record of this type ("crime report"), if declared."""
        owner = self._types.get(name)
        return owner.title if owner else None

    def resolve(self, session: Session, record_type: str, references: Sequence[str]) -> list[Link]:
        """Each reference, in order, with whether it names a record of `record_type`."""
        owner = self._types.get(record_type)
        if owner is None:
            return [Link(record_type, reference, None) for reference in references]
        distinct = list(dict.fromkeys(references))
        found = owner.find(session, distinct) if distinct else frozenset()
        return [Link(record_type, reference, reference in found) for reference in references]

    def note_people(
        self, session: Session, record_type: str, reference: str, username: str
    ) -> None:
        """After a write of a record that names people: link them (nothing when no feature
        keeps people on this server, or the record type names nobody)."""
        owner = self._types.get(record_type)
        if self.people_sink is None or owner is None or owner.people is None:
            return
        named = owner.people(session, [reference]).get(reference, ())
        self.people_sink(session, record_type, reference, named, username)

    def backfill_people(self, session: Session, username: str) -> int:
        """Link the people of every record that has no person links yet (the demo seed's
        records are written without the routes); the number of records linked."""
        if self.people_sink is None:
            return 0
        linked = 0
        for owner in self._types.values():  # in the features' order
            if owner.people is None:
                continue
            done = set(
                session.scalars(
                    select(RecordLink.reference)
                    .where(RecordLink.record_type == owner.name)
                    .distinct()
                )
            )
            for reference, named in owner.people(session, None).items():
                if reference not in done and named:
                    self.people_sink(session, owner.name, reference, named, username)
                    linked += 1
        return linked

    # --- records linked to records (issue 10) ------------------------------------------------

    def relate(
        self,
        session: Session,
        record_type: str,
        reference: str,
        linked_type: str,
        linked_reference: str,
        relation: str,
        username: str,
    ) -> bool:
        """Note that a record refers to another (once); True when the link is new. Not
        committed: it goes with the write that made it."""
        existing = session.scalars(
            select(RecordRelation.id).where(
                RecordRelation.record_type == record_type,
                RecordRelation.reference == reference,
                RecordRelation.linked_type == linked_type,
                RecordRelation.linked_reference == linked_reference,
            )
        ).first()
        if existing is not None:
            return False
        session.add(
            RecordRelation(
                record_type=record_type,
                reference=reference,
                linked_type=linked_type,
                linked_reference=linked_reference,
                relation=relation,
                created_by=username,
            )
        )
        session.flush()
        return True

    def unrelate(
        self,
        session: Session,
        record_type: str,
        reference: str,
        linked_type: str,
        linked_reference: str,
    ) -> bool:
        """Take back the note that a record refers to another (a reference an edit took out
        of it); True when there was one. Only that direction: a link the other record made
        stays. Not committed: it goes with the write that made it."""
        row = session.scalars(
            select(RecordRelation).where(
                RecordRelation.record_type == record_type,
                RecordRelation.reference == reference,
                RecordRelation.linked_type == linked_type,
                RecordRelation.linked_reference == linked_reference,
            )
        ).first()
        if row is None:
            return False
        session.delete(row)
        session.flush()
        return True

    def related(
        self, session: Session, record_type: str, reference: str
    ) -> list[tuple[str, str, str]]:
        """(record type, reference, relation) of every record linked to this one, either
        way, oldest link first."""
        rows = session.scalars(
            select(RecordRelation)
            .where(
                or_(
                    (RecordRelation.record_type == record_type)
                    & (RecordRelation.reference == reference),
                    (RecordRelation.linked_type == record_type)
                    & (RecordRelation.linked_reference == reference),
                )
            )
            .order_by(RecordRelation.id)
        )
        found: list[tuple[str, str, str]] = []
        for row in rows:
            if row.record_type == record_type and row.reference == reference:
                found.append((row.linked_type, row.linked_reference, row.relation))
            else:
                found.append((row.record_type, row.reference, row.relation))
        return found

    def tell(
        self, session: Session, record_type: str, reference: str, note: RecordNote, username: str
    ) -> bool:
        """Give a record the note of what happened to a record linked to it; False when no
        feature here keeps that record type's history."""
        owner = self._types.get(record_type)
        if owner is None or owner.hear is None:
            return False
        owner.hear(session, reference, note, username)
        return True

    def person_in(
        self, session: Session, record_type: str, reference: str, slot: str
    ) -> int | None:
        """The person linked to a record's slot ("suspect 1"), if any."""
        return session.scalars(
            select(RecordLink.person_id)
            .where(
                RecordLink.record_type == record_type,
                RecordLink.reference == reference,
                RecordLink.slot == slot,
            )
            .order_by(RecordLink.id)
        ).first()

    def named_with_people(
        self, session: Session, record_type: str, reference: str, roles: AbstractSet[str]
    ) -> list[PersonAppearance]:
        """The people a record names in these roles, each with the person they are linked to
        (so a record made from this one links the same person, never a new one)."""
        owner = self._types.get(record_type)
        if owner is None or owner.people is None:
            return []
        named = owner.people(session, [reference]).get(reference, ())
        found = []
        for person in named:
            if person.role not in roles:
                continue
            if person.person_id is None:
                number = self.person_in(session, record_type, reference, person.slot)
                if number is not None:
                    person = replace(person, person_id=format_person_id(number))
            found.append(person)
        return found

    def charged(self, session: Session, charge: ChargeNote, username: str) -> str | None:
        """A charge in custody: the case sink opens the case file for it or adds to the one
        open for that crime, with the victims and witnesses of the linked crime reports;
        the custody record and the reports are linked to the case. The case's reference,
        or None when no feature here prepares cases."""
        if self.case_sink is None:
            return None
        victims: list[PersonAppearance] = []
        witnesses: list[PersonAppearance] = []
        for incident in charge.incident_refs:
            for person in self.named_with_people(session, "incident", incident, {"victim"}):
                victims.append(replace(person, slot=f"{incident} {person.slot}"))
            for person in self.named_with_people(session, "incident", incident, {"witness"}):
                witnesses.append(replace(person, slot=f"{incident} {person.slot}"))
        full = replace(charge, victims=tuple(victims), witnesses=tuple(witnesses))
        case_reference = self.case_sink(session, self, full, username)
        self.relate(
            session,
            "casefile",
            case_reference,
            "custody_record",
            charge.custody_number,
            "charge",
            username,
        )
        for incident in charge.incident_refs:
            self.relate(
                session, "casefile", case_reference, "incident", incident, "crime", username
            )
        self.note_people(session, "casefile", case_reference, username)
        for kind, reference, _relation in self.parts_of(session, "casefile", case_reference):
            self.note_people(session, kind, reference, username)  # the first hearing
        return case_reference

    def parts_of(
        self, session: Session, record_type: str, reference: str
    ) -> Sequence[tuple[str, str, str]]:
        owner = self._types.get(record_type)
        if owner is None or owner.parts is None:
            return ()
        return owner.parts(session, reference)

    def chain(
        self, session: Session, record_type: str, reference: str, roles: AbstractSet[str]
    ) -> list[ChainLink]:
        """Every record reachable from this one through the relations, nearest first (the
        crime view: report -> custody records -> case files -> hearings); each with its
        summary where the role may see its type."""
        seen = {(record_type, reference)}
        found: list[ChainLink] = []
        frontier = [(record_type, reference, "", 0)]
        while frontier:
            kind, ref, relation, depth = frontier.pop(0)
            found.append(self._chain_link(session, kind, ref, relation, depth, roles))
            linked = [*self.related(session, kind, ref), *self.parts_of(session, kind, ref)]
            for linked_type, linked_reference, linked_relation in linked:
                if (linked_type, linked_reference) in seen or depth >= 6:
                    continue
                seen.add((linked_type, linked_reference))
                frontier.append((linked_type, linked_reference, linked_relation, depth + 1))
        return found

    def may_read(self, record_type: str, roles: AbstractSet[str]) -> bool:
        """Whether any of these roles reads records of this type (its `readers`): the one
        rule of the crime view and of a person's timeline. A type no feature on this server
        declares is read by nobody."""
        owner = self._types.get(record_type)
        return owner is not None and bool(roles & owner.readers)

    def summary_of(
        self, session: Session, record_type: str, reference: str
    ) -> RecordSummary | None:
        """A record's summary whoever asks (for its station, before the role is checked)."""
        owner = self._types.get(record_type)
        if owner is None or owner.summarise is None:
            return None
        return owner.summarise(session, [reference]).get(reference)

    def _chain_link(
        self,
        session: Session,
        record_type: str,
        reference: str,
        relation: str,
        depth: int,
        roles: AbstractSet[str],
    ) -> ChainLink:
        owner = self._types.get(record_type)
        title = owner.title if owner else record_type.replace("_", " ")
        summary = None
        readable = self.may_read(record_type, roles)
        if owner is not None and owner.summarise is not None and readable:
            summary = owner.summarise(session, [reference]).get(reference)
        return ChainLink(record_type, reference, title, relation, depth, summary, readable)
