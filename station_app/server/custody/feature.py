"""The custody suite feature, as the composition root lists it. Other features refer to its
records by custody record number, as the "custody_record" record type."""

from __future__ import annotations

from station_app.domain.custody_rules import READERS
from station_app.server.core.feature import Feature
from station_app.server.core.links import RecordType
from station_app.server.custody import journey
from station_app.server.custody.people import people_named
from station_app.server.custody.router import router
from station_app.server.custody.rules import check_care_rules
from station_app.server.custody.seed import seed_demo_custody
from station_app.server.custody.store import existing_numbers

CUSTODY_RECORD = RecordType(
    "custody_record",
    "custody record",
    find=existing_numbers,
    people=people_named,
    summarise=journey.summarise,
    readers=frozenset(READERS),
)

FEATURE = Feature(
    name="custody",
    routers=(router,),
    record_types=(CUSTODY_RECORD,),
    seed=seed_demo_custody,
    append_only=("custody_event",),  # Code C 2: entries are evidence (migration custody_0001)
    checks=(check_care_rules,),  # APP: levels 3 and 4 are never periodic checks
)
