"""The case files feature, as the composition root lists it. Others may refer to its files
as the "casefile" record type and to their court hearings as "hearing"; it refers to crime
reports and custody records through the link registry (core/links.py), and opens or adds
to a case when custody charges someone (the case sink)."""

from __future__ import annotations

from station_app.domain.file_standard import CASEFILE_READ_ROLES
from station_app.server.casefiles import documents, hearings
from station_app.server.casefiles.access import RECORD
from station_app.server.casefiles.journey import case_from_charge, summarise_cases
from station_app.server.casefiles.people import people_named
from station_app.server.casefiles.router import router
from station_app.server.casefiles.seed import seed_casefiles
from station_app.server.casefiles.store import existing_references
from station_app.server.core.feature import Feature
from station_app.server.core.links import RecordType

READERS = frozenset(role.value for role in CASEFILE_READ_ROLES)

CASE_FILE = RecordType(
    RECORD,
    "case file",
    find=existing_references,
    people=people_named,
    summarise=summarise_cases,
    readers=READERS,
    parts=hearings.hearings_of,
)
HEARING = RecordType(
    hearings.RECORD,
    "court hearing",
    find=hearings.existing_hearings,
    people=hearings.defendants_at,
    summarise=hearings.summarise_hearings,
    readers=READERS,
)

FEATURE = Feature(
    name="casefiles",
    routers=(router, documents.router),
    record_types=(CASE_FILE, HEARING),
    seed=seed_casefiles,
    case_sink=case_from_charge,
    # An edit that takes a crime reference or custody number out of a case takes back its
    # link (journey.relate_named_records); links are the core's table, deleted only here.
    deletes_from=("record_relation",),
)
