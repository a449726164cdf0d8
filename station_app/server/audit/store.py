"""Reading the audit trail: newest first, filtered by record and by user."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.core.audit import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    record_type: str | None = None
    record_id: str | None = None
    username: str | None = None
    limit: int = 100

    def describe(self) -> str:
        """The filters given, as the audit row of this read records them."""
        given = (
            ("record_type", self.record_type),
            ("record_id", self.record_id),
            ("username", self.username),
        )
        return ", ".join(f"{key}={value}" for key, value in given if value is not None)


def find_events(session: Session, filters: AuditFilter) -> Sequence[AuditEvent]:
    query = select(AuditEvent)
    if filters.record_type is not None:
        query = query.where(AuditEvent.record_type == filters.record_type)
    if filters.record_id is not None:
        query = query.where(AuditEvent.record_id == filters.record_id)
    if filters.username is not None:
        query = query.where(AuditEvent.username == filters.username)
    # Newest first by time: on PostgreSQL the newest month's partition is read first and the
    # rest only if the page is not full yet (core/audit_partitions.py).
    newest_first = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return session.scalars(newest_first.limit(filters.limit)).all()
