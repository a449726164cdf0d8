"""Reading and writing walk-in reports: numbering, idempotent creation, versioned edits,
the timeline, the filtered list and the possible-duplicate check."""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, column, func, literal_column, select, table, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, defer, raiseload

from station_app.domain.incidents import (
    DUPLICATE_WINDOW,
    RECORDING_DECISION_DUE,
    IncidentStatus,
    decision_overdue,
    name_key,
)
from station_app.server.core.db import any_id
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import User
from station_app.server.core.problems import ProblemError, field_problem
from station_app.server.core.reference_data import reference_row
from station_app.server.core.versions import IfMatchRule
from station_app.server.incidents.models import FLAG_COLUMNS, Incident, IncidentEvent
from station_app.server.incidents.schemas import IncidentIn, PersonIn, PossibleDuplicate

# docs/api.md, "Headers": a correction or status change names the version it is based on.
INCIDENT_VERSION = IfMatchRule(
    stale="Someone else changed report {reference} while you were working on it. "
    "Reload it and make your change again.",
    missing="Station did not say which version of the report it changed. Reload the report "
    "and make your change again.",
)


@dataclass(frozen=True)
class Actor:
    """The member of staff doing the work, as the timeline and the letter name them."""

    username: str
    display_name: str
    staff_number: str
    station_code: str
    roles: frozenset[str]


def load_actor(session: Session, user_id: int, roles: frozenset[str]) -> Actor:
    user = session.get(User, user_id)
    if user is None:
        raise ProblemError(401, "Your session has ended. Sign in again to carry on.")
    return Actor(user.username, user.display_name, user.staff_number, user.station_code, roles)


def crime_reference(station_code: str, year: int, serial: int) -> str:
    """`SW-2026-0000123`: station code, year and a serial unique across the force
    (formats.md: the force's own format, human-readable, station code and year in it)."""
    return f"{station_code}-{year}-{serial:07d}"


def _person_json(person: PersonIn | None) -> dict[str, Any]:
    if person is None:
        return {}
    data = person.model_dump(mode="json")
    return data


def _search_text(report: IncidentIn, offence_label: str) -> str:
    people = [report.reporter, report.victim, *report.suspects, *report.witnesses]
    parts = [
        offence_label,
        report.location_address,
        report.location_postcode,
        report.location_description,
        report.account,
        *(p.name for p in people if p is not None),
        *(p.address for p in people if p is not None),
        *(p.description for p in people if p is not None),
    ]
    return " ".join(" ".join(part.split()) for part in parts if part).casefold()


def apply_report(
    session: Session, incident: Incident, report: IncidentIn, errors: dict[str, str]
) -> None:
    """Copy a checked report onto `incident`; an unknown offence or station adds an error."""
    offence = reference_row(session, "offences", report.offence_code.strip())
    if offence is None and "offence_code" not in errors:
        errors["offence_code"] = (
            f"'{report.offence_code}' is not in the offence list. Choose the offence from the list."
        )
    if report.station_code and reference_row(session, "stations", report.station_code) is None:
        errors["station_code"] = f"There is no station with the code '{report.station_code}'."
    if errors:
        return
    assert offence is not None
    victim = report.reporter if report.victim_is_reporter else report.victim
    assert victim is not None
    if report.station_code:
        incident.station_code = report.station_code
    incident.offence_code = offence.code
    incident.offence_label = offence.label
    incident.occurred_from = report.occurred_from
    incident.occurred_to = report.occurred_to
    incident.location_address = report.location_address.strip()
    incident.location_postcode = report.location_postcode or None
    incident.location_description = report.location_description.strip()
    incident.account = report.account
    incident.cctv = report.cctv
    incident.people = [
        {"role": "reporter", **_person_json(report.reporter)},
        *([{"role": "victim", **_person_json(report.victim)}] if report.victim else []),
        *({"role": "suspect", **_person_json(p)} for p in report.suspects),
        *({"role": "witness", **_person_json(p)} for p in report.witnesses),
    ]
    incident.property = [item.model_dump(mode="json") for item in report.property]
    incident.victim_name = " ".join(victim.name.split())
    incident.victim_name_key = name_key(victim.name)
    incident.victim_dob = victim.date_of_birth
    for name in FLAG_COLUMNS:
        setattr(incident, name, name in report.flags)
    incident.search_text = _search_text(report, offence.label)


def raise_field_errors(errors: dict[str, str]) -> None:
    if errors:
        raise field_problem(errors)


