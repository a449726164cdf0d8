"""Custody: the index of people booked in before, for the booking-in person search.

Filled from the "booked in" entries already on record, then kept by every booking.

Revision ID: custody_0002
Revises: custody_0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "custody_0002"
down_revision = "custody_0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# How this index folded names (it was domain/custody_people.py until the index was retired
# by custody_0004: one person search, the people feature's).
_MAX_TOKEN = 100
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def name_key(text: str) -> str:
    return _NOT_ALNUM.sub("", _fold(text))[:_MAX_TOKEN]


def name_tokens(surname: str, forenames: str) -> frozenset[str]:
    tokens: set[str] = set()
    for part in _fold(f"{surname} {forenames}").split():
        whole = name_key(part)
        if whole:
            tokens.add(whole)
        pieces = [p for p in _NOT_ALNUM.split(part) if p]
        if len(pieces) > 1:
            tokens.update(p[:_MAX_TOKEN] for p in pieces)
    return frozenset(tokens)


def person_key(surname: str, forenames: str, born: dt.date | None) -> str:
    return f"{name_key(surname)}|{name_key(forenames)}|{born.isoformat() if born else ''}"[:250]


def upgrade() -> None:
    person = op.create_table(
        "custody_person",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("person_key", sa.String(250), nullable=False, unique=True),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("forenames", sa.String(200), nullable=False),
        sa.Column("surname_key", sa.String(100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("last_record_id", BigId, nullable=False),
        sa.Column("last_custody_number", sa.String(40), nullable=False),
        sa.Column("last_station_code", sa.String(50), nullable=False),
        sa.Column("last_booked_at", UTCDateTime(), nullable=False),
        sa.Column("bookings", sa.Integer(), nullable=False),
    )
    op.create_index("ix_custody_person_born", "custody_person", ["date_of_birth"])
    names = op.create_table(
        "custody_person_name",
        sa.Column("token", sa.String(100), primary_key=True),
        sa.Column("person_id", BigId, sa.ForeignKey("custody_person.id"), primary_key=True),
    )
    _backfill(person, names)


def _born(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _backfill(person: sa.Table, names: sa.Table) -> None:
    """One row per person from the records already booked in, the latest details kept."""
    bind = op.get_bind()
    record = sa.table(
        "custody_record",
        sa.column("id", BigId),
        sa.column("custody_number", sa.String()),
        sa.column("station_code", sa.String()),
        sa.column("opened_at", UTCDateTime()),
    )
    event = sa.table(
        "custody_event",
        sa.column("record_id", BigId),
        sa.column("kind", sa.String()),
        sa.column("data", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(
            record.c.id,
            record.c.custody_number,
            record.c.station_code,
            record.c.opened_at,
            event.c.data,
        )
        .join(event, event.c.record_id == record.c.id)
        .where(event.c.kind == "booked_in")
        .order_by(record.c.id)
    ).all()
    people: dict[str, dict[str, Any]] = {}
    for record_id, number, station, opened_at, data in rows:
        booking = dict(data or {})
        details = dict(booking.get("person") or {})
        surname, forenames = str(details.get("surname", "")), str(details.get("forenames", ""))
        born = _born(details.get("date_of_birth"))
        key = person_key(surname, forenames, born)
        seen = people.get(key)
        people[key] = {
            "person_key": key,
            "surname": surname[:100],
            "forenames": forenames[:200],
            "surname_key": name_key(surname),
            "date_of_birth": born,
            "details": details,
            "last_record_id": record_id,
            "last_custody_number": number,
            "last_station_code": station,
            "last_booked_at": opened_at,
            "bookings": (seen["bookings"] + 1) if seen else 1,
        }
    for values in people.values():
        new_id = bind.execute(person.insert().values(**values)).inserted_primary_key
        assert new_id is not None
        tokens = name_tokens(values["surname"], values["forenames"])
        if tokens:
            bind.execute(names.insert(), [{"token": t, "person_id": new_id[0]} for t in tokens])


def downgrade() -> None:
    op.drop_table("custody_person_name")
    op.drop_index("ix_custody_person_born", "custody_person")
    op.drop_table("custody_person")
