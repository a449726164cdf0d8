"""Custody records on the database: booking in, appending entries, placement edits, the board.

Entries are appended under a per-record lock: the first statement of every write bumps
`custody_record.event_count` (a row lock on PostgreSQL, the write lock on SQLite), so two
workstations adding entries at once are serialised, each sees the other's entry when
the rules are checked, and neither is lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.orm import Session

from station_app.domain import pace
from station_app.domain.clock import london
from station_app.domain.custody_compliance import Breach, breaches
from station_app.domain.custody_record import (
    CustodyEvent,
    CustodyState,
    action_refusal,
    clock,
    data_refusal,
    fold,
    local_text,
    time_used_before_bail,
)
from station_app.domain.custody_rules import (
    DEFAULT_FUTURE_TOLERANCE,
    check_event_data,
)
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import CurrentUser, User
from station_app.server.core.problems import ProblemError, field_problem
from station_app.server.core.reference_data import reference_row, reference_rows
from station_app.server.core.versions import IfMatchRule
from station_app.server.custody.models import (
    CLOSED,
    IN_CUSTODY,
    CustodyEventRow,
    CustodyNumberCounter,
    CustodyRecord,
)
from station_app.server.custody.rules import care_rules

# docs/api.md, "Headers": moving cell or observation level names the record's version.
PLACEMENT_VERSION = IfMatchRule(
    stale="Someone else changed this record's cell or observation level while you were "
    "working on it. Reload the record and make your change again.",
    missing="Send the record's version (If-Match) with a change, so that nobody's change "
    "is lost. Reload the record and try again.",
)


@dataclass(frozen=True)
class Officer:
    """Who makes an entry: name and rank go on the record (Code C 2.2)."""

    username: str
    name: str
    staff_number: str
    rank: str
    roles: frozenset[str]
    station_code: str


def officer_of(session: Session, user: CurrentUser) -> Officer:
    record = session.get(User, user.id)
    assert record is not None
    return Officer(
        username=record.username,
        name=record.display_name,
        staff_number=record.staff_number,
        rank=record.rank,
        roles=user.roles,
        station_code=record.station_code,
    )


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def to_domain(row: CustodyEventRow) -> CustodyEvent:
    return CustodyEvent(
        kind=row.kind,
        occurred_at=row.occurred_at,
        data=row.data,
        officer=row.officer_name,
        rank=row.officer_rank,
        entered_at=row.entered_at,
        sequence=row.sequence,
    )


def event_rows(session: Session, record_id: int) -> list[CustodyEventRow]:
    query = select(CustodyEventRow).where(CustodyEventRow.record_id == record_id)
    return list(session.scalars(query.order_by(CustodyEventRow.sequence)))


def get_record(session: Session, record_id: int) -> CustodyRecord:
    record = session.get(CustodyRecord, record_id)
    if record is None:
        raise ProblemError(404, "There is no custody record with that number. Check the board.")
    return record


def summary_of(record: CustodyRecord, state: CustodyState, now: datetime) -> dict[str, Any]:
    """The board row of a record (JSON), rebuilt from the log on every entry."""
    value = clock(state, now, care_rules())
    person = state.person
    return {
        "record_id": record.id,
        "custody_number": record.custody_number,
        "station_code": record.station_code,
        "status": CLOSED if state.closed else IN_CUSTODY,
        "cell": state.cell,
        "surname": person.get("surname", ""),
        "forenames": person.get("forenames", ""),
        "date_of_birth": person.get("date_of_birth"),
        "vulnerable": state.vulnerable,
        "appears_under_18": state.appears_under_18,
        "offences": [o.get("label") or o.get("code", "") for o in state.offences],
        "arrived_at": iso(state.arrived_at),
        "relevant_time": iso(state.relevant_time),
        "authorised_at": iso(state.authorised_at),
        "detention_limit": iso(value.detention_limit),
        "next_review_due": iso(value.next_review_due),
        "next_visit_due": iso(value.next_visit_due),
        "rest_due_by": iso(value.rest_due_by),
        "meal_due_by": iso(value.meal_due_by),
        "observation_level": state.observation_level,
        "risk_level": state.risk_level,
        "interpreter": state.interpreter,
        "appropriate_adult": state.appropriate_adult,
        "charged": state.charged,
        "disposal": state.disposal,
        "not_rousable_at": iso(state.not_rousable_at),
        "emergency_action": state.emergency_action,
        "answering_bail_from": state.answering_bail_from,
        "detained_before_seconds": int(state.detained_before.total_seconds()),
        "terrorism": state.terrorism,
        "version": record.version,
    }


# --- custody numbers ------------------------------------------------------------------------


def next_custody_number(session: Session, station_code: str, booked_at: datetime) -> str:
    """`SW-2026-00042`: station, year (London calendar) and a number per station and year."""
    year = booked_at.astimezone(london()).year
    bumped = session.execute(
        update(CustodyNumberCounter)
        .where(CustodyNumberCounter.station_code == station_code, CustodyNumberCounter.year == year)
        .values(last_number=CustodyNumberCounter.last_number + 1)
        .returning(CustodyNumberCounter.last_number)
    ).scalar_one_or_none()
    if bumped is None:  # the first of the year; a race here is an IntegrityError, retried
        session.add(CustodyNumberCounter(station_code=station_code, year=year, last_number=1))
        session.flush()
        bumped = 1
    return f"{station_code}-{year}-{bumped:05d}"


# --- booking in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Booking:
    station_code: str
    person: dict[str, Any]
    offence_codes: Sequence[str]
    arrested_at: datetime
    arrived_at: datetime
    voluntary_attender: bool = False
    relevant_time_override: datetime | None = None
    override_reason: str = ""
    circumstances: str = ""
    arresting_officer: str = ""
    cell: str = ""
    terrorism: bool = False
    answering_bail: str = ""
    """The custody number of the record that released the person on pre-charge bail."""


def _offences(session: Session, codes: Sequence[str]) -> list[dict[str, Any]]:
    rows = reference_rows(session, "offences", codes)
    missing = [code for code in codes if code not in rows]
    if missing:
        raise ProblemError(
            422,
            f"The offence code {missing[0]} is not in the offence list. Choose the offence "
            "from the list.",
            errors=[{"field": "offences", "message": "Choose each offence from the list."}],
        )
    return [
        {
            "code": code,
            "label": rows[code].label,
            "wording": rows[code].attributes.get("wording", rows[code].label),
            "mode_of_trial": rows[code].attributes.get("mode_of_trial", ""),
        }
        for code in dict.fromkeys(codes)
    ]


def _relevant_time(booking: Booking, now: datetime) -> tuple[datetime, datetime]:
    """(computed, used) relevant time; refuses impossible times with a sentence."""
    tolerance = DEFAULT_FUTURE_TOLERANCE
    if booking.arrived_at > now + tolerance or booking.arrested_at > now + tolerance:
        raise ProblemError(422, "The arrest or arrival time is in the future. Check the times.")
    if not booking.voluntary_attender and booking.arrested_at > booking.arrived_at:
        raise ProblemError(
            422,
            "The arrival at the station is before the arrest. Check the times, or tick "
            "“attended voluntarily” if the arrest was made at the station.",
        )
    computed = pace.relevant_time(
        booking.arrested_at, booking.arrived_at, voluntary_attender=booking.voluntary_attender
    )
    if booking.relevant_time_override is None:
        return computed, computed
    if not booking.override_reason.strip():
        raise ProblemError(
            422,
            "Give the reason for changing the relevant time (PACE s.41(5)-(6)).",
            errors=[{"field": "override_reason", "message": "Enter the reason."}],
        )
    if booking.relevant_time_override > now + tolerance:
        raise ProblemError(422, "The relevant time cannot be in the future.")
    return computed, booking.relevant_time_override


def book_in(
    session: Session,
    officer: Officer,
    booking: Booking,
    now: datetime,
    keyed: KeyedRequest | None,
) -> tuple[CustodyRecord, bool]:
    """Open a custody record (Code C 2.1); (record, created). Not committed. This officer's
    key again, with the same booking, gives back the record it opened; with another, 422."""
    earlier = keyed.earlier(session) if keyed else None
    if earlier is not None:
        return get_record(session, int(earlier)), False
    if reference_row(session, "stations", booking.station_code) is None:
        raise ProblemError(422, f"There is no station with the code {booking.station_code}.")
    computed, used = _relevant_time(booking, now)
    born = booking.person.get("date_of_birth")
    if born and str(born) > now.astimezone(london()).date().isoformat():
        raise ProblemError(
            422,
            "The date of birth is in the future. Check it, or leave it empty if not known.",
            errors=[{"field": "person.date_of_birth", "message": "Check the date of birth."}],
        )
    offences = _offences(session, booking.offence_codes)
    bail = _answering_bail(session, officer, booking, offences) if booking.answering_bail else None
    number = next_custody_number(session, booking.station_code, booking.arrived_at)
    record = CustodyRecord(
        custody_number=number,
        station_code=booking.station_code,
        status=IN_CUSTODY,
        surname=str(booking.person.get("surname", "")),
        forenames=str(booking.person.get("forenames", "")),
        cell=booking.cell,
        observation_level=1,
        version=1,
        event_count=1,
        last_event_id=0,
        summary={},
        opened_at=now,
        created_by=officer.username,
    )
    session.add(record)
    session.flush()
    data = {
        "custody_number": number,
        "station_code": booking.station_code,
        "person": booking.person,
        "offences": offences,
        "arrested_at": iso(booking.arrested_at),
        "arrived_at": iso(booking.arrived_at),
        "voluntary_attender": booking.voluntary_attender,
        "relevant_time": iso(used),
        "relevant_time_computed": iso(computed),
        "override_reason": booking.override_reason if booking.relevant_time_override else "",
        "circumstances": booking.circumstances,
        "arresting_officer": booking.arresting_officer,
        "cell": booking.cell,
        "terrorism": booking.terrorism,
    }
    if bail is not None:
        data["answering_bail"] = bail  # PACE s.47(6): the time used comes with them
    row = _add_event(session, record, officer, 1, "booked_in", booking.arrived_at, data, now)
    _refresh_summary(session, record, [row], now)
    if keyed:
        keyed.remember(session, str(record.id), f"custody record {number}")
    return record, True


# --- answering pre-charge bail (PACE s.47(6)) ----------------------------------------------


@dataclass(frozen=True)
class BailToAnswer:
    """A record that released someone on pre-charge bail, and the time it used."""

    record: CustodyRecord
    state: CustodyState
    used: timedelta

    def as_json(self) -> dict[str, Any]:
        bail = self.state.bail
        return {
            "custody_number": self.record.custody_number,
            "record_id": self.record.id,
            "station_code": self.record.station_code,
            "released_at": iso(self.state.closed_at),
            "bail_date": str(bail.get("bail_date") or "") or None,
            "bail_to": str(bail.get("bail_to") or ""),
            "offences": [
                {"code": o.get("code", ""), "label": o.get("label", "")}
                for o in self.state.offences
            ],
            "detained_before_seconds": int(self.used.total_seconds()),
        }


def _same_person(state: CustodyState, person: Mapping[str, Any]) -> bool:
    named = state.person
    same_name = all(
        str(named.get(key, "")).strip().casefold() == str(person.get(key, "")).strip().casefold()
        for key in ("surname", "forenames")
    )
    born, given = named.get("date_of_birth"), person.get("date_of_birth")
    return same_name and (not born or not given or str(born) == str(given))


def bail_to_answer(
    session: Session, person: Mapping[str, Any], limit: int = 5
) -> list[BailToAnswer]:
    """The person's records that ended in pre-charge bail, latest first, each with the time
    in police detention it used (PACE s.47(6))."""
    surname = str(person.get("surname", "")).strip()
    forenames = str(person.get("forenames", "")).strip()
    query = (
        select(CustodyRecord)
        .where(
            CustodyRecord.status == CLOSED,
            func.lower(CustodyRecord.surname) == surname.lower(),
            func.lower(CustodyRecord.forenames) == forenames.lower(),
        )
        .order_by(CustodyRecord.id.desc())
        .limit(50)
    )
    found: list[BailToAnswer] = []
    for record in session.scalars(query):
        state = fold(to_domain(row) for row in event_rows(session, record.id))
        used = time_used_before_bail(state)
        if used is not None and _same_person(state, person):
            found.append(BailToAnswer(record, state, used))
            if len(found) == limit:
                break
    return found


def _answering_bail(
    session: Session, officer: Officer, booking: Booking, offences: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The booking-in's note of the bail answered: the earlier record and the time it used,
    computed here from its entries (never typed)."""
    record = session.scalars(
        select(CustodyRecord).where(CustodyRecord.custody_number == booking.answering_bail)
    ).first()
    problem = {"field": "answering_bail", "message": "Choose the record of the bail answered."}
    if record is None:
        raise ProblemError(
            422,
            f"There is no custody record {booking.answering_bail}. Choose the record that "
            "released the person on bail.",
            errors=[problem],
        )
    state = fold(to_domain(row) for row in event_rows(session, record.id))
    used = time_used_before_bail(state)
    if used is None:
        raise ProblemError(
            422,
            f"Custody record {record.custody_number} did not end in release on pre-charge "
            "bail, so there is no bail to answer from it (PACE s.47(6)).",
            errors=[problem],
        )
    if not _same_person(state, booking.person):
        raise ProblemError(
            422,
            f"Custody record {record.custody_number} is for someone else "
            f"({state.person.get('surname', '')}, {state.person.get('forenames', '')}). "
            "Check the name and date of birth.",
            errors=[problem],
        )
    bailed = {str(o.get("code")) for o in state.offences}
    if not bailed & {str(o.get("code")) for o in offences}:
        labels = "; ".join(str(o.get("label") or o.get("code")) for o in state.offences)
        raise ProblemError(
            422,
            f"The bail answered was for {labels}; book the person in for that offence (the "
            "time already used counts for the offence bailed, PACE s.47(6)).",
            errors=[{"field": "offences", "message": "Include the offence bailed."}],
        )
    assert state.closed_at is not None
    return {
        "custody_number": record.custody_number,
        "record_id": record.id,
        "released_at": iso(state.closed_at),
        "released_text": local_text(state.closed_at),
        "detained_before_seconds": int(used.total_seconds()),
    }