def create_incident(
    session: Session,
    actor: Actor,
    report: IncidentIn,
    errors: dict[str, str],
    keyed: KeyedRequest | None,
) -> tuple[Incident, bool]:
    """(incident, created). This user's key again, with the same report, gives back the
    report it made (core/idempotency.py); with another report, 422."""
    earlier = keyed.earlier(session) if keyed else None
    if earlier is not None:
        return get_incident(session, earlier), False
    now = datetime.now(UTC)
    incident = Incident(
        reference=f"pending-{uuid.uuid4().hex}",  # unique until the id numbers it
        version=1,
        station_code=actor.station_code,
        status=IncidentStatus.REPORTED.value,
        reported_at=now,
        created_by=actor.username,
        officer_name=actor.display_name,
        officer_number=actor.staff_number,
        created_at=now,
        updated_at=now,
    )
    apply_report(session, incident, report, errors)
    raise_field_errors(errors)
    session.add(incident)
    try:
        session.flush()  # the id numbers the report
        incident.reference = crime_reference(incident.station_code, now.year, incident.id)
        incident.search_text = f"{incident.reference.casefold()} {incident.search_text}"
        incident.events.append(
            IncidentEvent(
                at=now,
                kind="created",
                by_username=actor.username,
                by_name=actor.display_name,
                text="Report taken at the front counter.",
                to_status=IncidentStatus.REPORTED.value,
            )
        )
        session.flush()
        if keyed:
            keyed.remember(session, incident.reference, f"report {incident.reference}")
    except IntegrityError:
        # The same key sent twice at once: the other request won; answer with its report.
        session.rollback()
        earlier = keyed.earlier(session) if keyed else None
        if earlier is not None:
            return get_incident(session, earlier), False
        raise
    return incident, True


def get_incident(session: Session, reference: str) -> Incident:
    incident = session.scalars(select(Incident).where(Incident.reference == reference)).first()
    if incident is None:
        raise ProblemError(
            404, f"There is no report with the reference {reference}. Check the number."
        )
    return incident


def add_event(
    session: Session, incident: Incident, actor: Actor, kind: str, text: str, **extra: Any
) -> IncidentEvent:
    event = IncidentEvent(
        at=datetime.now(UTC),
        kind=kind,
        by_username=actor.username,
        by_name=actor.display_name,
        text=text,
        **extra,
    )
    incident.events.append(event)
    return event


def add_note(
    session: Session, incident: Incident, actor: Actor, text: str, keyed: KeyedRequest | None
) -> bool:
    """Add a note to the timeline; whether it was added. Not committed. This user's key
    again, with the same note for the same report, adds nothing (the note it added is on
    the timeline); with another note, 422 (core/idempotency.py)."""
    earlier = keyed.earlier(session) if keyed else None
    if earlier is not None:
        note = session.get(IncidentEvent, int(earlier))
        if note is None or note.incident_id != incident.id:
            assert keyed is not None
            raise keyed.refused("a note no longer on this report")
        return False
    note = add_event(session, incident, actor, "note", text)
    session.flush()
    if keyed:
        keyed.remember(session, str(note.id), f"a note on report {incident.reference}")
    return True


def possible_duplicates(session: Session, incident: Incident) -> list[PossibleDuplicate]:
    """Same victim (name and date of birth), or same postcode and offence within 7 days."""
    found: dict[str, str] = {}
    if incident.victim_name_key and incident.victim_dob is not None:
        for reference in session.scalars(
            select(Incident.reference)
            .where(
                Incident.victim_name_key == incident.victim_name_key,
                Incident.victim_dob == incident.victim_dob,
                Incident.id != incident.id,
            )
            .order_by(Incident.reported_at.desc())
            .limit(5)
        ):
            found[reference] = "Same victim name and date of birth."
    if incident.location_postcode:
        for reference in session.scalars(
            select(Incident.reference)
            .where(
                Incident.location_postcode == incident.location_postcode,
                Incident.offence_code == incident.offence_code,
                Incident.reported_at >= incident.reported_at - DUPLICATE_WINDOW,
                Incident.reported_at <= incident.reported_at + DUPLICATE_WINDOW,
                Incident.id != incident.id,
            )
            .order_by(Incident.reported_at.desc())
            .limit(5)
        ):
            found.setdefault(reference, "Same postcode and offence within 7 days.")
    return [PossibleDuplicate(reference=ref, reason=reason) for ref, reason in found.items()]


