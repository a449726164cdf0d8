"""Where the shipped resources folder is, from a source tree, a wheel or a frozen bundle."""

from __future__ import annotations

from pathlib import Path

from station_app.resource_files import resources_dir

__all__ = ["demo_dir", "resources_dir"]


def demo_dir() -> Path:
    """The demo reference data CSV files."""
    return resources_dir() / "demo"
