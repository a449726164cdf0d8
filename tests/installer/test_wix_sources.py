"""The two WiX sources say the same: the v3 one wixl builds here for the checks, and the WiX v5
Package.wxs the Windows release is built from (which cannot be built here)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from installer.msi import DEFAULT_LOCKED, PUBLIC_PROPERTIES, UPGRADE_CODE
from station_app.services.machine_settings import REGISTRY_KEY
from tests.fixtures.packaging import ROOT

WIX = ROOT / "installer" / "wix"
V3 = "{http://schemas.microsoft.com/wix/2006/wi}"
V4 = "{http://wixtoolset.org/schemas/v4/wxs}"


def parse(name: str, ns: str) -> tuple[ET.Element, str]:
    return ET.parse(WIX / name).getroot(), ns


def components(root: ET.Element, ns: str) -> dict[str, str]:
    return {c.get("Id", ""): c.get("Guid", "") for c in root.iter(f"{ns}Component")}


def registry(root: ET.Element, ns: str) -> set[tuple[str | None, ...]]:
    return {
        (v.get("Root"), v.get("Key"), v.get("Name"), v.get("Value"))
        for v in root.iter(f"{ns}RegistryValue")
    }


def property_settings(root: ET.Element, ns: str) -> dict[str, tuple[str, str, str]]:
    """Custom action name -> (property, value, condition), from either authoring style."""
    if ns == V3:
        actions = {a.get("Id"): a for a in root.iter(f"{ns}CustomAction")}
        sequence = next(root.iter(f"{ns}InstallExecuteSequence"))
        return {
            c.get("Action", ""): (
                actions[c.get("Action")].get("Property", ""),
                actions[c.get("Action")].get("Value", ""),
                (c.text or "").strip(),
            )
            for c in sequence.iter(f"{ns}Custom")
        }
    return {
        s.get("Action", ""): (s.get("Id", ""), s.get("Value", ""), s.get("Condition", ""))
        for s in root.iter(f"{ns}SetProperty")
    }


def test_both_sources_build_the_same_product():
    v3, v4 = parse("Station.wxs", V3), parse("Package.wxs", V4)
    product, package = next(v3[0].iter(f"{V3}Product")), next(v4[0].iter(f"{V4}Package"))
    assert product.get("UpgradeCode") == package.get("UpgradeCode") == UPGRADE_CODE.strip("{}")
    assert product.get("Manufacturer") == package.get("Manufacturer") == "Station Project"
    assert product.get("Name") == package.get("Name") == "Station"
    assert next(v3[0].iter(f"{V3}Package")).get("InstallScope") == "perMachine"
    assert package.get("Scope") == "perMachine"
    downgrade = [
        next(r.iter(f"{ns}MajorUpgrade")).get("DowngradeErrorMessage") for r, ns in (v3, v4)
    ]
    assert downgrade[0] == downgrade[1] and "newer version of Station" in downgrade[0]


def test_both_sources_keep_the_same_components_and_settings():
    v3, v4 = parse("Station.wxs", V3), parse("Package.wxs", V4)
    assert components(*v3) == components(*v4)
    assert registry(*v3) == registry(*v4)
    written = {name for _root, key, name, _value in registry(*v3) if key == REGISTRY_KEY}
    assert written == {"ServerUrl", "CaBundle", "Locked"}
    assert property_settings(*v3) == property_settings(*v4)
    assert property_settings(*v3)["DefaultLocked"][1] == DEFAULT_LOCKED


def test_the_release_source_marks_the_public_properties_secure():
    root, ns = parse("Package.wxs", V4)
    secure = {p.get("Id") for p in root.iter(f"{ns}Property") if p.get("Secure") == "yes"}
    assert secure == set(PUBLIC_PROPERTIES)
