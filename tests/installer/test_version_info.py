"""The version every build carries comes from pyproject.toml, in the shapes Windows needs."""

from __future__ import annotations

import ast

import pytest

from installer.version_info import project_version, version_resource_text, windows_version
from station_app import __version__


def test_the_package_and_the_project_agree_on_the_version():
    assert project_version() == __version__


def test_windows_versions_are_four_numbers_an_msi_accepts():
    assert windows_version("2.3.4") == (2, 3, 4, 0)
    assert windows_version("1.2.0rc1") == (1, 2, 0, 0)
    assert windows_version("7") == (7, 0, 0, 0)
    with pytest.raises(ValueError, match="does not fit an MSI ProductVersion"):
        windows_version("256.0.0")


def test_the_version_resource_names_station_and_its_version():
    text = version_resource_text("1.4.2")
    call = ast.parse(text).body[0].value  # VSVersionInfo(...), which PyInstaller evaluates
    assert isinstance(call, ast.Call) and call.func.id == "VSVersionInfo"
    assert "filevers=(1, 4, 2, 0)" in text and "prodvers=(1, 4, 2, 0)" in text
    assert "StringStruct('ProductName', 'Station')" in text
    assert "StringStruct('ProductVersion', '1.4.2')" in text
    assert "StringStruct('OriginalFilename', 'Station.exe')" in text
