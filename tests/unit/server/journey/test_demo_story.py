"""The demo data tells the journey's story (issue 10): the invented Dale Pemberton appears
in a crime report, a custody record, a case file and a court hearing, as one person, and the
crime view from the report walks the whole chain. The test server is demo-seeded."""

from __future__ import annotations

from sqlalchemy import select

from station_app.domain.roles import Role
from station_app.server.core.links import RecordLink
from station_app.server.incidents.models import Incident
from station_app.server.seed import seed_demo
from tests.fixtures.journey import crime_view, read_report
from tests.fixtures.live_server import LiveServer
from tests.fixtures.people import every_record_reader, read, search


def test_one_demo_person_is_in_a_report_a_custody_record_a_case_file_and_a_hearing(
    live_server: LiveServer,
) -> None:
    reader = every_record_reader(live_server)
    found = search(live_server, reader, surname="Pemberton", forenames="Dale").json()

    person = read(live_server, reader, found["candidates"][0]["person_id"]).json()

    kinds = {r["record_type"] for r in person["roles"]}
    assert {"incident", "custody_record", "casefile", "hearing"} <= kinds
    assert ("hearing", "SW-26-0142/H1", "defendant") in {
        (r["record_type"], r["reference"], r["role"]) for r in person["roles"]
    }


def test_the_demo_reports_crime_view_walks_to_the_hearing_and_its_timeline_tells_it(
    live_server: LiveServer,
) -> None:
    with live_server.db_session() as session:
        crime = session.scalars(
            select(Incident.reference).where(
                Incident.station_code == "HX", Incident.offence_code == "TH68010"
            )
        ).one()

    # A detective who also keeps custody records, at Southwark covering Hoxton: every record
    # of the chain is theirs to see.
    live_server.create_user("cid-custody", [Role.DETECTIVE, Role.CUSTODY_OFFICER], covers=["HX"])
    chain = crime_view(live_server, crime, "cid-custody").json()["records"]
    timeline = read_report(live_server, crime, "cid-custody")["timeline"]

    assert [(r["record_type"], r["reference"]) for r in chain][:3] == [
        ("incident", crime),
        ("custody_record", chain[1]["reference"]),
        ("casefile", "SW-26-0142"),
    ]
    hearings = [r for r in chain if r["record_type"] == "hearing"]
    assert [h["reference"] for h in hearings] == ["SW-26-0142/H1", "SW-26-0142/H2"]
    assert "Dale Pemberton: Theft from a shop" in " ".join(hearings[0]["lines"])
    assert all(r["shown"] for r in chain if r["reference"] != "SW/26/004211"), chain
    # The demo case also names a report typed before Station kept them: said so, not hidden.
    (typed,) = [r for r in chain if r["reference"] == "SW/26/004211"]
    assert typed["reason"] == "There is no crime report SW/26/004211 on this server."
    assert [line["kind"] for line in timeline][-3:] == ["arrest", "charge", "court_result"]
    assert "adjourned on bail" in timeline[-1]["text"]


def test_seeding_again_adds_nothing(live_server: LiveServer) -> None:
    with live_server.db_session() as session:
        before = len(session.scalars(select(RecordLink.id)).all())
        report = seed_demo(session)
        after = len(session.scalars(select(RecordLink.id)).all())

    assert not any(line.startswith("journey:") for line in report.added)
    assert after == before
