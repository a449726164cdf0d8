"""Reference data for the client cache: the dataset list, and each dataset whole or as
changes since a version, with ETags so an unchanged dataset costs a 304."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi import Path as PathParam
from pydantic import BaseModel
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.audit import AuditAction, record_audit
from station_app.server.deps import (
    CurrentUser,
    current_user,
    get_session,
    require_roles,
)
from station_app.server.problems import ProblemError, problem_responses
from station_app.server.reference_store import (
    dataset_etag,
    etag_matches,
    get_dataset,
    list_datasets,
    list_etag,
    read_dataset,
    row_counts,
)

router = APIRouter(prefix="/reference", tags=["reference"])

READ_REFERENCE = require_roles(*Role, action="read reference data")

# Datasets that name people: reading them is audited (architecture.md, "Server patterns").
NAMES_PEOPLE = frozenset({"officers"})

NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy with this ETag is current."}
}


class DatasetInfo(BaseModel):
    name: str
    title: str
    version: int
    etag: str
    row_count: int
    updated_at: datetime


class DatasetList(BaseModel):
    datasets: list[DatasetInfo]


class ReferenceRowOut(BaseModel):
    code: str
    label: str
    attributes: dict[str, Any]


class DatasetContent(BaseModel):
    name: str
    version: int
    since: int | None
    complete: bool
    rows: list[ReferenceRowOut]
    deleted: list[str]


IfNoneMatch = Annotated[str | None, Header(description="An ETag from an earlier answer.")]


@router.get(
    "",
    response_model=DatasetList,
    dependencies=[READ_REFERENCE],
    summary="List the reference datasets",
    responses={**NOT_MODIFIED, **problem_responses(401, 403)},
)
def list_reference(
    response: Response,
    session: Annotated[Session, Depends(get_session)],
    if_none_match: IfNoneMatch = None,
) -> DatasetList | Response:
    datasets = list_datasets(session)
    etag = list_etag(datasets)
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    counts = row_counts(session)
    response.headers["ETag"] = etag
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


@router.get(
    "/{name}",
    response_model=DatasetContent,
    dependencies=[READ_REFERENCE],
    summary="Read a reference dataset, whole or changes since a version",
    responses={**NOT_MODIFIED, **problem_responses(401, 403, 404, 422)},
)
def read_reference(
    name: Annotated[str, PathParam(description="The dataset's name.", examples=["offences"])],
    response: Response,
    user: Annotated[CurrentUser, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    since: Annotated[
        int | None, Query(ge=0, description="Only changes after this version.")
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> DatasetContent | Response:
    dataset = get_dataset(session, name)
    if dataset is None:
        known = ", ".join(d.name for d in list_datasets(session))
        raise ProblemError(
            404, f"There is no reference list with that name. The lists are: {known}."
        )
    etag = dataset_etag(dataset.name, dataset.version)
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers={"ETag": etag})
    snapshot = read_dataset(session, dataset, since)
    if dataset.name in NAMES_PEOPLE:
        scope = "all rows" if since is None else f"changes since version {since}"
        record_audit(
            session,
            user,
            AuditAction.READ,
            "reference",
            dataset.name,
            f"version {dataset.version}, {scope}",
            user.workstation,
        )
        session.commit()
    response.headers["ETag"] = etag
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
