"""A custody record as an append-only list of events: its state, its clock and its refusals.

`fold(events)` turns the log into the record's current state; `clock(state, at)` gives
the detention clock value at a moment (relevant time, limit, next review, next visit,
rest and meals, with what is overdue or due within 30 minutes); `action_refusal` and
`data_refusal` say why an entry may not be made, citing the rule. The server refuses
with these sentences and the client disables actions with them, so both agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from station_app.domain import pace
from station_app.domain.clock import london
from station_app.domain.custody_rules import (
    CLOSING_EVENTS,
    INSPECTOR_OR_ABOVE,
    SUPERINTENDENT,
    CareConfig,
    data_datetime,
    event_type,
    offence_is_indictable,
)
from station_app.domain.wire import parse_iso_date

__all__ = [
    "ClockValue",
    "CustodyEvent",
    "CustodyState",
    "Deadline",
    "Refusal",
    "action_refusal",
    "clock",
    "data_refusal",
    "fold",
    "local_text",
    "time_used_before_bail",
]

DEFAULT_CARE = CareConfig()
# PACE s.43(5)(b): the application may follow within 6 hours of the 36 hours when no court
# could sit at their end (and s.43(7): the court refuses one that could have been in time).
WARRANT_ALLOWANCE = timedelta(hours=6)


def local_text(when: datetime) -> str:
    """'Sun 25 Oct 2026 01:30 GMT': London wall-clock time with the date and zone."""
    local = pace.as_utc(when).astimezone(london())
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"


@dataclass(frozen=True)
class CustodyEvent:
    """One entry: what happened, when it actually happened, and who recorded it."""

    kind: str
    occurred_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    officer: str = ""
    rank: str = ""
    entered_at: datetime | None = None
    sequence: int = 0


@dataclass
class CustodyState:
    """What the event log says now about the detainee and the detention."""

    custody_number: str = ""
    station_code: str = ""
    person: dict[str, Any] = field(default_factory=dict)
    arrived_at: datetime | None = None
    arrested_at: datetime | None = None
    voluntary_attender: bool = False
    relevant_time: datetime | None = None
    detained_before: timedelta = timedelta(0)
    answering_bail_from: str = ""
    date_of_birth: date | None = None
    appears_under_18: bool = False
    vulnerable: bool = False
    terrorism: bool = False
    offences: list[dict[str, Any]] = field(default_factory=list)
    authorised_at: datetime | None = None
    refused: bool = False
    reviews: list[datetime] = field(default_factory=list)
    postponements: list[datetime] = field(default_factory=list)
    extension_until: datetime | None = None
    warrant_expires_at: datetime | None = None
    charged_at: datetime | None = None
    appropriate_adult: str = ""
    interpreter: str = ""
    observation_level: int = 1
    risk_level: str = ""
    cell: str = ""
    last_visit_at: datetime | None = None
    not_rousable_at: datetime | None = None
    emergency_action: str = ""
    meals: list[datetime] = field(default_factory=list)
    last_rest_end: datetime | None = None
    interview_open: bool = False
    bail: dict[str, Any] = field(default_factory=dict)
    disposal: str = ""
    closed_at: datetime | None = None

    @property
    def charged(self) -> bool:
        return self.charged_at is not None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def indictable(self) -> bool:
        return any(offence_is_indictable(o.get("mode_of_trial")) for o in self.offences)

    @property
    def rest_clock_from(self) -> datetime | None:
        """Where the 24 hours of Code C 12.2 run from: for a voluntary attender arrested at
        the station, the arrest, not the arrival (Code C 12.2); otherwise the arrival."""
        if self.voluntary_attender and self.arrested_at is not None:
            return max(self.arrested_at, self.arrived_at or self.arrested_at)
        return self.arrived_at

    def juvenile(self, at: datetime) -> bool:
        """Under 18 by the date of birth, or, with none, marked as appearing to be under 18:
        treated as a juvenile in the absence of clear evidence otherwise (Code C 1.5)."""
        if self.date_of_birth is None:
            return self.appears_under_18
        try:
            return pace.is_juvenile(self.date_of_birth, at)
        except ValueError:  # a date of birth after `at`: not a date to reason from
            return False

    def needs_appropriate_adult(self, at: datetime) -> bool:
        """Code C 1.5, 1.4 and 3.15: a juvenile or vulnerable adult needs an appropriate adult."""
        return self.vulnerable or self.juvenile(at)

    def reviews_by(self, at: datetime) -> list[datetime]:
        return [held for held in self.reviews if held <= at]


# Code C 8.6: light and main meals count; a drink is not a meal.
MEALS = frozenset({"light", "main"})


def _answering_bail(data: Mapping[str, Any]) -> tuple[timedelta, str]:
    """(time already used before bail, the earlier record's number) of a booking in of
    someone answering pre-charge bail (PACE s.47(6)); none otherwise."""
    bail = data.get("answering_bail")
    if not isinstance(bail, Mapping):
        return timedelta(0), ""
    seconds = bail.get("detained_before_seconds") or 0
    used = timedelta(seconds=int(seconds)) if isinstance(seconds, int | float) else timedelta(0)
    return max(used, timedelta(0)), str(bail.get("custody_number") or "")


def fold(events: Iterable[CustodyEvent]) -> CustodyState:
    """The state of a record from its events, in the order they were entered."""
    state = CustodyState()
    for event in events:
        _apply(state, event)
    return state


def _apply(state: CustodyState, event: CustodyEvent) -> None:
    data, at, kind = event.data, pace.as_utc(event.occurred_at), event.kind
    if kind == "booked_in":
        state.custody_number = str(data.get("custody_number", ""))
        state.station_code = str(data.get("station_code", ""))
        state.person = dict(data.get("person") or {})
        state.arrived_at = data_datetime(data, "arrived_at") or at
        state.arrested_at = data_datetime(data, "arrested_at")
        state.voluntary_attender = bool(data.get("voluntary_attender"))
        state.relevant_time = data_datetime(data, "relevant_time") or state.arrived_at
        state.detained_before, state.answering_bail_from = _answering_bail(data)
        born = state.person.get("date_of_birth")
        state.date_of_birth = parse_iso_date(born) if born else None
        state.appears_under_18 = bool(state.person.get("appears_under_18"))
        state.vulnerable = bool(state.person.get("vulnerable"))
        state.terrorism = bool(data.get("terrorism"))
        state.offences = [dict(o) for o in data.get("offences") or ()]
        state.cell = str(data.get("cell") or "")
        state.observation_level = int(data.get("observation_level") or 1)
    elif kind == "detention_authorised":
        state.authorised_at = state.authorised_at or at
    elif kind == "detention_refused":
        state.refused = True
    elif kind == "review":
        state.reviews.append(at)
        state.reviews.sort()
    elif kind == "review_postponed":
        state.postponements.append(at)
    elif kind == "extension":
        state.extension_until = data_datetime(data, "until")
    elif kind == "warrant":
        state.warrant_expires_at = data_datetime(data, "expires_at")
    elif kind == "appropriate_adult":
        state.appropriate_adult = str(data.get("name", ""))
    elif kind == "interpreter":
        state.interpreter = str(data.get("language", ""))
    elif kind in ("risk_assessment", "observation_level_set"):
        if kind == "risk_assessment":
            state.risk_level = str(data.get("risk_level", ""))
        state.observation_level = int(data.get("observation_level") or state.observation_level)
    elif kind == "cell_allocated":
        state.cell = str(data.get("cell", ""))
    elif kind == "visit":
        state.last_visit_at = max(filter(None, (state.last_visit_at, at)))
        state.not_rousable_at = at if data.get("response") == "none" else None
        state.emergency_action = (
            str(data.get("action_taken") or "") if state.not_rousable_at else ""
        )
    elif kind == "meal":
        if data.get("meal") in MEALS:  # a drink is not a meal (Code C 8.6)
            state.meals.append(at)
    elif kind == "rest_period":
        started, ended = data_datetime(data, "started_at"), data_datetime(data, "ended_at")
        if started and ended and ended - started >= DEFAULT_CARE.rest_length:
            state.last_rest_end = max(filter(None, (state.last_rest_end, ended)))
    elif kind == "interview_started":
        state.interview_open = True
    elif kind == "interview_ended":
        state.interview_open = False
    elif kind == "charge":
        state.charged_at = state.charged_at or at
    elif kind == "bail":
        state.bail = dict(data)
        state.disposal = "bail"
    elif kind in ("released_under_investigation", "no_further_action"):
        state.disposal = kind
    if kind in CLOSING_EVENTS:
        state.closed_at = at
        state.disposal = state.disposal or kind


def time_used_before_bail(state: CustodyState) -> timedelta | None:
    """The time in police detention this record used, for someone released on pre-charge bail
    who answers it (PACE s.47(6)): from the relevant time to release, plus any time the
    record itself had carried over from an earlier bail. None when the record did not end in
    pre-charge bail (charged first, another disposal, still open, or Code H detention)."""
    if state.closed_at is None or state.disposal != "bail" or state.charged or state.terrorism:
        return None
    start = state.relevant_time or state.arrived_at
    if start is None:
        return None
    return max(state.closed_at - start, timedelta(0)) + state.detained_before


# --- the clock ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    key: str  # "limit", "review", "visit", "rest", "meal"
    label: str
    due_at: datetime

    def state(self, now: datetime, due_soon: timedelta = DEFAULT_CARE.due_soon) -> str:
        """ "overdue" once past, "soon" within `due_soon` of it, else "ok"."""
        if now > self.due_at:
            return "overdue"
        return "soon" if now >= self.due_at - due_soon else "ok"


@dataclass(frozen=True)
class ClockValue:
    at: datetime
    relevant_time: datetime | None
    detention_limit: datetime | None
    next_review_due: datetime | None
    next_visit_due: datetime | None
    rest_due_by: datetime | None
    meal_due_by: datetime | None
    constant_observation: bool
    deadlines: tuple[Deadline, ...]
    overdue: tuple[str, ...]
    due_soon: tuple[str, ...]

    @property
    def emergency(self) -> Deadline | None:
        """A detainee who could not be roused (Code C Annex H): before everything else."""
        return next((d for d in self.deadlines if d.key == "roused"), None)

    @property
    def most_urgent(self) -> Deadline | None:
        return self.emergency or min(self.deadlines, key=lambda d: d.due_at, default=None)


def clock(state: CustodyState, at: datetime, config: CareConfig = DEFAULT_CARE) -> ClockValue:
    """The detention clock of `state` at `at`. A closed record has no deadlines; a
    Terrorism Act record does not run the PACE clock (Code H applies)."""
    now = pace.as_utc(at, "time")
    limit = review = visit = rest = meal = emergency = None
    level = state.observation_level
    interval = config.observation.interval(level) if 1 <= level <= 4 else None
    if not state.closed and state.arrived_at is not None:
        if not state.terrorism:
            if state.relevant_time is not None and not state.charged:
                limit = pace.detention_limit(
                    state.relevant_time,
                    superintendent_extension_until=state.extension_until,
                    warrant_expires_at=state.warrant_expires_at,
                    detained_before=state.detained_before,  # PACE s.47(6)
                )
            if state.authorised_at is not None:
                review = pace.next_review_due(state.authorised_at, state.reviews)
        if state.not_rousable_at is not None:
            # Code C Annex H: could not be roused is an emergency now, not a visit in an hour.
            emergency = state.not_rousable_at
        if interval is not None:
            visit = (state.last_visit_at or state.arrived_at) + interval
        if emergency is not None:
            visit = emergency
        rest_from = state.rest_clock_from or state.arrived_at
        rest = (state.last_rest_end or rest_from) + config.rest_within - config.rest_length
        meal = max([state.arrived_at, *state.meals]) + config.meal_every
    deadlines = tuple(
        Deadline(key, label, due)
        for key, label, due in (
            ("roused", "Could not be roused: healthcare now (Code C Annex H)", emergency),
            ("limit", "Detention limit", limit),
            ("review", "Review due", review),
            ("visit", "Visit due", visit),
            ("rest", "8 h rest to start by", rest),
            ("meal", "Meal due", meal),
        )
        if due is not None
    )
    states = {d.key: d.state(now, config.due_soon) for d in deadlines}
    return ClockValue(
        at=now,
        relevant_time=state.relevant_time,
        detention_limit=limit,
        next_review_due=review,
        next_visit_due=visit,
        rest_due_by=rest,
        meal_due_by=meal,
        constant_observation=interval is None and not state.closed,
        deadlines=deadlines,
        overdue=tuple(k for k, s in states.items() if s == "overdue"),
        due_soon=tuple(k for k, s in states.items() if s == "soon"),
    )


# --- refusals -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why an entry may not be made. `forbidden`: the user's role or rank is the reason."""

    message: str
    forbidden: bool = False


def action_refusal(
    state: CustodyState,
    kind: str,
    roles: Iterable[str],
    at: datetime,
    *,
    now: datetime | None = None,
    config: CareConfig = DEFAULT_CARE,
) -> Refusal | None:
    """Whether someone with `roles` may record an entry of `kind` at `at` (the actual time).

    Checks the record's state and the rank rules; the entry's own details are checked by
    `data_refusal`."""
    spec = event_type(kind)
    moment = pace.as_utc(at, "time of the entry")
    current = pace.as_utc(now) if now is not None else datetime.now(UTC)
    held = set(roles)
    if kind == "booked_in":
        return Refusal("A record is opened by booking in; it cannot be booked in again.")
    if state.closed_at is not None:
        return Refusal(
            f"The detainee left custody at {local_text(state.closed_at)}; nothing can be "
            "added to the record after release (Code C 2.1)."
        )
    if moment > current + config.future_tolerance:
        rule = "Code C 9.3 and Annex H" if kind == "visit" else "Code C 2.6"
        return Refusal(f"The time given is in the future. Record the actual time ({rule}).")
    if state.arrived_at is not None and moment < state.arrived_at:
        return Refusal(
            f"The time given is before the detainee arrived ({local_text(state.arrived_at)}). "
            "Check the date and time."
        )
    if kind == "review":
        return _review_refusal(state, held)
    if not held & spec.roles:
        return Refusal(spec.role_reason, forbidden=True)
    if kind == "review_postponed" and state.authorised_at is None:
        return Refusal("Detention has not been authorised, so no review is due (PACE s.40(3)).")
    if kind == "detention_authorised" and (state.authorised_at or state.refused):
        return Refusal("Detention has already been decided for this record (PACE s.37).")
    if kind in ("extension", "warrant") and state.charged:
        return Refusal(
            "The detainee has been charged; extensions and warrants are for detention "
            "without charge (PACE s.42-44)."
        )
    if kind == "extension":
        return _extension_refusal(state, moment)
    if kind == "rights_delayed" and not state.indictable:
        return Refusal(
            "A right can be delayed only for an indictable offence (PACE s.56(2), s.58(6))."
        )
    if kind == "interview_started":
        if state.interview_open:
            return Refusal("An interview is already in progress; record its end first (Code C 11).")
        if state.needs_appropriate_adult(moment) and not state.appropriate_adult:
            return Refusal(
                "A juvenile or vulnerable detainee must not be interviewed without an "
                "appropriate adult; record the appropriate adult first (Code C 11.15)."
            )
    if kind == "interview_ended" and not state.interview_open:
        return Refusal("No interview is in progress (Code C 11).")
    return None


def _review_refusal(state: CustodyState, held: set[str]) -> Refusal | None:
    if state.authorised_at is None:
        return Refusal(
            "Detention has not been authorised, so there is nothing to review (PACE s.40)."
        )
    if state.charged:
        if not held & (INSPECTOR_OR_ABOVE | {"custody_officer"}):
            return Refusal(
                "After charge the custody officer reviews detention (PACE s.40(1)(a)).",
                forbidden=True,
            )
        return None
    if not held & INSPECTOR_OR_ABOVE:
        return Refusal(
            "A detainee who has not been charged is reviewed by an officer of at least the "
            "rank of inspector (PACE s.40(1)(b)); the custody officer reviews only after charge.",
            forbidden=True,
        )
    return None


def _extension_refusal(state: CustodyState, moment: datetime) -> Refusal | None:
    if state.relevant_time is None:
        return Refusal("The record has no relevant time, so detention cannot be extended.")
    if state.terrorism:
        return Refusal("Terrorism Act detention follows Code H, not PACE s.42.")
    if not state.indictable:
        return Refusal(
            "Detention can be extended only for an indictable offence (PACE s.42(1)(b))."
        )
    reviews = len(state.reviews_by(moment))
    if reviews < 2:
        return Refusal(
            "Detention cannot be extended before the second review has been carried out "
            f"(PACE s.42(4)(b)); {reviews} review{'s' if reviews != 1 else ''} held so far."
        )
    latest = state.relevant_time + pace.EXTENSION_LATEST - state.detained_before
    if moment > latest:
        used = _used_text(state)
        return Refusal(
            "Detention cannot be extended more than 24 hours after the relevant time "
            f"(PACE s.42(4)(a){used}); that was {local_text(latest)}."
        )
    return None


def _used_text(state: CustodyState) -> str:
    """How the time used before bail is cited in a refusal (PACE s.47(6))."""
    if not state.detained_before:
        return ""
    return f", counting {_span(state.detained_before)} already used before bail, s.47(6)"


def _span(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def data_refusal(
    state: CustodyState,
    kind: str,
    data: Mapping[str, Any],
    roles: Iterable[str],
    at: datetime,
    *,
    now: datetime | None = None,
    config: CareConfig = DEFAULT_CARE,
) -> Refusal | None:
    """The rules an entry's own details must keep (times, ceilings, who may delay what)."""
    moment = pace.as_utc(at, "time of the entry")
    current = pace.as_utc(now) if now is not None else datetime.now(UTC)
    start = state.relevant_time
    used = state.detained_before  # PACE s.47(6): every Part IV period shrinks by it
    if kind == "extension" and start is not None:
        until = data_datetime(data, "until")
        if until is not None and until <= moment:
            return Refusal("The extension must end after the time it is given.")
        if until is not None and until > start + pace.EXTENSION_LIMIT - used:
            return Refusal(
                "A superintendent cannot extend detention past 36 hours after the relevant "
                f"time (PACE s.42(2){_used_text(state)}); that is "
                f"{local_text(start + pace.EXTENSION_LIMIT - used)}."
            )
    if kind == "warrant" and start is not None and not state.terrorism:
        # A Terrorism Act warrant follows Schedule 8 and Code H, not PACE s.43-44.
        refusal = _warrant_refusal(state, data, current, config)
        if refusal is not None:
            return refusal
    if kind == "review" and state.charged and data.get("means") in REMOTE_MEANS:
        return Refusal(
            f"A review {REMOTE_MEANS[str(data.get('means'))]} is allowed only before charge: "
            "PACE s.40A(1) and s.45A(2)(b) cover the inspector's review under s.40(1)(b). "
            "After charge the custody officer reviews in person (s.40(1)(a)); s.45A(2)(a) "
            "allows a live link only at a station that is not a designated custody suite."
        )
    if kind == "visit":
        refusal = _visit_refusal(state, data)
        if refusal is not None:
            return refusal
    if kind == "rights_delayed":
        if data.get("right") == "legal_advice" and not set(roles) & SUPERINTENDENT:
            return Refusal(
                "Delaying legal advice needs a superintendent (PACE s.58(6)).", forbidden=True
            )
        until = data_datetime(data, "until")
        if start is not None and until is not None and until > start + pace.EXTENSION_LIMIT:
            return Refusal(
                "A right cannot be delayed past 36 hours after the relevant time "
                "(PACE s.56(3), s.58(5))."
            )
    if kind == "rest_period":
        started, ended = data_datetime(data, "started_at"), data_datetime(data, "ended_at")
        if started is not None and ended is not None:
            if ended <= started:
                return Refusal("The rest period must end after it started.")
            if ended > current + config.future_tolerance:
                return Refusal("The rest period's end is in the future. Record it once it ends.")
    return None


REMOTE_MEANS = {"telephone": "by telephone", "live_link": "by live link"}


def _visit_refusal(state: CustodyState, data: Mapping[str, Any]) -> Refusal | None:
    """A visit records what was observed (Code C 9.3, Annex H), never an assumed answer."""
    response = data.get("response")
    if response == "none" and not data.get("action_taken"):
        return Refusal(
            "The detainee could not be roused: this is an emergency. Get a healthcare "
            "professional or an ambulance now, then record the response taken (Code C 9.5, "
            "Annex H)."
        )
    if response == "not_roused" and state.observation_level == 2:
        return Refusal(
            "At observation level 2 the detainee must be roused and spoken to at each visit; "
            "record the response they gave (Code C 9.3, Annex H)."
        )
    return None


def _warrant_refusal(
    state: CustodyState, data: Mapping[str, Any], current: datetime, config: CareConfig
) -> Refusal | None:
    """The warrant of further detention's own times (PACE s.43-44), counting time used
    before bail (s.47(6))."""
    assert state.relevant_time is not None
    start, used = state.relevant_time, state.detained_before
    issued, expires = data_datetime(data, "issued_at"), data_datetime(data, "expires_at")
    applied = data_datetime(data, "applied_at")
    if issued is None or expires is None:
        return None
    if issued > current + config.future_tolerance:
        return Refusal("The warrant's issue time is in the future. Record the actual time.")
    if expires <= issued:
        return Refusal("The warrant must expire after it was issued.")
    if expires > issued + timedelta(hours=36):
        return Refusal("A warrant runs for at most 36 hours from issue (PACE s.43(12)).")
    if expires > start + pace.WARRANT_LIMIT - used:
        return Refusal(
            "Detention can never run past 96 hours after the relevant time "
            f"(PACE s.44(3)(b){_used_text(state)}); that is "
            f"{local_text(start + pace.WARRANT_LIMIT - used)}."
        )
    if applied is None:
        return None
    if applied > issued:
        return Refusal("The application must be made before the warrant is issued.")
    lawful_until = pace.detention_limit(
        start,
        superintendent_extension_until=state.extension_until,
        detained_before=used,
    )
    deadline = start + pace.EXTENSION_LIMIT - used  # PACE s.43(5)(a)
    allowance = deadline + WARRANT_ALLOWANCE  # PACE s.43(5)(b)
    if applied > allowance:
        return Refusal(
            "An application for a warrant of further detention must be made within 36 hours "
            "of the relevant time, or within the 6 hours after that where no court could sit "
            f"(PACE s.43(5){_used_text(state)}); the last moment was {local_text(allowance)}."
        )
    if applied > deadline and not data.get("court_could_not_sit"):
        return Refusal(
            "The application was made after 36 hours of detention "
            f"({local_text(deadline)}). That is allowed only where no magistrates' court "
            "could sit at 36 hours and it was made within the next 6 hours (PACE s.43(5)(b)); "
            "confirm that, or the court must refuse it (s.43(7))."
        )
    # s.43(6): while an application made in the 6 hours after 36 is heard, the detainee may
    # be kept; otherwise detention must still be lawful when the court issues the warrant.
    waiting = applied > deadline and lawful_until >= deadline and data.get("court_could_not_sit")
    if not waiting and max(applied, issued) > lawful_until:
        return Refusal(
            f"Detention without charge ended at {local_text(lawful_until)}: the 24-hour limit "
            "passed without a superintendent's extension (PACE s.41(1), s.42), so the "
            "detainee had to be released (s.41(7)) and no warrant can be sought afterwards "
            "(s.43(5))."
            if state.extension_until is None
            else f"Detention without charge ended at {local_text(lawful_until)}, when the "
            "superintendent's extension ran out (PACE s.42), so no warrant can be sought "
            "afterwards (s.43(5))."
        )
    return None


def events_sorted(events: Sequence[CustodyEvent]) -> list[CustodyEvent]:
    """The timeline: by actual time, then by the order entered."""
    return sorted(events, key=lambda e: (pace.as_utc(e.occurred_at), e.sequence))
