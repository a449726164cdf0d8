"""The case file API client: one method per endpoint of docs/api.md, "Case files".

Answers are plain JSON mappings (the shapes in docs/api.md); failures are the typed
`StationError`s of `services.errors`, with the server's sentence.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from station_app.domain.wire import etag, parse_iso_date
from station_app.services.errors import ConflictError, ServerError

if TYPE_CHECKING:
    from station_app.services.api import ApiSession

__all__ = ["CaseSummary", "CasefilesClient"]

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of My cases."""

    reference: str
    file_type: str
    status: str
    suspects: tuple[str, ...]
    hearing_date: date | None
    court_code: str
    days_left: int | None
    missing_count: int
    version: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CaseSummary:
        hearing = data.get("hearing_date")
        return cls(
            reference=str(data["reference"]),
            file_type=str(data["file_type"]),
            status=str(data["status"]),
            suspects=tuple(str(s) for s in data.get("suspects", [])),
            hearing_date=parse_iso_date(hearing) if hearing else None,
            court_code=str(data.get("court_code", "")),
            days_left=data.get("days_left"),
            missing_count=int(data.get("missing_count", 0)),
            version=int(data["version"]),
        )


VERSION_UNKNOWN = (
    "Station does not know which version of this case file you have open, so nothing was "
    "sent. Reload the case file and make your change again."
)


def _if_match(version: int | None) -> dict[str, str]:
    """Every change names the version it is based on (docs/api.md, "Headers"); a version
    the client does not know is refused here, before anything is sent, and never skipped:
    a change without one overwrote another detective's work (issue 12 #8)."""
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ConflictError(VERSION_UNKNOWN, detail=f"no version to send: {version!r}")
    return {"If-Match": etag(version)}


class CasefilesClient:
    """Changes take the version of the record they are based on, as read; a version that is
    not known (None) is refused with `ConflictError` before anything is sent."""

    def __init__(self, session: ApiSession) -> None:
        self._session = session

    def _json(self, response: Any) -> Json:
        body = self._session.json(response)
        if not isinstance(body, dict):
            raise ServerError(detail=f"case files answered {body!r}")
        return body

    @staticmethod
    def _path(reference: str, *rest: str) -> str:
        return "/".join(["/casefiles", quote(reference, safe=""), *rest])

    def list_cases(
        self, *, mine: bool = True, status: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[CaseSummary], int]:
        params: dict[str, Any] = {"mine": "true" if mine else "false", "offset": offset}
        params["limit"] = limit
        if status:
            params["status"] = status
        body = self._json(self._session.get("/casefiles", params=params))
        return [CaseSummary.from_json(c) for c in body["cases"]], int(body["total"])

    def create(self, fields: Mapping[str, Any], idempotency_key: str | None = None) -> Json:
        """Open a case file; `idempotency_key` as for `add_form`."""
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        return self._json(self._session.post("/casefiles", json=dict(fields), headers=headers))

    def case(self, reference: str) -> Json:
        return self._json(self._session.get(self._path(reference)))

    def update(self, reference: str, fields: Mapping[str, Any], version: int | None) -> Json:
        return self._json(
            self._session.put(self._path(reference), json=dict(fields), headers=_if_match(version))
        )

    def completeness(self, reference: str) -> Json:
        return self._json(self._session.get(self._path(reference, "completeness")))

    def add_form(
        self,
        reference: str,
        form: str,
        data: Mapping[str, Any],
        *,
        title: str = "",
        key: bool = False,
        items: Sequence[Mapping[str, Any]] = (),
        idempotency_key: str | None = None,
    ) -> Json:
        """Add a form. Send it again after a lost answer with the same `idempotency_key`:
        the server gives back the document it made and makes no second one."""
        body = {"form": form, "title": title, "key": key, "data": dict(data), "items": list(items)}
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        path = self._path(reference, "documents")
        return self._json(self._session.post(path, json=body, headers=headers))

    def update_form(
        self,
        reference: str,
        document_id: int,
        version: int | None,
        form: str,
        data: Mapping[str, Any],
        *,
        title: str = "",
        key: bool = False,
        items: Sequence[Mapping[str, Any]] = (),
    ) -> Json:
        body = {"form": form, "title": title, "key": key, "data": dict(data), "items": list(items)}
        path = self._path(reference, "documents", str(document_id))
        return self._json(self._session.put(path, json=body, headers=_if_match(version)))

    def attach(
        self,
        reference: str,
        kind: str,
        title: str,
        pdf: bytes,
        *,
        key: bool = False,
        idempotency_key: str | None = None,
    ) -> Json:
        """Attach a PDF; `idempotency_key` as for `add_form`."""
        body = {
            "kind": kind,
            "title": title,
            "key": key,
            "content_base64": base64.b64encode(pdf).decode("ascii"),
        }
        headers = {"Idempotency-Key": idempotency_key or uuid.uuid4().hex}
        path = self._path(reference, "attachments")
        return self._json(self._session.post(path, json=body, headers=headers))

    def attachment(self, reference: str, document_id: int) -> bytes:
        response = self._session.get(
            self._path(reference, "documents", str(document_id), "content")
        )
        content: bytes = response.content
        return content

    def add_hearing(self, reference: str, court_code: str, sitting_at: str) -> Json:
        body = {"court_code": court_code, "sitting_at": sitting_at}
        return self._json(self._session.post(self._path(reference, "hearings"), json=body))

    def record_results(
        self, reference: str, hearing_id: int, version: int, results: list[Json]
    ) -> Json:
        """The court's result on each charge (domain/court.py); If-Match the hearing's version."""
        path = self._path(reference, "hearings", str(hearing_id), "results")
        return self._json(
            self._session.put(path, json={"results": results}, headers=_if_match(version))
        )

    def _step(
        self, reference: str, action: str, version: int | None, body: Json | None = None
    ) -> Json:
        path = self._path(reference, action)
        return self._json(self._session.post(path, json=body or {}, headers=_if_match(version)))

    def submit(self, reference: str, version: int | None) -> Json:
        return self._step(reference, "submit", version)

    def return_to_officer(self, reference: str, version: int | None, comment: str) -> Json:
        return self._step(reference, "return", version, {"comment": comment})

    def approve(self, reference: str, version: int | None, override_reason: str = "") -> Json:
        return self._step(reference, "approve", version, {"override_reason": override_reason})

    def send(self, reference: str, version: int | None, bundle: bytes) -> Json:
        body = {"bundle_base64": base64.b64encode(bundle).decode("ascii")}
        return self._step(reference, "send", version, body)

    def collect_acknowledgements(self) -> list[Json]:
        body = self._json(self._session.post("/casefiles/cps/acknowledgements", json={}))
        return list(body["applied"])
