"""Reference data for the client cache: the dataset list, and each dataset whole or as
changes since a version, with ETags so an unchanged dataset costs a 304."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi import Path as PathParam
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import current_user, get_session, require_roles
from station_app.server.core.fields import INT32_MAX
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import ProblemError, problem_responses
from station_app.server.core.reference_data import get_dataset, list_datasets
from station_app.server.core.versions import etag_matches
from station_app.server.reference.mapping import dataset_content_out, dataset_list_out
from station_app.server.reference.schemas import DatasetContent, DatasetList
from station_app.server.reference.store import (
    dataset_etag,
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
    return dataset_list_out(datasets, counts)


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
        int | None, Query(ge=0, le=INT32_MAX, description="Only changes after this version.")
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
    return dataset_content_out(snapshot)
