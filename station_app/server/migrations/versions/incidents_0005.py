"""Incidents, PostgreSQL: a finer sample of `search_text` for the planner (docs/server.md,
"Free-text search").

The report list asks the planner how many reports each typed word is in, to choose whether
to read the newest reports first or go to the trigram index at once. From the default
sample (a histogram of 100 texts) a surname in one report in 64 was often estimated in
none: a histogram of 1,000 estimates a surname, a postcode district and the two together
each within a third, at 1,000,000 reports. ANALYZE (and autovacuum's) then samples
300,000 rows of the table: about 6 seconds at 1,000,000 reports here. SQLite keeps no such
statistics; nothing changes there.

Revision ID: incidents_0005
Revises: incidents_0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "incidents_0005"
down_revision = "incidents_0004"
branch_labels = None
depends_on = None

SAMPLE = 1000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE incident ALTER COLUMN search_text SET STATISTICS {SAMPLE}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE incident ALTER COLUMN search_text SET STATISTICS -1")
