"""Incidents: an index for free-text search of reports (docs/server.md, "Free-text search").

Free text finds reports whose text holds each word typed, anywhere in a word (part of a
surname, of a postcode, of a crime reference number), as it always has; without an index
that read every report. Now:
- SQLite: an FTS5 table with the trigram tokenizer over `incident.search_text` (external
  content: the text is not stored twice), kept in step by triggers.
- PostgreSQL: a GIN trigram index (pg_trgm) on `search_text`, which answers the same
  `LIKE '%word%'` conditions. Where pg_trgm cannot be installed (it is in PostgreSQL's
  contrib, trusted since PostgreSQL 13), a `search_vector` tsvector column with a GIN index
  instead: words are then found from their start (incidents/store.py says how).

Revision ID: incidents_0003
Revises: incidents_0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision = "incidents_0003"
down_revision = "incidents_0002"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE incident_search USING fts5("
    "search_text, content='incident', content_rowid='id', tokenize='trigram')",
    "INSERT INTO incident_search(incident_search) VALUES ('rebuild')",
    "CREATE TRIGGER incident_search_insert AFTER INSERT ON incident BEGIN "
    "INSERT INTO incident_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER incident_search_delete AFTER DELETE ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER incident_search_update AFTER UPDATE OF search_text ON incident BEGIN "
    "INSERT INTO incident_search(incident_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO incident_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS incident_search_update",
    "DROP TRIGGER IF EXISTS incident_search_delete",
    "DROP TRIGGER IF EXISTS incident_search_insert",
    "DROP TABLE IF EXISTS incident_search",
]
TRIGRAM_INDEX = "ix_incident_search_trgm"
VECTOR_INDEX = "ix_incident_search_vector"


def _trigram_schema() -> str | None:
    """The schema pg_trgm is installed in, installing it (in public) when it is not and this
    role may; None when it cannot be had."""
    bind = op.get_bind()
    find = text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pg_trgm'"
    )
    schema = bind.execute(find).scalar()
    if schema is not None:
        return str(schema)
    available = bind.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar()
    if not available:
        return None
    # In public, not the schema being migrated: an extension dropped with one schema
    # would take every other schema's trigram index with it.
    savepoint = bind.begin_nested()
    try:
        bind.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    except Exception:  # no right to install it: the tsvector index instead
        savepoint.rollback()
        return None
    savepoint.commit()
    return "public"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
        return
    schema = _trigram_schema()
    if schema is not None:
        operator_class = f'"{schema}".gin_trgm_ops'
        op.execute(
            f"CREATE INDEX {TRIGRAM_INDEX} ON incident USING gin (search_text {operator_class})"
        )
        return
    op.execute(
        "ALTER TABLE incident ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
    )
    op.execute(f"CREATE INDEX {VECTOR_INDEX} ON incident USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
        return
    op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.execute(f"DROP INDEX IF EXISTS {VECTOR_INDEX}")
    op.execute("ALTER TABLE incident DROP COLUMN IF EXISTS search_vector")
