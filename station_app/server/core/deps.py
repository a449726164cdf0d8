"""FastAPI dependencies every feature uses: settings, database session, the signed-in user,
role guards, the link registry and the headers of idempotent and versioned writes.

Every route declares either `dependencies=[require_roles(...)]` or `dependencies=[PUBLIC]`;
a test walks the routes (`walk_api_routes`) and fails on a route with neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import fastapi.routing
from fastapi import Depends, FastAPI, Header, Request
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from station_app.domain.roles import ROLE_TITLES, Role
from station_app.domain.wire import API_PREFIX
from station_app.server.core.config import ServerSettings
from station_app.server.core.identity import CurrentUser, signed_in_user
from station_app.server.core.links import LinkRegistry
from station_app.server.core.problems import ProblemError

SIGNED_OUT = "You are signed out. Sign in again to carry on."

# For names and filters: no control characters (PostgreSQL refuses NUL in text, too).
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]+$"


async def get_settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_session(
    factory: Annotated[sessionmaker[Session], Depends(get_session_factory)],
) -> Iterator[Session]:
    with factory() as session:
        yield session


async def get_links(request: Request) -> LinkRegistry:
    """The record types this app's features declare (core/links.py)."""
    links: LinkRegistry = request.app.state.links
    return links


Links = Annotated[LinkRegistry, Depends(get_links)]


async def get_workstation(
    x_station_workstation: Annotated[
        str | None,
        Header(
            max_length=100,
            # Printable ASCII only: header bytes carry no character set, so anything else
            # would go into audit rows garbled (issue 12, #10; core/edge.py says why in words).
            pattern=r"^[\x20-\x7e]*$",
            description="The workstation's name, recorded in audit rows: letters, digits, "
            "space and punctuation.",
        ),
    ] = None,
) -> str | None:
    return x_station_workstation or None


IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="A random key per new record; the same key again gives back the same "
        "record and creates nothing (a client resending after a lost answer).",
    ),
]
"""The `Idempotency-Key` header of creating writes (architecture page, server patterns)."""

IfMatch = Annotated[
    str | None,
    Header(max_length=40, description="The version of the record the change is based on."),
]
"""The `If-Match` header of updates to mutable records; a stale version gets 409."""

_bearer = HTTPBearer(auto_error=False, description=f"The token from POST {API_PREFIX}/auth/login.")


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    session: Annotated[Session, Depends(get_session)],
    workstation: Annotated[str | None, Depends(get_workstation)],
    settings: Annotated[ServerSettings, Depends(get_settings)],
) -> CurrentUser:
    headers = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise ProblemError(401, SIGNED_OUT, headers=headers)
    user = signed_in_user(session, credentials.credentials, settings.clock.now(), workstation)
    if user is None:
        raise ProblemError(
            401, "Your session has ended. Sign in again to carry on.", headers=headers
        )
    return user


_ROLE_NAMES = frozenset(role.value for role in Role)


class RoleGuard:
    """A dependency that lets a request through only for users holding one of `roles`."""

    def __init__(self, roles: Iterable[Role], action: str) -> None:
        self.roles: frozenset[Role] = frozenset(roles)
        self.action = action

    async def __call__(self, user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
        if user.roles & {role.value for role in self.roles}:
            return user
        held = [ROLE_TITLES[Role(name)] for name in sorted(user.roles) if name in _ROLE_NAMES]
        who = f"The {' and '.join(held)} role" if held else "An account with no role"
        allowed = ", ".join(ROLE_TITLES[role] for role in sorted(self.roles))
        raise ProblemError(
            403,
            f"{who} cannot {self.action}. Only these roles can: {allowed}. "
            "Ask your supervisor if you need it.",
        )

    def __repr__(self) -> str:
        return f"RoleGuard({sorted(self.roles)})"


def require_roles(*roles: Role, action: str) -> Any:
    """`dependencies=[require_roles(Role.ADMIN, action="read the audit trail")]`.

    `action` finishes the 403 sentence: "The Detective role cannot read the audit trail."
    """
    if not roles:
        raise ValueError("A guarded route allows at least one role.")
    return Depends(RoleGuard(roles, action))


async def _public_route() -> None:
    """Marks a route that needs no sign-in (health, login, OpenAPI)."""


PUBLIC: Any = Depends(_public_route)


_CONVERTOR = re.compile(r"\{(\w+):\w+\}")


def walk_api_routes(
    app: FastAPI, *, with_convertors: bool = False
) -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) for every API route of `app`. The path is as documented
    (`/people/{person_id}`), or as routed (`/people/{person_id:person_id}`) `with_convertors`.

    FastAPI 0.16x includes routers lazily (`app.routes` holds the included routers, and
    `fastapi.routing.iter_route_contexts` resolves them); older versions copy each route
    into `app.routes`. Both are walked the same way here.
    """
    resolve = getattr(fastapi.routing, "iter_route_contexts", None)
    if resolve is None:
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield _template(route.path, with_convertors), route
        return
    for context in resolve(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            yield _template(str(context.path), with_convertors), route


def _template(path: str, with_convertors: bool) -> str:
    return path if with_convertors else _CONVERTOR.sub(r"{\1}", path)


def route_guard(route: APIRoute) -> RoleGuard | None:
    for dependency in route.dependencies:
        if isinstance(dependency.dependency, RoleGuard):
            return dependency.dependency
    return None


def declared_headers(route: APIRoute) -> frozenset[str]:
    """The request headers a route reads, its dependencies' included, lower case as sent
    (`x-station-workstation`). Cached on the route: it never changes once built."""
    cached: frozenset[str] | None = getattr(route, "_station_headers", None)
    if cached is not None:
        return cached
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        names.update(str(f.alias).lower().replace("_", "-") for f in dependant.header_params)
        pending.extend(dependant.dependencies)
    found = frozenset(names)
    route._station_headers = found  # type: ignore[attr-defined]
    return found


def is_public(route: APIRoute) -> bool:
    return any(dep.dependency is _public_route for dep in route.dependencies)
