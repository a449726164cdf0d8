"""Accounts and sign-in on the database: adding users, issuing and revoking tokens, and the
throttle per user name.

After `login_slow_after` consecutive failures for a name each attempt waits a little
longer (doubling, capped); at `login_lock_after` the name is locked for
`login_lock_minutes`. Unknown names are throttled the same way, and take as long to
refuse, so neither reveals which names exist.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.auth.models import LoginThrottle
from station_app.server.auth.passwords import (
    hash_password,
    password_problem,
    spend_verify_time,
    verify_password,
)
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.config import ServerSettings
from station_app.server.core.identity import (
    USERNAME_LENGTH,
    AuthToken,
    User,
    UserRole,
    UserStation,
    hash_token,
    normalise_username,
)
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError
from station_app.server.core.reference_data import reference_row

WRONG_DETAILS = "The user name or password is not right. Check them and try again."


class AccountError(ValueError):
    """A user account that cannot be created as asked; the message says why."""


# --- accounts --------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    staff_number: str,
    rank: str,
    station_code: str,
    roles: Iterable[Role],
    covers: Iterable[str] = (),
) -> User:
    """Add a user (not committed), checking the password rules."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    return add_user(
        session,
        username=username,
        password_hash=hash_password(password),
        display_name=display_name,
        staff_number=staff_number,
        rank=rank,
        station_code=station_code,
        roles=roles,
        covers=covers,
    )


def add_user(
    session: Session,
    *,
    username: str,
    password_hash: str,
    display_name: str,
    staff_number: str,
    rank: str,
    station_code: str,
    roles: Iterable[Role],
    covers: Iterable[str] = (),
) -> User:
    """Add a user with an already hashed password (not committed). Names are kept in
    lower case. `covers`: other stations they work at (core/stations.py)."""
    name = normalise_username(username)
    if not name:
        raise AccountError(f"A user name has 1 to {USERNAME_LENGTH} characters.")
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise AccountError(f"There is already a user called {name}.")
    user = User(
        username=name,
        password_hash=password_hash,
        display_name=display_name,
        staff_number=staff_number,
        rank=rank,
        station_code=station_code,
        active=True,
        created_at=utc_now(),
        roles=[UserRole(role=Role(role).value) for role in sorted(set(roles))],
        covered=[UserStation(station_code=code) for code in _other(covers, station_code)],
    )
    session.add(user)
    session.flush()
    return user


def _other(codes: Iterable[str], home: str) -> list[str]:
    return sorted({code.strip().upper() for code in codes if code.strip()} - {home})


def set_covers(session: Session, username: str, codes: Iterable[str]) -> User:
    """Replace the stations a user covers besides their own (not committed); every code
    must be a station of the reference data."""
    name = normalise_username(username)
    user = session.scalars(select(User).where(User.username == name)).one_or_none()
    if user is None:
        raise AccountError(f"There is no user called {name}.")
    wanted = _other(codes, user.station_code)
    unknown = [code for code in wanted if reference_row(session, "stations", code) is None]
    if unknown:
        raise AccountError(f"There is no station with the code {unknown[0]}.")
    user.covered = [UserStation(station_code=code) for code in wanted]
    session.flush()
    return user


def has_users(session: Session) -> bool:
    return session.scalars(select(User.id).limit(1)).first() is not None


# --- tokens ----------------------------------------------------------------------------------


def issue_token(
    session: Session,
    user: User,
    *,
    hours: float,
    workstation: str | None = None,
    now: datetime | None = None,
) -> tuple[str, AuthToken]:
    """A new token for `user` (added to the session, not committed). Only the hash is kept."""
    issued_at = now or utc_now()
    token = secrets.token_urlsafe(32)
    record = AuthToken(
        token_hash=hash_token(token),
        user_id=user.id,
        issued_at=issued_at,
        expires_at=issued_at + timedelta(hours=hours),
        workstation=workstation,
    )
    session.add(record)
    return token, record


def revoke_token(session: Session, token_id: int) -> None:
    """End a session (not committed); a token already revoked keeps its first time."""
    token = session.get(AuthToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utc_now()


# --- sign-in and its throttle ----------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    token: str
    expires_at: datetime
    user: User


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


def pending_delay(session: Session, settings: ServerSettings, name: str) -> float:
    """Seconds to hold back this sign-in for `name`'s earlier failures."""
    throttle = session.get(LoginThrottle, name)
    if throttle is None or throttle.locked_until is not None:
        # A locked account is refused at once; after the lock the count starts afresh.
        return 0.0
    return settings.login_delay(throttle.failures)


def sign_in(
    session: Session,
    settings: ServerSettings,
    name: str,
    password: str,
    workstation: str | None,
) -> SignedIn:
    """Check a sign-in and issue a token; every attempt is audited and committed. A refusal
    is a ProblemError (401 wrong details, 423 locked)."""
    now = settings.clock.now()
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
        # The lock has run out: the count starts afresh (whoever gets here first).
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.username == name, LoginThrottle.locked_until <= now)
            .values(failures=0, locked_until=None)
        )
    user = session.scalars(select(User).where(User.username == name)).one_or_none()
    if user is not None and user.active:
        signed_in = verify_password(user.password_hash, password)
    else:
        spend_verify_time(password)
        signed_in = False

    if not signed_in:
        failures = count_failure(session, name, now)
        record_audit(
            session,
            name,
            AuditAction.LOGIN_FAILED,
            "user",
            name,
            f"failed sign-in {failures} in a row",
            workstation,
        )
        if failures >= settings.login_lock_after:
            locked_until = now + timedelta(minutes=settings.login_lock_minutes)
            session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.username == name)
                .values(locked_until=locked_until)
            )
            session.commit()
            raise _locked(locked_until, now)
        session.commit()
        raise ProblemError(401, WRONG_DETAILS, title="Sign-in failed")

    assert user is not None
    if throttle is not None:  # a success resets the count
        session.execute(delete(LoginThrottle).where(LoginThrottle.username == name))
    token, record = issue_token(
        session, user, hours=settings.token_hours, workstation=workstation, now=now
    )
    record_audit(session, user.username, AuditAction.LOGIN, "user", user.username, "", workstation)
    session.commit()
    return SignedIn(token, record.expires_at, user)


def count_failure(session: Session, name: str, now: datetime) -> int:
    """Count one more failed sign-in for `name` in one statement, and return the count.

    Insert-or-increment is done by the database (INSERT .. ON CONFLICT DO UPDATE ..
    RETURNING, on SQLite and PostgreSQL alike), so failures arriving at once on several
    workers are each counted: a read-then-write here lost some, and the lock came late."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    counted = (
        insert(LoginThrottle)
        .values(username=name, failures=1, last_failure_at=now)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.username],
            set_={"failures": LoginThrottle.failures + 1, "last_failure_at": now},
        )
        .returning(LoginThrottle.failures)
    )
    failures: int = session.execute(counted).scalar_one()
    return failures


def unlock(session: Session, username: str) -> str:
    """Clear a name's failed sign-ins, so a locked account can sign in (committed); the
    name as it is kept."""
    name = normalise_username(username)
    throttle = session.get(LoginThrottle, name)
    if throttle is not None:
        session.delete(throttle)
        session.commit()
    return name
