"""Where Station keeps its files on this computer: settings, data, logs and cache.

Resolved once at start-up with platformdirs, so each operating system gets its usual
places (for example %LOCALAPPDATA%\\Station\\Station on Windows, ~/.local/share/Station
on Linux).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["APP_AUTHOR", "APP_NAME", "StationPaths", "resolve_paths"]

APP_NAME = "Station"
APP_AUTHOR = "Station"


@dataclass(frozen=True, slots=True)
class StationPaths:
    """The folders Station writes to, all of which exist once resolved."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path


def resolve_paths() -> StationPaths:
    """Find this user's Station folders and create any that are missing."""
    import platformdirs

    dirs = platformdirs.PlatformDirs(appname=APP_NAME, appauthor=APP_AUTHOR)
    paths = StationPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
        cache_dir=Path(dirs.user_cache_dir),
    )
    for folder in (paths.config_dir, paths.data_dir, paths.log_dir, paths.cache_dir):
        folder.mkdir(parents=True, exist_ok=True)
    return paths