@dataclass
class ListFilter:
    reported_from: datetime | None = None
    reported_to: datetime | None = None
    statuses: list[str] = field(default_factory=list)
    stations: frozenset[str] | None = None
    """Only these stations' reports (core/stations.py); None: every station."""
    offence: str | None = None
    flag: str | None = None
    text: str = ""
    decision_overdue: bool = False
    sort: str = "-reported_at"
    offset: int = 0
    limit: int = 50


SORTS = {
    "reported_at": (Incident.reported_at, Incident.id),
    "reference": (Incident.reference,),
    "status": (Incident.status, Incident.reported_at),
    "offence": (Incident.offence_label, Incident.reported_at),
}


REFERENCE_SHAPE = re.compile(r"[A-Z0-9]{1,10}-\d{4}-\d{7,}")


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# --- free-text search (migration incidents_0003; docs/server.md, "Free-text search") -------

TRIGRAM = 3
"""The shortest word a trigram index can look up; shorter words are checked row by row
among the reports the longer words found."""

COMMON = 2000
"""When the index finds at least this many reports for the words, they are common: the
list reads reports newest first and keeps those that match (a page fills at once), rather
than collecting every match to sort them."""


@dataclass(frozen=True)
class TextSearch:
    """How this database looks free text up: `fts5` (SQLite), `trigram` (PostgreSQL with
    pg_trgm), `tsvector` (PostgreSQL without it: words found from their start), or `scan`
    (no index: LIKE alone); and for fts5, whether the words are too common to collect."""

    kind: str
    common: bool = False
    found: tuple[int, ...] = ()
    """fts5 or trigram, not common: the ids of every report found (fewer than COMMON);
    trigram: those meeting the list's other conditions, newest first."""


def _fts5_query(words: Sequence[str]) -> str:
    """An FTS5 query: each word a phrase (quotes doubled), all of them required."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _indexed(words: Sequence[str]) -> list[str]:
    return [word for word in words if len(word) >= TRIGRAM]


RECENT = 5000
"""PostgreSQL: how many of the newest reports are read first, newest first, for free text
listed newest first. Where they hold a full page of matches (a surname, a common word) that
page is the answer, in a few milliseconds, and the trigram index is not used at all."""

MOST_RECENT = 50_000
"""The most newest reports read that way, when the matches among the first RECENT say a
page should fill within that many (a surname in a common postcode district); beyond it the
trigram index answers."""


def _has_trigram_index(session: Session) -> bool:
    """Whether this PostgreSQL schema has the trigram index (migration incidents_0003),
    asked once per database connection (the schema of a connection does not change)."""
    info = session.connection().info
    known = info.get("station_incident_trigram")
    if known is None:
        known = (
            session.execute(
                text(
                    "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_incident_search_trgm' "
                    "AND schemaname = current_schema()"
                )
            ).first()
            is not None
        )
        info["station_incident_trigram"] = known
    return bool(known)


def text_search(
    session: Session, words: Sequence[str], conditions: Sequence[Any] = ()
) -> TextSearch | None:
    """Which index free text goes through here; None when no text was typed. On PostgreSQL
    the reports found also meet the list's other `conditions`, and come newest first."""
    if not words:
        return None
    if session.get_bind().dialect.name == "sqlite":
        if not _indexed(words):
            return TextSearch("scan")
        # One pass through the index: up to COMMON ids, used as they are when fewer.
        found = session.execute(
            text("SELECT rowid FROM incident_search WHERE incident_search MATCH :query LIMIT :n"),
            {"query": _fts5_query(_indexed(words)), "n": COMMON},
        ).scalars()
        ids = tuple(int(rowid) for rowid in found)
        if len(ids) >= COMMON:
            return TextSearch("fts5", common=True)
        return TextSearch("fts5", found=ids)
    if not _has_trigram_index(session):
        return TextSearch("tsvector")
    # The same one pass as on SQLite: PostgreSQL's estimate of how many reports a trigram
    # LIKE finds is far too low for common words (it then collects every match to sort
    # them), so the reports found are counted here, up to COMMON. Their times come with
    # them (the rows are read to recheck the words anyway), so a page newest first reads
    # only its own reports whole.
    likes = [Incident.search_text.like(_like(word), escape="\\") for word in words]
    matches = session.execute(
        select(Incident.id, Incident.reported_at).where(*likes, *conditions).limit(COMMON)
    ).all()
    if len(matches) >= COMMON:
        return TextSearch("trigram", common=True)
    newest_first = sorted(matches, key=lambda row: (row.reported_at, row.id), reverse=True)
    return TextSearch("trigram", found=tuple(row.id for row in newest_first))


