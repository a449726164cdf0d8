"""The OpenAPI document says what the server does (issue 12, #16), completed once here from
what each route declares, so no route can forget a line of it:

- every error is `application/problem+json` (RFC 9457) with one schema;
- 400 wherever a body is read (a body that is not JSON in UTF-8, core/edge.py);
- 401 and 403 on guarded routes, 404 where a path names a record, 422 wherever anything
  is read from the request;
- 200 beside 201 where an `Idempotency-Key` is taken (the same key again: the first result);
- `If-Match` required wherever the route answers 428 without it.

Also the interactive docs page: off unless the server is started with `--api-docs` (#14).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import HTMLResponse

from station_app.domain.wire import API_PREFIX
from station_app.server.core.deps import declared_headers, route_guard, walk_api_routes
from station_app.server.core.problems import STATUS_TITLES, problem_responses

IDEMPOTENCY_HEADER = "idempotency-key"
IF_MATCH_HEADER = "if-match"
RESENT = "The same Idempotency-Key again: the first result, and nothing new is made."
_FASTAPI_422_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _add_problem(responses: dict[str, Any], status: int) -> None:
    documented = problem_responses(status)[status]
    responses.setdefault(str(status), documented)


def _complete_operation(operation: dict[str, Any], path: str, route: APIRoute) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    headers = declared_headers(route)
    if route.body_field is not None:
        _add_problem(responses, 400)
    if route_guard(route) is not None:
        _add_problem(responses, 401)
        _add_problem(responses, 403)
    if "{" in path:
        _add_problem(responses, 404)
    if operation.get("parameters") or route.body_field is not None:
        _add_problem(responses, 422)
    if IDEMPOTENCY_HEADER in headers and "201" in responses:
        responses.setdefault("200", {**responses["201"], "description": RESENT})
    if "428" in responses:
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "header" and parameter["name"].lower() == IF_MATCH_HEADER:
                parameter["required"] = True
    for status, response in responses.items():
        if status[:1] in ("4", "5"):
            response["content"] = problem_responses(int(status))[int(status)]["content"]
            response.setdefault("description", STATUS_TITLES.get(int(status), "Error"))


def complete_openapi(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (FastAPI's document of `app`) with the lines above added to each operation."""
    for path, route in walk_api_routes(app):
        if not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = schema["paths"].get(path, {}).get(method.lower())
            if operation is not None:
                _complete_operation(operation, path, route)
    components = schema.get("components", {}).get("schemas", {})
    for name in _FASTAPI_422_SCHEMAS:  # FastAPI's own 422 shape: this server never sends it
        components.pop(name, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at the app's openapi_url (built once, on first ask)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete_openapi(app, build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# --- the interactive docs page (#14) -----------------------------------------------------------

DOCS_PATH = f"{API_PREFIX}/docs"
# Swagger UI is not shipped with Station: with --api-docs the page loads it from this CDN,
# which a police network cannot (and should not) reach. For a developer's machine only.
SWAGGER_ASSETS = "https://cdn.jsdelivr.net"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _docs_page(openapi_url: str) -> tuple[bytes, str]:
    """The page and its Content-Security-Policy: scripts only from the CDN and the page's own
    inline script (by its hash), data only from this server, no framing."""
    html = get_swagger_ui_html(openapi_url=openapi_url, title="Station core API").body
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(bytes(html).decode())
    )
    policy = (
        f"default-src 'none'; script-src {SWAGGER_ASSETS} {hashes}; style-src {SWAGGER_ASSETS}; "
        f"img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return bytes(html), policy


def install_docs_page(app: FastAPI) -> None:
    """The Swagger UI page at /api/v1/docs (public, outside the OpenAPI document)."""
    assert app.openapi_url is not None
    page, policy = _docs_page(app.openapi_url)

    async def docs(_request: Request) -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": policy})

    app.add_route(DOCS_PATH, docs, methods=["GET"], include_in_schema=False)
