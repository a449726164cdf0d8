"""Errors as `application/problem+json` (RFC 9457), in words a member of staff can act on.

Every error leaves the server through these handlers: our own `ProblemError`s, Starlette's
HTTP errors (unknown address, wrong method), request validation (422 with one plain
message per field) and, as a last resort, any bug (500, a generic sentence, never a
traceback or an exception name).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from station_app.server.core.headers import SECURITY_HEADERS

PROBLEM_JSON = "application/problem+json"

CHECK_THE_FIELDS = "Some details need checking. Correct the fields listed and try again."
"""The detail of a 422 that names several fields (`field_problem`)."""

STATUS_TITLES: dict[int, str] = {
    400: "Request not understood",
    401: "Signed out",
    403: "Not allowed",
    404: "Not found",
    405: "Not available here",
    409: "Conflict",
    412: "Changed by someone else",
    415: "Request not understood",
    422: "Check the details",
    423: "Account locked",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Not available just now",
}

DATABASE_UNAVAILABLE = (
    "The server cannot reach its database just now, so nothing was read or saved. Try again "
    "in a moment; the server carries on by itself once the database is back."
)
"""The detail of a 503 when the database is down or restarting (docs/server.md)."""

BODY_NOT_READABLE = "The request could not be read: it is not JSON in UTF-8. Tell the service desk."
"""The detail of a 400: a body that is not JSON, not UTF-8, or holds NaN (docs/api.md)."""

STATUS_DETAILS: dict[int, str] = {
    400: BODY_NOT_READABLE,
    401: "You are signed out. Sign in again to carry on.",
    403: "Your role does not allow this.",
    404: "There is nothing at this address. Check the address, or tell the service desk "
    "if Station sent you here.",
    405: "This address does not accept that kind of request.",
    415: "The request was not sent as JSON. Tell the service desk.",
    # True whether or not the change was saved: a route can fail after its commit (while
    # writing its answer, say), and the server cannot know whether a failing COMMIT landed.
    500: "Something went wrong on the server. Check whether your change was saved before "
    "you try again; if it keeps happening, tell the service desk.",
}

CANNOT_STORE = "has characters Station cannot store. Retype them or remove them."
"""Finishes the sentence of a field holding text no database can keep (core/edge.py)."""

# How a field is named in a sentence ("Enter your user name.").
FIELD_LABELS: dict[str, str] = {
    "username": "your user name",
    "password": "your password",
    "since": "the version to start from",
    "limit": "the number of events",
    "x-station-workstation": "the workstation name",
    "x_station_workstation": "the workstation name",
    "date_of_birth": "the date of birth",
    "occurred_from": "the start of when it happened",
    "occurred_to": "the end of when it happened",
    "occurred_at": "the time it happened",
    "reported_from": "the start of the dates",
    "reported_to": "the end of the dates",
    "arrested_at": "the time of arrest",
    "arrived_at": "the time of arrival",
    "relevant_time_override": "the relevant time",
    "hearing_date": "the hearing date",
    "incident_refs": "the list of crime references",
    "custody_refs": "the list of custody numbers",
    "conditions": "the list of conditions",
    "data": "the details",
    "markers": "the warning markers",
    "document_id": "document id",
    "record_id": "record id",
}


_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json errors (and replacing
    FastAPI's own 422 schema, which this server never sends)."""
    return {
        status: {
            "description": STATUS_TITLES.get(status, "Error"),
            "content": {PROBLEM_JSON: {"schema": _PROBLEM_SCHEMA}},
        }
        for status in statuses
    }


