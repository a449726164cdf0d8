"""Where Station keeps its files: per user, created on first use, never outside the profile."""

from __future__ import annotations

from pathlib import Path

from station_app.services.paths import StationPaths, resolve_paths


def test_every_folder_is_created_inside_the_users_profile(fresh_profile: Path) -> None:
    paths = resolve_paths()
    folders = [paths.config_dir, paths.data_dir, paths.log_dir, paths.cache_dir]
    for folder in folders:
        assert folder.is_dir()
        assert folder.is_relative_to(fresh_profile)
        assert "Station" in folder.parts
    assert len(set(folders)) >= 3  # config, data and cache are separate places


def test_resolving_twice_gives_the_same_folders() -> None:
    first = resolve_paths()
    assert resolve_paths() == first
    assert isinstance(first, StationPaths)
