"""Type-ahead search: what staff get, in what order, as they type."""

from __future__ import annotations

import random

import pytest

from station_app.domain.search import SearchEntry, TypeAheadIndex, tokenise

# Shaped like CJS offence codes, for the tests only (formats.md: only TH68010 is cited).
OFFENCES = [
    SearchEntry(
        "TH68010", "Theft from a shop", "Theft, contrary to section 1(1) of the Theft Act 1968"
    ),
    SearchEntry("TH68001", "Theft", "Theft, contrary to section 1(1) of the Theft Act 1968"),
    SearchEntry("TH68023", "Theft from the person of another", "Theft Act 1968 s.1(1)"),
    SearchEntry("TH68040", "Theft of a pedal cycle", "Theft Act 1968 s.1(1)"),
    SearchEntry("TH68051", "Burglary of a dwelling", "Theft Act 1968 s.9(1)(a)"),
    SearchEntry(
        "OF61016",
        "Assault occasioning actual bodily harm",
        "Offences against the Person Act 1861 s.47",
    ),
    SearchEntry("CJ88116", "Assault by beating", "Criminal Justice Act 1988 s.39"),
    SearchEntry(
        "OF61001",
        "Assault with intent to resist arrest",
        "Offences against the Person Act 1861 s.38",
    ),
    SearchEntry("SX03001", "Sexual assault on a female", "Sexual Offences Act 2003 s.3"),
    SearchEntry("PU86007", "Threatening behaviour", "Public Order Act 1986 s.4"),
    SearchEntry("CD71001", "Criminal damage", "Criminal Damage Act 1971 s.1(1)"),
    SearchEntry("XX00001", "Withdrawn shop code", "replaced by TH68010"),
]


def codes(results: list[SearchEntry]) -> list[str]:
    return [entry.code for entry in results]


def test_words_in_any_order_find_theft_from_a_shop_first() -> None:
    index = TypeAheadIndex(OFFENCES)
    for query in ["theft shop", "shop theft", "Shop, THEFT!", "thef sho"]:
        results = index.search(query)
        assert results[0].label == "Theft from a shop", query


def test_every_word_must_match_the_start_of_a_word_or_the_code() -> None:
    index = TypeAheadIndex(OFFENCES)
    # "heft" is inside "Theft" but starts no word: nothing.
    assert index.search("heft") == []
    # Only one row has both words ("Withdrawn shop code" has no "theft").
    assert codes(index.search("shop theft", limit=50)) == ["TH68010"]
    assert codes(index.search("shop", limit=50)) == ["TH68010", "XX00001"]


def test_a_code_prefix_ranks_code_matches_first_shortest_label_first() -> None:
    results = TypeAheadIndex(OFFENCES).search("TH68", limit=50)
    assert codes(results) == [
        "TH68001",  # "Theft"
        "TH68010",  # "Theft from a shop"
        "TH68051",  # "Burglary of a dwelling": as long as the next, and B < T
        "TH68040",  # "Theft of a pedal cycle"
        "TH68023",  # "Theft from the person of another"
        "XX00001",  # found through its keywords only
    ]


def test_an_exact_code_comes_before_everything_else() -> None:
    results = TypeAheadIndex(OFFENCES).search("th68010")
    assert codes(results) == ["TH68010", "XX00001"]


def test_labels_starting_with_the_word_come_before_labels_containing_it() -> None:
    results = TypeAheadIndex(OFFENCES).search("ass")
    assert [entry.label for entry in results] == [
        "Assault by beating",
        "Assault with intent to resist arrest",
        "Assault occasioning actual bodily harm",
        "Sexual assault on a female",
    ]


def test_equal_length_labels_are_alphabetical_then_in_given_order() -> None:
    entries = [
        SearchEntry("B", "Bravo item"),
        SearchEntry("A", "Alpha item"),
        SearchEntry("C", "alpha item"),
        SearchEntry("D", "Long alpha item"),
        SearchEntry("E", "Item"),
    ]
    # "Item" starts with the word; then same length: alphabetical, ties in given order.
    assert codes(TypeAheadIndex(entries).search("item")) == ["E", "A", "C", "B", "D"]


def test_keywords_are_searched_and_limit_is_respected() -> None:
    index = TypeAheadIndex(OFFENCES)
    # Both found only through their wording; the shorter label first.
    assert codes(index.search("person 1861")) == ["OF61001", "OF61016"]
    assert len(index.search("act", limit=3)) == 3
    assert index.search("act", limit=0) == []


def test_an_empty_or_punctuation_only_query_finds_nothing() -> None:
    index = TypeAheadIndex(OFFENCES)
    assert index.search("") == []
    assert index.search("   ") == []
    assert index.search("/.,!") == []


