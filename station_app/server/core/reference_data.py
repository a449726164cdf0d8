"""Versioned reference data (offences, stations, cells, courts, officers, the file standard):
its tables, the lookups every feature makes, and the import that versions a dataset.

Each import bumps the dataset version once; only rows that really changed take the new
version, and rows missing from the import are tombstoned at it (docs/api.md), so a
client holding version V can catch up with `rows changed after V` and `codes deleted
after V`.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from station_app.server.core.models import Base, UTCDateTime, utc_now

DATASET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_INTEGER = re.compile(r"^-?[0-9]+$")
CODE_LENGTH = 60  # the reference_row columns
LABEL_LENGTH = 500


class ReferenceDataset(Base):
    __tablename__ = "reference_dataset"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReferenceRow(Base):
    """One code in a dataset. `version` is the dataset version at which the row last
    changed; a deleted row stays as a tombstone so `?since=` can report it."""

    __tablename__ = "reference_row"
    __table_args__ = (
        UniqueConstraint("dataset_name", "code", name="uq_reference_row_code"),
        Index("ix_reference_row_version", "dataset_name", "version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_name: Mapped[str] = mapped_column(
        ForeignKey("reference_dataset.name", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    label: Mapped[str] = mapped_column(String(LABEL_LENGTH))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ReferenceDataError(ValueError):
    """An import that cannot be applied; the message says what to correct."""


@dataclass(frozen=True)
class ReferenceRowIn:
    code: str
    label: str
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    dataset: str
    version: int
    added: int
    changed: int
    deleted: int

    def summary(self) -> str:
        return (
            f"{self.dataset}: version {self.version}, {self.added} added, "
            f"{self.changed} changed, {self.deleted} deleted"
        )


# --- lookups ---------------------------------------------------------------------------------


def list_datasets(session: Session) -> list[ReferenceDataset]:
    return list(session.scalars(select(ReferenceDataset).order_by(ReferenceDataset.name)))


def get_dataset(session: Session, name: str) -> ReferenceDataset | None:
    if not DATASET_NAME.match(name):
        return None
    return session.get(ReferenceDataset, name)


def reference_row(session: Session, dataset: str, code: str) -> ReferenceRow | None:
    """The live (not deleted) row of `code` in `dataset`, if there is one."""
    return session.scalars(
        select(ReferenceRow).where(
            ReferenceRow.dataset_name == dataset,
            ReferenceRow.code == code,
            ReferenceRow.deleted.is_(False),
        )
    ).first()


def reference_rows(session: Session, dataset: str, codes: Iterable[str]) -> dict[str, ReferenceRow]:
    """The live rows of `codes` in `dataset`, by code; codes not in the list are absent."""
    query = select(ReferenceRow).where(
        ReferenceRow.dataset_name == dataset,
        ReferenceRow.code.in_(list(codes)),
        ReferenceRow.deleted.is_(False),
    )
    return {row.code: row for row in session.scalars(query)}


# --- import ----------------------------------------------------------------------------------


def import_rows(
    session: Session, name: str, rows: Sequence[ReferenceRowIn], *, title: str | None = None
) -> ImportResult:
    """Replace the contents of dataset `name` with `rows` (a full import). Not committed."""
    dataset = get_dataset(session, name)
    if dataset is None:
        known = ", ".join(d.name for d in list_datasets(session))
        raise ReferenceDataError(f"There is no reference dataset called {name!r}. Known: {known}.")
    _check_rows(rows)

    now = utc_now()
    version = dataset.version + 1
    existing = {
        row.code: row
        for row in session.scalars(select(ReferenceRow).where(ReferenceRow.dataset_name == name))
    }
    added = changed = deleted = 0
    for incoming in rows:
        attributes = dict(incoming.attributes)
        row = existing.get(incoming.code)
        if row is None:
            session.add(
                ReferenceRow(
                    dataset_name=name,
                    code=incoming.code,
                    label=incoming.label,
                    attributes=attributes,
                    version=version,
                    deleted=False,
                    updated_at=now,
                )
            )
            added += 1
        elif row.deleted or row.label != incoming.label or row.attributes != attributes:
            if row.deleted:
                added += 1
            else:
                changed += 1
            row.label, row.attributes, row.deleted = incoming.label, attributes, False
            row.version, row.updated_at = version, now
    incoming_codes = {row.code for row in rows}
    for code, row in existing.items():
        if code not in incoming_codes and not row.deleted:
            row.deleted, row.version, row.updated_at = True, version, now
            deleted += 1
    dataset.version = version
    dataset.updated_at = now
    if title:
        dataset.title = title
    session.flush()
    return ImportResult(name, version, added, changed, deleted)


def _check_rows(rows: Sequence[ReferenceRowIn]) -> None:
    counts = Counter(row.code for row in rows)
    duplicates = sorted(code for code, count in counts.items() if count > 1)
    if duplicates:
        raise ReferenceDataError(f"These codes appear more than once: {', '.join(duplicates)}.")
    for number, row in enumerate(rows, start=1):
        if not row.code.strip():
            raise ReferenceDataError(f"Row {number} has no code.")
        if len(row.code) > CODE_LENGTH or len(row.label) > LABEL_LENGTH:
            raise ReferenceDataError(
                f"Row {number} ({row.code[:20]}): a code has at most {CODE_LENGTH} characters "
                f"and a label at most {LABEL_LENGTH}."
            )


def parse_cell(text: str) -> Any:
    """CSV attribute values: `true`/`false` are booleans, digits are integers, else text."""
    if text in ("true", "false"):
        return text == "true"
    if _INTEGER.match(text):
        return int(text)
    return text


def read_csv(path: Path) -> list[ReferenceRowIn]:
    """Rows from a CSV with columns `code,label` then one column per attribute."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if columns[:2] != ["code", "label"]:
            raise ReferenceDataError(f"{path.name}: the first two columns must be code and label.")
        rows = []
        for record in reader:
            if None in record:
                raise ReferenceDataError(
                    f"{path.name}, line {reader.line_num}: more values than columns."
                )
            attributes = {
                key: parse_cell(value or "")
                for key, value in record.items()
                if key not in ("code", "label")
            }
            rows.append(ReferenceRowIn(record["code"].strip(), record["label"].strip(), attributes))
    return rows
