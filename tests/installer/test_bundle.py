"""The frozen bundle: its headless self-test passes, and it ships exactly what Station needs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from installer.smoke_test import run_self_test
from tests.fixtures.packaging import ROOT, require_bundle

pytestmark = pytest.mark.slow

CHECKS = (
    "Qt offscreen and theme",
    "shell",
    "keyring backend",
    "built-in demo server",
    "sign-in and reference cache",
    "PDF",
)


def test_the_frozen_station_passes_its_self_test():
    bundle = require_bundle()
    result = run_self_test(bundle)

    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    report = result.stdout
    assert "(frozen bundle)" in report
    for check in CHECKS:
        assert f"ok     {check}:" in report, report
    # The embedded server ran from the bundle itself and found the shipped migrations.
    assert "Station --server-process at http://127.0.0.1:" in report
    assert f"{Path(bundle).resolve()}" in report  # the style sheet came from inside the bundle
    assert report.rstrip().endswith("Self-test passed")


def test_the_bundle_carries_the_data_files_station_reads():
    internal = require_bundle() / "_internal"
    server = ROOT / "station_app" / "server"
    shipped = [server / "alembic.ini", *sorted((server / "migrations").rglob("*.py"))]
    # Every shipped resource: a new one must be added to installer/station.spec too.
    shipped_resources = sorted(path for path in (ROOT / "resources").rglob("*") if path.is_file())
    missing = [
        str(path.relative_to(ROOT))
        for path in [*shipped, *shipped_resources]
        if "__pycache__" not in path.parts and not (internal / path.relative_to(ROOT)).is_file()
    ]
    assert not missing, (
        f"not in the bundle: {missing}; add them to the datas of installer/station.spec "
        "(or rebuild: the bundle may be older than the source)"
    )
    frozen_revision = internal / "station_app/server/migrations/versions/0001_foundation.py"
    assert (
        frozen_revision.read_bytes()
        == (server / "migrations/versions/0001_foundation.py").read_bytes()
    )


def test_the_bundle_leaves_out_what_station_does_not_use():
    internal = require_bundle() / "_internal"
    names = [path.relative_to(internal).as_posix() for path in internal.rglob("*")]
    translations = [name for name in names if name.endswith(".qm")]
    assert not translations, translations[:5]
    unused = ("QtQml", "QtQuick", "Qt6Quick", "Qt6Qml", "QtWebEngine", "Qt3D", "QtMultimedia")
    assert not [name for name in names if any(part in name for part in unused)]
    developer_only = ("tkinter", "_tkinter", "pytest", "_pytest", "mypy", "schemathesis", "test/")
    assert not [name for name in names if name.split("/")[0].startswith(developer_only)]
    # The one Qt platform plugin the self-test and CI need is there.
    suffix = ".dll" if sys.platform == "win32" else ".so"
    assert any(
        name.endswith(f"platforms/{'' if suffix == '.dll' else 'lib'}qoffscreen{suffix}")
        for name in names
    )
