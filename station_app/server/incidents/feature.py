"""The walk-in crime reports feature, as the composition root lists it. Other features
refer to its reports by crime reference number, as the "incident" record type."""

from __future__ import annotations

from station_app.domain.incidents import READ_ROLES
from station_app.server.core.feature import Feature
from station_app.server.core.links import RecordType
from station_app.server.incidents import journey
from station_app.server.incidents.people import people_named
from station_app.server.incidents.router import router
from station_app.server.incidents.seed import seed_demo_incidents
from station_app.server.incidents.store import existing_references

INCIDENT = RecordType(
    "incident",
    "crime report",
    find=existing_references,
    people=people_named,
    hear=journey.hear,
    summarise=journey.summarise,
    readers=frozenset(role.value for role in READ_ROLES),
)

FEATURE = Feature(
    name="incidents", routers=(router,), record_types=(INCIDENT,), seed=seed_demo_incidents
)
