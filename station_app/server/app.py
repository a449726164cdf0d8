"""The app factory of the core API: `create_app(settings)` wires the database, the error
handlers and the routers; nothing is global, so tests can run several apps at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from station_app import __version__
from station_app.server.casefiles import router as casefiles
from station_app.server.config import ServerSettings
from station_app.server.custody.router import router as custody_router
from station_app.server.db import make_engine, make_session_factory
from station_app.server.incidents import router as incidents
from station_app.server.problems import install_problem_handlers
from station_app.server.routers import audit, auth, health, reference

API_PREFIX = "/api/v1"


def create_app(settings: ServerSettings) -> FastAPI:
    engine = make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()  # the pool reopens if the same app is served again

    app = FastAPI(
        title="Station core API",
        version=__version__,
        description="The core API behind the Station workstation. See docs/api.md.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    install_problem_handlers(app)
    for router in (
        health.router,
        auth.router,
        reference.router,
        audit.router,
        incidents.router,
        casefiles.router,
        custody_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    return app
