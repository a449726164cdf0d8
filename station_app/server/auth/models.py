"""The sign-in feature's own table: consecutive failed sign-ins per user name. Accounts,
roles and tokens are the core's (core/identity.py): every feature's routes need them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from station_app.server.core.identity import USERNAME_LENGTH
from station_app.server.core.models import Base, UTCDateTime


class LoginThrottle(Base):
    """Consecutive failed sign-ins per user name, whether or not the name exists."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
