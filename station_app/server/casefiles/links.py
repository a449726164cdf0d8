"""Links from a case file to incidents and custody records, kept as reference strings.

The case stores crime reference numbers and custody record numbers as text, so the link
works whichever of the incidents and custody features is installed first (or neither):
a reference is looked up only if that feature's table exists, and this module never
imports that feature's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, inspect, text
from sqlalchemy.orm import Session

from station_app.server.casefiles import schemas


def resolve_links(
    session: Session, refs: list[str], tables: Mapping[str, tuple[str, ...]]
) -> list[schemas.LinkOut]:
    """Look the references up only if the incidents or custody feature's table exists;
    this module never imports that feature's code (it may not be installed)."""
    inspector = inspect(session.connection())
    for table, columns in tables.items():
        if not inspector.has_table(table):
            continue
        names = {c["name"] for c in inspector.get_columns(table)}
        column = next((c for c in columns if c in names), None)
        if column is None:
            continue
        found = set()
        if refs:
            query = text(f'SELECT "{column}" FROM "{table}" WHERE "{column}" IN :refs')
            query = query.bindparams(_expanding("refs"))
            found = {row[0] for row in session.execute(query, {"refs": refs})}
        return [schemas.LinkOut(reference=r, found=r in found) for r in refs]
    return [schemas.LinkOut(reference=r, found=None) for r in refs]


def _expanding(name: str) -> Any:
    return bindparam(name, expanding=True)


INCIDENT_TABLES: dict[str, tuple[str, ...]] = {
    "incident": ("crime_reference", "crime_reference_number", "reference"),
    "incidents": ("crime_reference", "crime_reference_number", "reference"),
}
CUSTODY_TABLES: dict[str, tuple[str, ...]] = {
    "custody_record": ("custody_number", "custody_record_number", "reference"),
    "custody_records": ("custody_number", "custody_record_number", "reference"),
}
