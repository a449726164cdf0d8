"""`station-server import-people FILE.csv`: one person per row (shared/docs/people.md).

Columns `ref,surname,forenames,date_of_birth,address,postcode`, then optionally `pnc_id`,
`cro`, `gender`, `aliases` ("Surname, Forenames" separated by `|`), `markers` (warning
marker codes separated by `|`) and `description`. Import never merges: each row is a new
person whose refs hold the row's `ref`. A date of birth that is not a date (YYYY-MM-DD, or
DD/MM/YYYY) is left out and counted, as are identifiers failing their check. Rows with no
name, and rows whose ref was imported before, are set aside.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from station_app.domain.people import split_full_name
from station_app.domain.wire import parse_iso_date
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.people.models import PersonKey, PersonRef
from station_app.server.people.store import (
    PersonDetails,
    checked_cro,
    checked_pnc_id,
    keys_of,
    new_person,
)

REQUIRED = ("ref", "surname", "forenames", "date_of_birth", "address", "postcode")
BATCH = 1000
IMPORTED_BY = "station-server import-people"
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ImportFileError(ValueError):
    """The file cannot be imported at all (no header, a required column missing)."""


@dataclass
class ImportSummary:
    read: int = 0
    imported: int = 0
    set_aside: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)

    def aside(self, why: str) -> None:
        self.set_aside[why] = self.set_aside.get(why, 0) + 1

    def leave_out(self, what: str) -> None:
        self.left_out[what] = self.left_out.get(what, 0) + 1

    def line(self, name: str) -> str:
        aside = sum(self.set_aside.values())
        text = f"{name}: {self.read} rows read, {self.imported} imported, {aside} set aside"
        if aside:
            text += " (" + ", ".join(f"{n} {why}" for why, n in self.set_aside.items()) + ")"
        for what, count in self.left_out.items():
            text += f"; {count} {what} left out"
        return text


def read_date(text: str) -> dt.date | None:
    """A date of birth as YYYY-MM-DD or DD/MM/YYYY; None when it is not a date."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return parse_iso_date(text)
        match = _UK_DATE.match(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def _aliases(text: str) -> list[tuple[str, str]]:
    return [split_full_name(alias) for alias in text.split("|") if alias.strip()]


def _row_details(row: Mapping[str, str], summary: ImportSummary) -> PersonDetails:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    born_text = cell("date_of_birth")
    born = read_date(born_text) if born_text else None
    if born_text and born is None:
        summary.leave_out("dates of birth that were not dates")
    for column, check, what in (
        ("pnc_id", checked_pnc_id, "PNC IDs that failed their check"),
        ("cro", checked_cro, "CRO numbers that failed their check"),
    ):
        if cell(column) and check(cell(column)) is None:
            summary.leave_out(what)
    return PersonDetails(
        surname=cell("surname"),
        forenames=cell("forenames"),
        date_of_birth=born,
        gender=cell("gender"),
        description=cell("description"),
        pnc_id=cell("pnc_id"),
        cro=cell("cro"),
        address=cell("address"),
        postcode=cell("postcode"),
        aliases=_aliases(cell("aliases")),
        markers=[m.strip() for m in cell("markers").split("|") if m.strip()],
    )


def read_rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            raise ImportFileError(
                f"The file has no column {', '.join(missing)}. The first row must name the "
                f"columns {','.join(REQUIRED)} (then pnc_id, cro, gender, aliases if held)."
            )
        reader.fieldnames = columns
        for row in reader:
            yield {name: value or "" for name, value in row.items() if isinstance(name, str)}


def _store(session: Session, batch: list[tuple[str, PersonDetails]]) -> None:
    people = [new_person(details, IMPORTED_BY, ("import", ref, "row")) for ref, details in batch]
    session.add_all(people)
    session.flush()
    refs = [
        {"person_id": person.id, "ref": ref}
        for person, (ref, _details) in zip(people, batch, strict=True)
        if ref
    ]
    if refs:
        session.execute(insert(PersonRef), refs)
    keys = [{"key": k, "person_id": p.id} for p in people for k in keys_of(p)]
    if keys:
        session.execute(insert(PersonKey), keys)
    session.flush()
    session.expunge_all()


def import_people(session: Session, path: Path) -> ImportSummary:
    """Import the file (not committed); ImportFileError when it cannot be read as one."""
    summary = ImportSummary()
    seen: set[str] = set()
    batch: list[tuple[str, PersonDetails]] = []
    for row in read_rows(path):
        summary.read += 1
        ref = (row.get("ref") or "").strip()[:100]
        if not ((row.get("surname") or "").strip() or (row.get("forenames") or "").strip()):
            summary.aside("with no name")
            continue
        if ref and (
            ref in seen
            or session.scalars(select(PersonRef.person_id).where(PersonRef.ref == ref)).first()
        ):
            summary.aside("whose ref was imported before")
            continue
        seen.add(ref)
        batch.append((ref, _row_details(row, summary)))
        summary.imported += 1
        if len(batch) >= BATCH:
            _store(session, batch)
            batch = []
    if batch:
        _store(session, batch)
    record_audit(
        session, IMPORTED_BY, AuditAction.CREATE, "people", "import", summary.line(path.name)
    )
    return summary
