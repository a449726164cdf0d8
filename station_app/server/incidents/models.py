"""Tables of walk-in crime reports: the incident itself and its timeline.

People and property are JSON lists on the incident (they are read and written with it);
the columns the list filters on are plain columns with indexes, and `search_text` holds
names, places, account and reference in lower case for the free-text filter.
"""

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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now

FLAG_COLUMNS = (
    "repeat_victim",
    "vulnerable",
    "child_involved",
    "domestic_abuse",
    "hate_crime",
    "injury",
)


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (
        UniqueConstraint("created_by", "idempotency_key", name="uq_incident_idempotency"),
        # The list's usual shapes: newest first, within a station and/or a status.
        Index("ix_incident_reported", "reported_at"),
        Index("ix_incident_station_reported", "station_code", "reported_at"),
        Index("ix_incident_status_reported", "status", "reported_at"),
        Index("ix_incident_station_status_reported", "station_code", "status", "reported_at"),
        Index("ix_incident_offence_reported", "offence_code", "reported_at"),
        # The duplicate check.
        Index("ix_incident_victim", "victim_name_key", "victim_dob"),
        Index("ix_incident_postcode_offence", "location_postcode", "offence_code", "reported_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    # Keys of reports from before migration 0002 only; keys live in core idempotency_key.
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    station_code: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default="reported")
    offence_code: Mapped[str] = mapped_column(String(60))
    offence_label: Mapped[str] = mapped_column(String(500))
    occurred_from: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    occurred_to: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    location_address: Mapped[str] = mapped_column(String(500), default="")
    location_postcode: Mapped[str | None] = mapped_column(String(10), default=None)
    location_description: Mapped[str] = mapped_column(String(500), default="")
    account: Mapped[str] = mapped_column(Text, default="")
    cctv: Mapped[str] = mapped_column(String(500), default="")
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    property: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    victim_name: Mapped[str] = mapped_column(String(200), default="")
    victim_name_key: Mapped[str] = mapped_column(String(200), default="")
    victim_dob: Mapped[date | None] = mapped_column(Date, default=None)
    repeat_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    vulnerable: Mapped[bool] = mapped_column(Boolean, default=False)
    child_involved: Mapped[bool] = mapped_column(Boolean, default=False)
    domestic_abuse: Mapped[bool] = mapped_column(Boolean, default=False)
    hate_crime: Mapped[bool] = mapped_column(Boolean, default=False)
    injury: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(150))
    officer_name: Mapped[str] = mapped_column(String(200))
    officer_number: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    events: Mapped[list[IncidentEvent]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="IncidentEvent.id",
        lazy="selectin",
    )

    def flags(self) -> list[str]:
        return [name for name in FLAG_COLUMNS if getattr(self, name)]


class IncidentEvent(Base):
    """One line of the timeline: the report taken, a note, a status change, an edit."""

    __tablename__ = "incident_event"
    __table_args__ = (Index("ix_incident_event_incident", "incident_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    kind: Mapped[str] = mapped_column(String(20))
    by_username: Mapped[str] = mapped_column(String(150))
    by_name: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    from_status: Mapped[str | None] = mapped_column(String(20), default=None)
    to_status: Mapped[str | None] = mapped_column(String(20), default=None)
    # What a note from a linked record carries (incidents_0004): the custody number of an
    # arrest, the case file of a charge, the court's result for the victim's letter.
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)

    incident: Mapped[Incident] = relationship(back_populates="events")
