"""Tables of people: the person, their aliases, addresses with dates, references (imported
rows), the blocking keys person search looks candidates up by, and the merges a supervisor
made. The links to the roles a person plays are the core's (`record_link`, core/links.py).
The schema is made by the `people_0001` migration."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now


class Person(Base):
    """One person as Station knows them. A person merged into another keeps their row
    (`merged_into_id`), so a merge can be undone with nothing lost."""

    __tablename__ = "person"
    __table_args__ = (
        Index("ix_person_merged_into", "merged_into_id"),
        Index("ix_person_pnc", "pnc_id"),
        Index("ix_person_origin", "origin_record_type", "origin_reference"),
        Index("ix_person_duplicates_checked", "duplicates_checked_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    surname: Mapped[str] = mapped_column(String(100), default="")
    forenames: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date, default=None)
    gender: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    pnc_id: Mapped[str | None] = mapped_column(String(20), default=None)
    cro: Mapped[str | None] = mapped_column(String(20), default=None)
    markers: Mapped[list[str]] = mapped_column(JSON, default=list)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="RESTRICT"), default=None
    )
    # Where the person was first written down: a record's role ("incident",
    # "SW-2026-0000001", "suspect 1"), an import ("import", the row's ref), or an officer.
    origin_record_type: Mapped[str | None] = mapped_column(String(60), default=None)
    origin_reference: Mapped[str | None] = mapped_column(String(100), default=None)
    origin_slot: Mapped[str | None] = mapped_column(String(60), default=None)
    # When the person was last compared with the people like them for suggested merges
    # (null: not yet, or changed since).
    duplicates_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(150), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    aliases: Mapped[list[PersonAlias]] = relationship(
        cascade="all, delete-orphan", order_by="PersonAlias.id", lazy="selectin"
    )
    addresses: Mapped[list[PersonAddress]] = relationship(
        cascade="all, delete-orphan", order_by="PersonAddress.id", lazy="selectin"
    )


class PersonAlias(Base):
    """Another name the person is known by (an alias, a former or married name)."""

    __tablename__ = "person_alias"
    __table_args__ = (Index("ix_person_alias_person", "person_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    surname: Mapped[str] = mapped_column(String(100), default="")
    forenames: Mapped[str] = mapped_column(String(200), default="")


class PersonAddress(Base):
    """An address the person lived at, from and to when known (to: null while they live
    there)."""

    __tablename__ = "person_address"
    __table_args__ = (Index("ix_person_address_person", "person_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(500), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    date_from: Mapped[date | None] = mapped_column(Date, default=None)
    date_to: Mapped[date | None] = mapped_column(Date, default=None)


class PersonRef(Base):
    """A reference that names the person outside Station's records: the `ref` of an
    imported row. (Crime references, custody numbers and case references are links.)"""

    __tablename__ = "person_ref"
    __table_args__ = (Index("ix_person_ref_ref", "ref"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(String(100), primary_key=True)


class PersonKey(Base):
    """One blocking key of a person (keys.py): the primary key (key, person) is the index
    person search looks candidates up by; never a scan of every person."""

    __tablename__ = "person_key"
    __table_args__ = (
        Index("ix_person_key_person", "person_id"),
        {"sqlite_with_rowid": False},
    )

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )


class PersonMerge(Base):
    """A supervisor's decision that two people are one: who was merged into whom, when, by
    whom and why; and, if it was undone, when and by whom."""

    __tablename__ = "person_merge"
    __table_args__ = (Index("ix_person_merge_merged", "merged_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    merged_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    merged_by: Mapped[str] = mapped_column(String(150))
    reason: Mapped[str] = mapped_column(Text, default="")
    unmerged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    unmerged_by: Mapped[str | None] = mapped_column(String(150), default=None)


class PersonDuplicate(Base):
    """A suggested merge: two people the match model thinks are probably one (lower id
    first). Only a supervisor or an administrator merges them; a merge hides the pair."""

    __tablename__ = "person_duplicate"
    __table_args__ = (Index("ix_person_duplicate_score", "score"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
