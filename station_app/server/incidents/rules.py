"""Checks on a walk-in report beyond its JSON shape: `domain.walk_in`, the same checks the
New walk-in report form makes before it sends, each answered in the officer's words with
the field it belongs to (docs/api.md, "Errors": `errors[].field`)."""

from __future__ import annotations

from datetime import UTC, datetime

from station_app.domain.walk_in import check_walk_in
from station_app.server.incidents.schemas import IncidentIn


def check_report(
    report: IncidentIn, now: datetime | None = None
) -> tuple[IncidentIn, dict[str, str]]:
    """The report with postcodes normalised, and a message per field that needs correcting."""
    checked, errors = check_walk_in(report.model_dump(), now or datetime.now(UTC))
    return IncidentIn.model_validate(checked), errors
