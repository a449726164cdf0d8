"""Per-keystroke cost of the offence type-ahead over 20,000 rows (target: p95 < 5 ms).

Simulates a user typing realistic queries one character at a time, with some
backspacing, against one TypeAheadIndex (so incremental narrowing works as it does in
the field). The baseline, timed interleaved in the same run, is the naive scan
`[r for r in rows if q in r.lower()]` over the labels.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, timed_ms
from station_app.domain.search import SearchEntry, TypeAheadIndex

ROWS = 20_000
SEED = 20261126

_SUBJECTS = [
    "theft",
    "burglary",
    "robbery",
    "assault",
    "criminal damage",
    "fraud",
    "handling",
    "possession",
    "supply",
    "driving",
    "harassment",
    "stalking",
    "arson",
    "blackmail",
    "affray",
    "threatening behaviour",
    "obstruction",
    "wounding",
    "kidnapping",
    "forgery",
]
_DETAILS = [
    "from a shop",
    "from the person",
    "of a motor vehicle",
    "of a pedal cycle",
    "in a dwelling",
    "other than a dwelling",
    "by beating",
    "occasioning actual bodily harm",
    "with intent",
    "of a controlled drug of class A",
    "of a controlled drug of class B",
    "whilst disqualified",
    "without insurance",
    "of a bladed article in a public place",
    "by false representation",
    "of stolen goods",
    "on a female",
    "of a constable",
    "causing fear of violence",
    "being reckless as to whether life was endangered",
]
_ACTS = [
    ("TH", 68, "Theft Act 1968"),
    ("OF", 61, "Offences against the Person Act 1861"),
    ("CJ", 88, "Criminal Justice Act 1988"),
    ("MD", 71, "Misuse of Drugs Act 1971"),
    ("RT", 88, "Road Traffic Act 1988"),
    ("PU", 86, "Public Order Act 1986"),
    ("FR", 6, "Fraud Act 2006"),
    ("CD", 71, "Criminal Damage Act 1971"),
    ("PH", 97, "Protection from Harassment Act 1997"),
    ("SX", 3, "Sexual Offences Act 2003"),
]

QUERIES = [
    "theft shop",
    "assault beat",
    "th68",
    "possession class a",
    "driving disq",
    "criminal damage reckless",
    "fraud false rep",
    "harass",
    "OF61 wound",
    "bladed article",
    "robbery person",
    "handling stolen",
    "supply drug b",
    "cd71",
    "affray",
]


def synthetic_offences(count: int = ROWS, seed: int = SEED) -> list[SearchEntry]:
    chooser = random.Random(seed)
    rows = []
    for serial in range(count):
        prefix, year, act = chooser.choice(_ACTS)
        label = f"{chooser.choice(_SUBJECTS).capitalize()} {chooser.choice(_DETAILS)}"
        section = f"{chooser.randint(1, 60)}({chooser.randint(1, 4)})"
        wording = f"{label}, contrary to section {section} of the {act}"
        rows.append(SearchEntry(f"{prefix}{year:02d}{serial:05d}", label, wording))
    return rows


def keystrokes(queries: list[str], seed: int = SEED) -> list[str]:
    """Each query typed a character at a time; now and then a typo is backspaced."""
    chooser = random.Random(seed)
    typed: list[str] = []
    for query in queries:
        for end in range(1, len(query) + 1):
            typed.append(query[:end])
            if end < len(query) and chooser.random() < 0.15:
                typed.append(query[:end] + chooser.choice("qzxj"))  # a typo...
                typed.append(query[:end])  # ...and its backspace
        for end in range(len(query) - 1, len(query) - 4, -1):  # backspace a few
            typed.append(query[:end])
    return typed


def main() -> None:
    rows = synthetic_offences()
    labels = [row.label for row in rows]
    build_ms = timed_ms(lambda: TypeAheadIndex(rows))
    index = TypeAheadIndex(rows)
    typed = keystrokes(QUERIES)
    measured: list[float] = []
    baseline: list[float] = []
    for query in typed:
        measured.append(timed_ms(lambda q=query: index.search(q, limit=10)))
        lowered = query.lower()
        baseline.append(timed_ms(lambda q=lowered: [r for r in labels if q in r.lower()]))
    print(f"type-ahead over {len(rows):,} rows, {len(typed)} keystrokes ({len(QUERIES)} queries)")
    print(f"  index build: {build_ms:.0f} ms (once, off the UI thread)")
    report("per-keystroke search", measured, baseline, target_ms=5.0)


if __name__ == "__main__":
    main()
