"""Compliance replay of a custody record: the event log replayed entry by entry, listing
every late or missed visit, a detainee who could not be roused, late review, review by
telephone or live link after charge, rest period not started in time, 24 hours without the
meals Code C 8.6 sets, and detention without charge past the limit (counting time used
before bail, PACE s.47(6)), each with the rule it breaks.

The printed record's annex (`documents.custody_compliance`) and the supervisors' list per
suite (`GET /custody/compliance`) are both this replay. It reads only the record's own
entries, with the APP / Code C intervals (`domain.pace`, `domain.custody_rules.CareConfig`).
Terrorism Act records are reviewed under Code H, so their PACE reviews and limit are not
checked here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from station_app.domain import pace
from station_app.domain.custody_record import CustodyEvent, events_sorted, fold, local_text
from station_app.domain.custody_rules import (
    CLOSING_EVENTS,
    EMERGENCY_ACTIONS,
    CareConfig,
    data_datetime,
)

__all__ = ["Breach", "breaches"]

DEFAULT_CARE = CareConfig()
VISIT_RULE = "APP detainee care; Code C 9.3 and Annex H"


@dataclass(frozen=True)
class Breach:
    what: str
    """ "Visit late", "Review overdue", ..."""
    due_at: datetime
    done_at: datetime | None
    """When it was done late; None when it had not been done by the end of the replay."""
    detail: str
    rule: str

    def sentence(self) -> str:
        if self.done_at is None:
            return f"{self.what}: due by {local_text(self.due_at)}, not done. {self.detail}"
        late = _duration(self.done_at - self.due_at)
        return (
            f"{self.what}: due by {local_text(self.due_at)}, made {local_text(self.done_at)} "
            f"({late} late). {self.detail}"
        )


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def _level_text(level: int, interval: timedelta) -> str:
    return f"Level {level}: a visit at least every {int(interval.total_seconds() // 60)} minutes."


def _visits(
    events: Sequence[CustodyEvent], arrived: datetime, end: datetime, care: CareConfig
) -> list[Breach]:
    found: list[Breach] = []
    level = 1
    interval = care.observation.interval(level)
    last = arrived
    due: datetime | None = arrived + interval if interval else None
    for event in events:
        at = pace.as_utc(event.occurred_at)
        if at > end:
            break
        if event.kind == "booked_in":
            level = int(event.data.get("observation_level") or level)
        elif event.kind == "visit":
            if due is not None and interval is not None and at > due:
                found.append(
                    Breach("Visit late", due, at, _level_text(level, interval), VISIT_RULE)
                )
            if event.data.get("response") == "none":
                action = dict(EMERGENCY_ACTIONS).get(str(event.data.get("action_taken") or ""))
                found.append(
                    Breach(
                        "Could not be roused",
                        at,
                        None,
                        f"Response taken: {action}."
                        if action
                        else "No response recorded: a healthcare professional or an ambulance "
                        "was needed at once.",
                        "Code C 9.5, Annex H",
                    )
                )
            last = at
        elif event.kind in ("risk_assessment", "observation_level_set"):
            level = int(event.data.get("observation_level") or level)
            if interval is None:  # constant observation until now: watched up to here
                last = at
        else:
            continue
        interval = care.observation.interval(level)
        # A stricter level means a visit now, not retrospectively late.
        due = max(last + interval, at) if interval is not None else None
    if due is not None and interval is not None and end > due:
        found.append(Breach("Visit missed", due, None, _level_text(level, interval), VISIT_RULE))
    return found


def _reviews(events: Sequence[CustodyEvent], end: datetime) -> list[Breach]:
    authorised = next((e.occurred_at for e in events if e.kind == "detention_authorised"), None)
    if authorised is None:
        return []
    found: list[Breach] = []
    held: list[datetime] = []
    postponed: list[datetime] = []
    charged = False
    due = pace.next_review_due(authorised, held)
    for event in events:
        at = pace.as_utc(event.occurred_at)
        if at > end:
            break
        charged = charged or event.kind == "charge"
        if event.kind == "review" and charged and event.data.get("means") in REMOTE:
            found.append(
                Breach(
                    "Review held remotely after charge",
                    at,
                    at,
                    f"Held {REMOTE[str(event.data.get('means'))]}; after charge the custody "
                    "officer reviews in person.",
                    "PACE s.40(1)(a), s.40A(1), s.45A(2)(b)",
                )
            )
        if event.kind == "review_postponed":
            postponed.append(at)
        elif event.kind == "review":
            lawful = any(p <= due for p in postponed)  # s.40(4): postponed, held when practicable
            if at > due and not lawful:
                found.append(
                    Breach(
                        "Review late",
                        due,
                        at,
                        "First review within 6 hours of authorisation, then every 9 hours.",
                        "PACE s.40(3)",
                    )
                )
            held.append(at)
            postponed.clear()
            due = pace.next_review_due(authorised, held)
    if end > due and not postponed:
        found.append(
            Breach("Review overdue", due, None, "No review recorded by the end.", "PACE s.40(3)")
        )
    return found


REMOTE = {"telephone": "by telephone", "live_link": "by live link"}


def _rest(
    events: Sequence[CustodyEvent], arrived: datetime, end: datetime, care: CareConfig
) -> list[Breach]:
    found: list[Breach] = []
    latest_start = care.rest_within - care.rest_length
    due = arrived + latest_start
    for event in events:
        if event.kind != "rest_period":
            continue
        started = data_datetime(event.data, "started_at")
        ended = data_datetime(event.data, "ended_at")
        if started is None or ended is None or ended - started < care.rest_length:
            continue
        if started > due:
            found.append(
                Breach(
                    "Rest late",
                    due,
                    started,
                    "8 hours' continuous rest in any 24 hours.",
                    "Code C 12.2",
                )
            )
        due = ended + latest_start
    if end > due:
        found.append(
            Breach(
                "Rest not given",
                due,
                None,
                "8 hours' continuous rest in any 24 hours.",
                "Code C 12.2",
            )
        )
    return found


def _meals(events: Sequence[CustodyEvent], arrived: datetime, end: datetime) -> list[Breach]:
    """Each whole 24 hours from arrival: two light meals and one main meal (a main meal
    counts as a light one too; a drink is not a meal)."""
    found: list[Breach] = []
    meals = [
        (pace.as_utc(e.occurred_at), str(e.data.get("meal", "")))
        for e in events
        if e.kind == "meal" and e.data.get("meal") in ("light", "main")
    ]
    start = arrived
    while start + timedelta(hours=24) <= end:
        stop = start + timedelta(hours=24)
        taken = [kind for at, kind in meals if start <= at < stop]
        if len(taken) < 3 or "main" not in taken:
            found.append(
                Breach(
                    "Meals short",
                    stop,
                    None,
                    f"{len(taken)} meal(s) between {local_text(start)} and {local_text(stop)}.",
                    "Code C 8.6",
                )
            )
        start = stop
    return found


def _limit(events: Sequence[CustodyEvent], end: datetime) -> list[Breach]:
    state = fold(events)
    if state.terrorism or state.relevant_time is None:
        return []
    limit = pace.detention_limit(
        state.relevant_time,
        superintendent_extension_until=state.extension_until,
        warrant_expires_at=state.warrant_expires_at,
        detained_before=state.detained_before,  # PACE s.47(6)
    )
    until = state.charged_at or state.closed_at or end
    if until <= limit:
        return []
    return [
        Breach(
            "Detained past the limit without charge",
            limit,
            until if until != end else None,
            "Release or charge by the limit"
            + (
                f" (counting {_duration(state.detained_before)} used before bail)."
                if state.detained_before
                else "."
            ),
            "PACE s.41-44" + (", s.47(6)" if state.detained_before else ""),
        )
    ]


def breaches(
    events: Iterable[CustodyEvent], now: datetime, care: CareConfig = DEFAULT_CARE
) -> list[Breach]:
    """Every breach the log shows up to its close (or `now`, while still open), in time order."""
    ordered = events_sorted(list(events))
    booked = next((e for e in ordered if e.kind == "booked_in"), None)
    if booked is None:
        return []
    arrived = data_datetime(booked.data, "arrived_at") or pace.as_utc(booked.occurred_at)
    closed = next((pace.as_utc(e.occurred_at) for e in ordered if e.kind in CLOSING_EVENTS), None)
    end = min(closed, pace.as_utc(now)) if closed is not None else pace.as_utc(now)
    state = fold(ordered)
    rest_from = state.rest_clock_from or arrived  # Code C 12.2: from arrest, if voluntary
    found = _visits(ordered, arrived, end, care) + _rest(ordered, rest_from, end, care)
    found += _meals(ordered, arrived, end)
    if not bool(booked.data.get("terrorism")):
        found += _reviews(ordered, end) + _limit(ordered, end)
    return sorted(found, key=lambda b: (b.due_at, b.what))