def _text_conditions(words: Sequence[str], search: TextSearch | None) -> list[Any]:
    like = [Incident.search_text.like(_like(word), escape="\\") for word in words]
    if search is None or search.kind == "scan":
        return like
    if search.kind == "trigram":
        if search.common:
            # Newest first, keeping matches (the page fills at once): `|| ''` keeps the
            # planner from the trigram index, whose estimate would have it collect them all.
            return [
                Incident.search_text.concat("").like(_like(word), escape="\\") for word in words
            ]
        return [any_id(Incident.id, search.found)]  # PostgreSQL
    if search.kind == "tsvector":
        # to_tsquery('simple', 'word:*') for each word: from the start of a word.
        vector: Any = literal_column("search_vector")
        return [vector.op("@@")(func.to_tsquery("simple", _tsquery_word(word))) for word in words]
    if search.common:
        return like  # read newest first, keep matches: the page fills at once
    short = [condition for word, condition in zip(words, like, strict=True) if len(word) < TRIGRAM]
    return [Incident.id.in_(search.found), *short]


def _tsquery_word(word: str) -> str:
    """A prefix query for one word, its characters quoted so none is an operator."""
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "':*"


LISTED = (
    raiseload(Incident.events),
    *(
        defer(column, raiseload=True)
        for column in (
            Incident.account,
            Incident.people,
            Incident.property,
            Incident.search_text,
            Incident.idempotency_key,
        )
    ),
)
"""What a list reads of each report: its summary (`mapping.incident_summary`), not its
timeline, account, people or property; reading those of a listed report is an error."""


def _filter_conditions(filters: ListFilter, now: datetime) -> list[Any]:
    """The list's conditions other than free text."""
    conditions: list[Any] = []
    if filters.reported_from is not None:
        conditions.append(Incident.reported_at >= filters.reported_from)
    if filters.reported_to is not None:
        conditions.append(Incident.reported_at < filters.reported_to)
    if filters.statuses:
        conditions.append(Incident.status.in_(filters.statuses))
    if filters.stations is not None and len(filters.stations) == 1:
        conditions.append(Incident.station_code == next(iter(filters.stations)))
    elif filters.stations is not None:
        conditions.append(Incident.station_code.in_(sorted(filters.stations)))
    if filters.offence:
        conditions.append(Incident.offence_code == filters.offence)
    if filters.flag:
        conditions.append(getattr(Incident, filters.flag).is_(True))
    if filters.decision_overdue:  # NCRS: decision expected within 24 hours
        conditions.append(Incident.status == IncidentStatus.REPORTED.value)
        conditions.append(Incident.reported_at < now - RECORDING_DECISION_DUE)
    return conditions


def list_query(filters: ListFilter, now: datetime, search: TextSearch | None = None) -> Select[Any]:
    """The list's query; `search` says how free text is looked up on this database (the
    LIKE conditions alone, the unindexed way, when not given)."""
    query = select(Incident).options(*LISTED)
    conditions = _filter_conditions(filters, now)
    words = filters.text.split()
    if len(words) == 1 and REFERENCE_SHAPE.fullmatch(words[0].upper()):
        # A whole crime reference number: the unique index answers, not a scan.
        conditions.append(Incident.reference == words[0].upper())
    else:
        conditions.extend(_text_conditions(filters.text.casefold().split(), search))
    if conditions:
        query = query.where(and_(*conditions))
    descending = filters.sort.startswith("-")
    columns = SORTS[filters.sort.lstrip("-")]
    order = [column.desc() if descending else column.asc() for column in columns]
    return query.order_by(*order).offset(filters.offset).limit(filters.limit + 1)


def _newest_matches(
    session: Session, filters: ListFilter, now: datetime, window: int
) -> tuple[tuple[list[Incident], bool] | None, int]:
    """(the page, when the newest `window` reports hold it or are every report, else None;
    how many of them match, where that is known: 0 when not)."""
    bound = session.scalar(
        select(Incident.reported_at)
        .order_by(Incident.reported_at.desc())
        .offset(window - 1)
        .limit(1)
    )  # when the window's oldest report was made, read from the index alone
    query = list_query(filters, now, TextSearch("trigram", common=True))
    if bound is not None:
        query = query.where(Incident.reported_at >= bound)
    rows = list(session.scalars(query))
    if len(rows) > filters.limit or bound is None:  # a full page, or every report read
        return (rows[: filters.limit], len(rows) > filters.limit), len(rows)
    return None, filters.offset + len(rows) if rows else 0


