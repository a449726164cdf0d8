"""The demo seed: each feature's demo data in turn (synthetic reference data, one user per
role, a few reports, detainees and case files), as `station-server seed-demo` and an
embedded demo server's first start add it.

Idempotent: each feature adds only what is missing of its own demo data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from station_app.server.app import FEATURES
from station_app.server.auth.seed import DEMO_PASSWORD
from station_app.server.core.feature import Feature, link_registry

__all__ = ["DEMO_PASSWORD", "SeedReport", "seed_demo"]


@dataclass
class SeedReport:
    added: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return self.added or ["demo data already present; nothing to do"]


def seed_demo(session: Session, features: Sequence[Feature] = FEATURES) -> SeedReport:
    """Add whatever part of the demo data is missing; each feature commits its own. Seeds
    that need the other features' records (people) run last, with the link registry."""
    report = SeedReport()
    for feature in features:
        if feature.seed is not None:
            report.added.extend(feature.seed(session))
    links = link_registry(features)
    for feature in features:
        if feature.linked_seed is not None:
            report.added.extend(feature.linked_seed(session, links))
    return report
