"""The people feature, as the composition root lists it: person search, people and their
roles, suggested merges. It keeps the people every other feature's records name (the
people sink of core/links.py), and others may refer to a person as the "person" record
type."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.people import parse_person_id
from station_app.server.core.feature import Feature
from station_app.server.core.links import RecordType
from station_app.server.people.appearances import record_named
from station_app.server.people.models import Person
from station_app.server.people.router import router
from station_app.server.people.seed import seed_people


def existing_people(session: Session, person_ids: Sequence[str]) -> set[str]:
    """Which of these person ids name a person (merged people too: nothing is deleted)."""
    numbers = {parse_person_id(text): text for text in person_ids}
    numbers.pop(None, None)
    found = session.scalars(select(Person.id).where(Person.id.in_(list(numbers))))
    return {numbers[number] for number in found}


PERSON = RecordType("person", "person", find=existing_people)

FEATURE = Feature(
    name="people",
    routers=(router,),
    record_types=(PERSON,),
    people_sink=record_named,
    linked_seed=seed_people,
    # A person's blocking keys, aliases and addresses are rewritten when their details are
    # corrected, and a link is dropped when a record no longer names that person; people,
    # merges and their history are never deleted.
    deletes_from=("person_key", "person_alias", "person_address", "record_link"),
)
