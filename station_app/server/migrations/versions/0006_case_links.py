"""Case files already written are linked through the core to the crime reports and custody
records they name (issue 10): a case opened or edited by hand named them only in its own
lists (`incident_refs`, `custody_refs`), so it was missing from the reports' crime view, and
a charge for that crime found it only by reading the text of every case's lists. From now on
the case file routes link what a case names (`record_relation`, migration 0005), and a charge
finds the open case through those links alone; this links what was named before.

In the core's branch, after 0005, because the links table must be there first (a
`depends_on` from the case files' branch would make Alembic forget 0005 as a head). Like
people_0001 it reads the case files' table where it is there: on a database with case files
it always is; on a new one there is nothing to link.

Each named reference gets one link, as the routes make it (`crime` for a crime report,
`custody` for a custody record); a link already made (by a charge, a court result or the
demo story) is kept as it is. References to records not on this server are linked too: the
crime view says "There is no crime report ... on this server". Downgrading leaves the links:
they say nothing the case does not.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CASE = "casefile"
NAMED = (("incident_refs", "incident", "crime"), ("custody_refs", "custody_record", "custody"))

case_file = sa.table(
    "case_file",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("officer_username", sa.String),
    sa.column("incident_refs", sa.JSON),
    sa.column("custody_refs", sa.JSON),
)
record_relation = sa.table(
    "record_relation",
    sa.column("record_type", sa.String),
    sa.column("reference", sa.String),
    sa.column("linked_type", sa.String),
    sa.column("linked_reference", sa.String),
    sa.column("relation", sa.String),
    sa.column("created_at", UTCDateTime()),
    sa.column("created_by", sa.String),
)


def upgrade() -> None:
    connection = op.get_bind()
    if not sa.inspect(connection).has_table("case_file"):
        return  # a new database: no case files yet
    linked = {
        (row.reference, row.linked_type, row.linked_reference)
        for row in connection.execute(
            sa.select(
                record_relation.c.reference,
                record_relation.c.linked_type,
                record_relation.c.linked_reference,
            ).where(record_relation.c.record_type == CASE)
        )
    }
    now = datetime.now(UTC)
    rows = []
    for case in connection.execute(sa.select(case_file).order_by(case_file.c.id)):
        for column, linked_type, relation in NAMED:
            for reference in getattr(case, column) or []:
                key = (case.reference, linked_type, str(reference))
                if key in linked or not str(reference).strip():
                    continue
                linked.add(key)
                rows.append(
                    {
                        "record_type": CASE,
                        "reference": case.reference,
                        "linked_type": linked_type,
                        "linked_reference": str(reference),
                        "relation": relation,
                        "created_at": now,
                        "created_by": case.officer_username,
                    }
                )
    if rows:
        connection.execute(sa.insert(record_relation), rows)


def downgrade() -> None:
    pass
