"""Where the shipped resources folder is, from a source tree, a wheel or a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import station_app


def resources_dir() -> Path:
    """The `resources/` folder: beside the package, or inside the PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(station_app.__file__).resolve().parent.parent / "resources"


def demo_dir() -> Path:
    """The demo reference data CSV files."""
    return resources_dir() / "demo"
