"""Custody: the index of people booked in before is retired. It served the booking form's
old person search (`GET /custody/people`); booking in now finds people through the people
feature's search (`POST /people/search`, shared/docs/people.md), which every record links
to, so Station has one person search and one index of people (issue 10).

Downgrading builds the index again from the bookings on record, as custody_0002 did.

Revision ID: custody_0004
Revises: custody_0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "custody_0004"
down_revision = "custody_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("custody_person_name")
    op.drop_index("ix_custody_person_born", "custody_person")
    op.drop_table("custody_person")


def downgrade() -> None:
    spec = importlib.util.spec_from_file_location(
        "custody_0002", Path(__file__).with_name("custody_0002.py")
    )
    assert spec is not None and spec.loader is not None
    built = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(built)
    built.upgrade()
