"""A handful of invented walk-in reports at the demo stations, so the Incidents tab has
something to show on a demo server. Idempotent: added only while there are none."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.incidents.models import Incident
from station_app.server.incidents.rules import check_report
from station_app.server.incidents.schemas import IncidentIn, PersonIn, PropertyIn
from station_app.server.incidents.store import Actor, create_incident

# Invented people and places only.
_DEMO: tuple[tuple[str, int, IncidentIn], ...] = (
    (
        "SW",
        2,
        IncidentIn(
            reporter=PersonIn(
                name="Ada Pennywhistle",
                date_of_birth=date(1984, 3, 12),
                address="14 Copperkettle Lane, London",
                postcode="SE1 7QP",
                phone="07700 900123",
                contact_method="phone",
            ),
            offence_code="DMTH003",
            location_address="Outside 3 Cooper's Row Wharf, London",
            location_postcode="SE1 9QX",
            account="I locked my blue bicycle to the railings at 8am; at 6pm the lock was cut.",
            property=[PropertyIn(item="Blue hybrid bicycle", value_pence=45000)],
        ),
    ),
    (
        "SW",
        30,
        IncidentIn(
            reporter=PersonIn(name="Barnaby Quill", date_of_birth=date(1962, 11, 2)),
            offence_code="DMTH002",
            location_description="Number 12 bus, between Lamplighter Street and the wharf",
            account="My wallet was taken from my coat pocket on a crowded bus.",
            property=[PropertyIn(item="Brown leather wallet with cards", value_pence=6000)],
            flags=["vulnerable"],
        ),
    ),
    (
        "KN",
        5,
        IncidentIn(
            reporter=PersonIn(name="Cressida Fenwick", phone="07700 900456"),
            victim_is_reporter=False,
            victim=PersonIn(
                name="Dorian Fenwick", date_of_birth=date(2012, 6, 30), postcode="SE11 4QZ"
            ),
            offence_code="DMTH001",
            location_postcode="SE11 5ZL",
            account="My son's phone was taken from his school bag at the park.",
            flags=["child_involved"],
        ),
    ),
    (
        "HX",
        50,
        IncidentIn(
            reporter=PersonIn(name="Ezra Blackthorn", date_of_birth=date(1990, 1, 5)),
            offence_code="TH68010",
            location_address="Weaver's Yard Mini Market, 9 Weaver's Yard, London",
            location_postcode="N1 6ZB",
            account="A man took two bottles of wine and left without paying.",
            # Named by the shop from its loyalty card; the same invented man is booked in
            # at HX and is the defendant of case file SW-26-0142 (the people demo).
            suspects=[
                PersonIn(
                    name="Dale Pemberton",
                    date_of_birth=date(1993, 8, 14),
                    description="Man, about 30, grey hooded top",
                )
            ],
            cctv="The shop has CCTV over the till.",
        ),
    ),
)


def seed_demo_incidents(session: Session) -> list[str]:
    """Add the demo reports if there are none yet, then commit; the seed report's line."""
    if session.scalars(select(Incident.id).limit(1)).first() is not None:
        return []
    added = 0
    for station, hours_ago, report in _DEMO:
        actor = Actor("frontdesk", "Priya Natarajan", "S300112", station, frozenset())
        checked, errors = check_report(report)
        incident, _created = create_incident(session, actor, checked, errors, None)
        incident.reported_at = datetime.now(UTC) - timedelta(hours=hours_ago)
        added += 1
    session.commit()
    return [f"incidents: {added} demo reports added"]
