"""Health check: is the server up, which version, and is it a demo. Part of every app."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from station_app import __version__
from station_app.server.core.config import ServerSettings
from station_app.server.core.deps import PUBLIC, get_settings

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    demo: bool


@router.get("/health", dependencies=[PUBLIC], summary="Is the server up")
def health(settings: Annotated[ServerSettings, Depends(get_settings)]) -> Health:
    return Health(status="ok", version=__version__, demo=settings.demo)