class ProblemError(Exception):
    """An expected failure that the route turns into a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        errors: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title or STATUS_TITLES.get(status, "Request failed")
        self.detail = detail
        self.headers = dict(headers or {})
        self.errors = errors


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or STATUS_TITLES.get(status, "Request failed"),
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_name(location: Sequence[int | str]) -> str:
    """The dotted location of a field, without the `body.` prefix (docs/api.md)."""
    parts = [str(part) for part in location]
    if len(parts) > 1 and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts)


def _label(location: Sequence[int | str]) -> str:
    names = [part for part in location if isinstance(part, str)]
    last = names[-1] if names else "this field"
    if last == "body":
        return "the request"
    return FIELD_LABELS.get(last.lower(), last.replace("_", " ").replace("-", " "))


def subject_of(location: Sequence[int | str]) -> str:
    """A field's name to start a sentence with ("Notes", "The date of birth")."""
    label = _label(location)
    return label[:1].upper() + label[1:]


def plain_message(error: Mapping[str, Any]) -> str:
    """One sentence for one pydantic error, without pydantic's own wording."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    label = _label(error.get("loc", ()))
    subject = subject_of(error.get("loc", ()))
    if kind == "station_field":  # core/fields.py: a sentence finished with the field's name
        return str(context["template"]).format(subject=subject, label=label)
    if kind == "missing":
        return f"Enter {label}." if label != "the request" else "The request has no content."
    if kind == "string_too_short":
        if context.get("min_length", 1) <= 1:
            return f"Enter {label}."
        return f"{subject} must be at least {context['min_length']} characters."
    if kind == "string_too_long":
        return f"{subject} must be at most {context.get('max_length')} characters."
    if kind == "string_pattern_mismatch":
        return f"{subject} has characters that are not allowed."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{subject} must be a whole number."
    if kind == "greater_than_equal":
        return f"{subject} must be {context.get('ge')} or more."
    if kind == "less_than_equal":
        return f"{subject} must be {context.get('le')} or less."
    if kind in ("string_type", "string_unicode"):
        return f"{subject} must be text."
    if kind in ("bool_parsing", "bool_type"):
        return f"{subject} must be true or false."
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return f"{subject} must be a JSON object with the fields asked for."
    if kind == "extra_forbidden":
        return f"{subject} is not expected here."
    return f"{subject} is not valid."


def field_problem(errors: Mapping[str, str]) -> ProblemError:
    """The 422 for fields that need correcting, `{field: message}` in the order to show them
    (docs/api.md, "Errors"): one field's message is the detail itself; several get one
    sentence pointing at the list."""
    listed = [{"field": name, "message": message} for name, message in errors.items()]
    detail = listed[0]["message"] if len(listed) == 1 else CHECK_THE_FIELDS
    return ProblemError(422, detail, errors=listed)


def _response(problem: ProblemError) -> JSONResponse:
    return problem_response(
        problem.status,
        problem.detail,
        title=problem.title,
        headers=problem.headers,
        errors=problem.errors,
    )


async def _problem_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    return _response(exc)


async def _http_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = STATUS_DETAILS.get(exc.status_code, STATUS_DETAILS[400])
    return problem_response(exc.status_code, detail, headers=exc.headers)


async def _validation_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        return problem_response(400, BODY_NOT_READABLE)  # docs/api.md: undecodable body
    errors: dict[str, str] = {}
    for error in exc.errors():
        # One entry per field, its first message (docs/api.md).
        errors.setdefault(field_name(error.get("loc", ())), plain_message(error))
    return _response(field_problem(errors))


async def _server_error_handler(_request: Request, _exc: Exception) -> JSONResponse:
    # The traceback goes to the server log (Starlette re-raises after this); the
    # member of staff gets a sentence.
    return problem_response(500, STATUS_DETAILS[500], headers=SECURITY_HEADERS)


async def _database_down_handler(_request: Request, _exc: Exception) -> JSONResponse:
    # The transaction is rolled back with the lost connection: nothing was half-written.
    return problem_response(503, DATABASE_UNAVAILABLE, headers={"Retry-After": "5"})


def install_problem_handlers(app: FastAPI) -> None:
    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    for error in (OperationalError, InterfaceError, PoolTimeoutError):
        app.add_exception_handler(error, _database_down_handler)
    app.add_exception_handler(ProblemError, _problem_handler)
    app.add_exception_handler(StarletteHTTPException, _http_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(Exception, _server_error_handler)
