"""Records linked to records through the core (issue 10): a custody record to the crime
report its detainee was arrested for, a case file to the custody record whose charge opened
it and to its crime reports (core/links.py, `record_relation`).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "record_relation",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("record_type", sa.String(60), nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("linked_type", sa.String(60), nullable=False),
        sa.Column("linked_reference", sa.String(60), nullable=False),
        sa.Column("relation", sa.String(40), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.UniqueConstraint(
            "record_type", "reference", "linked_type", "linked_reference", name="uq_record_relation"
        ),
    )
    op.create_index(
        "ix_record_relation_linked", "record_relation", ["linked_type", "linked_reference"]
    )


def downgrade() -> None:
    op.drop_index("ix_record_relation_linked", table_name="record_relation")
    op.drop_table("record_relation")
