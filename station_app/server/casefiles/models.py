"""The case file tables: the case, its documents (structured MG forms and attached PDFs),
its workflow history and its submissions to the CPS. The schema is made by the
`casefiles_0001` migration and those after it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now


class CaseFile(Base):
    __tablename__ = "case_file"
    __table_args__ = (Index("ix_case_file_station", "station_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    file_type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30), default="draft")
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Crime reference numbers and custody record numbers as text, so the link holds
    # whichever of the incidents and custody features is installed (or neither).
    incident_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    custody_refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    suspects: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Victims and witnesses brought from the linked crime reports by a charge, each with the
    # person they are (casefiles_0004): {role, slot, name, date_of_birth, address, postcode,
    # person_id}.
    people: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)
    officer_username: Mapped[str] = mapped_column(String(150), index=True)
    officer_name: Mapped[str] = mapped_column(String(200))
    # The station the case belongs to: its officer's when opened (core/stations.py).
    station_code: Mapped[str] = mapped_column(String(50), default="")
    hearing_date: Mapped[date | None] = mapped_column(Date, default=None)
    court_code: Mapped[str] = mapped_column(String(60), default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # The highest item number ever given on each kind of disclosure schedule ({"MG6C": 4,
    # "MG6D": 1}): a number once given is never given again, even when its item is taken
    # off the schedule (casefiles_0003; CPS Disclosure Manual ch.7).
    schedule_numbers: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseDocument.sequence"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    hearings: Mapped[list[CaseHearing]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseHearing.sequence"
    )


class CaseDocument(Base):
    """A structured form (`data`) or an attached PDF (`content`) of a case."""

    __tablename__ = "case_document"
    __table_args__ = (Index("ix_case_document_case", "case_id", "form"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)  # order added within the case
    form: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    key: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[CaseFile] = relationship(back_populates="documents")


class CaseEvent(Base):
    """One step of the workflow, with the supervisor's comment or the CPS's reasons."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    username: Mapped[str] = mapped_column(String(150))
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[CaseFile] = relationship(back_populates="events")


class CpsSubmission(Base):
    __tablename__ = "cps_submission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    submission_id: Mapped[str] = mapped_column(String(80), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_by: Mapped[str] = mapped_column(String(150))
    bundle_sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20), default="awaiting")
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class CaseHearing(Base):
    """A sitting of a court for the case, and what the court decided on each charge
    (`results`, one per defendant and charge: plea, outcome, bail or remand, next hearing,
    sentence in words; domain/court.py). Made by casefiles_0004."""

    __tablename__ = "case_hearing"
    __table_args__ = (Index("ix_case_hearing_case", "case_id", "sequence", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)  # 1: the first hearing
    court_code: Mapped[str] = mapped_column(String(60), default="")
    sitting_at: Mapped[datetime] = mapped_column(UTCDateTime)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    result_by: Mapped[str] = mapped_column(String(150), default="")
    result_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    case: Mapped[CaseFile] = relationship(back_populates="hearings")