def _add_event(
    session: Session,
    record: CustodyRecord,
    officer: Officer,
    sequence: int,
    kind: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
    now: datetime,
) -> CustodyEventRow:
    # Idempotency keys live in core idempotency_key, per user; the entry's own column (one
    # key per record, issue 12 #9) is kept for entries made before custody_0003.
    row = CustodyEventRow(
        record_id=record.id,
        sequence=sequence,
        kind=kind,
        occurred_at=occurred_at,
        entered_at=now,
        officer_username=officer.username,
        officer_name=officer.name,
        officer_staff_number=officer.staff_number,
        officer_rank=officer.rank,
        data=dict(data),
    )
    session.add(row)
    session.flush()
    record.last_event_id = row.id
    return row


def _refresh_summary(
    session: Session, record: CustodyRecord, rows: Sequence[CustodyEventRow], now: datetime
) -> CustodyState:
    state = fold(to_domain(row) for row in rows)
    record.cell = state.cell
    record.observation_level = state.observation_level
    if state.closed and record.status != CLOSED:
        record.status, record.closed_at = CLOSED, state.closed_at
    record.summary = summary_of(record, state, now)
    return state


# --- appending entries ----------------------------------------------------------------------


def _lock(session: Session, record_id: int, count: int, version: int | None = None) -> int:
    """Take the record's write lock by bumping its entry count; the first new sequence.

    With `version`, only while the record is still at that version (else 409)."""
    query = update(CustodyRecord).where(CustodyRecord.id == record_id)
    values: dict[str, Any] = {"event_count": CustodyRecord.event_count + count}
    if version is not None:
        query = query.where(CustodyRecord.version == version)
        values["version"] = CustodyRecord.version + 1
    bumped = session.execute(
        query.values(**values).returning(CustodyRecord.event_count)
    ).scalar_one_or_none()
    if bumped is None:
        get_record(session, record_id)  # 404 when there is no such record
        raise PLACEMENT_VERSION.conflict()
    return int(bumped) - count + 1


