"""The people routes of the core API (shared/docs/people.md; docs/api.md, "People"), one
method per endpoint, with typed results: the person search, one person with the timeline
of their roles, suggested merges, merge and unmerge.

Failures are the typed `StationError`s of `services.errors`, with the server's sentence
(an unknown person is a `NotFoundError`, a refused merge a `ValidationProblem` or
`ConflictError`). The server audits every search and every read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from station_app.domain.people import MARKER_TITLES, WarningMarker
from station_app.domain.wire import parse_iso_date, parse_utc
from station_app.services.errors import ServerError

if TYPE_CHECKING:
    from station_app.services.api import ApiSession

__all__ = [
    "PeopleClient",
    "PersonAddress",
    "PersonCandidate",
    "PersonQuery",
    "PersonRecord",
    "PersonRole",
    "PersonSummary",
    "SuggestedMerge",
    "marker_title",
]


def _born(value: Any) -> date | None:
    return parse_iso_date(str(value)) if value else None


def marker_title(code: str) -> str:
    """A warning marker's words ("self_harm" -> "Self-harm"); an unknown code as it came."""
    try:
        return MARKER_TITLES[WarningMarker(code)]
    except ValueError:
        return code.replace("_", " ").capitalize()


def _unreadable(what: str, error: Exception) -> ServerError:
    return ServerError(detail=f"{what} was not readable: {error}")


@dataclass(frozen=True, slots=True)
class PersonQuery:
    """What the officer has typed so far; empty fields are not sent."""

    surname: str = ""
    forenames: str = ""
    date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""

    @property
    def named(self) -> bool:
        """The search needs a surname or forenames (a date of birth alone fits too many)."""
        return bool(self.surname.strip() or self.forenames.strip())

    def body(self, limit: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            name: value.strip()
            for name, value in (
                ("surname", self.surname),
                ("forenames", self.forenames),
                ("address", self.address),
                ("postcode", self.postcode),
            )
            if value.strip()
        }
        if self.date_of_birth is not None:
            body["date_of_birth"] = self.date_of_birth.isoformat()
        body["limit"] = limit
        return body