FTS5 = table("incident_search", column("rowid"), column("incident_search"))
"""SQLite's FTS5 trigram index of `incident.search_text` (migration incidents_0003)."""

CHECKED_SPAN = 300_000
"""SQLite: the most reports newer than a page's oldest match that are read from the time
index to prove the page by id is the page by time (about 5 ms per 100,000 here)."""


def _newest_by_id(
    session: Session, filters: ListFilter, now: datetime, words: Sequence[str]
) -> tuple[list[Incident], bool] | None:
    """SQLite, newest first: the page from the index's matches read from the highest id
    down, when that is provably the page by time; None when it is not (then the caller
    collects every match). The server numbers reports as they are made, so a higher id is
    a later report; that is checked, not assumed: the matches read stand for the newest
    when no report with a lower id than all of them was made after the earliest of them."""
    wanted = filters.offset + filters.limit + 1
    short = [
        Incident.search_text.like(_like(word), escape="\\") for word in words if len(word) < TRIGRAM
    ]
    query = (
        select(Incident)
        .options(*LISTED)
        .join(FTS5, FTS5.c.rowid == Incident.id)
        .where(
            FTS5.c.incident_search.op("MATCH")(_fts5_query(_indexed(words))),
            *_filter_conditions(filters, now),
            *short,
        )
        .order_by(FTS5.c.rowid.desc())  # FTS5 reads its matches from the highest id down
        .limit(wanted)
    )
    rows = sorted(session.scalars(query), key=lambda row: (row.reported_at, row.id), reverse=True)
    page = rows[filters.offset : filters.offset + filters.limit]
    if len(rows) < wanted:
        return page, False  # every match
    lowest = min(row.id for row in rows)
    highest = session.scalar(select(func.max(Incident.id)))
    if highest is None or highest - lowest > CHECKED_SPAN:
        return None  # matches too far apart for the check to be cheaper than collecting
    earliest = rows[-1].reported_at  # the earliest time among the matches read
    out_of_order = session.scalar(
        select(Incident.id).where(Incident.reported_at > earliest, Incident.id < lowest).limit(1)
    )  # the time index alone, over the reports made since
    if out_of_order is not None:
        return None
    return page, True


@dataclass(frozen=True)
class Estimate:
    """PostgreSQL: the planner's count of reports (`reltuples`; 0 or less before the first
    ANALYZE) and the share of them it expects the words in (taken as independent)."""

    reports: float
    share: float


def _estimate(session: Session, words: Sequence[str]) -> Estimate:
    """The planner's estimate for the words of three letters or more (EXPLAIN of each
    alone, about a millisecond each)."""
    total = float(
        session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'incident'::regclass")) or 0
    )
    share = 1.0
    if total <= 0:
        return Estimate(total, share)
    # Each word's estimate is asked alone: a plan's top line is its whole estimate, parallel
    # or not (a UNION ALL of them could come back as a parallel append of per-worker rows).
    for word in _indexed(words):
        plan = session.execute(
            text("EXPLAIN (FORMAT JSON) SELECT 1 FROM incident WHERE search_text LIKE :word"),
            {"word": _like(word)},
        ).scalar_one()
        share *= min(1.0, plan[0]["Plan"]["Plan Rows"] / total)
    return Estimate(total, share)


def _first_window(estimate: Estimate, words: Sequence[str], wanted: int) -> int | None:
    """PostgreSQL, newest first: how many of the newest reports to read first for the
    words, or None to go straight to the index. RECENT where the planner's estimate says
    they hold at least half the page's matches (a surname, a common word: they are the
    answer). Where it expects fewer, as many as it says should hold the page, half as many
    again, when that is at most MOST_RECENT (a surname and a common postcode district, 1
    report in 200); else the index (a surname and a postcode district, about 1 report in
    1,700; part of a reference number; a word in no report), where reading the newest
    first would only delay it."""
    if not _indexed(words) or estimate.reports <= RECENT:
        return RECENT
    if estimate.share * RECENT >= wanted / 2:
        return RECENT
    if estimate.share <= 0:
        return None
    window = math.ceil(wanted / estimate.share * 1.5)
    return window if window <= MOST_RECENT else None


