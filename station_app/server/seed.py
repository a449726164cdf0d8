"""The demo seed: each feature's demo data in turn (synthetic reference data, one user per
role, a few reports, detainees and case files), as `station-server seed-demo` and an
embedded demo server's first start add it.

Idempotent: each feature adds only what is missing of its own demo data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.clock import london
from station_app.domain.court import Outcome, Plea, Remand
from station_app.server.app import FEATURES
from station_app.server.auth.seed import DEMO_PASSWORD
from station_app.server.casefiles import hearings
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.schemas import HearingIn, ResultIn, ResultsIn
from station_app.server.core.feature import Feature, link_registry
from station_app.server.core.links import LinkRegistry, RecordNote
from station_app.server.custody.models import CustodyRecord
from station_app.server.incidents.models import Incident

__all__ = ["DEMO_PASSWORD", "SeedReport", "seed_demo"]


@dataclass
class SeedReport:
    added: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return self.added or ["demo data already present; nothing to do"]


def seed_demo(session: Session, features: Sequence[Feature] = FEATURES) -> SeedReport:
    """Add whatever part of the demo data is missing; each feature commits its own. Seeds
    that need the other features' records (people) run last, with the link registry."""
    report = SeedReport()
    for feature in features:
        if feature.seed is not None:
            report.added.extend(feature.seed(session))
    links = link_registry(features)
    for feature in features:
        if feature.linked_seed is not None:
            report.added.extend(feature.linked_seed(session, links))
    if {"incidents", "custody", "casefiles"} <= {feature.name for feature in features}:
        report.added.extend(seed_journey(session, links))
    return report


# --- the demo story of issue 10 --------------------------------------------------------------
# The invented Dale Pemberton: suspect of the HX shop theft report, booked in at HX for it,
# charged into case file SW-26-0142, and at court once (not guilty plea, adjourned on bail).
STORY_CASE = "SW-26-0142"
STORY_DETECTIVE = "detective"  # auth/seed.py DEMO_USERS


def seed_journey(session: Session, links: LinkRegistry) -> list[str]:
    """Link the story's records through the core (their timelines told), and give the case
    its first hearing with a result. Idempotent: nothing when the custody record is linked."""
    incident = session.scalars(
        select(Incident)
        .where(Incident.station_code == "HX", Incident.offence_code == "TH68010")
        .order_by(Incident.id)
    ).first()
    record = session.scalars(
        select(CustodyRecord).where(CustodyRecord.surname == "Pemberton").order_by(CustodyRecord.id)
    ).first()
    case = session.scalars(select(CaseFile).where(CaseFile.reference == STORY_CASE)).first()
    if incident is None or record is None or case is None:
        return []
    if links.related(session, "custody_record", record.custody_number):
        return []
    crime, number = incident.reference, record.custody_number
    links.relate(session, "custody_record", number, "incident", crime, "arrest", "seed")
    arrested_at = record.opened_at - timedelta(minutes=25)
    links.tell(
        session,
        "incident",
        crime,
        RecordNote(
            kind="arrest",
            text=f"Dale Pemberton arrested and booked in at HX custody: custody record {number}.",
            source_type="custody_record",
            source_reference=number,
            at=arrested_at,
            data={"custody_number": number, "record_id": record.id, "name": "Dale Pemberton"},
        ),
        "seed",
    )
    case.incident_refs = list(dict.fromkeys([*case.incident_refs, crime]))
    case.custody_refs = list(dict.fromkeys([*case.custody_refs, number]))
    links.relate(session, "casefile", STORY_CASE, "custody_record", number, "charge", "seed")
    links.relate(session, "casefile", STORY_CASE, "incident", crime, "crime", "seed")
    links.tell(
        session,
        "incident",
        crime,
        RecordNote(
            kind="charge",
            text=f"Dale Pemberton charged ({number}): Theft from a shop. Case file {STORY_CASE}.",
            source_type="custody_record",
            source_reference=number,
            at=record.opened_at + timedelta(hours=3),
            data={"custody_number": number, "case_file": STORY_CASE, "offence_code": "TH68010"},
        ),
        "seed",
    )
    london_today = datetime.now(london()).replace(hour=10, minute=0, second=0, microsecond=0)
    first = hearings.add_hearing(
        session,
        case,
        HearingIn(court_code="MC-RVS", sitting_at=london_today - timedelta(days=2)),
        STORY_DETECTIVE,
    )
    next_sitting = london_today + timedelta(days=4)
    hearings.record_results(
        session,
        links,
        case,
        first,
        ResultsIn(
            results=[
                ResultIn(
                    defendant=1,
                    offence_code="TH68010",
                    plea=Plea.NOT_GUILTY,
                    outcome=Outcome.ADJOURNED,
                    remand=Remand.BAIL,
                    next_hearing_at=next_sitting,
                )
            ]
        ),
        STORY_DETECTIVE,
    )
    session.commit()
    return [f"journey: {crime} -> {number} -> {STORY_CASE} -> first hearing (the demo story)"]