def refuse(message: str, forbidden: bool) -> ProblemError:
    return ProblemError(403 if forbidden else 422, message, title="Not allowed by the rules")


def append_event(
    session: Session,
    record_id: int,
    officer: Officer,
    kind: str,
    occurred_at: datetime,
    data: Mapping[str, Any],
    now: datetime,
    keyed: KeyedRequest | None,
) -> tuple[CustodyEventRow, CustodyRecord, bool]:
    """Add one entry, if the rules allow it; (entry, record, created). Not committed. This
    officer's key again, with the same entry for the same record, gives back the entry it
    made; anything else with it, 422."""
    earlier = keyed.earlier(session) if keyed else None
    if earlier is not None:
        existing = session.get(CustodyEventRow, int(earlier))
        if existing is None or existing.record_id != record_id:  # a key carried over
            assert keyed is not None
            raise keyed.refused(f"an entry of custody record {_number_of(session, existing)}")
        return existing, get_record(session, record_id), False
    problems = check_event_data(kind, data)
    if problems:
        raise field_problem({f"data.{name}": text for name, text in problems.items()})
    sequence = _lock(session, record_id, 1)
    record = get_record(session, record_id)
    rows = event_rows(session, record_id)
    state = fold(to_domain(row) for row in rows)
    care = care_rules()
    refusal = action_refusal(
        state, kind, officer.roles, occurred_at, now=now, config=care
    ) or data_refusal(state, kind, data, officer.roles, occurred_at, now=now, config=care)
    if refusal is not None:
        raise refuse(refusal.message, refusal.forbidden)
    row = _add_event(session, record, officer, sequence, kind, occurred_at, data, now)
    if keyed:
        label = f"entry {row.sequence} of custody record {record.custody_number}"
        keyed.remember(session, str(row.id), label)
    if kind in ("cell_allocated", "observation_level_set", "risk_assessment"):
        record.version += 1  # the mutable parts changed: a stale edit now gets 409
    _refresh_summary(session, record, [*rows, row], now)
    return row, record, True


