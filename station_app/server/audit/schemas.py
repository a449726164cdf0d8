"""Response bodies of the audit trail route (docs/api.md, "Audit")."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    username: str | None
    workstation: str | None
    action: str
    record_type: str
    record_id: str
    detail: str


class AuditEvents(BaseModel):
    events: list[AuditEventOut]
