"""Versioned reference data: import a dataset, read it whole or as changes since a version.

Each import bumps the dataset version once; only rows that really changed take the new
version, and rows missing from the import are tombstoned at it (docs/api.md), so a
client holding version V can catch up with `rows changed after V` and `codes deleted
after V`.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.server.models import ReferenceDataset, ReferenceRow, utc_now

DATASET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_INTEGER = re.compile(r"^-?[0-9]+$")
CODE_LENGTH = 60  # the reference_row columns
LABEL_LENGTH = 500


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


@dataclass(frozen=True)
class DatasetSnapshot:
    name: str
    version: int
    since: int | None
    complete: bool
    rows: list[ReferenceRow]
    deleted: list[str]


def dataset_etag(name: str, version: int) -> str:
    return f'"{name}-{version}"'


def list_etag(datasets: Iterable[ReferenceDataset]) -> str:
    """One ETag over every (name, version): it changes when any dataset does."""
    text = ";".join(f"{d.name}:{d.version}" for d in sorted(datasets, key=lambda d: d.name))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison, as If-None-Match asks for."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def list_datasets(session: Session) -> list[ReferenceDataset]:
    return list(session.scalars(select(ReferenceDataset).order_by(ReferenceDataset.name)))


def row_counts(session: Session) -> dict[str, int]:
    query = (
        select(ReferenceRow.dataset_name, func.count())
        .where(ReferenceRow.deleted.is_(False))
        .group_by(ReferenceRow.dataset_name)
    )
    return {name: count for name, count in session.execute(query)}


def get_dataset(session: Session, name: str) -> ReferenceDataset | None:
    if not DATASET_NAME.match(name):
        return None
    return session.get(ReferenceDataset, name)


def read_dataset(session: Session, dataset: ReferenceDataset, since: int | None) -> DatasetSnapshot:
    """The whole dataset, or (with `since`) what changed after that version."""
    if since is not None and since >= dataset.version:
        # Nothing newer; answered without a query so any large number is safe.
        return DatasetSnapshot(dataset.name, dataset.version, since, False, [], [])
    query = select(ReferenceRow).where(ReferenceRow.dataset_name == dataset.name)
    if since is None:
        rows = session.scalars(
            query.where(ReferenceRow.deleted.is_(False)).order_by(ReferenceRow.code)
        ).all()
        return DatasetSnapshot(dataset.name, dataset.version, None, True, list(rows), [])
    changed = session.scalars(
        query.where(ReferenceRow.version > since).order_by(ReferenceRow.code)
    ).all()
    return DatasetSnapshot(
        name=dataset.name,
        version=dataset.version,
        since=since,
        complete=False,
        rows=[row for row in changed if not row.deleted],
        deleted=[row.code for row in changed if row.deleted],
    )


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
