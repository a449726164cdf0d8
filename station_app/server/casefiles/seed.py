"""Demo data for case files: the rules file as the `file_standard` reference dataset, and
two invented cases for the demo detective. Idempotent, like the rest of the demo seed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.server.casefiles import schemas, store
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.rules import import_file_standard
from station_app.server.core.reference_data import ImportResult

DEMO_DETECTIVE = ("detective", "Sam Okafor")  # auth/seed.py DEMO_USERS; an invented officer
DEMO_STATION = "SW"  # the demo detective's station: the cases belong to it (core/stations.py)


def _mg11(name: str, text: str) -> schemas.FormIn:
    return schemas.FormIn(
        form="MG11",
        title=f"MG11 statement of {name}",
        key=True,
        data={
            "witness_name": name,
            "over_18": True,
            "address": "14 Quayside Row, Exampleton",
            "occupation": "Shop manager",
            "statement": text,
            "declaration_made": True,
            "signed_by_witness": name,
            "statement_date": (store.today() - timedelta(days=3)).isoformat(),
        },
    )


def seed_casefiles(session: Session) -> list[str]:
    """Add what is missing, then commit; returns lines for the seed report."""
    lines = []
    result: ImportResult | None = import_file_standard(session)
    if result is not None:
        lines.append(result.summary())
    if session.scalars(select(CaseFile.id).limit(1)).first() is not None:
        session.commit()
        return lines
    username, officer = DEMO_DETECTIVE
    today = store.today()
    shop = CaseFile(
        reference="SW-26-0142",
        status="draft",
        officer_username=username,
        officer_name=officer,
        station_code=DEMO_STATION,
        override_reason="",
    )
    store.apply_fields(
        shop,
        schemas.CaseFields(
            file_type="anticipated_guilty_plea",
            incident_refs=["SW/26/004211"],
            custody_refs=["SW-26-00871"],
            suspects=[
                schemas.Suspect(
                    name="Dale Pemberton",
                    date_of_birth=date(1993, 8, 14),
                    charges=[schemas.Charge(offence_code="TH68010", wording="Theft from a shop")],
                )
            ],
            hearing_date=today + timedelta(days=4),
            court_code="MC-RVS",
        ),
    )
    assault = CaseFile(
        reference="SW-26-0157",
        status="draft",
        officer_username=username,
        officer_name=officer,
        station_code=DEMO_STATION,
        override_reason="",
    )
    store.apply_fields(
        assault,
        schemas.CaseFields(
            file_type="anticipated_not_guilty_plea",
            conditions=["special_measures_needed"],
            incident_refs=["SW/26/004390"],
            suspects=[
                schemas.Suspect(
                    name="Kira Vance",
                    charges=[
                        schemas.Charge(offence_code="DMTH002", wording="Theft from the person")
                    ],
                )
            ],
            hearing_date=today + timedelta(days=11),
            court_code="MC-NGT",
        ),
    )
    session.add_all([shop, assault])
    session.flush()
    store.save_form(
        session,
        shop,
        schemas.FormIn(
            form="MG5",
            data={
                "summary": "On the afternoon in question the suspect was seen on the store's CCTV "
                "taking two bottles of spirits and leaving without paying.",
                "officer_name": officer,
            },
        ),
        username,
    )
    store.save_form(
        session,
        assault,
        _mg11(
            "Nadia Brook", "I was waiting at the bus stop when a woman took my phone from my hand."
        ),
        username,
    )
    store.save_form(
        session,
        assault,
        schemas.FormIn(
            form="MG6C",
            data={"disclosure_officer": officer},
            items=[
                schemas.ScheduleItemIn(description="Crime report SW/26/004390"),
                schemas.ScheduleItemIn(description="999 call recording and log"),
            ],
        ),
        username,
    )
    store.save_form(
        session,
        assault,
        schemas.FormIn(
            form="MG6D",
            data={"disclosure_officer": officer, "nil": True, "signed_by": officer},
        ),
        username,
    )
    session.commit()
    lines.append("case files: 2 demo cases added")
    return lines
