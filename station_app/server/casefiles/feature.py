"""The case files feature, as the composition root lists it. Others may refer to its files
as the "casefile" record type; it refers to crime reports and custody records through the
link registry (core/links.py)."""

from __future__ import annotations

from station_app.server.casefiles import documents
from station_app.server.casefiles.access import RECORD
from station_app.server.casefiles.people import people_named
from station_app.server.casefiles.router import router
from station_app.server.casefiles.seed import seed_casefiles
from station_app.server.casefiles.store import existing_references
from station_app.server.core.feature import Feature
from station_app.server.core.links import RecordType

CASE_FILE = RecordType(RECORD, "case file", find=existing_references, people=people_named)

FEATURE = Feature(
    name="casefiles",
    routers=(router, documents.router),
    record_types=(CASE_FILE,),
    seed=seed_casefiles,
)
