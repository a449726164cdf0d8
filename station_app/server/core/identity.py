"""Who is signed in: the staff accounts, their roles and bearer tokens (random, kept only as
SHA-256, with expiry and revocation). Every feature's routes depend on these tables."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from station_app.server.core.models import Base, UTCDateTime, utc_now

USERNAME_LENGTH = 150


class User(Base):
    __tablename__ = "station_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    staff_number: Mapped[str] = mapped_column(String(50))
    rank: Mapped[str] = mapped_column(String(50))
    station_code: Mapped[str] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    covered: Mapped[list[UserStation]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> list[str]:
        return sorted(role.role for role in self.roles)

    @property
    def covers(self) -> frozenset[str]:
        """The stations this user covers besides their own (core/stations.py)."""
        return frozenset(row.station_code for row in self.covered) - {self.station_code}


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("station_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class UserStation(Base):
    """A station a user covers besides their own: a superintendent responsible for several
    custody suites, a detective sergeant supervising another station's detectives. An
    administrator sets them (`station-server cover-stations`); see core/stations.py."""

    __tablename__ = "user_station"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("station_user.id", ondelete="CASCADE"), primary_key=True
    )
    station_code: Mapped[str] = mapped_column(String(50), primary_key=True)

    user: Mapped[User] = relationship(back_populates="covered")


class AuthToken(Base):
    """A bearer token; only its SHA-256 is kept, so a copy of the database signs no one in."""

    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("station_user.id", ondelete="CASCADE"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    workstation: Mapped[str | None] = mapped_column(String(100), default=None)

    user: Mapped[User] = relationship(lazy="joined")


@dataclass(frozen=True)
class CurrentUser:
    """The member of staff behind the bearer token of this request."""

    id: int
    username: str
    roles: frozenset[str]
    token_id: int
    workstation: str | None
    station_code: str = ""
    """The user's own station."""
    covers: frozenset[str] = frozenset()
    """Other stations the user covers (core/stations.py)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def signed_in_user(
    session: Session, token: str, now: datetime, workstation: str | None
) -> CurrentUser | None:
    """Who `token` signs in, if it is live (not revoked or expired, its user active): one
    statement, the token, its user, their roles and the stations they cover joined, as
    every request asks it (in the ORM it was four statements, and most of a lookup's time)."""
    rows = session.execute(
        select(
            AuthToken.id,
            AuthToken.expires_at,
            User.id,
            User.username,
            User.station_code,
            UserRole.role,
            UserStation.station_code,
        )
        .join(User, User.id == AuthToken.user_id)
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .outerjoin(UserStation, UserStation.user_id == User.id)
        .where(
            AuthToken.token_hash == hash_token(token),
            AuthToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).all()
    if not rows or rows[0][1] <= now:
        return None
    token_id, _expires, user_id, username, station_code = rows[0][:5]
    return CurrentUser(
        id=user_id,
        username=username,
        roles=frozenset(row[5] for row in rows if row[5] is not None),
        token_id=token_id,
        workstation=workstation,
        station_code=station_code,
        covers=frozenset(row[6] for row in rows if row[6] is not None) - {station_code},
    )


def normalise_username(username: str) -> str:
    """Sign-in names are matched without case or surrounding spaces. Lower-casing can
    lengthen some letters, so the result is cut to the column's length."""
    return username.strip().lower()[:USERNAME_LENGTH]
