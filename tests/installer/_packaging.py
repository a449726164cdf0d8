"""What the packaging tests share: where the bundle is, and skips that say why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "Station"


def require_bundle() -> Path:
    """The frozen bundle that `make bundle` built (CI builds it before the tests)."""
    if not any((BUNDLE / name).is_file() for name in ("Station", "Station.exe")):
        pytest.skip(f"no frozen bundle in {BUNDLE}: run `make bundle` (CI does, before the tests)")
    return BUNDLE


def require_msitools() -> None:
    missing = [tool for tool in ("wixl", "msiinfo", "msibuild") if shutil.which(tool) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed (apt-get install wixl msitools; CI installs them)"
        )
