"""The audit trail: who read or changed which record, when, from which workstation.

Rows are only ever added; the database refuses UPDATE and DELETE (migration 0001). Every
feature writes it (`record_audit`); the audit feature reads it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, String, Text, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from station_app.server.core.identity import USERNAME_LENGTH, CurrentUser
from station_app.server.core.models import Base, BigId, UTCDateTime, utc_now


class AuditAction(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    # core/stations.py: an action on a record of another station than the user's own, and
    # one refused because the user may not act there.
    CROSS_STATION = "cross_station"
    CROSS_STATION_REFUSED = "cross_station_refused"
    SEARCH = "search"
    MERGE = "merge"
    UNMERGE = "unmerge"


class AuditEvent(Base):
    """Who did what to which record, when, from where. Append-only: triggers refuse
    UPDATE and DELETE (see migration 0001)."""

    __tablename__ = "audit_event"
    # Migration 0004: on PostgreSQL the table is partitioned by month of `at`, its primary
    # key (id, at); each index ends in time, so the newest rows come first from it.
    __table_args__ = (
        Index("ix_audit_event_at", "at", "id"),
        Index("ix_audit_event_record_at", "record_type", "record_id", "at"),
        Index("ix_audit_event_username_at", "username", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    username: Mapped[str | None] = mapped_column(String(USERNAME_LENGTH))
    workstation: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")


def record_audit(
    session: Session,
    user: CurrentUser | str | None,
    action: AuditAction,
    record_type: str,
    record_id: str,
    detail: str = "",
    workstation: str | None = None,
) -> None:
    """Write one audit row in the session's transaction; it commits with the work it
    records. A plain INSERT, not an object for the session to track: every read writes one,
    and the ORM's unit of work cost a search about a millisecond more."""
    username = user.username if isinstance(user, CurrentUser) else user
    session.execute(
        insert(AuditEvent).values(
            at=utc_now(),
            username=username[:150] if username else None,
            workstation=workstation[:100] if workstation else None,
            action=action.value,
            record_type=record_type,
            record_id=record_id[:200],
            detail=detail,
        )
    )
