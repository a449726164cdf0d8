"""Turning custody records, their entries and people booked in before into the custody
routes' JSON answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from station_app.domain.custody_rules import event_type
from station_app.server.core.links import LinkRegistry
from station_app.server.custody import store
from station_app.server.custody.models import CustodyEventRow, CustodyRecord
from station_app.server.custody.schemas import EventOut, RecordOut


def event_out(row: CustodyEventRow) -> EventOut:
    spec = event_type(row.kind)
    return EventOut(
        id=row.id,
        sequence=row.sequence,
        kind=row.kind,
        title=spec.title,
        summary=spec.summary(row.data),
        occurred_at=row.occurred_at,
        entered_at=row.entered_at,
        officer_username=row.officer_username,
        officer_name=row.officer_name,
        officer_staff_number=row.officer_staff_number,
        officer_rank=row.officer_rank,
        data=row.data,
    )


def record_out(session: Session, record: CustodyRecord, links: LinkRegistry) -> RecordOut:
    related = links.related(session, "custody_record", record.custody_number)
    return RecordOut(
        id=record.id,
        custody_number=record.custody_number,
        station_code=record.station_code,
        status=record.status,
        version=record.version,
        opened_at=record.opened_at,
        closed_at=record.closed_at,
        board=record.summary,
        events=[event_out(row) for row in store.event_rows(session, record.id)],
        incidents=[ref for kind, ref, _ in related if kind == "incident"],
        case_files=[ref for kind, ref, _ in related if kind == "casefile"],
    )
