"""The audit trail feature, as the composition root lists it."""

from __future__ import annotations

from station_app.server.audit.router import router
from station_app.server.core.feature import Feature

FEATURE = Feature(name="audit", routers=(router,))
