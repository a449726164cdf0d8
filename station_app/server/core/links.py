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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now

Finder = Callable[[Session, Sequence[str]], AbstractSet[str]]
"""Given distinct references, the subset of them that name an existing record."""


@dataclass(frozen=True)
class PersonAppearance:
    """Someone a record names, as the record has them.

    `slot` says where in the record ("suspect 2"), so an edit of the record keeps each
    person's link; `person_id` is the person the officer picked ("known person?"), if any.
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


PeopleReader = Callable[[Session, Sequence[str] | None], Mapping[str, Sequence[PersonAppearance]]]
"""Given references (None: every record of the type), the people each record names."""

PeopleSink = Callable[[Session, str, str, Sequence[PersonAppearance], str], None]
"""(session, record type, reference, the people it names, user name): keep the record's
people and their links up to date. Not committed: it goes with the write that called it."""


@dataclass(frozen=True)
class RecordType:
    """A kind of record that one feature owns and others may refer to."""

    name: str  # "incident": the same name the audit trail gives the record type
    title: str  # "crime report": how a sentence names one
    find: Finder
    people: PeopleReader | None = None  # who the record names, for person links


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


@dataclass(frozen=True)
class Link:
    """A reference to another feature's record, as resolved on this server."""

    record_type: str
    reference: str
    found: bool | None  # None: no feature on this server owns that record type


class LinkRegistry:
    """The record types the features of one app declare, by name."""

    def __init__(
        self, record_types: Iterable[RecordType] = (), people_sink: PeopleSink | None = None
    ) -> None:
        self._types: dict[str, RecordType] = {}
        self.people_sink = people_sink
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
