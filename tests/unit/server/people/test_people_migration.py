"""Migration people_0001 on a database that already holds crime reports, custody records and
case files (the demo seed plus a report with a suspect and witnesses): everyone they name
becomes a person linked to the record with their role, nothing is lost and nobody is merged.
On SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import func, select

from station_app.server.casefiles.people import people_named as casefile_people
from station_app.server.core.db import alembic_config, make_engine
from station_app.server.core.links import RecordLink
from station_app.server.custody.people import people_named as custody_people
from station_app.server.incidents.people import people_named as incident_people
from station_app.server.people.models import Person, PersonKey, PersonMerge
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer


def test_everyone_already_named_becomes_a_person_linked_to_their_record(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    post(
        server,
        server.token_for("frontdesk"),
        walk_in(
            suspects=[{"name": "Mary van der Berg", "date_of_birth": "1970-02-03"}],
            witnesses=[{"name": "Ezra Blackthorn"}, {"name": "Ezra Blackthorn"}],
        ),
    )
    engine = make_engine(server.database_url)
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "people@-1")  # as before people existed
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    finally:
        engine.dispose()

    with server.db_session() as session:
        named = {
            "incident": incident_people(session, None),
            "custody_record": custody_people(session, None),
            "casefile": casefile_people(session, None),
        }
        people = {p.id: p for p in session.scalars(select(Person))}
        links = session.scalars(select(RecordLink)).all()
        merges = session.scalar(select(func.count(PersonMerge.id)))
        keyed = set(session.scalars(select(PersonKey.person_id).distinct()))

    assert all(named.values())  # the records are all still there
    expected = {
        (record_type, reference, a.role, a.slot): a
        for record_type, records in named.items()
        for reference, appearances in records.items()
        for a in appearances
        if a.surname or a.forenames or a.date_of_birth or a.description
    }
    found = {(link.record_type, link.reference, link.role, link.slot): link for link in links}
    assert set(found) == set(expected)  # every role of every record, and nothing else
    slots = {(t, r, s) for t, r, _role, s in expected}
    assert len(people) == len(slots)  # one person per appearance: no two merged
    assert merges == 0 and all(p.merged_into_id is None for p in people.values())
    for key, appearance in expected.items():
        person = people[found[key].person_id]
        assert (person.surname, person.forenames) == (appearance.surname, appearance.forenames)
        assert person.date_of_birth == appearance.date_of_birth
        assert (person.origin_record_type, person.origin_reference) == key[:2]
        if appearance.address:
            assert person.addresses[0].address == appearance.address
    assert keyed == set(people)  # every person can be searched for
    witnesses = [p for p in people.values() if p.surname == "Blackthorn"]
    assert len(witnesses) == 3  # the reporter of a demo report, and two witnesses of this one
    assert any((p.surname, p.forenames) == ("van der Berg", "Mary") for p in people.values())
