"""The composition root of the core API: the features this server is made of, in one list,
and `create_app(settings)`, which builds the app from them (core/factory.py). The only
module that knows every feature, with the demo seed and the command line."""

from __future__ import annotations

import os

from fastapi import FastAPI

from station_app.server.audit.feature import FEATURE as AUDIT
from station_app.server.auth.feature import FEATURE as AUTH
from station_app.server.casefiles.feature import FEATURE as CASEFILES
from station_app.server.core.config import (
    SETTINGS_ENVIRONMENT,
    ServerSettings,
    settings_from_json,
)
from station_app.server.core.factory import build_app, ready_to_serve
from station_app.server.core.feature import Feature
from station_app.server.custody.feature import FEATURE as CUSTODY
from station_app.server.incidents.feature import FEATURE as INCIDENTS
from station_app.server.people.feature import FEATURE as PEOPLE
from station_app.server.reference.feature import FEATURE as REFERENCE

# In the order their demo data builds on each other: reference data first (the other seeds
# name offences and stations), then the accounts, then the records, then the people the
# records name.
FEATURES: tuple[Feature, ...] = (REFERENCE, AUTH, AUDIT, INCIDENTS, CUSTODY, CASEFILES, PEOPLE)


def create_app(settings: ServerSettings) -> FastAPI:
    return build_app(settings, FEATURES)


def create_worker_app() -> FastAPI:
    """The app of one worker of `station-server serve --workers N` (a uvicorn app factory):
    each worker process builds its own, from the settings the command put in its
    environment. Workers share nothing but the database."""
    from station_app.server.core.observability import configure_json_logging

    configure_json_logging()  # a spawned process: the parent's logging is not inherited
    return ready_to_serve(create_app(settings_from_json(os.environ[SETTINGS_ENVIRONMENT])))
