"""Exporting the audit trail by whole months, to a JSON-lines file a force keeps (before a
month is dropped at the end of its retention, docs/deployment.md): one row a line, oldest
first, with the file's SHA-256 so the copy can be checked later."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.core.audit import AuditEvent
from station_app.server.core.audit_partitions import next_month


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int
    sha256: str
    start: date
    end: date

    def line(self) -> str:
        span = f"{self.start:%Y-%m} to {self.end:%Y-%m}"
        return f"{self.rows} audit rows of {span} written to {self.path} (SHA-256 {self.sha256})"


def export_months(session: Session, start: date, end: date, path: Path) -> Exported:
    """Write every audit row from the first day of `start` to the end of `end`'s month."""
    since = datetime(start.year, start.month, 1, tzinfo=UTC)
    until_day = next_month(date(end.year, end.month, 1))
    until = datetime(until_day.year, until_day.month, 1, tzinfo=UTC)
    query = (
        select(AuditEvent)
        .where(AuditEvent.at >= since, AuditEvent.at < until)
        .order_by(AuditEvent.at, AuditEvent.id)
        .execution_options(yield_per=5000)
    )
    digest = hashlib.sha256()
    rows = 0
    temporary = path.with_name(path.name + ".part")
    with temporary.open("wb") as out:
        for event in session.scalars(query):
            line = (
                json.dumps(
                    {
                        "id": event.id,
                        "at": event.at.astimezone(UTC).isoformat(),
                        "username": event.username,
                        "workstation": event.workstation,
                        "action": event.action,
                        "record_type": event.record_type,
                        "record_id": event.record_id,
                        "detail": event.detail,
                    },
                    ensure_ascii=False,
                ).encode()
                + b"\n"
            )
            out.write(line)
            digest.update(line)
            rows += 1
    temporary.replace(path)
    return Exported(path, rows, digest.hexdigest(), start, end)
