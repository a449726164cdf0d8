"""The MSI built from the bundle with wixl: its tables, the upgrade path, and the settings it
writes where Station reads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from installer import msi
from installer.version_info import project_version, windows_version
from station_app.app import SERVER_SETTING
from station_app.services import machine_settings
from tests.fixtures.packaging import require_bundle, require_msitools

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_msi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The MSI `make msi` built (CI runs it before the tests) if it is newer than the bundle,
    else a fresh one from the bundle."""
    require_msitools()
    bundle = require_bundle()
    made = msi.msi_path()
    executable = bundle / msi.main_exe(bundle)
    if made.is_file() and made.stat().st_mtime >= executable.stat().st_mtime:
        return made
    return msi.build(bundle, tmp_path_factory.mktemp("msi") / "Station.msi")


def test_the_msi_passes_every_check(built_msi):
    report = msi.check(built_msi, require_bundle())

    assert report.problems == [], str(report)
    files = len(msi.bundle_files(require_bundle()))
    assert f"File table: all {files} bundle files" in report.lines
    props = msi.properties(built_msi)
    assert props["ProductVersion"] == project_version()
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"] == msi.UPGRADE_CODE


def test_a_newer_build_upgrades_this_one_in_place(built_msi, tmp_path):
    major, minor, patch, _ = windows_version()
    newer_version = f"{major}.{minor}.{patch + 1}"
    newer = msi.build(require_bundle(), tmp_path / "Station-newer.msi", newer_version)

    report = msi.compare(built_msi, newer)

    assert report.problems == [], str(report)
    old_props, new_props = msi.properties(built_msi), msi.properties(newer)
    assert old_props["UpgradeCode"] == new_props["UpgradeCode"]
    assert old_props["ProductCode"] != new_props["ProductCode"]
    assert msi.components(built_msi) == msi.components(newer)
    # The newer build removes this version and refuses to be replaced by it.
    rows = msi.table(newer, "Upgrade")
    assert any(r["VersionMax"] == newer_version and r["Attributes"] == "1" for r in rows)
    assert any(r["VersionMin"] == newer_version and r["Attributes"] == "2" for r in rows)


def test_the_msi_writes_the_settings_where_station_reads_them(built_msi):
    registry = {(r["Key"], r["Name"]): r for r in msi.table(built_msi, "Registry")}
    key = machine_settings.REGISTRY_KEY
    assert registry[(key, "ServerUrl")]["Value"] == "[SERVERURL]"
    assert registry[(key, "CaBundle")]["Value"] == "[CABUNDLE]"
    assert registry[(key, "Locked")]["Value"] == "[LOCKED]"
    assert all(registry[(key, name)]["Root"] == "2" for name in ("ServerUrl", "CaBundle", "Locked"))
    # What the MSI locks by default are names Station's settings go by.
    actions = {row["Action"]: row for row in msi.table(built_msi, "CustomAction")}
    locked = machine_settings.parse_locked(actions["DefaultLocked"]["Target"])
    assert locked == {SERVER_SETTING, "ca_bundle"}
    assert all(
        machine_settings.MachineSettings(server_url="u", ca_bundle="c").value(n) for n in locked
    )
    # An upgrade without the properties keeps what the machine already has.
    searches = {row["Signature_"]: row for row in msi.table(built_msi, "RegLocator")}
    assert {row["Name"] for row in searches.values()} == {"ServerUrl", "CaBundle", "Locked"}
    assert {row["Key"] for row in searches.values()} == {key}


def test_the_check_finds_a_bundle_file_the_msi_does_not_install(tmp_path):
    require_msitools()
    bundle = tmp_path / "Station"
    (bundle / "_internal" / "resources").mkdir(parents=True)
    (bundle / "Station.exe").write_bytes(b"MZ not really a program")
    (bundle / "_internal" / "resources" / "style.qss").write_text("QWidget {}")
    built = msi.build(bundle, tmp_path / "small.msi")
    assert msi.check(built, bundle).problems == []

    (bundle / "_internal" / "resources" / "added-after.qss").write_text("QLabel {}")
    (bundle / "Station.exe").write_bytes(b"MZ rebuilt, and longer than before")
    problems = msi.check(built, bundle).problems

    assert any("_internal/resources/added-after.qss" in p for p in problems), problems
    assert any("sizes differ" in p and "Station.exe" in p for p in problems), problems
