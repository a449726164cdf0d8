"""A crime report in the journey from report to court (issue 10): what linked records tell
it (an arrest, a charge, the court's result) goes on its timeline, and the crime view shows
it in a few lines. Called through the core's link registry (core/links.py), never by
another feature directly."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.incidents import STATUS_WORDS, IncidentStatus
from station_app.server.core.identity import User
from station_app.server.core.links import RecordNote, RecordSummary
from station_app.server.incidents.models import Incident, IncidentEvent


def hear(session: Session, reference: str, note: RecordNote, username: str) -> None:
    """Put a linked record's note on the report's timeline (once per note: the same
    record's same kind of note at the same moment is not repeated)."""
    incident = session.scalars(select(Incident).where(Incident.reference == reference)).first()
    if incident is None:
        return
    for event in incident.events:
        if event.kind == note.kind and event.text == note.text:
            return
    user = session.scalars(select(User).where(User.username == username)).first()
    incident.events.append(
        IncidentEvent(
            at=note.at,
            kind=note.kind,
            by_username=username,
            by_name=user.display_name if user else username,
            text=note.text,
            data={"source_type": note.source_type, "source": note.source_reference, **note.data},
        )
    )
    session.flush()


def summarise(session: Session, references: Sequence[str]) -> dict[str, RecordSummary]:
    rows = session.scalars(select(Incident).where(Incident.reference.in_(list(references))))
    found: dict[str, RecordSummary] = {}
    for incident in rows:
        victim = incident.victim_name or "victim not named"
        found[incident.reference] = RecordSummary(
            heading=f"Crime report {incident.reference}",
            lines=(
                incident.offence_label,
                f"Victim: {victim}",
                STATUS_WORDS[IncidentStatus(incident.status)],
            ),
            at=incident.reported_at,
            station_code=incident.station_code,
        )
    return found