def _newest_of_common(
    session: Session, filters: ListFilter, now: datetime, estimate: Estimate
) -> tuple[list[Incident], bool] | None:
    """PostgreSQL, newest first, for words the index found in COMMON reports or more: the
    page from the newest reports, in windows (None when two do not hold it). At least
    COMMON of all the reports match, and the planner expects its share of them, so a page
    is expected among the newest `wanted / share`, the larger share taken; half as many
    again is read. Left to the planner, such a list could be planned as a read of the
    whole table and a sort (a surname and a postcode district it put in 1 report in 214,
    found in 1 in 157: 440 ms at a million reports)."""
    if estimate.reports <= 0:
        return None
    wanted = filters.offset + filters.limit + 1
    share = max(estimate.share, COMMON / estimate.reports)
    window = math.ceil(wanted / share * 1.5)
    for _attempt in range(2):
        page, found = _newest_matches(session, filters, now, window)
        if page is not None:
            return page
        if not found:
            return None
        window = math.ceil(wanted * window / found * 1.5)  # the rate the window showed
    return None


def _whole_reference(filters: ListFilter) -> bool:
    words = filters.text.split()
    return len(words) == 1 and REFERENCE_SHAPE.fullmatch(words[0].upper()) is not None


def list_incidents(session: Session, filters: ListFilter) -> tuple[list[Incident], bool]:
    now = datetime.now(UTC)
    words = filters.text.casefold().split()
    if not words or _whole_reference(filters):
        rows = list(session.scalars(list_query(filters, now)))  # no free text to look up
        return rows[: filters.limit], len(rows) > filters.limit
    estimate = None
    if (
        session.get_bind().dialect.name == "postgresql"
        and filters.sort == "-reported_at"
        and _has_trigram_index(session)
    ):
        estimate = _estimate(session, words)
    wanted = filters.offset + filters.limit + 1
    first = _first_window(estimate, words, wanted) if estimate is not None else None
    if first is not None:
        # The newest reports first: matches among them are the newest matches of all, so
        # a page filled from them is the page (the rest of the list is older). `first` of
        # them; then, where some matched but too few, as many more as their rate says
        # should fill the page (up to MOST_RECENT); else the index.
        page, found = _newest_matches(session, filters, now, first)
        if page is not None:
            return page
        if found:
            window = math.ceil(wanted * first / found * 1.5)
            if window <= MOST_RECENT:
                page, _found = _newest_matches(session, filters, now, window)
                if page is not None:
                    return page
    if (
        session.get_bind().dialect.name == "sqlite"
        and filters.sort == "-reported_at"
        and _indexed(words)
    ):
        # FTS5 reads its matches by id, highest first: the newest, as reports are numbered
        # when they are made. A page of them stops the read early (checked: _newest_by_id).
        answer = _newest_by_id(session, filters, now, words)
        if answer is not None:
            return answer
    search = text_search(session, words, _filter_conditions(filters, now))
    if (
        search is not None
        and search.kind == "trigram"
        and not search.common
        and filters.sort == "-reported_at"
    ):
        # The reports found are in the list's order: read the page's alone.
        chosen = search.found[filters.offset : filters.offset + filters.limit + 1]
        rows = list(
            session.scalars(
                select(Incident)
                .options(*LISTED)
                .where(any_id(Incident.id, chosen))
                .order_by(Incident.reported_at.desc(), Incident.id.desc())
            )
        )
        return rows[: filters.limit], len(rows) > filters.limit
    if estimate is not None and search is not None and search.kind == "trigram" and search.common:
        answer = _newest_of_common(session, filters, now, estimate)
        if answer is not None:
            return answer
    rows = list(session.scalars(list_query(filters, now, search)))
    return rows[: filters.limit], len(rows) > filters.limit


def existing_references(session: Session, references: Sequence[str]) -> set[str]:
    """Which of these crime reference numbers name a report (the "incident" record type
    other features link to, core/links.py)."""
    query = select(Incident.reference).where(Incident.reference.in_(list(references)))
    return set(session.scalars(query))


def place_text(incident: Incident) -> str:
    return (
        incident.location_postcode
        or incident.location_description
        or incident.location_address
        or ""
    )


def is_overdue(incident: Incident, now: datetime) -> bool:
    return decision_overdue(IncidentStatus(incident.status), incident.reported_at, now)
