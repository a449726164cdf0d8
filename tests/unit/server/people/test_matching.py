"""The comparisons and the match model of person search, without a server: levels and
reasons for each kind of slip, blocking keys shared by a person and the search for them,
and weights that add up the way Fellegi and Sunter say."""

from __future__ import annotations

import datetime as dt
import math

from station_app.domain.people import FoldedPostcode
from station_app.server.people.compare import (
    HeldAddress,
    compare_addresses,
    compare_dates_of_birth,
    compare_forenames,
    compare_surname,
)
from station_app.server.people.keys import person_keys, search_probes
from station_app.server.people.nicknames import nicknames
from station_app.server.people.scoring import (
    LEVELS,
    HeldName,
    HeldPerson,
    SearchQuery,
    match_model,
    probability,
    score,
)


def test_surname_levels_and_reasons() -> None:
    assert compare_surname("Smyth", "Smyth").reason == "same surname"
    assert compare_surname("Smith", "Smyth").reason == "surname sounds alike (Smith/Smyth)"
    assert compare_surname("Smtyh", "Smyth").reason == "surname: letters swapped (Smtyh/Smyth)"
    assert compare_surname("Jobes", "Jones").reason == "surname spelt differently (Jobes/Jones)"
    assert compare_surname("Bright", "Okonkwo-Bright").level == "part"
    assert compare_surname("Okonkwo Bright", "Okonkwo-Bright").level == "exact"
    assert compare_surname("Quillfeather", "Smyth").level == "different"
    assert compare_surname("", "Smyth").level == "missing"


def test_forename_levels_and_reasons() -> None:
    assert compare_forenames("Bill", "William").reason == "known as Bill (William)"
    assert compare_forenames("Peggy", "Margaret Ann").reason == "known as Peggy (Margaret)"
    assert compare_forenames("Mohammed", "Muhammad").reason == (
        "forename sounds alike (Mohammed/Muhammad)"
    )
    assert compare_forenames("Paul", "John Paul").reason == "goes by the middle name Paul"
    assert compare_forenames("J", "John").level == "initial"
    assert compare_forenames("Lukasz", "Łukasz").reason == (
        "same forename written without its accents (Lukasz/Łukasz)"
    )


def test_nicknames_come_from_the_shipped_table() -> None:
    table = nicknames()

    assert table.known_as("bill", "william") == "william"
    assert table.known_as("peggy", "margaret") == "margaret"
    assert table.known_as("bill", "will") == "william"  # both short for William
    assert table.known_as("bill", "margaret") is None


def test_date_of_birth_levels() -> None:
    born = dt.date(1984, 7, 2)

    assert compare_dates_of_birth(born, born).level == "exact"
    assert compare_dates_of_birth(dt.date(1984, 2, 7), born).level == "swapped"
    assert compare_dates_of_birth(dt.date(1984, 7, 12), born).reason == (
        "date of birth: one digit different (1984-07-12/1984-07-02)"
    )
    assert compare_dates_of_birth(dt.date(1948, 7, 2), born).reason == (
        "date of birth: two digits swapped (1948-07-02/1984-07-02)"
    )
    assert compare_dates_of_birth(dt.date(1984, 12, 25), born).level == "year"
    assert compare_dates_of_birth(None, born).level == "missing"


def test_address_levels_tell_a_current_address_from_an_old_one() -> None:
    held = [
        HeldAddress("3 Tannery Row, York", "YO1 7HH", current=False),
        HeldAddress("12 Mill Lane, Leeds", "LS1 4AB", current=True),
    ]

    def level(address: str, postcode: str) -> str:
        return compare_addresses(address, FoldedPostcode(postcode), held).level

    assert level("12 Mill Lane", "LS1 4AB") == "address_current"
    assert level("", "ls14ab") == "postcode_current"
    assert level("3 Tannery Row", "") == "address_former"
    assert level("", "YO1 7HH") == "postcode_former"
    assert level("14 Mill Lane", "") == "different"  # another house in the street
    assert level("", "LS1 4ZZ") == "sector"
    assert level("", "LS1") == "district"
    assert level("", "") == "missing"


def test_a_person_and_the_search_for_them_share_keys() -> None:
    keys = person_keys([("Okonkwo-Bright", "Tamsin")], dt.date(1986, 9, 30), ["HU1 2AB"])

    for typed in [
        ("Bright", "Tamsin", None, ""),  # part of the surname
        ("Tamsin", "Okonkwo-Bright", None, ""),  # names swapped
        ("Okonkwo-Brihgt", "Tasmin", dt.date(1986, 9, 30), ""),  # two slips and the date
        ("Okonkwo-Brihgt", "", None, "HU1 2AB"),  # a slip and the postcode district
    ]:
        probes = {probe.key for probe in search_probes(*typed)}
        assert probes & keys, typed


def test_weights_add_up_to_a_probability() -> None:
    model = match_model()
    held = HeldPerson(1, [HeldName("Smyth", "John Paul")], [dt.date(1984, 7, 2)], [])
    exact = score(model, SearchQuery("Smyth", "John", dt.date(1984, 7, 2)), held, 1000)
    names_only = score(model, SearchQuery("Smyth", "John"), held, 1000)
    wrong_date = score(model, SearchQuery("Smyth", "John", dt.date(1950, 1, 1)), held, 1000)

    expected = (
        model.prior_weight(1000)
        + model.weights["surname"]["exact"]
        + model.weights["forenames"]["exact"]
        + model.weights["date_of_birth"]["exact"]
    )
    assert math.isclose(exact.weight, expected)
    assert exact.probability > names_only.probability > wrong_date.probability
    assert probability(0.0) == 0.5
    assert set(model.weights) == set(LEVELS)
    assert all(
        model.weights[name]["different"] < 0 < model.weights[name]["exact"]
        for name in ("surname", "forenames", "date_of_birth")
    )
