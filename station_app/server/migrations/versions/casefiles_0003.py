"""Case files: each kind of disclosure schedule numbers its own items (issue 11).

Until now one running number went across a case's MG6C and MG6D, so the MG6C served on the
defence printed as 1, 2, 4, 5 and told them a sensitive item 3 existed. CPS Disclosure
Manual ch.7 (7.2): items on the MG6C are numbered consecutively, later schedules carrying
on from earlier ones; the MG6D (ch.8) is never disclosed and has its own numbers.

For every case this renumbers the items of each kind of schedule consecutively from 1, in
the order they were numbered before (continuation schedules carry on from earlier ones),
rewrites the MG6E's item numbers as schedule and number ("MG6C 3, MG6D 1"), records the
highest number given on each kind (`case_file.schedule_numbers`, so a number is never
given twice again), bumps the changed forms' and the case's versions (a draft typed on
the old numbers is asked to reload), and writes on the case's history which numbers
changed. Where the case has already been sent to the CPS, that note says so: the CPS holds
the old numbers until the file is sent again. A case found with both a nil MG6D and a
listed one (now refused, ch.8) is told so in the same note.

Why renumber numbers already served: the old MG6C's gaps are the leak itself, and every
later service of it would repeat it. The note lets the officer tell the CPS which item is
which. Downgrading drops the record of numbers given; the new numbers stay.

Revision ID: casefiles_0003
Revises: casefiles_0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from station_app.server.core.models import UTCDateTime

revision = "casefiles_0003"
down_revision = "casefiles_0002"
branch_labels = None
depends_on = None

SCHEDULES = ("MG6C", "MG6D")

case_file = sa.table(
    "case_file",
    sa.column("id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("updated_at", UTCDateTime()),
    sa.column("schedule_numbers", sa.JSON),
)
case_document = sa.table(
    "case_document",
    sa.column("id", sa.Integer),
    sa.column("case_id", sa.Integer),
    sa.column("sequence", sa.Integer),
    sa.column("form", sa.String),
    sa.column("data", sa.JSON),
    sa.column("sha256", sa.String),
    sa.column("version", sa.Integer),
    sa.column("updated_at", UTCDateTime()),
)
case_event = sa.table(
    "case_event",
    sa.column("case_id", sa.Integer),
    sa.column("at", UTCDateTime()),
    sa.column("username", sa.String),
    sa.column("action", sa.String),
    sa.column("comment", sa.Text),
)
cps_submission = sa.table(
    "cps_submission",
    sa.column("case_id", sa.Integer),
    sa.column("submission_id", sa.String),
)


def _hash(data: dict[str, Any]) -> str:
    """As the server hashes a form's data (docs/cps-exchange.md, documents[].sha256)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _new_numbers(documents: list[Any]) -> dict[tuple[str, int], int]:
    """(form, old number) -> new number: each kind from 1, in the old order."""
    mapping: dict[tuple[str, int], int] = {}
    for form in SCHEDULES:
        old = sorted(
            {
                int(item["number"])
                for doc in documents
                if doc.form == form
                for item in (doc.data or {}).get("items", [])
                if item.get("number")
            }
        )
        mapping.update({(form, number): new for new, number in enumerate(old, start=1)})
    return mapping


def _references(text: str, mapping: dict[tuple[str, int], int]) -> tuple[str, list[str]]:
    """An old MG6E list ("4, 3") as schedule and number; numbers on no schedule are kept
    as they were written (the officer is asked to correct them on the next save)."""
    by_old = {old: (form, new) for (form, old), new in mapping.items()}
    parts, unknown = [], []
    for word in re.split(r"[,;]", text):
        word = word.strip()
        if not word:
            continue
        if word.isdigit() and int(word) in by_old:
            form, new = by_old[int(word)]
            parts.append(f"{form} {new}")
        else:
            parts.append(word)
            unknown.append(word)
    return ", ".join(parts), unknown


