"""The server's composition: every feature is listed once in app.py, declares itself in the
one shape, registers the record types others link to, and imports no other feature."""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp
import pytest
from sqlalchemy import select

import station_app.server
from station_app.server.app import FEATURES
from station_app.server.core.links import Link
from station_app.server.custody.models import CustodyRecord
from station_app.server.incidents.models import Incident
from tests.fixtures.live_server import LiveServer

SERVER = Path(station_app.server.__file__).parent
PYPROJECT = SERVER.parents[1] / "pyproject.toml"
NOT_FEATURES = {"core", "migrations", "__pycache__"}


def feature_packages() -> set[str]:
    return {
        path.name
        for path in SERVER.iterdir()
        if path.is_dir() and path.name not in NOT_FEATURES and (path / "__init__.py").exists()
    }


@pytest.fixture(scope="module")
def imports() -> grimp.ImportGraph:
    return grimp.build_graph("station_app", cache_dir=None)


def test_every_feature_package_is_declared_once_and_listed_in_the_composition() -> None:
    packages = feature_packages()

    assert packages == {"auth", "audit", "reference", "incidents", "custody", "casefiles", "people"}
    assert sorted(feature.name for feature in FEATURES) == sorted(packages)
    for name in packages:
        assert (SERVER / name / "feature.py").exists(), name
        assert (SERVER / name / "router.py").exists(), name


def test_no_feature_imports_another_and_the_core_imports_none(imports: grimp.ImportGraph) -> None:
    features = [f"station_app.server.{name}" for name in sorted(feature_packages())]
    crossings = [
        (importer, imported)
        for importer in [*features, "station_app.server.core"]
        for imported in features
        if importer != imported
        and imports.find_shortest_chain(importer, imported, as_packages=True) is not None
    ]

    assert crossings == []


def test_the_import_contract_names_every_feature() -> None:
    """A new feature (people) must join the independence contract of import-linter too."""
    contracts = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    independence = [c for c in contracts["contracts"] if c["type"] == "independence"]
    held = {module for contract in independence for module in contract["modules"]}

    assert {f"station_app.server.{name}" for name in feature_packages()} <= held


def test_the_app_registers_the_record_types_its_features_declare(live_server: LiveServer) -> None:
    links = live_server.app.state.links
    with live_server.db_session() as session:
        crime = session.scalars(select(Incident.reference).limit(1)).one()
        custody = session.scalars(select(CustodyRecord.custody_number).limit(1)).one()

        found = [
            *links.resolve(session, "incident", [crime, "SW-1999-0000000"]),
            *links.resolve(session, "custody_record", [custody]),
            *links.resolve(session, "person", ["P-000001", "P-999999"]),
            *links.resolve(session, "hearing", ["SW-HRG-1"]),
        ]

    assert links.names == ["casefile", "custody_record", "hearing", "incident", "person"]
    assert found == [
        Link("incident", crime, True),
        Link("incident", "SW-1999-0000000", False),
        Link("custody_record", custody, True),
        Link("person", "P-000001", True),
        Link("person", "P-999999", False),
        Link("hearing", "SW-HRG-1", False),  # a case's hearing is "SW-26-0142/H1" (issue 10)
    ]
