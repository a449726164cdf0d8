"""The app factory: `build_app(settings, features)` wires the database, the error handlers,
the edge (request checks and security headers), the OpenAPI document, the health route,
the link registry and each feature's routers under the API prefix.
Nothing is global, so tests can run several apps at once."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI

from station_app import __version__
from station_app.domain.wire import API_PREFIX
from station_app.server.core import chain, health
from station_app.server.core.admission import DatabaseAdmission
from station_app.server.core.config import ServerSettings
from station_app.server.core.db import make_engine, make_session_factory
from station_app.server.core.edge import EDGE_DEPENDENCIES, install_edge
from station_app.server.core.feature import Feature, link_registry
from station_app.server.core.observability import install_observability, route_templates
from station_app.server.core.openapi import install_docs_page, install_openapi
from station_app.server.core.problems import install_problem_handlers
from station_app.server.core.transport import StrictTransportMiddleware


def build_app(settings: ServerSettings, features: Sequence[Feature]) -> FastAPI:
    names = [feature.name for feature in features]
    if len(set(names)) != len(names):
        raise ValueError(f"A feature is listed twice: {names}.")
    for feature in features:
        for check in feature.checks:
            check()  # a refused rules file stops the server here, saying why
    engine = make_engine(
        settings.database_url,
        pool_size=settings.pool_size,
        pool_overflow=settings.pool_overflow,
        statement_timeout_ms=settings.statement_timeout_ms,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()  # the pool reopens if the same app is served again

    app = FastAPI(
        title="Station core API",
        version=__version__,
        description="The core API behind the Station workstation. See docs/api.md.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # core/openapi.py serves it only when the settings ask (issue 12, #14)
        redoc_url=None,
        lifespan=lifespan,
        dependencies=EDGE_DEPENDENCIES,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.links = link_registry(features)
    install_problem_handlers(app)
    app.add_middleware(StrictTransportMiddleware)
    install_edge(app)
    # One request inside per database connection the worker may open (core/admission.py);
    # the time one waits to come in is part of its latency, measured outside.
    app.add_middleware(DatabaseAdmission, slots=settings.pool_size + settings.pool_overflow)
    # Outermost: every answer, refusals by the edge included, is counted and logged.
    metrics = install_observability(app, engine, settings.metrics_token_hash)
    app.state.metrics = metrics
    app.state.session_factory = make_session_factory(engine, info={"metrics": metrics})
    install_openapi(app)
    if settings.api_docs:
        install_docs_page(app)
    app.include_router(health.router, prefix=API_PREFIX)
    app.include_router(chain.router, prefix=API_PREFIX)  # the crime view, over every feature
    for feature in features:
        for router in feature.routers:
            app.include_router(router, prefix=API_PREFIX)
    return app


def ready_to_serve(app: FastAPI) -> FastAPI:
    """What a serving process does once, before its first request: the routes' metric labels
    worked out (not on the first request, which took half a second longer), then
    everything made so far handed to the collector's permanent generation with
    `gc.freeze()`. Those objects live as long as the process, and a full collection walked
    them all again, about 140 ms here, landing on whichever request was running
    (docs/people-search.md, "Where the time goes"). Not for tests, which build many apps in
    one process: frozen objects are never collected."""
    route_templates(app)
    gc.collect()
    gc.freeze()
    return app