@dataclass(frozen=True, slots=True)
class PersonCandidate:
    """One person a search offers, with the server's reasons."""

    person_id: str
    score: float
    surname: str
    forenames: str
    date_of_birth: date | None
    addresses: tuple[str, ...]
    refs: tuple[str, ...]
    reasons: tuple[str, ...]
    warning_markers: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PersonCandidate:
        try:
            return cls(
                person_id=str(data["person_id"]),
                score=float(data["score"]),
                surname=str(data["surname"]),
                forenames=str(data["forenames"]),
                date_of_birth=_born(data.get("date_of_birth")),
                addresses=tuple(str(a) for a in data.get("addresses") or ()),
                refs=tuple(str(r) for r in data.get("refs") or ()),
                reasons=tuple(str(r) for r in data.get("reasons") or ()),
                warning_markers=tuple(str(m) for m in data.get("warning_markers") or ()),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _unreadable("a person found", error) from error


@dataclass(frozen=True, slots=True)
class PersonAddress:
    address: str
    postcode: str
    date_from: date | None
    date_to: date | None
    current: bool


@dataclass(frozen=True, slots=True)
class PersonRole:
    """One line of a person's timeline: the role they play in a record."""

    record_type: str
    record_title: str
    reference: str
    role: str
    role_title: str
    found: bool | None
    linked_at: datetime
    person_id: str


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """GET /people/{id}: a person, their warning markers, addresses and timeline."""

    person_id: str
    surname: str
    forenames: str
    aliases: tuple[tuple[str, str], ...]
    date_of_birth: date | None
    gender: str
    description: str
    pnc_id: str
    cro: str
    warning_markers: tuple[tuple[str, str], ...]
    """(code, title), as the server words them."""
    addresses: tuple[PersonAddress, ...]
    refs: tuple[str, ...]
    roles: tuple[PersonRole, ...]
    """The lines of the records the user's roles read: the server leaves out the others."""
    merged_into: str | None
    merged_people: tuple[str, ...]
    version: int
    roles_not_shown: int = 0
    """How many more lines are in records the user's roles do not read (the server's count)."""

    @property
    def current_address(self) -> PersonAddress | None:
        """Where they live now (the server lists it first), else the latest known."""
        for address in self.addresses:
            if address.current:
                return address
        return self.addresses[0] if self.addresses else None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PersonRecord:
        try:
            return cls(
                person_id=str(data["person_id"]),
                surname=str(data["surname"]),
                forenames=str(data["forenames"]),
                aliases=tuple(
                    (str(a["surname"]), str(a["forenames"])) for a in data.get("aliases") or ()
                ),
                date_of_birth=_born(data.get("date_of_birth")),
                gender=str(data.get("gender") or ""),
                description=str(data.get("description") or ""),
                pnc_id=str(data.get("pnc_id") or ""),
                cro=str(data.get("cro") or ""),
                warning_markers=tuple(
                    (str(m["code"]), str(m.get("title") or marker_title(str(m["code"]))))
                    for m in data.get("warning_markers") or ()
                ),
                addresses=tuple(
                    PersonAddress(
                        address=str(a.get("address") or ""),
                        postcode=str(a.get("postcode") or ""),
                        date_from=_born(a.get("date_from")),
                        date_to=_born(a.get("date_to")),
                        current=bool(a.get("current")),
                    )
                    for a in data.get("addresses") or ()
                ),
                refs=tuple(str(r) for r in data.get("refs") or ()),
                roles=tuple(
                    PersonRole(
                        record_type=str(r["record_type"]),
                        record_title=str(r.get("record_title") or r["record_type"]),
                        reference=str(r["reference"]),
                        role=str(r["role"]),
                        role_title=str(r.get("role_title") or r["role"]),
                        found=r.get("found"),
                        linked_at=parse_utc(str(r["linked_at"])),
                        person_id=str(r.get("person_id") or data["person_id"]),
                    )
                    for r in data.get("roles") or ()
                ),
                merged_into=str(data["merged_into"]) if data.get("merged_into") else None,
                merged_people=tuple(str(p["person_id"]) for p in data.get("merged_people") or ()),
                version=int(data.get("version") or 1),
                roles_not_shown=int(data.get("roles_not_shown") or 0),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise _unreadable("the person", error) from error


@dataclass(frozen=True, slots=True)
class PersonSummary:
    person_id: str
    surname: str
    forenames: str
    date_of_birth: date | None
    addresses: tuple[str, ...]
    refs: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PersonSummary:
        return cls(
            person_id=str(data["person_id"]),
            surname=str(data["surname"]),
            forenames=str(data["forenames"]),
            date_of_birth=_born(data.get("date_of_birth")),
            addresses=tuple(str(a) for a in data.get("addresses") or ()),
            refs=tuple(str(r) for r in data.get("refs") or ()),
        )


@dataclass(frozen=True, slots=True)
class SuggestedMerge:
    """Two people probably entered twice, with the server's score and reasons."""

    first: PersonSummary
    second: PersonSummary
    score: float
    reasons: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SuggestedMerge:
        try:
            first, second = (PersonSummary.from_json(p) for p in data["people"])
            return cls(first, second, float(data["score"]), tuple(str(r) for r in data["reasons"]))
        except (KeyError, TypeError, ValueError) as error:
            raise _unreadable("a suggested merge", error) from error


class PeopleClient:
    """POST /people/search, GET /people/{id}, GET /people/duplicates, POST .../merge and
    .../unmerge."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def _json(self, response: Any) -> dict[str, Any]:
        body = self._session.json(response)
        if not isinstance(body, dict):
            raise ServerError(detail=f"people answered {body!r}")
        return body

    def search(self, query: PersonQuery, limit: int = 5) -> tuple[PersonCandidate, ...]:
        """The people most like `query`, best first, at most `limit`."""
        body = self._json(self._session.post("/people/search", json=query.body(limit)))
        return tuple(PersonCandidate.from_json(c) for c in body.get("candidates") or ())

    def person(self, person_id: str) -> PersonRecord:
        return PersonRecord.from_json(self._json(self._session.get(f"/people/{person_id}")))

    def duplicates(
        self, offset: int = 0, limit: int = 50
    ) -> tuple[tuple[SuggestedMerge, ...], bool]:
        """(suggested merges, most likely first; whether there are more)."""
        body = self._json(
            self._session.get("/people/duplicates", params={"offset": offset, "limit": limit})
        )
        found = tuple(SuggestedMerge.from_json(s) for s in body.get("suggestions") or ())
        return found, bool(body.get("has_more"))

    def merge(self, keep_id: str, other_id: str, reason: str) -> PersonRecord:
        """Merge `other_id` into `keep_id` (a supervisor's decision); the person kept."""
        body = {"other_person_id": other_id, "reason": reason}
        return PersonRecord.from_json(
            self._json(self._session.post(f"/people/{keep_id}/merge", json=body))
        )

    def unmerge(self, person_id: str, reason: str) -> PersonRecord:
        """Undo the merge of `person_id` into another; the person restored."""
        return PersonRecord.from_json(
            self._json(self._session.post(f"/people/{person_id}/unmerge", json={"reason": reason}))
        )
