"""The custody routes of the core API, one method per endpoint, with typed results.

`CustodyClient` never shows `requests` or JSON to its callers: it returns `BoardRow`s and
`CustodyRecordView`s whose times are aware UTC datetimes, and raises the typed
`StationError`s of `services.errors` (a rule refusal arrives as a `ValidationProblem` or
`ForbiddenError` carrying the server's sentence, which cites the rule).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from station_app.domain.custody_record import (
    ClockValue,
    CustodyEvent,
    CustodyState,
    Deadline,
    clock,
    fold,
)
from station_app.domain.wire import etag, parse_iso_date, parse_utc
from station_app.services.errors import ServerError

if TYPE_CHECKING:
    from station_app.services.api import ApiSession

__all__ = [
    "BailToAnswer",
    "BoardResult",
    "BoardRow",
    "BreachView",
    "CustodyClient",
    "CustodyRecordView",
    "EntryView",
    "RecordCompliance",
]


def _time(value: Any) -> datetime | None:
    if not value:
        return None
    return parse_utc(str(value))


def _required_time(value: Any) -> datetime:
    parsed = _time(value)
    if parsed is None:
        raise ServerError(detail=f"a custody time was missing: {value!r}")
    return parsed


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One detainee on the custody board."""

    record_id: int
    custody_number: str
    cell: str
    surname: str
    forenames: str
    date_of_birth: date | None
    vulnerable: bool
    offences: tuple[str, ...]
    arrived_at: datetime | None
    relevant_time: datetime | None
    detention_limit: datetime | None
    next_review_due: datetime | None
    next_visit_due: datetime | None
    observation_level: int
    risk_level: str
    interpreter: str
    appropriate_adult: str
    charged: bool
    not_rousable: bool
    version: int
    not_rousable_at: datetime | None = None
    emergency_action: str = ""
    appears_under_18: bool = False
    answering_bail_from: str = ""
    detained_before: timedelta = timedelta(0)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BoardRow:
        born = data.get("date_of_birth")
        try:
            return cls(
                record_id=int(data["record_id"]),
                custody_number=str(data["custody_number"]),
                cell=str(data.get("cell") or ""),
                surname=str(data.get("surname") or ""),
                forenames=str(data.get("forenames") or ""),
                date_of_birth=parse_iso_date(born) if born else None,
                vulnerable=bool(data.get("vulnerable")),
                offences=tuple(str(o) for o in data.get("offences") or ()),
                arrived_at=_time(data.get("arrived_at")),
                relevant_time=_time(data.get("relevant_time")),
                detention_limit=_time(data.get("detention_limit")),
                next_review_due=_time(data.get("next_review_due")),
                next_visit_due=_time(data.get("next_visit_due")),
                observation_level=int(data.get("observation_level") or 1),
                risk_level=str(data.get("risk_level") or ""),
                interpreter=str(data.get("interpreter") or ""),
                appropriate_adult=str(data.get("appropriate_adult") or ""),
                charged=bool(data.get("charged")),
                not_rousable=bool(data.get("not_rousable_at")),
                version=int(data.get("version") or 1),
                not_rousable_at=_time(data.get("not_rousable_at")),
                emergency_action=str(data.get("emergency_action") or ""),
                appears_under_18=bool(data.get("appears_under_18")),
                answering_bail_from=str(data.get("answering_bail_from") or ""),
                detained_before=timedelta(seconds=int(data.get("detained_before_seconds") or 0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"unexpected board row: {error!r}") from error

    @property
    def name(self) -> str:
        return f"{self.surname.upper()}, {self.forenames}".strip(", ")

    def deadlines(self) -> list[Deadline]:
        """The deadlines that order the board: could not be roused (an emergency, Code C
        Annex H), limit, review and visit."""
        return [
            Deadline(key, label, due)
            for key, label, due in (
                ("roused", "Could not be roused", self.not_rousable_at),
                ("limit", "Detention limit", self.detention_limit),
                ("review", "Review due", self.next_review_due),
                ("visit", "Visit due", self.next_visit_due),
            )
            if due is not None
        ]


@dataclass(frozen=True, slots=True)
class BoardResult:
    station_code: str
    rows: tuple[BoardRow, ...]
    etag: str | None


@dataclass(frozen=True, slots=True)
class EntryView:
    """One entry of a custody record as the timeline shows it."""

    id: int
    sequence: int
    kind: str
    title: str
    summary: str
    occurred_at: datetime
    entered_at: datetime
    officer_name: str
    officer_rank: str
    officer_staff_number: str
    data: dict[str, Any]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EntryView:
        try:
            return cls(
                id=int(data["id"]),
                sequence=int(data["sequence"]),
                kind=str(data["kind"]),
                title=str(data.get("title") or data["kind"]),
                summary=str(data.get("summary") or ""),
                occurred_at=_required_time(data["occurred_at"]),
                entered_at=_required_time(data["entered_at"]),
                officer_name=str(data.get("officer_name") or ""),
                officer_rank=str(data.get("officer_rank") or ""),
                officer_staff_number=str(data.get("officer_staff_number") or ""),
                data=dict(data.get("data") or {}),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"unexpected custody entry: {error!r}") from error

    @property
    def officer(self) -> str:
        return " ".join(
            p for p in (self.officer_rank, self.officer_staff_number, self.officer_name) if p
        )

    def to_domain(self) -> CustodyEvent:
        return CustodyEvent(
            kind=self.kind,
            occurred_at=self.occurred_at,
            data=self.data,
            officer=self.officer_name,
            rank=self.officer_rank,
            entered_at=self.entered_at,
            sequence=self.sequence,
        )


@dataclass(frozen=True, slots=True)
class CustodyRecordView:
    id: int
    custody_number: str
    station_code: str
    status: str
    version: int
    board: BoardRow
    entries: tuple[EntryView, ...]
    incidents: tuple[str, ...] = ()  # crime reports the detainee was arrested for
    case_files: tuple[str, ...] = ()  # case files a charge opened or added to

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CustodyRecordView:
        try:
            return cls(
                id=int(data["id"]),
                custody_number=str(data["custody_number"]),
                station_code=str(data["station_code"]),
                status=str(data["status"]),
                version=int(data["version"]),
                board=BoardRow.from_json(data["board"]),
                entries=tuple(EntryView.from_json(e) for e in data.get("events") or ()),
                incidents=tuple(str(r) for r in data.get("incidents") or ()),
                case_files=tuple(str(r) for r in data.get("case_files") or ()),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"unexpected custody record: {error!r}") from error

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    def state(self) -> CustodyState:
        return fold(entry.to_domain() for entry in self.entries)

    def clock(self, at: datetime) -> ClockValue:
        return clock(self.state(), at)

    def booking(self) -> dict[str, Any]:
        """The booking-in entry's details (person, offences, times)."""
        for entry in self.entries:
            if entry.kind == "booked_in":
                return entry.data
        return {}


@dataclass(frozen=True, slots=True)
class BailToAnswer:
    """A record that released the person on pre-charge bail, with the time in police
    detention it used (PACE s.47(6)), as the server computed it."""

    custody_number: str
    released_at: datetime | None
    bail_date: date | None
    bail_to: str
    offences: tuple[tuple[str, str], ...]
    detained_before: timedelta

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BailToAnswer:
        born = data.get("bail_date")
        try:
            return cls(
                custody_number=str(data["custody_number"]),
                released_at=_time(data.get("released_at")),
                bail_date=parse_iso_date(str(born)) if born else None,
                bail_to=str(data.get("bail_to") or ""),
                offences=tuple(
                    (str(o.get("code", "")), str(o.get("label", "")))
                    for o in data.get("offences") or ()
                ),
                detained_before=timedelta(seconds=int(data["detained_before_seconds"])),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"a bail to answer was not readable: {error}") from error


@dataclass(frozen=True, slots=True)
class BreachView:
    what: str
    due_at: datetime
    rule: str
    sentence: str


@dataclass(frozen=True, slots=True)
class RecordCompliance:
    """One record of a suite and the breaches its replay finds."""

    record_id: int
    custody_number: str
    name: str
    status: str
    breaches: tuple[BreachView, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordCompliance:
        try:
            surname, forenames = str(data.get("surname") or ""), str(data.get("forenames") or "")
            return cls(
                record_id=int(data["record_id"]),
                custody_number=str(data["custody_number"]),
                name=f"{surname.upper()}, {forenames}".strip(", "),
                status=str(data.get("status") or ""),
                breaches=tuple(
                    BreachView(
                        what=str(b["what"]),
                        due_at=_required_time(b["due_at"]),
                        rule=str(b["rule"]),
                        sentence=str(b["sentence"]),
                    )
                    for b in data.get("breaches") or ()
                ),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ServerError(detail=f"a compliance row was not readable: {error}") from error


class CustodyClient:
    """GET /custody/board, GET/POST /custody/records..., PUT .../placement."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def board(self, station: str | None = None, etag: str | None = None) -> BoardResult | None:
        """The station's board, or None when it has not changed since `etag`."""
        headers = {"If-None-Match": etag} if etag else None
        params = {"station": station} if station else None
        response = self._session.get("/custody/board", params=params, headers=headers)
        if response.status_code == 304:
            return None
        body = self._session.json(response)
        if not isinstance(body, dict):
            raise ServerError(detail="the board was not a JSON object")
        rows = tuple(BoardRow.from_json(row) for row in body.get("rows") or ())
        return BoardResult(str(body.get("station_code", "")), rows, response.headers.get("ETag"))

    def bail_to_answer(
        self, surname: str, forenames: str, date_of_birth: date | None = None
    ) -> tuple[BailToAnswer, ...]:
        """The person's records that ended in pre-charge bail, latest first, each with the
        time already used (PACE s.47(6)); offered at booking in, never retyped."""
        params = {"surname": surname, "forenames": forenames}
        if date_of_birth is not None:
            params["date_of_birth"] = date_of_birth.isoformat()
        body = self._session.json(self._session.get("/custody/bail-to-answer", params=params))
        if not isinstance(body, dict):
            raise ServerError(detail="the bail to answer was not a JSON object")
        return tuple(BailToAnswer.from_json(bail) for bail in body.get("bails") or ())

    def compliance(self, station: str | None = None) -> tuple[RecordCompliance, ...]:
        """The suite's records (in custody, or left in the last 24 hours) with the breaches
        the replay of each finds, for supervisors."""
        params = {"station": station} if station else None
        body = self._session.json(self._session.get("/custody/compliance", params=params))
        if not isinstance(body, dict):
            raise ServerError(detail="the suite's compliance was not a JSON object")
        return tuple(RecordCompliance.from_json(row) for row in body.get("records") or ())

    def record(self, record_id: int) -> CustodyRecordView:
        return CustodyRecordView.from_json(
            self._session.json(self._session.get(f"/custody/records/{record_id}"))
        )

    def book_in(
        self, booking: Mapping[str, Any], idempotency_key: str | None = None
    ) -> CustodyRecordView:
        """Open a custody record; the same key again returns the same record."""
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        response = self._session.post("/custody/records", json=dict(booking), headers=headers)
        return CustodyRecordView.from_json(self._session.json(response))

    def add_entry(
        self,
        record_id: int,
        kind: str,
        occurred_at: datetime,
        data: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> EntryView:
        if occurred_at.tzinfo is None:
            raise ValueError("Entry times must be timezone-aware.")
        body = {
            "kind": kind,
            "occurred_at": occurred_at.astimezone(UTC).isoformat(),
            "data": dict(data or {}),
        }
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        response = self._session.post(
            f"/custody/records/{record_id}/events", json=body, headers=headers
        )
        return EntryView.from_json(self._session.json(response))

    def change_placement(
        self,
        record_id: int,
        version: int,
        *,
        cell: str | None = None,
        observation_level: int | None = None,
        reason: str = "",
    ) -> CustodyRecordView:
        body: dict[str, Any] = {"reason": reason}
        if cell is not None:
            body["cell"] = cell
        if observation_level is not None:
            body["observation_level"] = observation_level
        response = self._session.put(
            f"/custody/records/{record_id}/placement",
            json=body,
            headers={"If-Match": etag(version)},
        )
        return CustodyRecordView.from_json(self._session.json(response))
