"""The file standard on the server: the shipped rules file, read once per change, and its
rows for the `file_standard` reference dataset (so clients can show and cache the rules)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.file_standard import FileStandard, load_rules
from station_app.server.core.reference_data import (
    ImportResult,
    ReferenceRowIn,
    get_dataset,
    import_rows,
    reference_row,
)
from station_app.server.core.resources import resources_dir

DATASET = "file_standard"
RULES_ROW = "_rules"


def rules_path() -> Path:
    return resources_dir() / "rules" / "file_standard.json"


@lru_cache(maxsize=4)
def _load(path: Path, _mtime_ns: int) -> FileStandard:
    return load_rules(path)


def file_standard(path: Path | None = None) -> FileStandard:
    """The rules in force: re-read when the file changes (a force edits and re-versions it)."""
    path = path or rules_path()
    return _load(path, path.stat().st_mtime_ns)


def dataset_rows(path: Path | None = None) -> list[ReferenceRowIn]:
    """One row holding the whole rules file, then one row per checklist item."""
    path = path or rules_path()
    standard = file_standard(path)
    rows = [
        ReferenceRowIn(
            RULES_ROW,
            f"{standard.title[:400]} (version {standard.version})",
            {"version": standard.version, "rules_json": path.read_text(encoding="utf-8")},
        )
    ]
    for item in standard.items:
        attributes: dict[str, object] = {
            "form": item.form,
            "action": item.action,
            "key": item.key,
            "bundle_position": standard.bundle_position(item.form) or 0,
        }
        for file_type, conditions in item.needed_for.items():
            attributes[f"needed_for_{file_type}"] = " and ".join(conditions) or "always"
        rows.append(ReferenceRowIn(item.id, item.title, attributes))
    return rows


def import_file_standard(session: Session, path: Path | None = None) -> ImportResult | None:
    """Import the rules file as the `file_standard` dataset when it is new or changed."""
    dataset = get_dataset(session, DATASET)
    if dataset is None:
        return None  # the casefiles migration has not run
    rows = dataset_rows(path)
    if dataset.version > 0:
        held = reference_row(session, DATASET, RULES_ROW)
        if (
            held is not None
            and held.attributes.get("rules_json") == rows[0].attributes["rules_json"]
        ):
            return None
    return import_rows(session, DATASET, rows, title="File standard (case file rules)")


def rules_json(path: Path | None = None) -> object:
    return json.loads((path or rules_path()).read_text(encoding="utf-8"))


# (database, rules file version on disk) pairs already published as the dataset: a memo of
# this process, so the check costs nothing until the file changes.
_published: set[tuple[str, int]] = set()


def publish_rules(session: Session) -> None:
    """Keep the `file_standard` reference dataset in step with the rules file, so clients
    that sync reference data hold the rules in force (checked once per rules file change)."""
    key = (str(session.get_bind().engine.url), rules_path().stat().st_mtime_ns)
    if key in _published:
        return
    try:
        if import_file_standard(session) is not None:
            session.commit()
    except IntegrityError:  # another request published it at the same moment
        session.rollback()
    _published.add(key)