def _renumber_case(connection: Any, case_id: int, now: datetime) -> None:
    documents = list(
        connection.execute(
            sa.select(case_document)
            .where(
                case_document.c.case_id == case_id,
                case_document.c.form.in_((*SCHEDULES, "MG6E")),
            )
            .order_by(case_document.c.sequence)
        )
    )
    mapping = _new_numbers(documents)
    highest = {form: 0 for form in SCHEDULES}
    for (form, _old), new in mapping.items():
        highest[form] = max(highest[form], new)
    changes = [
        f"{form} {old} is now {form} {new}" for (form, old), new in mapping.items() if old != new
    ]
    unknown: list[str] = []
    named = False  # an MG6E's numbers rewritten as schedule and number
    for doc in documents:
        data = dict(doc.data or {})
        if doc.form in SCHEDULES:
            items = [
                {**item, "number": mapping[(doc.form, int(item["number"]))]}
                if item.get("number")
                else item
                for item in data.get("items", [])
            ]
            if items == data.get("items", []):
                continue
            data["items"] = items
        else:
            listed = str(data.get("undermining_items") or "")
            if not listed:
                continue
            rewritten, stray = _references(listed, mapping)
            unknown += stray
            if rewritten == listed:
                continue
            data["undermining_items"], named = rewritten, True
        connection.execute(
            case_document.update()
            .where(case_document.c.id == doc.id)
            .values(data=data, sha256=_hash(data), version=doc.version + 1, updated_at=now)
        )
    values: dict[str, Any] = {"schedule_numbers": {k: v for k, v in highest.items() if v}}
    mg6ds = {bool((doc.data or {}).get("nil")) for doc in documents if doc.form == "MG6D"}
    mixed = mg6ds == {True, False}  # ch.8: a nil MG6D or a listed one, never both
    if changes or named or unknown or mixed:
        values.update(version=case_file.c.version + 1, updated_at=now)
        sent = list(
            connection.scalars(
                sa.select(cps_submission.c.submission_id)
                .where(cps_submission.c.case_id == case_id)
                .order_by(cps_submission.c.submission_id)
            )
        )
        sentences = []
        if changes:
            sentences.append(
                "Disclosure schedules renumbered: the MG6C and the MG6D now each number their "
                f"own items from 1 (CPS Disclosure Manual ch.7). {'; '.join(changes)}."
            )
        if named:
            sentences.append("The MG6E's items now name their schedule.")
        if unknown:
            sentences.append(
                f"The MG6E names items on no schedule ({', '.join(unknown)}): correct it."
            )
        if mixed:
            sentences.append(
                "This case has a nil MG6D and one listing sensitive material: a case has one "
                "or the other (CPS Disclosure Manual ch.8). Turn the nil MG6D into a list."
            )
        if sent and changes:
            sentences.append(
                f"The CPS holds the old numbers from {', '.join(sent)}: tell the prosecutor "
                "which item is which when the file is next sent."
            )
        note = " ".join(sentences)
        connection.execute(
            case_event.insert().values(
                case_id=case_id, at=now, username="Station", action="renumbered", comment=note
            )
        )
    connection.execute(case_file.update().where(case_file.c.id == case_id).values(**values))


def upgrade() -> None:
    op.add_column(
        "case_file",
        sa.Column("schedule_numbers", sa.JSON(), nullable=False, server_default=sa.text("'{}'")),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    cases = connection.scalars(
        sa.select(case_document.c.case_id)
        .where(case_document.c.form.in_((*SCHEDULES, "MG6E")))
        .distinct()
        .order_by(case_document.c.case_id)
    ).all()
    for case_id in cases:
        _renumber_case(connection, case_id, now)


def downgrade() -> None:
    # Plain ALTER TABLE (casefiles_0002: a SQLite table copy would cascade to documents).
    op.execute("ALTER TABLE case_file DROP COLUMN schedule_numbers")
