"""Tables of the custody suite: the record, its append-only event log, custody numbers.

The record row holds what the board shows (`summary`, rebuilt from the log on every
entry) and the two mutable parts, cell and observation level, under a `version`. The
events are never changed or deleted: database triggers refuse it (migration custody_0001).
People booked in are found through the people feature (server/people), not an index here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now

IN_CUSTODY = "in_custody"
CLOSED = "closed"


class CustodyRecord(Base):
    __tablename__ = "custody_record"
    __table_args__ = (
        UniqueConstraint("created_by", "idempotency_key", name="uq_custody_record_idempotency"),
        Index("ix_custody_record_board", "station_code", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    custody_number: Mapped[str] = mapped_column(String(40), unique=True)
    station_code: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default=IN_CUSTODY)
    surname: Mapped[str] = mapped_column(String(100))
    forenames: Mapped[str] = mapped_column(String(200))
    cell: Mapped[str] = mapped_column(String(60), default="")
    observation_level: Mapped[int] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_by: Mapped[str] = mapped_column(String(150))
    # Keys of bookings from before migration 0002 only; keys live in core idempotency_key.
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)


class CustodyEventRow(Base):
    """One entry of a custody record: the actual time, the time entered, who, what."""

    __tablename__ = "custody_event"
    __table_args__ = (
        UniqueConstraint("record_id", "sequence", name="uq_custody_event_sequence"),
        UniqueConstraint("record_id", "idempotency_key", name="uq_custody_event_idempotency"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("custody_record.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    officer_username: Mapped[str] = mapped_column(String(150))
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_staff_number: Mapped[str] = mapped_column(String(50))
    officer_rank: Mapped[str] = mapped_column(String(50))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Keys of entries from before migration 0002 only (they were per record, issue 12 #9);
    # keys live in core idempotency_key, per user.
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)


class CustodyNumberCounter(Base):
    """The last custody record number used per station and year."""

    __tablename__ = "custody_number_counter"

    station_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
