"""Person search over real HTTP on SQLite and PostgreSQL: the public contract of
shared/docs/people.md field by field, every kind of slip finding the right person first
with a reason, what is refused (and what never is), and the audit row of each search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from station_app.server.core.audit import AuditEvent
from tests.fixtures.live_server import LiveServer, assert_problem
from tests.fixtures.people import add_old_address, import_index, search

CANDIDATE_FIELDS = {
    "person_id",
    "score",
    "surname",
    "forenames",
    "date_of_birth",
    "addresses",
    "refs",
    "reasons",
}

# (what was typed, the row it must find first, words one of its reasons must hold)
SLIPS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "typing error",
        {"surname": "Jobes", "forenames": "William", "date_of_birth": "1975-01-09"},
        "T-05",
        "surname spelt differently (Jobes/Jones)",
    ),
    (
        "transposed letters",
        {"surname": "Smtyh", "forenames": "John", "date_of_birth": "1984-07-02"},
        "T-01",
        "letters swapped (Smtyh/Smyth)",
    ),
    (
        "sound-alike surname",
        {"surname": "Smith", "forenames": "John", "date_of_birth": "1984-07-02"},
        "T-01",
        "surname sounds alike (Smith/Smyth)",
    ),
    (
        "Mohammed/Muhammad",
        {"surname": "Mohammed", "forenames": "Ali", "date_of_birth": "1991-11-20"},
        "T-03",
        "surname sounds alike (Mohammed/Muhammad)",
    ),
    (
        "nickname Bill",
        {"surname": "Jones", "forenames": "Bill", "date_of_birth": "1975-01-09"},
        "T-05",
        "known as Bill (William)",
    ),
    ("nickname Peggy", {"surname": "Marsh", "forenames": "Peggy"}, "T-13", "Peggy"),
    (
        "names swapped",
        {"surname": "John", "forenames": "Smyth", "date_of_birth": "1984-07-02"},
        "T-01",
        "forename and surname swapped",
    ),
    (
        "part of a double-barrelled name",
        {"surname": "Lowe", "forenames": "Imogen"},
        "T-07",
        "part of a double-barrelled surname (Lowe/Fairweather-Lowe)",
    ),
    (
        "hyphen typed as a space",
        {"surname": "Fairweather Lowe", "forenames": "Imogen"},
        "T-07",
        "same surname",
    ),
    (
        "Siân without its accent",
        {"surname": "Williams", "forenames": "Sian", "date_of_birth": "1978-11-02"},
        "T-09",
        "same forename written without its accents (Sian/Siân)",
    ),
    (
        "Łukasz without its stroke",
        {"surname": "Nowak", "forenames": "Lukasz", "date_of_birth": "1990-06-13"},
        "T-10",
        "same forename written without its accents (Lukasz/Łukasz)",
    ),
    (
        "Zoë Brontë typed plain",
        {"surname": "Bronte", "forenames": "Zoe"},
        "T-12",
        "same surname written without its accents (Bronte/Brontë)",
    ),
    (
        "day and month swapped",
        {"surname": "Smyth", "forenames": "John", "date_of_birth": "1984-02-07"},
        "T-01",
        "date of birth: day and month swapped",
    ),
    (
        "one digit wrong",
        {"surname": "Williams", "forenames": "Sian", "date_of_birth": "1978-11-03"},
        "T-09",
        "date of birth: one digit different (1978-11-03/1978-11-02)",
    ),
    (
        "no forename, a postcode",
        {"surname": "Smyth", "postcode": "ls1 4ab"},
        "T-01",
        "lives at this postcode",
    ),
    (
        "no surname, a date of birth",
        {"forenames": "Imogen", "date_of_birth": "1986-09-29"},
        "T-07",
        "same date of birth",
    ),
    (
        "an old address",
        {"surname": "Smyth", "forenames": "John", "postcode": "YO1 7HH"},
        "T-01",
        "lived at this postcode before",
    ),
    (
        "middle name used",
        {"surname": "Smyth", "forenames": "Paul", "date_of_birth": "1984-07-02"},
        "T-01",
        "goes by the middle name Paul",
    ),
]


@pytest.fixture
def indexed(any_db_live_server: LiveServer, tmp_path: Path) -> tuple[LiveServer, dict[str, str]]:
    server = any_db_live_server
    ids = import_index(server, tmp_path)
    add_old_address(server, ids["T-01"], "3 Tannery Row, York", "YO1 7HH", (2010, 2019))
    return server, ids


def test_each_kind_of_slip_finds_the_right_person_first_and_says_why(
    indexed: tuple[LiveServer, dict[str, str]],
) -> None:
    server, ids = indexed
    token = server.token_for("frontdesk")
    wrong = []
    for name, typed, row, reason in SLIPS:
        response = search(server, token, **typed)
        assert response.status_code == 200, (name, response.text)
        candidates = response.json()["candidates"]
        first = candidates[0] if candidates else {"person_id": None, "reasons": []}
        if first["person_id"] != ids[row] or not any(reason in r for r in first["reasons"]):
            wrong.append((name, [(c["surname"], c["forenames"]) for c in candidates[:3]], first))
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True), name
    assert wrong == [], "\n".join(f"{w[0]}: {w[1]} {w[2]['reasons']}" for w in wrong)


def test_the_answer_is_the_contract_field_by_field(
    indexed: tuple[LiveServer, dict[str, str]],
) -> None:
    server, ids = indexed
    token = server.token_for("custody")

    response = search(
        server,
        token,
        surname="Smith",
        forenames="John",
        date_of_birth="1984-07-02",
        address="12 Mill Lane",
        postcode="LS1 4AB",
        limit=3,
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert list(body) == ["candidates"]
    candidates = body["candidates"]
    assert 1 <= len(candidates) <= 3
    first = candidates[0]
    assert set(first) >= CANDIDATE_FIELDS
    assert first["person_id"] == ids["T-01"]
    assert first["person_id"].startswith("P-") and len(first["person_id"]) == 8
    assert isinstance(first["score"], float) and 0.9 < first["score"] <= 1
    assert all(0 <= c["score"] <= 1 for c in candidates)
    assert (first["surname"], first["forenames"]) == ("Smyth", "John Paul")
    assert first["date_of_birth"] == "1984-07-02"
    assert first["addresses"] == ["12 Mill Lane, Leeds LS1 4AB", "3 Tannery Row, York YO1 7HH"]
    assert first["refs"] == ["T-01"]
    assert first["reasons"] == [
        "lives at this address",
        "same date of birth",
        "same forename",
        "surname sounds alike (Smith/Smyth)",
    ]  # strongest first
    assert all(isinstance(r, str) and r for r in first["reasons"])
    assert candidates[1]["person_id"] != first["person_id"]


def test_limit_defaults_to_ten_and_is_kept(any_db_live_server: LiveServer, tmp_path: Path) -> None:
    server = any_db_live_server
    rows = "\n".join(f"J-{n:02d},Jones,Gareth,19{50 + n}-03-0{1 + n % 9},,,,,," for n in range(14))
    import_index(server, tmp_path, "ref,surname,forenames,date_of_birth,address,postcode\n" + rows)
    token = server.token_for("detective")

    default = search(server, token, surname="Jones", forenames="Gareth").json()["candidates"]
    three = search(server, token, surname="Jones", forenames="Gareth", limit=3).json()
    fifty = search(server, token, surname="Jones", forenames="Gareth", limit=50).json()

    assert len(default) == 10
    assert len(three["candidates"]) == 3
    assert len(fifty["candidates"]) == 14


def test_a_date_of_birth_alone_and_other_bad_questions_get_a_sentence(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    token = server.token_for("frontdesk")

    alone = assert_problem(search(server, token, date_of_birth="1984-07-02"), 422)
    nothing = assert_problem(search(server, token), 422)
    blank = assert_problem(search(server, token, surname="  ", forenames=""), 422)
    shape = assert_problem(search(server, token, surname="Smyth", date_of_birth="02/07/1984"), 422)
    no_day = assert_problem(search(server, token, surname="Smyth", date_of_birth="1984-02-30"), 422)
    limits = [
        assert_problem(search(server, token, surname="Smyth", limit=value), 422)
        for value in (0, 51, "ten", 2.5, True)
    ]

    assert alone["detail"] == (
        "Give a surname or forenames as well as the date of birth: a date of birth alone "
        "fits too many people."
    )
    assert alone["errors"] == [{"field": "surname", "message": alone["detail"]}]
    assert nothing["detail"] == "Give a surname or forenames to search for a person."
    assert blank["detail"] == nothing["detail"]
    assert shape["errors"][0]["field"] == "date_of_birth"
    assert shape["detail"] == "Give the date of birth as YYYY-MM-DD, for example 1984-07-02."
    assert no_day["detail"].startswith("There is no such date as 1984-02-30.")
    assert {problem["detail"] for problem in limits} == {"Ask for between 1 and 50 people."}


def test_nothing_else_is_refused_for_its_form(indexed: tuple[LiveServer, dict[str, str]]) -> None:
    server, ids = indexed
    token = server.token_for("frontdesk")
    questions: list[dict[str, Any]] = [
        {"surname": "Smyth", "postcode": "75008 Paris"},  # foreign
        {"surname": "Smyth", "postcode": "LS1"},  # partial
        {"surname": "Smyth", "postcode": "LSI 4AB"},  # mistyped
        {"surname": "Smyth", "postcode": None, "address": None, "date_of_birth": None},
        {"surname": "Smyth!!", "forenames": "J0hn", "address": "x" * 5000},
        {"surname": "Smyth\x00\x07", "forenames": "\tJohn\n"},  # control characters
        {"surname": "Smyth", "unexpected": "ignored", "limit": "5"},
        {"forenames": "Łukasz ÆØÅ 山田"},
        {"surname": "Smyth\ud800", "address": "\x85\x9f"},  # a lone surrogate, C1 controls
    ]

    answers = [search(server, token, **question) for question in questions]

    assert [a.status_code for a in answers] == [200] * len(questions), [a.text for a in answers]
    assert answers[0].json()["candidates"][0]["person_id"] == ids["T-01"]
    assert answers[5].json()["candidates"][0]["person_id"] == ids["T-01"]


def test_each_search_writes_one_audit_row_with_only_what_was_typed(
    indexed: tuple[LiveServer, dict[str, str]],
) -> None:
    server, ids = indexed
    token = server.token_for("inspector")
    with server.db_session() as session:
        before = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id.desc())).first() or 0

    found = search(server, token, surname="Smyth", forenames="John", postcode="LS1 4AB").json()
    refused = search(server, token, date_of_birth="1984-07-02")

    with server.db_session() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all()
    assert refused.status_code == 422
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.record_type, row.username) == ("search", "people", "inspector")
    assert row.workstation == "DESK-9"
    assert row.detail == "surname=Smyth; forenames=John; postcode=LS1 4AB"
    assert row.record_id.split(",")[0] == found["candidates"][0]["person_id"] == ids["T-01"]
