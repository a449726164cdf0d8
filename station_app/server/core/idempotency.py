"""Idempotency keys of creating writes (docs/api.md, "Headers"), one table for every feature.

A key belongs to the user who sent it: (user name, key) is the primary key, so one officer's
key never answers for another's request (issue 12 #9: an inspector reusing a custody
officer's key got the officer's meal back and the review was dropped). With each key goes a
SHA-256 of the request it made (which route, which record, the body as the server read it):
the same key again with the same request gives back the first result; with another request
it is refused (422), and nothing is made.

Keys stored before this table existed were carried over by the features' migrations
(incidents_0002, custody_0003) without a request hash, since the request was never kept:
they still give back their record, whatever is sent with them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD
from station_app.server.core.identity import USERNAME_LENGTH
from station_app.server.core.models import Base, UTCDateTime, utc_now
from station_app.server.core.observability import count_replay
from station_app.server.core.problems import ProblemError

KEY_FIELD = IDEMPOTENCY_KEY_FIELD


class IdempotencyKeyRow(Base):
    """What one user's key made: the record (a feature's own id for it, and its name as
    staff know it) and the hash of the request that made it."""

    __tablename__ = "idempotency_key"

    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    request_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    record_type: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(200))
    record_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


def _plain(value: Any) -> Any:
    """JSON for what a parsed body holds besides JSON: times as UTC (the same moment sent
    with another offset is the same request), dates, and anything else as its text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def request_hash(request: str, body: Any) -> str:
    """SHA-256 of a request as the server understood it: `request` names the route and the
    record it is on (`POST /custody/records/7/events`), `body` is the parsed body
    (`model_dump()`), so spacing, key order and time offsets of the sent text do not count."""
    canonical = json.dumps(
        [request, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class KeyedRequest:
    """One creating request and its key. `thing` names what it makes, in staff's words
    ("report", "custody record", "custody record entry"), for the 422's sentence."""

    username: str
    key: str | None
    record_type: str
    request: str
    body: Any
    thing: str

    @property
    def hash(self) -> str:
        return request_hash(self.request, self.body)

    def earlier(self, session: Session) -> str | None:
        """The id of the record this user's key already made for this same request; None
        when there is no key or it is new. A key used for another request: 422."""
        if not self.key:
            return None
        row = session.get(IdempotencyKeyRow, (self.username, self.key))
        if row is None:
            return None
        same_request = row.request_hash is None or row.request_hash == self.hash
        if row.record_type != self.record_type or not same_request:
            raise self.refused(row.record_label)
        count_replay(session.info, self.record_type)
        return row.record_id

    def refused(self, earlier_label: str) -> ProblemError:
        """The 422 of a key already used for something else (`earlier_label`)."""
        message = (
            f"This {self.thing} has the same key as an earlier one that made {earlier_label}, "
            f"but it is not the same, so nothing was made. Send it again as a new {self.thing}."
        )
        return ProblemError(
            422,
            message,
            title="Key already used",
            errors=[{"field": KEY_FIELD, "message": message}],
        )

    def remember(self, session: Session, record_id: str, record_label: str) -> None:
        """Keep what the key made, in the same transaction as the record; flushed now, so two
        requests with the same key at once clash here (IntegrityError) and the caller gives
        back the first one's record."""
        if not self.key:
            return
        session.add(
            IdempotencyKeyRow(
                username=self.username,
                key=self.key,
                request_hash=self.hash,
                record_type=self.record_type,
                record_id=record_id,
                record_label=record_label[:200],
                created_at=utc_now(),
            )
        )
        session.flush()
