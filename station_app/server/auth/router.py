"""Routes of sign-in, sign-out and "who am I" (docs/api.md, "Auth"). Sign-in is throttled
per user name (auth/store.py); the delay holds the one request, not the server."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from station_app.domain.roles import Role
from station_app.server.auth import store
from station_app.server.auth.mapping import login_out, me_out
from station_app.server.auth.schemas import LoginRequest, LoginResponse, Me
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.config import ServerSettings
from station_app.server.core.deps import (
    PUBLIC,
    current_user,
    get_session,
    get_session_factory,
    get_settings,
    get_workstation,
    require_roles,
)
from station_app.server.core.identity import CurrentUser, User, normalise_username
from station_app.server.core.problems import problem_responses

router = APIRouter(prefix="/auth", tags=["auth"])

ANY_ROLE = require_roles(*Role, action="use Station")


def _pending_delay(factory: sessionmaker[Session], settings: ServerSettings, name: str) -> float:
    with factory() as session:
        return store.pending_delay(session, settings, name)


def _attempt(
    factory: sessionmaker[Session],
    settings: ServerSettings,
    name: str,
    password: str,
    workstation: str | None,
) -> LoginResponse:
    with factory() as session:
        signed_in = store.sign_in(session, settings, name, password, workstation)
        return login_out(session, signed_in, settings)


@router.post(
    "/login",
    dependencies=[PUBLIC],
    summary="Sign in",
    responses=problem_responses(401, 422, 423),
)
async def login(
    body: LoginRequest,
    settings: Annotated[ServerSettings, Depends(get_settings)],
    factory: Annotated[sessionmaker[Session], Depends(get_session_factory)],
    workstation: Annotated[str | None, Depends(get_workstation)],
) -> LoginResponse:
    name = normalise_username(body.username)
    delay = await run_in_threadpool(_pending_delay, factory, settings, name)
    if delay:
        await asyncio.sleep(delay)  # holds this request only, not the server
    # Failures at once, on any worker, are each counted by the database (store.count_failure).
    return await run_in_threadpool(_attempt, factory, settings, name, body.password, workstation)


@router.post(
    "/logout",
    dependencies=[ANY_ROLE],
    summary="Sign out",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403),
)
def logout(
    user: Annotated[CurrentUser, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
) -> Response:
    store.revoke_token(session, user.token_id)
    record_audit(session, user, AuditAction.LOGOUT, "user", user.username, "", user.workstation)
    session.commit()
    return Response(status_code=204)


@router.get(
    "/me",
    dependencies=[ANY_ROLE],
    summary="The signed-in user",
    responses=problem_responses(401, 403),
)
def me(
    user: Annotated[CurrentUser, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    settings: Annotated[ServerSettings, Depends(get_settings)],
) -> Me:
    # Not audited: the user reads their own account, and sign-in is already audited.
    record = session.get(User, user.id)
    assert record is not None
    return me_out(session, record, settings)
