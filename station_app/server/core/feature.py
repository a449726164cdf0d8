"""What a server feature declares about itself, once, in its package's `feature.py`: its
routers, the record types others may link to, its demo seed, and what the app's database
role may do to its tables (core/db_roles.py). The composition root
(server/app.py) lists the features; the app factory and the demo seed read the list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter
from sqlalchemy.orm import Session

from station_app.server.core.links import CaseSink, LinkRegistry, PeopleSink, RecordType

DemoSeed = Callable[[Session], Sequence[str]]
"""Adds whatever part of the feature's demo data is missing (idempotent), commits, and
returns lines for the seed report (none when nothing was added)."""

LinkedSeed = Callable[[Session, LinkRegistry], Sequence[str]]
"""A demo seed that needs the other features' demo records, through the link registry;
run after every feature's own seed (people: link the people the demo records name)."""


@dataclass(frozen=True)
class Feature:
    name: str
    routers: tuple[APIRouter, ...] = ()
    record_types: tuple[RecordType, ...] = ()
    seed: DemoSeed | None = None
    append_only: tuple[str, ...] = ()
    """Tables whose rows are never changed or deleted (evidence): the app role may only read
    and add to them."""
    deletes_from: tuple[str, ...] = ()
    """Tables the feature deletes rows from; every other table gets no DELETE."""
    # The one feature that keeps people (core/links.py, "people sink").
    people_sink: PeopleSink | None = None
    # The one feature that prepares cases for court: a charge in custody opens or adds to a
    # case file there (core/links.py, "case sink").
    case_sink: CaseSink | None = None
    linked_seed: LinkedSeed | None = None
    checks: tuple[Callable[[], None], ...] = ()
    """Run when the app is built: a `ValueError` (a refused rules file, say) stops the server
    with its sentence."""


def link_registry(features: Sequence[Feature]) -> LinkRegistry:
    """The record types the features declare, and the feature that keeps people."""
    sinks = [feature.people_sink for feature in features if feature.people_sink is not None]
    if len(sinks) > 1:
        raise ValueError("Only one feature may keep people.")
    cases = [feature.case_sink for feature in features if feature.case_sink is not None]
    if len(cases) > 1:
        raise ValueError("Only one feature may prepare cases from charges.")
    return LinkRegistry(
        (record_type for feature in features for record_type in feature.record_types),
        people_sink=sinks[0] if sinks else None,
        case_sink=cases[0] if cases else None,
    )
