"""The PACE detention clock: relevant time, reviews, limits, extensions, visits, juveniles.

This is the public contract of `shared/domain/custody.md` ("The public contract of
`station_app.domain.pace`"): other code and acceptance checks call these functions
exactly as written. Every datetime must be timezone-aware (a naive one raises
`ValueError`); results are UTC. Arithmetic is done in UTC, never on the wall clock, so a
detention that spans the end of British Summer Time is an hour longer on the wall
clock than it looks (formats.md, "Dates and times").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from station_app.domain.clock import london

__all__ = [
    "APP_VISIT_INTERVALS",
    "EXTENSION_LIMIT",
    "FIRST_REVIEW_AFTER",
    "LATER_REVIEW_EVERY",
    "STANDARD_LIMIT",
    "WARRANT_LIMIT",
    "as_utc",
    "detention_limit",
    "extension_permitted",
    "is_juvenile",
    "next_review_due",
    "relevant_time",
    "visit_interval",
]

STANDARD_LIMIT = timedelta(hours=24)  # PACE s.41(1)
EXTENSION_LIMIT = timedelta(hours=36)  # PACE s.42(1)
WARRANT_LIMIT = timedelta(hours=96)  # PACE s.44(3)(b)
ARREST_TO_ARRIVAL_LIMIT = timedelta(hours=24)  # PACE s.41(2)(d): 24 h after arrest at most
FIRST_REVIEW_AFTER = timedelta(hours=6)  # PACE s.40(3)(a)
LATER_REVIEW_EVERY = timedelta(hours=9)  # PACE s.40(3)(b)-(c)
EXTENSION_LATEST = timedelta(hours=24)  # PACE s.42(4)(a)
EXTENSION_AFTER_REVIEWS = 2  # PACE s.42(4)(b)
JUVENILE_UNDER = 18  # Code C 1.5

# APP detainee care: 1 general (at least hourly), 2 intermittent (rouse at least every
# 30 minutes, Code C 9.3 and Annex H), 3 constant and 4 close proximity (no interval:
# the detainee is watched all the time). A force may set stricter intervals through
# `station_app.domain.custody_rules.ObservationConfig`.
APP_VISIT_INTERVALS: dict[int, timedelta | None] = {
    1: timedelta(hours=1),
    2: timedelta(minutes=30),
    3: None,
    4: None,
}


def as_utc(value: datetime, name: str = "time") -> datetime:
    """`value` in UTC; a naive datetime is refused (Station never guesses a time zone)."""
    if not isinstance(value, datetime):
        raise ValueError(f"The {name} must be a date and time, not {type(value).__name__}.")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"The {name} has no time zone; Station needs timezone-aware times.")
    return value.astimezone(UTC)


def relevant_time(
    arrested_at: datetime, arrived_at_station: datetime, *, voluntary_attender: bool = False
) -> datetime:
    """When the detention clock starts (PACE s.41(2)).

    A voluntary attender arrested at the station: the time of that arrest (s.41(2)(c)).
    Otherwise the earlier of arrival at the station and 24 hours after the arrest
    (s.41(2)(d)). Special cases (s.41(5), s.41(6)) are an override the custody officer
    enters with a reason; they are not computed here.
    """
    arrested = as_utc(arrested_at, "arrest time")
    arrived = as_utc(arrived_at_station, "arrival time")
    if voluntary_attender:
        return arrested  # PACE s.41(2)(c)
    if arrived < arrested:
        raise ValueError("The arrival at the station cannot be before the arrest.")
    return min(arrived, arrested + ARREST_TO_ARRIVAL_LIMIT)  # PACE s.41(2)(d)


def next_review_due(
    detention_authorised_at: datetime, reviews_held: Sequence[datetime]
) -> datetime:
    """The latest time the next review of detention may be held (PACE s.40(3)).

    The first is due 6 hours after detention was first authorised (not the relevant
    time); after a review held at `t` whose deadline was `d`, the next is due at
    `min(t, d) + 9h`. An early review pulls the schedule earlier; a late (postponed)
    one does not push it later (s.40(5)-(6)).
    """
    authorised = as_utc(detention_authorised_at, "time detention was authorised")
    due = authorised + FIRST_REVIEW_AFTER  # PACE s.40(3)(a)
    previous: datetime | None = None
    for number, held_at in enumerate(reviews_held, start=1):
        held = as_utc(held_at, f"time of review {number}")
        if held < authorised:
            raise ValueError(f"Review {number} is before detention was authorised.")
        if previous is not None and held < previous:
            raise ValueError("The reviews must be given in the order they were held.")
        previous = held
        due = min(held, due) + LATER_REVIEW_EVERY  # PACE s.40(3)(b)-(c), s.40(6)
    return due


def _time_used_before(detained_before: timedelta) -> timedelta:
    """Time already spent in police detention for the offence before bail (PACE s.47(6))."""
    if not isinstance(detained_before, timedelta):
        raise ValueError("The time detained before must be a length of time.")
    if detained_before < timedelta(0):
        raise ValueError("The time detained before bail cannot be negative.")
    return detained_before


def detention_limit(
    relevant_time: datetime,
    *,
    superintendent_extension_until: datetime | None = None,
    warrant_expires_at: datetime | None = None,
    detained_before: timedelta = timedelta(0),
) -> datetime:
    """The latest time the detainee may be held without charge.

    The latest of 24 hours after the relevant time (s.41(1)), a superintendent's
    extension (s.42, never past 36 hours) and a warrant of further detention
    (s.43-44, never past 96 hours). An extension or warrant past its ceiling raises
    `ValueError`. Time already spent in detention for the offence before pre-charge bail
    (`detained_before`) counts towards every one of those periods (s.47(6)): nine hours
    used leaves fifteen on the standard clock.
    """
    start = as_utc(relevant_time, "relevant time")
    used = _time_used_before(detained_before)
    limit = start + STANDARD_LIMIT - used  # PACE s.41(1), s.47(6)
    if superintendent_extension_until is not None:
        extension = as_utc(superintendent_extension_until, "extension time")
        if extension > start + EXTENSION_LIMIT - used:  # PACE s.42(2), s.47(6)
            raise ValueError(
                "A superintendent's extension cannot run past 36 hours of detention "
                "(counting the time already spent before bail)."
                if used
                else "A superintendent's extension cannot run past 36 hours after the "
                "relevant time."
            )
        limit = max(limit, extension)
    if warrant_expires_at is not None:
        warrant = as_utc(warrant_expires_at, "warrant expiry")
        if warrant > start + WARRANT_LIMIT - used:  # PACE s.44(3)(b), s.47(6)
            raise ValueError(
                "A warrant cannot run past 96 hours of detention (counting the time "
                "already spent before bail)."
                if used
                else "A warrant cannot run past 96 hours after the relevant time."
            )
        limit = max(limit, warrant)
    return limit


def extension_permitted(
    relevant_time: datetime,
    reviews_held: Sequence[datetime],
    at: datetime,
    *,
    offence_indictable: bool,
    detained_before: timedelta = timedelta(0),
) -> bool:
    """Whether a superintendent may authorise continued detention at `at` (PACE s.42).

    Only for an indictable offence (s.42(1)(b)), once at least two reviews have been
    carried out at or before `at` (s.42(4)(b)), and no later than 24 hours of detention
    after the relevant time (s.42(4)(a)), counting time already spent before bail
    (s.47(6)).
    """
    start = as_utc(relevant_time, "relevant time")
    moment = as_utc(at, "time of the extension")
    used = _time_used_before(detained_before)
    held = [as_utc(r, "review time") for r in reviews_held]
    if not offence_indictable:
        return False
    if sum(1 for r in held if r <= moment) < EXTENSION_AFTER_REVIEWS:
        return False
    return moment <= start + EXTENSION_LATEST - used


def visit_interval(observation_level: int) -> timedelta | None:
    """The longest gap between visits at an observation level (APP defaults).

    1 → 1 hour, 2 → 30 minutes, 3 and 4 → None (constant observation). Anything else
    raises `ValueError`.
    """
    if isinstance(observation_level, bool) or observation_level not in APP_VISIT_INTERVALS:
        raise ValueError(f"There is no observation level {observation_level!r}; levels are 1-4.")
    return APP_VISIT_INTERVALS[observation_level]


def age_on(date_of_birth: date, at: datetime) -> int:
    """Whole years of age at `at`, on the London calendar (a birthday starts at local
    midnight; 29 February birthdays count from 1 March in other years)."""
    if isinstance(date_of_birth, datetime):
        date_of_birth = date_of_birth.date()
    day = as_utc(at, "time").astimezone(london()).date()
    if date_of_birth > day:
        raise ValueError("The date of birth is after the date asked about.")
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def is_juvenile(date_of_birth: date, at: datetime) -> bool:
    """Under 18 at `at` (Code C 1.5): needs an appropriate adult."""
    return age_on(date_of_birth, at) < JUVENILE_UNDER
