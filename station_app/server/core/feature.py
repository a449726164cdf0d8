"""What a server feature declares about itself, once, in its package's `feature.py`: its
routers, the record types others may link to, its demo seed, and what the app's database
role may do to its tables (core/db_roles.py). The composition root
(server/app.py) lists the features; the app factory and the demo seed read the list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter
from sqlalchemy.orm import Session

from station_app.server.core.links import RecordType

DemoSeed = Callable[[Session], Sequence[str]]
"""Adds whatever part of the feature's demo data is missing (idempotent), commits, and
returns lines for the seed report (none when nothing was added)."""


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
