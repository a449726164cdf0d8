"""Sign-in, sign-out and "who am I", with throttling per user name.

After `login_slow_after` consecutive failures for a name each attempt waits a little
longer (doubling, capped); at `login_lock_after` the name is locked for
`login_lock_minutes`. Unknown names are throttled the same way, and take as long to
refuse, so neither reveals which names exist.
"""

from __future__ import annotations

import asyncio
import math
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, StringConstraints
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from station_app.domain.roles import Role
from station_app.server.audit import AuditAction, record_audit
from station_app.server.config import ServerSettings
from station_app.server.deps import (
    NO_CONTROL_CHARACTERS,
    PUBLIC,
    CurrentUser,
    current_user,
    get_session,
    get_session_factory,
    get_settings,
    get_workstation,
    require_roles,
)
from station_app.server.models import (
    USERNAME_LENGTH,
    AuthToken,
    LoginThrottle,
    ReferenceRow,
    User,
    utc_now,
)
from station_app.server.problems import ProblemError, problem_responses
from station_app.server.security import (
    issue_token,
    normalise_username,
    spend_verify_time,
    verify_password,
)

router = APIRouter(prefix="/auth", tags=["auth"])

WRONG_DETAILS = "The user name or password is not right. Check them and try again."


class LoginRequest(BaseModel):
    username: Annotated[
        str,
        StringConstraints(min_length=1, max_length=USERNAME_LENGTH, pattern=NO_CONTROL_CHARACTERS),
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class Me(BaseModel):
    username: str
    display_name: str
    staff_number: str
    rank: str
    station_code: str
    station_name: str | None
    roles: list[str]


class LoginResponse(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: Me


def describe_user(session: Session, user: User) -> Me:
    station = session.scalars(
        select(ReferenceRow.label).where(
            ReferenceRow.dataset_name == "stations",
            ReferenceRow.code == user.station_code,
            ReferenceRow.deleted.is_(False),
        )
    ).first()
    return Me(
        username=user.username,
        display_name=user.display_name,
        staff_number=user.staff_number,
        rank=user.rank,
        station_code=user.station_code,
        station_name=station,
        roles=user.role_names,
    )


def _locked(until: datetime, now: datetime) -> ProblemError:
    seconds = max(1, math.ceil((until - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    span = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return ProblemError(
        423,
        f"This account is locked for {span} after too many failed sign-ins. "
        "Wait, or ask an administrator to unlock it.",
        headers={"Retry-After": str(seconds)},
    )


def _pending_delay(factory: sessionmaker[Session], settings: ServerSettings, name: str) -> float:
    with factory() as session:
        throttle = session.get(LoginThrottle, name)
        if throttle is None or throttle.locked_until is not None:
            # A locked account is refused at once; after the lock the count starts afresh.
            return 0.0
        return settings.login_delay(throttle.failures)


def _attempt(
    factory: sessionmaker[Session],
    settings: ServerSettings,
    name: str,
    password: str,
    workstation: str | None,
) -> LoginResponse:
    with factory() as session:
        now = utc_now()
        throttle = session.get(LoginThrottle, name)
        if throttle is not None and throttle.locked_until is not None:
            if throttle.locked_until > now:
                record_audit(
                    session,
                    name,
                    AuditAction.LOGIN_FAILED,
                    "user",
                    name,
                    "refused: the account is locked",
                    workstation,
                )
                session.commit()
                raise _locked(throttle.locked_until, now)
            throttle.failures, throttle.locked_until = 0, None  # the lock has run out
        user = session.scalars(select(User).where(User.username == name)).one_or_none()
        if user is not None and user.active:
            signed_in = verify_password(user.password_hash, password)
        else:
            spend_verify_time(password)
            signed_in = False

        if not signed_in:
            if throttle is None:
                throttle = LoginThrottle(username=name, failures=0)
                session.add(throttle)
            throttle.failures += 1
            throttle.last_failure_at = now
            record_audit(
                session,
                name,
                AuditAction.LOGIN_FAILED,
                "user",
                name,
                f"failed sign-in {throttle.failures} in a row",
                workstation,
            )
            if throttle.failures >= settings.login_lock_after:
                throttle.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
                session.commit()
                raise _locked(throttle.locked_until, now)
            session.commit()
            raise ProblemError(401, WRONG_DETAILS, title="Sign-in failed")

        assert user is not None
        if throttle is not None:
            session.delete(throttle)  # a success resets the count
        token, record = issue_token(
            session, user, hours=settings.token_hours, workstation=workstation, now=now
        )
        record_audit(
            session, user.username, AuditAction.LOGIN, "user", user.username, "", workstation
        )
        session.commit()
        return LoginResponse(
            token=token, expires_at=record.expires_at, user=describe_user(session, user)
        )


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
    try:
        return await run_in_threadpool(
            _attempt, factory, settings, name, body.password, workstation
        )
    except IntegrityError:
        # Two first failures for one name at once: the other made the throttle row.
        return await run_in_threadpool(
            _attempt, factory, settings, name, body.password, workstation
        )


ANY_ROLE = require_roles(*Role, action="use Station")


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
    token = session.get(AuthToken, user.token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utc_now()
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
) -> Me:
    # Not audited: the user reads their own account, and sign-in is already audited.
    record = session.get(User, user.id)
    assert record is not None
    return describe_user(session, record)
