"""Suggested merges and merges: people the match model finds probably the same are listed
for a supervisor or an administrator, who alone merges them; never automatically.

A merge marks one person as merged into another (`merged_into_id`) and keeps a history row;
nothing is moved or deleted, so an unmerge gives both people back exactly, each with their
own names, addresses and links. Search and reads show a merged person as the one they were
merged into.

Suggestions are worked out for people not compared yet (new, or changed since): a bounded
batch on each look at the list, all of them from the command line (`station-server people
duplicates`). Each comparison is a person search for the person's own details, so it is
indexed like any search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased

from station_app.domain.people import format_person_id
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError, field_problem
from station_app.server.people.models import Person, PersonDuplicate, PersonMerge
from station_app.server.people.scoring import MatchModel, SearchQuery, match_model
from station_app.server.people.search import search
from station_app.server.people.store import get_person

DUPLICATE_THRESHOLD = 0.9
"""A pair is suggested when the match model gives at least this probability."""

CHECK_BATCH = 200
"""People compared per look at the list (the command line compares them all)."""


def _query_of(person: Person) -> SearchQuery:
    current = next(
        (address for address in reversed(person.addresses) if address.date_to is None),
        person.addresses[-1] if person.addresses else None,
    )
    return SearchQuery(
        surname=person.surname,
        forenames=person.forenames,
        date_of_birth=person.date_of_birth,
        address=current.address if current else "",
        postcode=current.postcode if current else "",
    )


def check_person(session: Session, person: Person, model: MatchModel | None = None) -> int:
    """Compare one person with the people like them; keep the pairs likely to be one
    person. The number of pairs kept."""
    person.duplicates_checked_at = utc_now()
    if not (person.surname.strip() and person.forenames.strip()) or person.merged_into_id:
        return 0
    kept = 0
    for found in search(session, _query_of(person), limit=10, model=model):
        if found.person_id == person.id or found.probability < DUPLICATE_THRESHOLD:
            continue
        low, high = sorted((person.id, found.person_id))
        pair = session.get(PersonDuplicate, (low, high))
        if pair is None:
            pair = PersonDuplicate(person_id=low, other_id=high)
            session.add(pair)
        pair.score = round(found.probability, 4)
        pair.reasons = found.reasons
        pair.found_at = utc_now()
        kept += 1
    return kept


def check_unchecked(session: Session, batch: int | None = CHECK_BATCH) -> int:
    """Compare people not compared yet (at most `batch`; None: all). Not committed."""
    model = match_model()
    done = 0
    while batch is None or done < batch:
        size = 500 if batch is None else min(500, batch - done)
        people = list(
            session.scalars(
                select(Person)
                .where(Person.duplicates_checked_at.is_(None))
                .order_by(Person.id)
                .limit(size)
            )
        )
        if not people:
            break
        for person in people:
            check_person(session, person, model)
        session.flush()
        done += len(people)
    return done


@dataclass(frozen=True)
class Suggestion:
    first: Person
    second: Person
    score: float
    reasons: list[str]


def suggestions(session: Session, limit: int, offset: int = 0) -> tuple[list[Suggestion], bool]:
    """Suggested pairs, most likely first, of people neither of whom is merged."""
    first, second = aliased(Person), aliased(Person)
    rows = session.execute(
        select(PersonDuplicate, first, second)
        .join(first, first.id == PersonDuplicate.person_id)
        .join(second, second.id == PersonDuplicate.other_id)
        .where(first.merged_into_id.is_(None), second.merged_into_id.is_(None))
        .order_by(PersonDuplicate.score.desc(), PersonDuplicate.person_id, PersonDuplicate.other_id)
        .offset(offset)
        .limit(limit + 1)
    ).all()
    found = [Suggestion(a, b, pair.score, list(pair.reasons)) for pair, a, b in rows[:limit]]
    return found, len(rows) > limit


def merge(
    session: Session, survivor_id: str, other_id: str, reason: str, username: str
) -> tuple[Person, Person]:
    """Merge `other_id` into `survivor_id` (a supervisor's decision); (survivor, merged).
    Refused with a sentence for the same person, or either already merged. Not committed."""
    survivor = get_person(session, survivor_id)
    other = get_person(session, other_id)
    if survivor.id == other.id:
        raise field_problem(
            {
                "other_person_id": f"{format_person_id(survivor.id)} cannot be merged into "
                "themself. Choose the other person's record."
            }
        )
    for person in sorted((survivor, other), key=lambda p: p.id):
        if person.merged_into_id is not None:
            into = format_person_id(person.merged_into_id)
            shown = format_person_id(person.id)
            if person is survivor:
                raise ProblemError(
                    409,
                    f"{shown} has already been merged into {into}, so nobody can be merged "
                    f"into {shown}. Merge into {into} instead.",
                )
            raise ProblemError(409, f"{shown} has already been merged into {into}.")
    now = utc_now()
    # Row by row in id order, each only while still not merged: two supervisors merging the
    # same two people the opposite way at once cannot make a loop (the second finds the
    # first's merge and is refused).
    for person in sorted((survivor, other), key=lambda p: p.id):
        changes = {"version": Person.version + 1, "updated_at": now}
        if person is other:
            changes["merged_into_id"] = survivor.id
        done = session.execute(
            update(Person)
            .where(Person.id == person.id, Person.merged_into_id.is_(None))
            .values(**changes)
            .execution_options(synchronize_session=False)
        )
        if getattr(done, "rowcount", 1) != 1:
            raise ProblemError(
                409,
                f"Someone else merged {format_person_id(person.id)} just now. Reload the "
                "people and look again.",
            )
    session.add(
        PersonMerge(
            survivor_id=survivor.id,
            merged_id=other.id,
            merged_at=now,
            merged_by=username[:150],
            reason=" ".join(reason.split()),
        )
    )
    session.flush()
    session.refresh(survivor)
    session.refresh(other)
    return survivor, other


def unmerge(session: Session, person_id: str, username: str) -> tuple[Person, Person]:
    """Undo the merge of `person_id` into another; (restored person, the one they were
    merged into). Refused when the person is not merged. Not committed."""
    person = get_person(session, person_id)
    if person.merged_into_id is None:
        raise ProblemError(
            409,
            f"{format_person_id(person.id)} is not merged into anyone, so there is "
            "nothing to undo.",
        )
    survivor_id = person.merged_into_id
    now = utc_now()
    done = session.execute(
        update(Person)
        .where(Person.id == person.id, Person.merged_into_id == survivor_id)
        .values(merged_into_id=None, version=Person.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 1) != 1:
        raise ProblemError(409, "Someone else changed this merge just now. Reload and look again.")
    history = session.scalars(
        select(PersonMerge)
        .where(
            PersonMerge.merged_id == person.id,
            PersonMerge.survivor_id == survivor_id,
            PersonMerge.unmerged_at.is_(None),
        )
        .order_by(PersonMerge.id.desc())
    ).first()
    if history is not None:
        history.unmerged_at = now
        history.unmerged_by = username[:150]
    session.flush()
    session.refresh(person)
    survivor = session.get(Person, survivor_id)
    assert survivor is not None
    return person, survivor


def merge_history(session: Session, person_ids: Sequence[int]) -> list[PersonMerge]:
    """Merges into or of these people, newest first."""
    if not person_ids:
        return []
    return list(
        session.scalars(
            select(PersonMerge)
            .where(PersonMerge.survivor_id.in_(person_ids) | PersonMerge.merged_id.in_(person_ids))
            .order_by(PersonMerge.id.desc())
        )
    )
