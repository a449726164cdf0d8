"""The match model of person search, in the manner of Fellegi and Sunter (as Splink does):
each field comparison's level has an m probability (how often the true person's record is
at that level) and a u probability (how often someone else's is). The level's match weight
is log2(m/u); a candidate's weights add to the prior's, and the total becomes a probability.

The prior is the chance that any one person held is the one searched for: half (a person
asked about is often not known here) divided by the number of people held, so the same
evidence is stronger in a small index than in a force's million.

The m and u values are data (resources/people/match_weights.json), estimated from the
synthetic evaluation set by `bench/people_eval.py --estimate` (m from the known true pairs,
u from random pairs, Splink's `estimate_u_using_random_sampling`); the file says so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from station_app.domain.people import FoldedPostcode
from station_app.server.core.resources import resources_dir
from station_app.server.people.compare import (
    MISSING,
    HeldAddress,
    Outcome,
    compare_addresses,
    compare_dates_of_birth,
    compare_forenames,
    compare_surname,
)

# The comparisons and their levels, strongest first (Splink's comparison levels).
LEVELS: dict[str, tuple[str, ...]] = {
    "surname": ("exact", "part", "sounds", "typo", "similar", "different"),
    "forenames": (
        "exact",
        "known_as",
        "sounds",
        "typo",
        "other_forename",
        "initial",
        "similar",
        "different",
    ),
    "date_of_birth": ("exact", "swapped", "one_digit", "year", "different"),
    "address": (
        "address_current",
        "address_former",
        "postcode_current",
        "postcode_former",
        "address_text",
        "sector",
        "district",
        "different",
    ),
}


def weights_file() -> Path:
    return resources_dir() / "people" / "match_weights.json"


@dataclass(frozen=True)
class MatchModel:
    """Match weights per (comparison, level), the chance that the person asked about is
    held at all, and the cost of names typed the wrong way round."""

    weights: dict[str, dict[str, float]]
    held_probability: float
    swap_weight: float

    def prior_weight(self, people_held: int) -> float:
        """log2 of the prior odds that one candidate is the person asked about."""
        prior = self.held_probability / max(people_held, 2)
        return math.log2(prior / (1 - prior))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchModel:
        weights: dict[str, dict[str, float]] = {}
        for comparison, levels in LEVELS.items():
            held = data["comparisons"][comparison]
            weights[comparison] = {
                level: math.log2(held[level]["m"] / held[level]["u"]) for level in levels
            }
        return cls(
            weights=weights,
            held_probability=float(data["prior"]["held_probability"]),
            swap_weight=math.log2(float(data["names_swapped"]["m"])),
        )

    def weight(self, comparison: str, outcome: Outcome) -> float:
        if outcome.level == MISSING:
            return 0.0
        return self.weights[comparison][outcome.level]


@lru_cache(maxsize=1)
def match_model() -> MatchModel:
    """The shipped model, read once per process."""
    return MatchModel.from_json(json.loads(weights_file().read_text(encoding="utf-8")))


@dataclass(frozen=True)
class SearchQuery:
    surname: str = ""
    forenames: str = ""
    date_of_birth: dt.date | None = None
    address: str = ""
    postcode: str = ""

    @property
    def folded_postcode(self) -> FoldedPostcode:
        return FoldedPostcode(self.postcode)


@dataclass
class HeldName:
    surname: str
    forenames: str
    alias: bool = False


@dataclass
class HeldPerson:
    """What Station holds of one person: their own record and any merged into it."""

    person_id: int
    names: list[HeldName] = field(default_factory=list)
    dates_of_birth: list[dt.date] = field(default_factory=list)
    addresses: list[HeldAddress] = field(default_factory=list)


@dataclass(frozen=True)
class Scored:
    person_id: int
    weight: float
    levels: dict[str, str]
    reasons: list[str]

    @property
    def probability(self) -> float:
        return probability(self.weight)


def probability(weight: float) -> float:
    """The match weight (log2 of the odds) as a probability."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds = float(2.0**weight)
    return odds / (1 + odds)


def _best(model: MatchModel, comparison: str, outcomes: Sequence[Outcome]) -> Outcome:
    return max(outcomes, key=lambda outcome: model.weight(comparison, outcome))


def _names(
    model: MatchModel, query: SearchQuery, held: Sequence[HeldName]
) -> tuple[float, dict[str, Outcome], list[str]]:
    """The best reading of the typed names against every name held: as typed, or with
    forename and surname the other way round."""
    best: tuple[float, dict[str, Outcome], list[str]] = (-math.inf, {}, ["", ""])
    both = bool(query.surname.strip() and query.forenames.strip())
    for name in held:
        readings = [
            (
                compare_surname(query.surname, name.surname),
                compare_forenames(query.forenames, name.forenames),
                False,
            )
        ]
        # The other way round only when the names as typed do not agree well.
        if both and {readings[0][0].level, readings[0][1].level} & {"different", "similar"}:
            readings.append(
                (
                    compare_surname(query.forenames, name.surname),
                    compare_forenames(query.surname, name.forenames),
                    True,
                )
            )
        for surname, forenames, swapped in readings:
            weight = model.weight("surname", surname) + model.weight("forenames", forenames)
            notes = ["", ""]
            if swapped:
                weight += model.swap_weight
                notes[0] = "forename and surname swapped"
            if name.alias:
                notes[1] = f"known by another name ({name.forenames} {name.surname})".strip()
            if weight > best[0]:
                best = (weight, {"surname": surname, "forenames": forenames}, notes)
    if not held:
        return 0.0, {"surname": Outcome(MISSING), "forenames": Outcome(MISSING)}, ["", ""]
    return best


def score(model: MatchModel, query: SearchQuery, held: HeldPerson, people_held: int) -> Scored:
    """How likely `held` is the person searched for among `people_held`, and why."""
    name_weight, outcomes, notes = _names(model, query, held.names)
    born = query.date_of_birth
    outcomes["date_of_birth"] = _best(
        model,
        "date_of_birth",
        [compare_dates_of_birth(born, day) for day in held.dates_of_birth] or [Outcome(MISSING)],
    )
    outcomes["address"] = compare_addresses(query.address, query.folded_postcode, held.addresses)
    weights = {name: model.weight(name, outcome) for name, outcome in outcomes.items()}
    total = (
        model.prior_weight(people_held)
        + name_weight
        + weights["date_of_birth"]
        + weights["address"]
    )
    said = sorted(
        (name for name, outcome in outcomes.items() if outcome.reason and weights[name] > 0),
        key=lambda name: -weights[name],
    )
    reasons = [*notes[:1], *(str(outcomes[name].reason) for name in said), *notes[1:]]
    reasons = [reason for reason in reasons if reason]
    return Scored(
        person_id=held.person_id,
        weight=total,
        levels={name: outcome.level for name, outcome in outcomes.items()},
        reasons=reasons,
    )