def _number_of(session: Session, row: CustodyEventRow | None) -> str:
    record = session.get(CustodyRecord, row.record_id) if row is not None else None
    return record.custody_number if record is not None else "no longer on record"


def change_placement(
    session: Session,
    record_id: int,
    officer: Officer,
    version: int,
    changes: Mapping[str, Any],
    now: datetime,
) -> CustodyRecord:
    """Move cell and/or observation level under the record's version (409 when stale);
    each change is also an entry in the log."""
    entries: list[tuple[str, dict[str, Any]]] = []
    if changes.get("cell") is not None:
        entries.append(("cell_allocated", {"cell": changes["cell"]}))
    if changes.get("observation_level") is not None:
        level_data = {"observation_level": str(changes["observation_level"])}
        if changes.get("reason"):
            level_data["reason"] = str(changes["reason"])
        entries.append(("observation_level_set", level_data))
    if not entries:
        raise ProblemError(422, "Give a new cell or observation level.")
    sequence = _lock(session, record_id, len(entries), version)
    record = get_record(session, record_id)
    rows = event_rows(session, record_id)
    state = fold(to_domain(row) for row in rows)
    for offset, (kind, data) in enumerate(entries):
        refusal = action_refusal(state, kind, officer.roles, now, now=now, config=care_rules())
        if refusal is not None:
            raise refuse(refusal.message, refusal.forbidden)
        rows.append(_add_event(session, record, officer, sequence + offset, kind, now, data, now))
    _refresh_summary(session, record, rows, now)
    return record


