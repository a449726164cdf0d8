"""Turning audit rows into the audit trail route's JSON answer."""

from __future__ import annotations

from collections.abc import Iterable

from station_app.server.audit.schemas import AuditEventOut, AuditEvents
from station_app.server.core.audit import AuditEvent


def events_out(events: Iterable[AuditEvent]) -> AuditEvents:
    return AuditEvents(
        events=[AuditEventOut.model_validate(event, from_attributes=True) for event in events]
    )
