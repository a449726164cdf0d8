"""How the person search folds names, reads what was typed, and turns a prefix into the
index range the server asks for."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from station_app.domain.custody_people import (
    name_key,
    name_tokens,
    parse_people_query,
    person_key,
    prefix_range,
)


def test_names_are_folded_and_joined_names_found_by_their_parts() -> None:
    assert name_key("O'Brien") == "obrien" and name_key("Zoë") == "zoe"
    assert name_tokens("Okonkwo-Bright", "Tamsin Zoë") == {
        "okonkwobright",
        "okonkwo",
        "bright",
        "tamsin",
        "zoe",
    }
    born = dt.date(1990, 3, 12)
    assert person_key("SMITH", "jo", born) == person_key("Smith", "Jo", born)
    assert person_key("Smith", "Jo", born) != person_key("Smith", "Jo", None)


def test_a_search_reads_names_in_any_order_and_a_date_of_birth() -> None:
    query = parse_people_query("Smith 12/03/1990 jo")
    assert query.names == ("smith", "jo") and query.born == dt.date(1990, 3, 12)
    assert parse_people_query("1990-03-12").born == dt.date(1990, 3, 12)
    half = parse_people_query("smith 12/03/19")
    assert half.names == ("smith",) and half.born is None
    assert parse_people_query("- ...").empty
    assert len(parse_people_query("a b c d e f").names) == 4
    with pytest.raises(ValueError, match="no such date as 31/02/1990"):
        parse_people_query("31/02/1990")


def test_the_prefix_range_holds_exactly_the_words_that_start_with_it() -> None:
    assert prefix_range("smi") == ("smi", "smj")
    assert prefix_range("az") == ("az", "b") and prefix_range("zz") == ("zz", None)
    alphabet = "a9yz0"
    words = ["".join(w) for n in range(1, 4) for w in itertools.product(alphabet, repeat=n)]
    for term in ("a", "az", "z", "y9", "9", "zz"):
        low, high = prefix_range(term)
        inside = {w for w in words if w >= low and (high is None or w < high)}
        assert inside == {w for w in words if w.startswith(term)}, term
