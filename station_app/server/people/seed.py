"""The people demo: every demo record's people linked (one person per appearance, as the
migration does), then the demo story a supervisor would make of them: the invented Dale
Pemberton, named in the HX shop theft report, booked in at HX and the defendant of case file
SW-26-0142, merged into one person (so his timeline shows all three records). Idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.domain.people import format_person_id
from station_app.server.core.links import LinkRegistry
from station_app.server.people import merges
from station_app.server.people.models import Person

DEMO_SUPERVISOR = "supervisor"  # auth/seed.py DEMO_USERS
STORY = ("Pemberton", "Dale")
STORY_REASON = "Same name and date of birth in the report, the custody record and the case file."


def seed_people(session: Session, links: LinkRegistry) -> list[str]:
    lines = []
    linked = links.backfill_people(session, "seed")
    if linked:
        lines.append(f"people: the people named in {linked} demo records added")
    surname, forenames = STORY
    same = list(
        session.scalars(
            select(Person)
            .where(
                func.lower(Person.surname) == surname.lower(),
                func.lower(Person.forenames) == forenames.lower(),
                Person.merged_into_id.is_(None),
            )
            .order_by(Person.id)
        )
    )
    survivor, others = (same[0], same[1:]) if same else (None, [])
    for other in others:
        assert survivor is not None
        kept, gone = format_person_id(survivor.id), format_person_id(other.id)
        # The merge history names the demo supervisor; the demo seed writes no audit rows
        # (nobody read or changed anything: the data is made that way).
        merges.merge(session, kept, gone, STORY_REASON, DEMO_SUPERVISOR)
    if others and survivor is not None:
        lines.append(
            f"people: {len(others)} records of {forenames} {surname} merged into "
            f"{format_person_id(survivor.id)} (the demo story)"
        )
    session.commit()
    return lines