def test_len_is_the_number_of_rows() -> None:
    assert len(TypeAheadIndex(OFFENCES)) == len(OFFENCES)
    assert len(TypeAheadIndex([])) == 0


def test_punctuation_in_codes_and_labels_is_ignored() -> None:
    entries = [SearchEntry("49/01", "Theft - shoplifting"), SearchEntry("15/00", "Robbery")]
    index = TypeAheadIndex(entries)
    assert codes(index.search("49/01")) == ["49/01"]
    assert codes(index.search("4901")) == ["49/01"]
    assert codes(index.search("shoplift")) == ["49/01"]
    assert tokenise("s.1(1) Theft-Act") == ["s", "1", "1", "theft", "act"]


def _oracle(entries: list[SearchEntry], query: str, limit: int) -> list[SearchEntry]:
    """A slow, obviously right version of the rules, to check the fast one against."""
    tokens = tokenise(query)
    if not tokens:
        return []
    ranked = []
    for position, entry in enumerate(entries):
        code = "".join(tokenise(entry.code))
        words = tokenise(entry.label) + tokenise(entry.keywords) + tokenise(entry.code)
        if not all(code.startswith(t) or any(w.startswith(t) for w in words) for t in tokens):
            continue
        first_word = (tokenise(entry.label) or [""])[0]
        if code in tokens or code == "".join(tokens):
            rank = 0
        elif any(code.startswith(t) for t in tokens):
            rank = 1
        elif first_word.startswith(tokens[0]):
            rank = 2
        else:
            rank = 3
        ranked.append(((rank, len(entry.label), entry.label.casefold(), position), entry))
    return [entry for _key, entry in sorted(ranked, key=lambda pair: pair[0])[:limit]]


def _synthetic_rows(count: int) -> list[SearchEntry]:
    chooser = random.Random(42)
    words = [
        "theft",
        "shop",
        "assault",
        "beating",
        "damage",
        "criminal",
        "sexual",
        "public",
        "order",
        "threatening",
        "behaviour",
        "drive",
        "disqualified",
        "dwelling",
        "burglary",
        "person",
        "vehicle",
        "motor",
        "possession",
        "cannabis",
        "knife",
        "article",
    ]
    prefixes = ["TH68", "OF61", "CJ88", "SX03", "PU86", "CD71", "RT88", "MD71"]
    return [
        SearchEntry(
            f"{chooser.choice(prefixes)}{i:03d}",
            " ".join(
                chooser.choice(words).capitalize() if n == 0 else chooser.choice(words)
                for n in range(chooser.randint(1, 5))
            ),
            " ".join(chooser.choice(words) for _ in range(chooser.randint(0, 4))),
        )
        for i in range(count)
    ]


# Both ranking strategies: classifying every candidate, and walking the rank lists.
BOTH_STRATEGIES = pytest.mark.parametrize("classify_below", [0, 10**9])


@BOTH_STRATEGIES
def test_typing_and_backspacing_give_the_same_answers_as_a_fresh_index(
    classify_below: int,
) -> None:
    """Narrowing from earlier queries must never change the answer."""
    rows = _synthetic_rows(600) + OFFENCES
    typed_index = TypeAheadIndex(rows)
    typed_index.classify_below = classify_below
    sentences = ["theft shop", "th68 mot", "assault beat", "sexual ass", "cj88 crim dam"]
    keystrokes: list[str] = []
    for sentence in sentences:
        for end in range(1, len(sentence) + 1):
            keystrokes.append(sentence[:end])
        # Backspace half the way, then type something else from there.
        for end in range(len(sentence) - 1, len(sentence) // 2, -1):
            keystrokes.append(sentence[:end])
        keystrokes.append(sentence[: len(sentence) // 2] + "x")
        keystrokes.append("")
    for query in keystrokes:
        incremental = typed_index.search(query, limit=15)
        fresh = TypeAheadIndex(rows).search(query, limit=15)
        assert incremental == fresh, query
        assert incremental == _oracle(rows, query, 15), query


@BOTH_STRATEGIES
def test_the_oracle_agrees_on_many_random_queries(classify_below: int) -> None:
    rows = _synthetic_rows(400) + OFFENCES
    index = TypeAheadIndex(rows)
    index.classify_below = classify_below
    chooser = random.Random(3)
    vocabulary = [
        "th",
        "the",
        "theft",
        "sh",
        "a",
        "as",
        "cj",
        "cj88",
        "mo",
        "d",
        "x",
        "dw",
        "cj88001",
    ]
    for _ in range(200):
        query = " ".join(chooser.choice(vocabulary) for _ in range(chooser.randint(1, 3)))
        assert index.search(query, limit=8) == _oracle(rows, query, 8), query