def existing_numbers(session: Session, numbers: Sequence[str]) -> set[str]:
    """Which of these custody record numbers name a record (the "custody_record" record
    type other features link to, core/links.py)."""
    query = select(CustodyRecord.custody_number).where(
        CustodyRecord.custody_number.in_(list(numbers))
    )
    return set(session.scalars(query))


# --- the board ------------------------------------------------------------------------------


def board_etag(session: Session, station_code: str) -> str:
    """Changes whenever anyone at the station is booked in, leaves, or gets an entry."""
    count, last = session.execute(
        select(func.count(CustodyRecord.id), func.max(CustodyRecord.last_event_id)).where(
            CustodyRecord.station_code == station_code, CustodyRecord.status == IN_CUSTODY
        )
    ).one()
    return f'"custody-{station_code}-{count}-{last or 0}"'


def board_json(session: Session, station_code: str) -> tuple[bytes, int]:
    """The board's body as JSON bytes, made from the stored summaries' own JSON text (no
    parsing and re-encoding of 60 rows on every changed poll); (body, row count)."""
    query = select(cast(CustodyRecord.summary, Text)).where(
        CustodyRecord.station_code == station_code, CustodyRecord.status == IN_CUSTODY
    )
    rows = [str(text).encode() for text in session.scalars(query.order_by(CustodyRecord.id))]
    head = json.dumps({"station_code": station_code})[:-1].encode()
    return head + b', "rows": [' + b", ".join(rows) + b"]}", len(rows)


# --- the supervisors' compliance list -------------------------------------------------------


@dataclass(frozen=True)
class SuiteCompliance:
    record: CustodyRecord
    state: CustodyState
    found: list[Breach]


def suite_compliance(
    session: Session, station_code: str, now: datetime, since: timedelta = timedelta(hours=24)
) -> list[SuiteCompliance]:
    """Every record in custody at the station, and every one closed in the last `since`, with
    the breaches its replay finds (`domain.custody_compliance`), most breaches first."""
    query = select(CustodyRecord).where(
        CustodyRecord.station_code == station_code,
        (CustodyRecord.status == IN_CUSTODY) | (CustodyRecord.closed_at >= now - since),
    )
    rows: list[SuiteCompliance] = []
    care = care_rules()
    for record in session.scalars(query.order_by(CustodyRecord.id)):
        events = [to_domain(row) for row in event_rows(session, record.id)]
        rows.append(SuiteCompliance(record, fold(events), breaches(events, now, care)))
    rows.sort(key=lambda r: (-len(r.found), r.record.id))
    return rows
