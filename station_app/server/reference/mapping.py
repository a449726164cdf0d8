"""Turning datasets and their snapshots into the reference routes' JSON answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from station_app.server.core.reference_data import ReferenceDataset
from station_app.server.reference.schemas import (
    DatasetContent,
    DatasetInfo,
    DatasetList,
    ReferenceRowOut,
)
from station_app.server.reference.store import DatasetSnapshot, dataset_etag


def dataset_list_out(
    datasets: Sequence[ReferenceDataset], counts: Mapping[str, int]
) -> DatasetList:
    return DatasetList(
        datasets=[
            DatasetInfo(
                name=d.name,
                title=d.title,
                version=d.version,
                etag=dataset_etag(d.name, d.version),
                row_count=counts.get(d.name, 0),
                updated_at=d.updated_at,
            )
            for d in datasets
        ]
    )


def dataset_content_out(snapshot: DatasetSnapshot) -> DatasetContent:
    return DatasetContent(
        name=snapshot.name,
        version=snapshot.version,
        since=snapshot.since,
        complete=snapshot.complete,
        rows=[
            ReferenceRowOut(code=r.code, label=r.label, attributes=r.attributes)
            for r in snapshot.rows
        ],
        deleted=snapshot.deleted,
    )
