"""`station-server import-people FILE.csv` and `station-server people duplicates` as an
administrator runs them: real processes on SQLite and PostgreSQL (shared/docs/people.md)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from station_app.server.core.audit import AuditEvent
from station_app.server.core.db import make_engine, make_session_factory
from station_app.server.people.models import Person, PersonRef
from tests.fixtures.live_server import postgres_schema, sqlite_url

REPO = Path(__file__).resolve().parents[4]

ROWS = """ref,surname,forenames,date_of_birth,address,postcode,pnc_id,cro,gender,aliases
rec-1016-org,Smyth,John Paul,1984-07-02,"12 Mill Lane, Leeds",ls14ab,99/123456X,,male,"Smith, Jack"
rec-1017-org,Smyth,John Paul,1984-07-02,"12 Mill Lane, Leeds",LS1 4AB,,,male,
rec-1018-org,Nowak,Łukasz,31/13/1990,"7 Dock Street, Hull",HU1 1AA,,123456/99Z,,
rec-1019-org,,,1970-01-01,,,,,,
rec-1016-org,Smyth,John,1984-07-02,,,,,,
rec-1020-org,Williams,Siân,02/11/1978,,CF10 1AA,99/123456Y,,female,
"""


def station_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_app.server", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "people.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def test_import_people_one_person_per_row_never_merged(database_url: str, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(ROWS, encoding="utf-8")

    imported = station_server("import-people", str(csv), "--database-url", database_url)
    duplicates = station_server("people", "duplicates", "--database-url", database_url)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == (
        "people.csv: 6 rows read, 4 imported, 2 set aside (1 with no name, 1 whose ref was "
        "imported before); 1 dates of birth that were not dates left out; 1 CRO numbers "
        "that failed their check left out; 1 PNC IDs that failed their check left out"
    )
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            people = {
                ref: person
                for ref, person in session.execute(
                    select(PersonRef.ref, Person).join(Person, Person.id == PersonRef.person_id)
                ).all()
            }
            trail = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "people"))
            audit = [(e.action, e.record_id, e.detail) for e in trail]
    finally:
        engine.dispose()
    assert sorted(people) == ["rec-1016-org", "rec-1017-org", "rec-1018-org", "rec-1020-org"]
    first, twin = people["rec-1016-org"], people["rec-1017-org"]
    assert first.id != twin.id  # the same details twice are two people until a person merges
    assert first.pnc_id == "99/123456X" and first.gender == "male"
    assert [(a.surname, a.forenames) for a in first.aliases] == [("Smith", "Jack")]
    assert [(a.address, a.postcode) for a in first.addresses] == [
        ("12 Mill Lane, Leeds", "LS1 4AB")
    ]
    assert people["rec-1018-org"].date_of_birth is None and people["rec-1018-org"].cro is None
    assert str(people["rec-1020-org"].date_of_birth) == "1978-11-02"  # DD/MM/YYYY read too
    assert people["rec-1020-org"].pnc_id is None
    assert audit == [("create", "import", imported.stdout.strip())]
    assert duplicates.returncode == 0, duplicates.stderr
    lines = duplicates.stdout.splitlines()
    assert lines[0] == "4 people compared; 1 suggested merges"
    assert "John Paul Smyth 1984-07-02" in lines[1] and "same date of birth" in lines[1]


def test_a_file_without_the_columns_is_refused_whole(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "people.db")
    csv = tmp_path / "wrong.csv"
    csv.write_text("ref,name\nX-1,Someone\n", encoding="utf-8")

    refused = station_server("import-people", str(csv), "--database-url", url)

    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        f"Could not import {csv}: The file has no column surname, forenames, date_of_birth, "
        "address, postcode. The first row must name the columns "
        "ref,surname,forenames,date_of_birth,address,postcode (then pnc_id, cro, gender, "
        "aliases if held). Nothing was changed."
    )
