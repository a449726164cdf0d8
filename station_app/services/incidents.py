"""The client of the incidents API (docs/api.md, "Incidents"): one method per endpoint.

Answers are the server's JSON objects (dicts); failures are `StationError`s from the
session. No Qt here: views call these through the runner.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from station_app.domain.wire import etag
from station_app.services.errors import ServerError

if TYPE_CHECKING:  # requests is imported only once the session exists (start-up speed)
    from station_app.services.api import ApiSession

__all__ = ["IncidentPage", "IncidentsApi", "ListQuery"]


@dataclass(frozen=True)
class ListQuery:
    """What the incident log asks for; empty values are left out of the request."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    station: str = ""
    offence: str = ""
    flag: str = ""
    reported_from: str = ""
    """ISO 8601 with a time zone."""
    reported_to: str = ""
    decision_overdue: bool = False
    sort: str = "-reported_at"

    def params(self, offset: int, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {"sort": self.sort, "offset": offset, "limit": limit}
        for name, value in (
            ("q", self.text.strip()),
            ("station", self.station),
            ("offence", self.offence),
            ("flag", self.flag),
            ("reported_from", self.reported_from),
            ("reported_to", self.reported_to),
        ):
            if value:
                params[name] = value
        if self.statuses:
            params["status"] = list(self.statuses)
        if self.decision_overdue:
            params["decision_overdue"] = "true"
        return params


@dataclass(frozen=True)
class IncidentPage:
    items: list[dict[str, Any]]
    offset: int
    has_more: bool


def _object(session: ApiSession, response: Any) -> dict[str, Any]:
    body = session.json(response)
    if not isinstance(body, dict):
        raise ServerError(detail=f"expected an object, got {type(body).__name__}")
    return body


class IncidentsApi:
    def __init__(self, session: ApiSession) -> None:
        self.session = session

    def create(self, report: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        """POST a walk-in report; the same key again gives back the same report."""
        response = self.session.post(
            "/incidents", json=dict(report), headers={"Idempotency-Key": idempotency_key}
        )
        return _object(self.session, response)

    def get(self, reference: str) -> dict[str, Any]:
        return _object(self.session, self.session.get(f"/incidents/{reference}"))

    def list(self, query: ListQuery, offset: int = 0, limit: int = 50) -> IncidentPage:
        body = _object(
            self.session, self.session.get("/incidents", params=query.params(offset, limit))
        )
        return IncidentPage(list(body["items"]), int(body["offset"]), bool(body["has_more"]))

    def update(self, reference: str, report: Mapping[str, Any], version: int) -> dict[str, Any]:
        response = self.session.put(
            f"/incidents/{reference}", json=dict(report), headers={"If-Match": etag(version)}
        )
        return _object(self.session, response)

    def add_note(
        self, reference: str, text: str, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """Add a note; sent again with the same key (its answer lost), it is not added twice."""
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        response = self.session.post(
            f"/incidents/{reference}/notes", json={"text": text}, headers=headers
        )
        return _object(self.session, response)

    def change_status(
        self, reference: str, status: str, version: int, reason: str = ""
    ) -> dict[str, Any]:
        response = self.session.post(
            f"/incidents/{reference}/status",
            json={"status": status, "reason": reason},
            headers={"If-Match": etag(version)},
        )
        return _object(self.session, response)

    def crime_view(self, reference: str) -> dict[str, Any]:
        """The chain of records linked to the report, as the user's role may see them."""
        return _object(self.session, self.session.get(f"/links/incident/{reference}/chain"))
