"""A few invented detainees in custody at the demo stations, so the Custody tab's board is
alive on a demo server. Idempotent: added only while there are no custody records.

Times are relative to the moment of seeding, so one detainee's review falls due soon,
another's visit is overdue, and a juvenile has an appropriate adult.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.custody.models import CustodyRecord
from station_app.server.custody.store import Booking, Officer, append_event, book_in

SERGEANT = Officer("custody", "Tom Brennan", "210044", "PS", frozenset({"custody_officer"}), "SW")
INSPECTOR = Officer("inspector", "Helen Ashworth", "203318", "Insp", frozenset({"inspector"}), "SW")

M = timedelta(minutes=1)

# (station, cell, person, offence, minutes ago arrived, level, entries (kind, minutes ago, data))
_Entry = tuple[str, int, dict[str, Any]]
_DEMO: tuple[tuple[str, str, dict[str, Any], str, int, int, tuple[_Entry, ...]], ...] = (
    (
        "SW",
        "SW-C01",
        {"surname": "Farrowdale", "forenames": "Dominic", "date_of_birth": "1991-04-17"},
        "DMTH006",
        340,
        2,
        (("visit", 20, {"response": "comprehensive"}),),
    ),
    (
        "SW",
        "SW-C02",
        {"surname": "Marlowe", "forenames": "Kai", "date_of_birth": "2010-02-03"},
        "DMCD001",
        75,
        1,
        (
            (
                "appropriate_adult",
                50,
                {"name": "Jenna Marlowe", "relationship": "Mother", "reason": "juvenile"},
            ),
            ("visit", 40, {"response": "not_roused"}),
        ),
    ),
    (
        "SW",
        "SW-C04",
        {"surname": "Okonkwo-Bright", "forenames": "Tamsin", "date_of_birth": "1986-09-30"},
        "DMOF003",
        200,
        1,
        (
            ("interpreter", 180, {"language": "Portuguese"}),
            ("visit", 70, {"response": "not_roused"}),
        ),
    ),
    (
        "KN",
        "KN-C02",
        {"surname": "Quillfeather", "forenames": "Rowan", "date_of_birth": "1979-12-08"},
        "DMTH005",
        500,
        1,
        (
            (
                "review",
                150,
                {"outcome": "continue", "grounds": "Interview pending", "means": "in_person"},
            ),
        ),
    ),
    (
        "HX",
        "HX-C01",
        # The same invented man as the suspect of the HX shop theft report and the
        # defendant of case file SW-26-0142 (the people demo: one person, three records).
        {"surname": "Pemberton", "forenames": "Dale", "date_of_birth": "1993-08-14"},
        "TH68010",
        45,
        2,
        (("visit", 10, {"response": "comprehensive"}),),
    ),
)


def seed_demo_custody(session: Session, now: datetime | None = None) -> list[str]:
    """Book the demo detainees in while there are no custody records, then commit; the seed
    report's line."""
    if session.scalars(select(CustodyRecord.id).limit(1)).first() is not None:
        return []
    now = now or datetime.now(UTC)
    for station, cell, person, offence, arrived_ago, level, entries in _DEMO:
        arrived = now - arrived_ago * M
        record, _created = book_in(
            session,
            SERGEANT,
            Booking(
                station_code=station,
                person=person,
                offence_codes=[offence],
                arrested_at=arrived - 25 * M,
                arrived_at=arrived,
                arresting_officer="PC 5521 Demo",
                cell=cell,
            ),
            now,
            None,
        )
        authorised = arrived + 10 * M
        steps: list[tuple[Officer, str, datetime, dict[str, Any]]] = [
            (
                SERGEANT,
                "detention_authorised",
                authorised,
                {"grounds": "To obtain evidence by questioning"},
            ),
            (SERGEANT, "rights_given", authorised + M, {"wants_legal_advice": True}),
            (
                SERGEANT,
                "risk_assessment",
                authorised + 2 * M,
                {"risk_level": "medium" if level == 2 else "low", "observation_level": str(level)},
            ),
        ]
        for kind, ago, data in entries:
            who = INSPECTOR if kind == "review" else SERGEANT
            steps.append((who, kind, now - ago * M, data))
        for who, kind, at, data in sorted(steps, key=lambda step: step[2]):
            append_event(session, record.id, who, kind, at, data, now, None)
    session.commit()
    return [f"custody: {len(_DEMO)} demo detainees booked in"]
