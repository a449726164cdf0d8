"""The custody care settings in force on the server: `resources/rules/custody.json`, read
once per change and checked by `domain.custody_rules.care_config_from_rules` (a force may
make visits more frequent, never turn constant observation into periodic checks). A file
that breaks the rules stops the server at start with the sentence saying why."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from station_app.domain.custody_rules import CareConfig, care_config_from_rules
from station_app.server.core.resources import resources_dir

__all__ = ["care_rules", "check_care_rules", "rules_path"]


def rules_path() -> Path:
    return resources_dir() / "rules" / "custody.json"


@lru_cache(maxsize=4)
def _load(path: Path, _mtime_ns: int) -> CareConfig:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"The custody rules file {path} cannot be read: {error}.") from None
    try:
        return care_config_from_rules(data)
    except ValueError as error:
        raise ValueError(f"The custody rules file {path} is refused: {error}") from None


def care_rules(path: Path | None = None) -> CareConfig:
    """The care settings in force: re-read when the file changes."""
    path = path or rules_path()
    return _load(path, path.stat().st_mtime_ns)


def check_care_rules() -> None:
    """Run when the app is built: a refused rules file stops the server with its reason."""
    care_rules()
