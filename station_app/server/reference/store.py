"""Reading reference data for the client cache: a dataset whole or as the changes since a
version, row counts, and the ETags that let an unchanged dataset cost a 304. The tables and
the import are the core's (core/reference_data.py): every feature looks codes up."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.server.core.reference_data import ReferenceDataset, ReferenceRow


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


def row_counts(session: Session) -> dict[str, int]:
    query = (
        select(ReferenceRow.dataset_name, func.count())
        .where(ReferenceRow.deleted.is_(False))
        .group_by(ReferenceRow.dataset_name)
    )
    return {name: count for name, count in session.execute(query)}


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
