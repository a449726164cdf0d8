"""Health and readiness: `/health` says the process is up (liveness: restart it if not),
`/ready` says it can serve (its database answers and is at this version's schema: send it
work). Part of every app; both public, as a load balancer asks them without a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from station_app import __version__
from station_app.server.core.config import ServerSettings
from station_app.server.core.db import schema_is_current
from station_app.server.core.deps import PUBLIC, get_settings
from station_app.server.core.problems import (
    DATABASE_UNAVAILABLE,
    ProblemError,
    problem_responses,
)

router = APIRouter(tags=["health"])

OLD_SCHEMA = (
    "The database schema is not the one this version of Station needs. Run "
    "`station-server migrate` with the owner's database URL (docs/deployment.md)."
)


class Health(BaseModel):
    status: str
    version: str
    demo: bool


class Ready(BaseModel):
    status: str
    version: str


@router.get("/health", dependencies=[PUBLIC], summary="Is the server up (liveness)")
def health(settings: Annotated[ServerSettings, Depends(get_settings)]) -> Health:
    return Health(status="ok", version=__version__, demo=settings.demo)


@router.get(
    "/ready",
    dependencies=[PUBLIC],
    summary="Can the server serve: database reachable, schema at this version (readiness)",
    responses=problem_responses(503),
)
def ready(request: Request) -> Ready:
    engine: Engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = schema_is_current(engine)
    except SQLAlchemyError as error:
        raise ProblemError(
            503, DATABASE_UNAVAILABLE, title="Not ready", headers={"Retry-After": "5"}
        ) from error
    if not current:
        raise ProblemError(503, OLD_SCHEMA, title="Not ready")
    return Ready(status="ready", version=__version__)
