"""The server's edge: what every request must be before any route sees it, and what every
answer carries (issue 12, #4 #5 #10 and the security headers).

`check_request` is an app-wide dependency, so it runs first on every route: a body that is
not JSON in UTF-8 is a 400; text Station cannot store anywhere in the body, a path, a query
or a header the route reads is a 422 naming each field. Nothing has been read from or
written to the database by then, so a refused request changes nothing.

`SecurityHeaders` adds the headers every answer carries (`SECURITY_HEADERS`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station_app.server.core.deps import declared_headers, walk_api_routes
from station_app.server.core.fields import storable_free_text, storable_one_line
from station_app.server.core.headers import SECURITY_HEADERS
from station_app.server.core.problems import (
    BODY_NOT_READABLE,
    CANNOT_STORE,
    STATUS_DETAILS,
    ProblemError,
    field_problem,
    problem_response,
    subject_of,
)

CLEANS_ITS_OWN_TEXT = {"x-station-cleans-its-own-text": True}
"""`openapi_extra` of a route that takes any text in its body and cleans it itself (the person
search: shared/docs/people.md, no search is refused for its form). The edge still refuses a
body that is not JSON; the route must drop what cannot be stored before it stores anything."""

WORKSTATION_HEADER = "x-station-workstation"
WORKSTATION_RULE = (
    "The workstation name can only have letters, digits, spaces and punctuation (A to Z, "
    "0 to 9). Ask the service desk to check this workstation's name."
)


def printable_ascii(text: str) -> bool:
    """Letters, digits, space and punctuation (0x20-0x7E). Header bytes carry no charset,
    so the server cannot tell UTF-8 from Latin-1; host names are ASCII (issue 12, #10)."""
    return all(" " <= character <= "~" for character in text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python reads them, JSON has none


def _read_json(raw: bytes) -> Any:
    """The body as JSON read strictly: UTF-8 (RFC 8259 8.1), no NaN or Infinity."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ProblemError(400, BODY_NOT_READABLE) from None


def _texts(
    value: Any, place: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(place, text) of every string in a JSON value, keys included (a key's place is its
    object's). Iterative: a deeply nested body cannot exhaust the stack."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [(place, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                yield where, key
                stack.append(((*where, key), child))
        elif isinstance(item, list):
            stack.extend(
                ((*where, index), child) for index, child in reversed(list(enumerate(item)))
            )


def _field(place: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in place) if place else "body"


def _route(request: Request) -> APIRoute | None:
    route = request.scope.get("route")
    return route if isinstance(route, APIRoute) else None


def _declared_headers(route: APIRoute | None) -> list[str]:
    return [] if route is None else sorted(declared_headers(route))


def _refuse(problems: Mapping[str, str]) -> None:
    if problems:
        raise field_problem(problems)


async def check_request(request: Request) -> None:
    """Refuse, before any route runs, what Station could not store or answer (see module)."""
    problems: dict[str, str] = {}
    route = _route(request)

    def cannot_store(field: str, place: tuple[str | int, ...]) -> None:
        problems.setdefault(field, f"{subject_of(place)} {CANNOT_STORE}")

    for name, value in request.path_params.items():
        if isinstance(value, str) and not storable_one_line(value):
            cannot_store(f"path.{name}", ("path", name))
    for name, value in request.query_params.multi_items():
        if not storable_one_line(value):
            cannot_store(f"query.{name}", ("query", name))
    for name in _declared_headers(route):
        value = request.headers.get(name)
        if value is None:
            continue
        if name == WORKSTATION_HEADER:
            if not printable_ascii(value):
                problems.setdefault(f"header.{name}", WORKSTATION_RULE)
        elif not storable_one_line(value):
            cannot_store(f"header.{name}", ("header", name))
    _refuse(problems)

    if route is not None and route.body_field is not None:
        raw = await request.body()  # FastAPI has read it already: this is its copy
        if raw.strip():
            body = _read_json(raw)
            cleans_itself = (route.openapi_extra or {}).keys() >= CLEANS_ITS_OWN_TEXT.keys()
            for place, text in () if cleans_itself else _texts(body):
                if not storable_free_text(text):
                    cannot_store(_field(place), place)
    _refuse(problems)


EDGE_DEPENDENCIES = [Depends(check_request)]
"""The app-wide dependencies (core/factory.py): `check_request` runs before every route's own."""


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every answer that has not set its own (the docs page sets
    its own Content-Security-Policy)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _value in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode("latin-1") not in present:
                        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods of every route whose template matches `path`: the whole `Allow` of a
    path served by several routes (Starlette's own 405 names only the first route's)."""
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(
        app.state, "route_methods", None
    )
    if table is None:
        table = [
            (compile_path(template)[0], frozenset(route.methods or ()))
            for template, route in walk_api_routes(app, with_convertors=True)
        ]
        app.state.route_methods = table
    return sorted({m for pattern, methods in table if pattern.match(path) for m in methods})


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    # docs/api.md: a method a path does not have, OPTIONS included (Station has no browser
    # clients, so no CORS), is a 405 whose Allow lists the methods the path does have.
    assert isinstance(exc, StarletteHTTPException)
    allow = ", ".join(allowed_methods(request.app, request.scope["path"]))
    return problem_response(405, STATUS_DETAILS[405], headers={"Allow": allow})


def install_edge(app: FastAPI) -> None:
    """The security headers on every answer and the 405 with the path's whole `Allow`. (The
    request check is an app-wide dependency: `FastAPI(dependencies=EDGE_DEPENDENCIES)`.)"""
    app.add_middleware(SecurityHeaders)
    app.add_exception_handler(405, _method_not_allowed)
