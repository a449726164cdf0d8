"""The core API's tables (SQLAlchemy 2.0 typed ORM): users, tokens, sign-in throttling,
the audit trail and versioned reference data. The schema itself is made by Alembic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utc_now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC time on both databases.

    SQLite has no time zones, so the value is stored as naive UTC and made aware again
    on the way out; PostgreSQL stores `timestamptz` and we convert to UTC on reading.
    Naive times are refused on the way in: they are a bug, not a guess to make.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Station stores timezone-aware times only.")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# SQLite only gives an auto-incrementing key to INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

USERNAME_LENGTH = 150


class Base(DeclarativeBase):
    pass


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

    @property
    def role_names(self) -> list[str]:
        return sorted(role.role for role in self.roles)


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("station_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


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


class LoginThrottle(Base):
    """Consecutive failed sign-ins per user name, whether or not the name exists."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class AuditEvent(Base):
    """Who did what to which record, when, from where. Append-only: triggers refuse
    UPDATE and DELETE (see migration 0001)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_record", "record_type", "record_id"),
        Index("ix_audit_event_username", "username"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    username: Mapped[str | None] = mapped_column(String(USERNAME_LENGTH))
    workstation: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")


class ReferenceDataset(Base):
    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReferenceRow(Base):
    """One code in a dataset. `version` is the dataset version at which the row last
    changed; a deleted row stays as a tombstone so `?since=` can report it."""

    __tablename__ = "reference_row"
    __table_args__ = (
        UniqueConstraint("dataset_name", "code", name="uq_reference_row_code"),
        Index("ix_reference_row_version", "dataset_name", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_name: Mapped[str] = mapped_column(
        ForeignKey("reference_dataset.name", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(500))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
