"""People: persons, aliases, addresses, refs, blocking keys, merges and suggested merges, and
the core's links between people and the roles they play in other features' records; then
everyone already named in a crime report, custody record or case file becomes a person,
linked to the record they came from with their role.

One person per appearance: no two people are merged here (a person who appears in three
records is three people until a supervisor merges them). Nothing is taken out of the
records: their own people lists stay as they are.

Revision ID: people_0001
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

from station_app.domain.people import split_full_name
from station_app.domain.validation import is_valid_cro_number, is_valid_pnc_id, normalise_postcode
from station_app.server.core.models import UTCDateTime
from station_app.server.people.keys import person_keys

revision = "people_0001"
# A branch of its own off the foundation, like every feature's. It reads the records of
# incidents, custody and case files where their tables are there: on a database with records
# they always are (the records were made in them); on a new database the branches may run in
# any order, and there is nobody to bring in. (Neither `depends_on` nor a merge point: the
# first loses Alembic's track of heads across branches of one base, the second makes the
# other branches' relative steps such as `custody@-1` ambiguous.)
down_revision = "0001"
branch_labels = ("people",)
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MIGRATED_BY = "migration people_0001"


def _tables() -> dict[str, sa.Table]:
    person = op.create_table(
        "person",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("forenames", sa.String(200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("pnc_id", sa.String(20), nullable=True),
        sa.Column("cro", sa.String(20), nullable=True),
        sa.Column("markers", sa.JSON(), nullable=False),
        sa.Column(
            "merged_into_id", BigId, sa.ForeignKey("person.id", ondelete="RESTRICT"), nullable=True
        ),
        sa.Column("origin_record_type", sa.String(60), nullable=True),
        sa.Column("origin_reference", sa.String(100), nullable=True),
        sa.Column("origin_slot", sa.String(60), nullable=True),
        sa.Column("duplicates_checked_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_person_merged_into", "person", ["merged_into_id"])
    op.create_index("ix_person_pnc", "person", ["pnc_id"])
    op.create_index("ix_person_origin", "person", ["origin_record_type", "origin_reference"])
    op.create_index("ix_person_duplicates_checked", "person", ["duplicates_checked_at"])
    alias = op.create_table(
        "person_alias",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "person_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("forenames", sa.String(200), nullable=False),
    )
    op.create_index("ix_person_alias_person", "person_alias", ["person_id"])
    address = op.create_table(
        "person_address",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column(
            "person_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("address", sa.String(500), nullable=False),
        sa.Column("postcode", sa.String(20), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_person_address_person", "person_address", ["person_id"])
    op.create_table(
        "person_ref",
        sa.Column(
            "person_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("ref", sa.String(100), primary_key=True),
    )
    op.create_index("ix_person_ref_ref", "person_ref", ["ref"])
    key = op.create_table(
        "person_key",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column(
            "person_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
        ),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_person_key_person", "person_key", ["person_id"])
    op.create_table(
        "person_merge",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("survivor_id", BigId, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("merged_id", BigId, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("merged_at", UTCDateTime(), nullable=False),
        sa.Column("merged_by", sa.String(150), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("unmerged_at", UTCDateTime(), nullable=True),
        sa.Column("unmerged_by", sa.String(150), nullable=True),
    )
    op.create_index("ix_person_merge_merged", "person_merge", ["merged_id"])
    op.create_table(
        "person_duplicate",
        sa.Column(
            "person_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column(
            "other_id", BigId, sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_person_duplicate_score", "person_duplicate", ["score"])
    link = op.create_table(
        "record_link",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("person_id", BigId, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("record_type", sa.String(60), nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("slot", sa.String(60), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.UniqueConstraint("person_id", "record_type", "reference", "role", name="uq_record_link"),
    )
    op.create_index("ix_record_link_record", "record_link", ["record_type", "reference"])
    return {"person": person, "alias": alias, "address": address, "key": key, "link": link}


# --- bringing in the people already named in records -----------------------------------------


def _born(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)


def _json(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str) else value


# (record type, reference, role, slot, person details, when, by)
Appearance = tuple[str, str, str, str, dict[str, Any], dt.datetime, str]

_INCIDENT_ROLES = {
    "reporter": "reporting_person",
    "victim": "victim",
    "suspect": "suspect",
    "witness": "witness",
}


def _incident_people(connection: sa.Connection) -> Iterator[Appearance]:
    rows = connection.execute(
        sa.text("SELECT reference, people, reported_at, created_by FROM incident ORDER BY id")
    )
    for reference, people, reported_at, created_by in rows:
        people = _json(people) or []
        counts: dict[str, int] = {}
        has_victim = any(entry.get("role") == "victim" for entry in people)
        for entry in people:
            kind = str(entry.get("role", ""))
            if kind not in _INCIDENT_ROLES:
                continue
            counts[kind] = counts.get(kind, 0) + 1
            slot = kind if kind in ("reporter", "victim") else f"{kind} {counts[kind]}"
            surname, forenames = split_full_name(str(entry.get("name") or ""))
            details = {**entry, "surname": surname, "forenames": forenames}
            roles = [_INCIDENT_ROLES[kind]]
            if kind == "reporter" and not has_victim:
                roles.append("victim")  # the reporter is the victim
            for role in roles:
                yield ("incident", reference, role, slot, details, _aware(reported_at), created_by)


def _custody_people(connection: sa.Connection) -> Iterator[Appearance]:
    rows = connection.execute(
        sa.text(
            "SELECT r.custody_number, e.data, r.opened_at, r.created_by FROM custody_record r "
            "JOIN custody_event e ON e.record_id = r.id AND e.kind = 'booked_in' ORDER BY r.id"
        )
    )
    for number, data, opened_at, created_by in rows:
        person = (_json(data) or {}).get("person") or {}
        yield (
            "custody_record",
            number,
            "detainee",
            "detainee",
            person,
            _aware(opened_at),
            created_by,
        )


def _casefile_people(connection: sa.Connection) -> Iterator[Appearance]:
    cases = connection.execute(
        sa.text(
            "SELECT id, reference, suspects, created_at, officer_username FROM case_file "
            "ORDER BY id"
        )
    ).all()
    by_id = {}
    for case_id, reference, suspects, created_at, username in cases:
        by_id[case_id] = (reference, _aware(created_at), username)
        for number, suspect in enumerate(_json(suspects) or [], start=1):
            surname, forenames = split_full_name(str(suspect.get("name") or ""))
            details = {**suspect, "surname": surname, "forenames": forenames}
            slot = f"defendant {number}"
            yield ("casefile", reference, "defendant", slot, details, _aware(created_at), username)
    statements = connection.execute(
        sa.text(
            "SELECT case_id, id, data, created_at, created_by FROM case_document "
            "WHERE form = 'MG11' ORDER BY id"
        )
    )
    for case_id, document_id, data, created_at, created_by in statements:
        if case_id not in by_id:
            continue
        data = _json(data) or {}
        surname, forenames = split_full_name(str(data.get("witness_name") or ""))
        details = {
            "surname": surname,
            "forenames": forenames,
            "date_of_birth": data.get("date_of_birth"),
            "address": " ".join(str(data.get("address") or "").split()),
        }
        yield (
            "casefile",
            by_id[case_id][0],
            "witness",
            f"MG11 {document_id}",
            details,
            _aware(created_at),
            created_by,
        )


def _text(details: dict[str, Any], name: str, limit: int) -> str:
    return " ".join(str(details.get(name) or "").split())[:limit]


def _postcode(text: str) -> str:
    try:
        return normalise_postcode(text)
    except ValueError:
        return " ".join(text.split()).upper()[:20]


def _checked(text: str, check: Any) -> str | None:
    compact = "".join(text.split()).upper()
    return compact if compact and check(compact) else None


def _bring_in(connection: sa.Connection, tables: dict[str, sa.Table]) -> None:
    person, address, key, link = tables["person"], tables["address"], tables["key"], tables["link"]
    slot_person: dict[tuple[str, str, str], int] = {}
    linked: set[tuple[int, str, str, str]] = set()
    held = set(sa.inspect(connection).get_table_names())
    wanted = {
        _incident_people: {"incident"},
        _custody_people: {"custody_record", "custody_event"},
        _casefile_people: {"case_file", "case_document"},
    }
    sources = [source for source, tables in wanted.items() if tables <= held]
    for appearance in (found for source in sources for found in source(connection)):
        record_type, reference, role, slot, details, when, by = appearance
        surname, forenames = _text(details, "surname", 100), _text(details, "forenames", 200)
        born = _born(details.get("date_of_birth"))
        description = str(details.get("description") or "").strip()
        if not (surname or forenames or born or description):
            continue  # a role left empty names nobody
        person_id = slot_person.get((record_type, reference, slot))
        if person_id is None:
            postcode = _postcode(_text(details, "postcode", 20))
            street = _text(details, "address", 500)
            inserted = connection.execute(
                person.insert().values(
                    surname=surname,
                    forenames=forenames,
                    date_of_birth=born,
                    gender=_text(details, "gender", 20),
                    description=description,
                    pnc_id=_checked(str(details.get("pnc_id") or ""), is_valid_pnc_id),
                    cro=_checked(str(details.get("cro") or ""), is_valid_cro_number),
                    markers=[],
                    merged_into_id=None,
                    origin_record_type=record_type,
                    origin_reference=reference[:100],
                    origin_slot=slot,
                    duplicates_checked_at=None,
                    version=1,
                    created_at=when,
                    created_by=(by or MIGRATED_BY)[:150],
                    updated_at=when,
                )
            ).inserted_primary_key
            assert inserted is not None
            person_id = int(inserted[0])
            if street or postcode:
                connection.execute(
                    address.insert().values(person_id=person_id, address=street, postcode=postcode)
                )
            keys = person_keys(
                [(surname, forenames)] if surname or forenames else [],
                born,
                [postcode] if postcode else [],
            )
            if keys:
                connection.execute(
                    key.insert(), [{"key": k, "person_id": person_id} for k in sorted(keys)]
                )
            slot_person[(record_type, reference, slot)] = person_id
        if (person_id, record_type, reference, role) in linked:
            continue
        linked.add((person_id, record_type, reference, role))
        connection.execute(
            link.insert().values(
                person_id=person_id,
                record_type=record_type,
                reference=reference,
                role=role,
                slot=slot,
                created_at=when,
                created_by=(by or MIGRATED_BY)[:150],
            )
        )


def upgrade() -> None:
    tables = _tables()
    _bring_in(op.get_bind(), tables)


def downgrade() -> None:
    # Merges first: dropping a table deletes its rows, and a merged person refers to another.
    op.execute("UPDATE person SET merged_into_id = NULL")
    op.drop_index("ix_record_link_record", table_name="record_link")
    op.drop_table("record_link")
    op.drop_index("ix_person_duplicate_score", table_name="person_duplicate")
    op.drop_table("person_duplicate")
    op.drop_index("ix_person_merge_merged", table_name="person_merge")
    op.drop_table("person_merge")
    op.drop_index("ix_person_key_person", table_name="person_key")
    op.drop_table("person_key")
    op.drop_index("ix_person_ref_ref", table_name="person_ref")
    op.drop_table("person_ref")
    op.drop_index("ix_person_address_person", table_name="person_address")
    op.drop_table("person_address")
    op.drop_index("ix_person_alias_person", table_name="person_alias")
    op.drop_table("person_alias")
    for name in (
        "ix_person_duplicates_checked",
        "ix_person_origin",
        "ix_person_pnc",
        "ix_person_merged_into",
    ):
        op.drop_index(name, table_name="person")
    op.drop_table("person")
