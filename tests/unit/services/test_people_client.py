"""The people API client against the real server: typed answers, and refusals as the
station's typed errors carrying the server's sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from station_app.services.api import ApiSession
from station_app.services.errors import ConflictError, NotFoundError, ValidationProblem
from station_app.services.people import PeopleClient, PersonQuery
from tests.fixtures.people import import_index, set_markers


def client_for(server, username: str) -> PeopleClient:
    session = ApiSession(server.url, workstation="test-ws")
    session.token = server.token_for(username)
    return PeopleClient(session)


def test_search_read_merge_and_unmerge(live_server, tmp_path):
    ids = import_index(live_server, tmp_path)
    set_markers(live_server, ids["T-01"], ["medical"])
    desk = client_for(live_server, "frontdesk")

    found = desk.search(
        PersonQuery(surname="Smith", forenames="John Paul", date_of_birth=dt.date(1984, 2, 7)),
        limit=3,
    )
    assert found[0].person_id == ids["T-01"] and len(found) <= 3
    assert found[0].warning_markers == ("medical",) and found[0].reasons
    assert found[0].date_of_birth == dt.date(1984, 7, 2)

    person = desk.person(ids["T-01"])
    assert (person.surname, person.forenames, person.pnc_id) == ("Smyth", "John Paul", "99/123456X")
    assert person.warning_markers == (("medical", "Medical condition"),)
    assert person.current_address is not None
    assert person.current_address.postcode == "LS1 4AB"

    with pytest.raises(NotFoundError) as missing:
        desk.person("P-999999")
    assert "There is no person P-999999." in str(missing.value)
    with pytest.raises(ValidationProblem) as nameless:
        desk.search(PersonQuery(date_of_birth=dt.date(1984, 7, 2)))
    assert "a date of birth alone fits too many people" in str(nameless.value)

    supervisor = client_for(live_server, "supervisor")
    suggestions, _more = supervisor.duplicates()
    assert all(s.first.person_id != s.second.person_id for s in suggestions)
    with pytest.raises(ValidationProblem):
        supervisor.merge(ids["T-02"], ids["T-02"], "the same person")
    kept = supervisor.merge(ids["T-01"], ids["T-02"], "test merge")
    assert kept.person_id == ids["T-01"] and kept.merged_people == (ids["T-02"],)
    with pytest.raises(ConflictError):
        supervisor.merge(ids["T-03"], ids["T-02"], "already merged")
    restored = supervisor.unmerge(ids["T-02"], "not the same")
    assert restored.person_id == ids["T-02"] and restored.merged_into is None
