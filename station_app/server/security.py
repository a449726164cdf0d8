"""Accounts, passwords (Argon2) and bearer tokens (random, kept only as SHA-256, with expiry
and revocation)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.models import USERNAME_LENGTH, AuthToken, User, UserRole, utc_now

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return str(_hasher.hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


@lru_cache(maxsize=1)
def _unknown_user_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def spend_verify_time(password: str) -> None:
    """Do the same work as a real check, so an unknown name answers no faster."""
    verify_password(_unknown_user_hash(), password)


def password_problem(password: str) -> str | None:
    """Why a new password cannot be used, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password needs at least {MIN_PASSWORD_LENGTH} characters."
    return None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


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


def find_live_token(session: Session, token: str, now: datetime | None = None) -> AuthToken | None:
    """The token record if it exists, is not revoked or expired, and its user is active."""
    record = session.scalars(
        select(AuthToken).where(AuthToken.token_hash == hash_token(token))
    ).one_or_none()
    if record is None or record.revoked_at is not None or not record.user.active:
        return None
    if record.expires_at <= (now or utc_now()):
        return None
    return record


class AccountError(ValueError):
    """A user account that cannot be created as asked; the message says why."""


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
) -> User:
    """Add a user with an already hashed password (not committed). Names are kept in
    lower case."""
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
    )
    session.add(user)
    session.flush()
    return user


def normalise_username(username: str) -> str:
    """Sign-in names are matched without case or surrounding spaces. Lower-casing can
    lengthen some letters, so the result is cut to the column's length."""
    return username.strip().lower()[:USERNAME_LENGTH]
