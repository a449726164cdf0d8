"""The link registry: a reference to another feature's record is found, not found, or of a
type no feature on this server declares; never an error, never a table probe."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy.orm import Session

from station_app.server.core.links import Link, LinkRegistry, RecordType

CRIME_REPORTS = {"SW-2026-0000001", "SW-2026-0000002"}


def crime_reports_held(_session: Session, references: Sequence[str]) -> set[str]:
    return {reference for reference in references if reference in CRIME_REPORTS}


INCIDENT = RecordType("incident", "crime report", find=crime_reports_held)


def test_references_resolve_found_and_not_found_in_their_order() -> None:
    links = LinkRegistry([INCIDENT])

    resolved = links.resolve(Session(), "incident", ["SW-2026-0000002", "NO-SUCH", "NO-SUCH"])

    assert resolved == [
        Link("incident", "SW-2026-0000002", True),
        Link("incident", "NO-SUCH", False),
        Link("incident", "NO-SUCH", False),
    ]


def test_a_type_no_feature_declares_resolves_to_not_known_here() -> None:
    links = LinkRegistry([INCIDENT])

    resolved = links.resolve(Session(), "custody_record", ["SW-2026-00042"])

    assert resolved == [Link("custody_record", "SW-2026-00042", None)]
    assert "custody_record" not in links and "incident" in links


def test_the_finder_is_asked_once_for_distinct_references_and_not_for_none() -> None:
    asked: list[list[str]] = []

    def find(session: Session, references: Sequence[str]) -> set[str]:
        asked.append(list(references))
        return crime_reports_held(session, references)

    links = LinkRegistry([RecordType("incident", "crime report", find=find)])
    links.resolve(Session(), "incident", ["SW-2026-0000001", "A", "SW-2026-0000001"])
    links.resolve(Session(), "incident", [])

    assert asked == [["SW-2026-0000001", "A"]]


def test_two_features_cannot_declare_one_record_type() -> None:
    links = LinkRegistry([INCIDENT])

    with pytest.raises(ValueError, match="incident"):
        links.register(RecordType("incident", "crime report", find=crime_reports_held))
    assert links.names == ["incident"]
