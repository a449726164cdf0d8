"""The file standard as data: which documents a prosecution file needs, and disclosure numbering.

A force keeps its National File Standard in a versioned rules file
(`resources/rules/file_standard.json`, shared/domain/case-files.md: "Station keeps it as
data, never as code"). `evaluate` reads a case against it and says, per item, done /
missing / not needed, each missing item with the sentence that says what to do.
`number_schedule_items` gives disclosure schedule items their running numbers (CPIA Code
of Practice: items are numbered consecutively across all schedules, including later ones).
Standard library only: the server and the client both use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from station_app.domain.roles import Role

__all__ = [
    "ATTACHMENT_KINDS",
    "CASEFILE_EDIT_ROLES",
    "CASEFILE_READ_ROLES",
    "CASEFILE_REVIEW_ROLES",
    "DOCUMENT_NAMES",
    "STRUCTURED_FORMS",
    "CaseFacts",
    "Completeness",
    "DocumentFacts",
    "FileStandard",
    "ItemResult",
    "ItemStatus",
    "Requirement",
    "RulesError",
    "Schedule",
    "ScheduleItem",
    "evaluate",
    "load_rules",
    "next_item_number",
    "nil_mg6d_problem",
    "number_schedule_items",
    "parse_rules",
]

# Who works on case files: the officer in the case prepares; a supervisor reviews and sends.
CASEFILE_EDIT_ROLES: frozenset[Role] = frozenset({Role.DETECTIVE})
CASEFILE_REVIEW_ROLES: frozenset[Role] = frozenset({Role.SUPERVISOR})
CASEFILE_READ_ROLES: frozenset[Role] = CASEFILE_EDIT_ROLES | CASEFILE_REVIEW_ROLES

# The MG forms Station holds as structured data (shared/domain/case-files.md, in bold).
STRUCTURED_FORMS: dict[str, str] = {
    "MG1": "File front sheet",
    "MG3": "Report to Crown Prosecutor for charging decision",
    "MG4": "Charges",
    "MG5": "Police report (case summary)",
    "MG6C": "Schedule of relevant non-sensitive material",
    "MG6D": "Schedule of relevant sensitive material",
    "MG6E": "Disclosure officer's report",
    "MG9": "Witness list",
    "MG11": "Witness statement",
    "MG12": "Exhibit list",
}

# Documents attached as PDFs, by the kind the rules file refers to.
ATTACHMENT_KINDS: dict[str, str] = {
    "EXHIBIT": "Exhibit",
    "UNUSED": "Unused material",
    "MG2": "Special measures assessment",
    "MG7": "Remand application",
    "MG18": "Offences taken into consideration",
    "MG19": "Compensation claim",
    "INTERVIEW_RECORD": "Record of interview",
    "PREVIOUS_CONVICTIONS": "Previous convictions",
    "VPS": "Victim personal statement",
}

DOCUMENT_NAMES: dict[str, str] = {**STRUCTURED_FORMS, **ATTACHMENT_KINDS}

SCHEDULE_FORMS = ("MG6C", "MG6D")


class RulesError(ValueError):
    """A rules file that cannot be used; the message says what to correct in it."""


class ItemStatus(StrEnum):
    DONE = "done"
    MISSING = "missing"
    NOT_NEEDED = "not_needed"


@dataclass(frozen=True)
class Requirement:
    """One line of the file standard. `needed_for` maps a file type to the conditions
    that must all hold for it (an empty tuple: always needed for that file type)."""

    id: str
    title: str
    form: str
    action: str
    needed_for: Mapping[str, tuple[str, ...]]
    key: bool = False
    min_count: int = 1


@dataclass(frozen=True)
class FileStandard:
    version: str
    title: str
    file_types: Mapping[str, str]
    conditions: Mapping[str, str]
    items: tuple[Requirement, ...]
    bundle_order: tuple[str, ...]

    def bundle_position(self, form: str) -> int | None:
        """Where documents of `form` go in the bundle; None: not bundled."""
        try:
            return self.bundle_order.index(form)
        except ValueError:
            return None


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where} must be non-empty text.")
    return value


def _conditions(value: Any, where: str, known: Mapping[str, str]) -> tuple[str, ...]:
    if value is True:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise RulesError(f"{where} must be true, a condition name or a list of them.")
    for name in names:
        if not isinstance(name, str) or name.removeprefix("not ") not in known:
            raise RulesError(f"{where} names a condition that is not defined: {name!r}.")
    return tuple(names)


def parse_rules(data: Mapping[str, Any]) -> FileStandard:
    """Check a rules file's content and turn it into a FileStandard."""
    if data.get("schema") != 1:
        raise RulesError('The rules file must say "schema": 1.')
    version = _text(data.get("version"), "The version")
    file_types = data.get("file_types")
    conditions = data.get("conditions", {})
    if not isinstance(file_types, dict) or not file_types:
        raise RulesError("The rules file must list its file types.")
    if not isinstance(conditions, dict):
        raise RulesError("The conditions must be an object of name: question.")
    items: list[Requirement] = []
    seen: set[str] = set()
    for number, raw in enumerate(data.get("items") or [], start=1):
        if not isinstance(raw, dict):
            raise RulesError(f"Item {number} must be an object.")
        item_id = _text(raw.get("id"), f"Item {number}'s id")
        if item_id in seen:
            raise RulesError(f"The item id {item_id!r} appears more than once.")
        seen.add(item_id)
        form = _text(raw.get("form"), f"Item {item_id}'s form")
        if form not in DOCUMENT_NAMES:
            raise RulesError(f"Item {item_id} names a form Station does not know: {form!r}.")
        needed = raw.get("needed_for")
        if not isinstance(needed, dict) or not needed:
            raise RulesError(f"Item {item_id} must say which file types need it.")
        needed_for: dict[str, tuple[str, ...]] = {}
        for file_type, when in needed.items():
            if file_type not in file_types:
                raise RulesError(f"Item {item_id} names an unknown file type: {file_type!r}.")
            needed_for[file_type] = _conditions(when, f"Item {item_id} ({file_type})", conditions)
        min_count = raw.get("min_count", 1)
        if not isinstance(min_count, int) or min_count < 1:
            raise RulesError(f"Item {item_id}'s min_count must be a whole number of 1 or more.")
        items.append(
            Requirement(
                id=item_id,
                title=_text(raw.get("title"), f"Item {item_id}'s title"),
                form=form,
                action=_text(raw.get("action"), f"Item {item_id}'s action"),
                needed_for=needed_for,
                key=bool(raw.get("key", False)),
                min_count=min_count,
            )
        )
    order = data.get("bundle_order") or []
    unknown = [form for form in order if form not in DOCUMENT_NAMES]
    if unknown or "MG1" not in order[:1]:
        raise RulesError("The bundle order must start with MG1 and name only known forms.")
    return FileStandard(
        version=version,
        title=str(data.get("title", "")),
        file_types=dict(file_types),
        conditions=dict(conditions),
        items=tuple(items),
        bundle_order=tuple(order),
    )


def load_rules(path: Path) -> FileStandard:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RulesError(f"The rules file {path.name} cannot be read: {error}.") from error
    if not isinstance(data, dict):
        raise RulesError(f"The rules file {path.name} must hold a JSON object.")
    return parse_rules(data)


@dataclass(frozen=True)
class DocumentFacts:
    """What completeness needs to know about one document of a case."""

    form: str
    key: bool = False


@dataclass(frozen=True)
class CaseFacts:
    file_type: str
    conditions: frozenset[str] = frozenset()
    documents: Sequence[DocumentFacts] = ()


@dataclass(frozen=True)
class ItemResult:
    id: str
    title: str
    form: str
    status: ItemStatus
    # What to do, for a missing item; why it is not needed, for one that is not.
    sentence: str = ""


@dataclass(frozen=True)
class Completeness:
    rules_version: str
    file_type: str
    items: tuple[ItemResult, ...]

    @property
    def missing(self) -> tuple[ItemResult, ...]:
        return tuple(item for item in self.items if item.status is ItemStatus.MISSING)

    @property
    def complete(self) -> bool:
        return not self.missing


def _holds(condition: str, present: frozenset[str]) -> bool:
    if condition.startswith("not "):
        return condition[4:] not in present
    return condition in present


def evaluate(standard: FileStandard, case: CaseFacts) -> Completeness:
    """The checklist of `case` against `standard`: one result per item of its file type."""
    if case.file_type not in standard.file_types:
        raise RulesError(
            f"The file type {case.file_type!r} is not in rules version {standard.version}."
        )
    counts: dict[tuple[str, bool], int] = {}
    for document in case.documents:
        counts[(document.form, False)] = counts.get((document.form, False), 0) + 1
        if document.key:
            counts[(document.form, True)] = counts.get((document.form, True), 0) + 1
    results: list[ItemResult] = []
    for item in standard.items:
        conditions = item.needed_for.get(case.file_type)
        if conditions is None:
            continue  # not part of this file type's checklist at all
        unmet = [c for c in conditions if not _holds(c, case.conditions)]
        if unmet:
            why = "; ".join(
                standard.conditions.get(c.removeprefix("not "), c).rstrip(".") for c in unmet
            )
            reason = f"Not needed unless: {why}." if not unmet[0].startswith("not ") else ""
            results.append(
                ItemResult(item.id, item.title, item.form, ItemStatus.NOT_NEEDED, reason)
            )
            continue
        have = counts.get((item.form, item.key), 0)
        status = ItemStatus.DONE if have >= item.min_count else ItemStatus.MISSING
        sentence = item.action if status is ItemStatus.MISSING else ""
        results.append(ItemResult(item.id, item.title, item.form, status, sentence))
    return Completeness(standard.version, case.file_type, tuple(results))


# --- Disclosure schedules (CPIA 1996 Code of Practice; shared/domain/case-files.md) ---


@dataclass(frozen=True)
class ScheduleItem:
    description: str
    number: int | None = None  # None until the schedule is saved
    location: str = ""
    remarks: str = ""


@dataclass(frozen=True)
class Schedule:
    """An MG6C or MG6D of a case, in the order the schedules were added (`sequence`)."""

    form: str
    sequence: int
    items: tuple[ScheduleItem, ...] = field(default_factory=tuple)


def _used_numbers(schedules: Iterable[Schedule]) -> list[int]:
    return [i.number for s in schedules for i in s.items if i.number is not None]


def next_item_number(schedules: Iterable[Schedule]) -> int:
    """The number the next new item of any schedule of the case will take."""
    return max(_used_numbers(schedules), default=0) + 1


def number_schedule_items(schedules: Sequence[Schedule]) -> list[Schedule]:
    """Give every unnumbered item the next running number, across all schedules.

    CPIA Code of Practice: items are numbered consecutively across all schedules of a
    case, including schedules added later. A number once given never changes (the MG6E
    and the CPS refer to items by it), so new items take numbers after the highest in
    use, schedule by schedule in the order they were added.
    """
    used = _used_numbers(schedules)
    duplicates = sorted({n for n in used if used.count(n) > 1})
    if duplicates:
        raise RulesError(
            "Schedule item numbers must be unique across the case; "
            f"these appear twice: {', '.join(map(str, duplicates))}."
        )
    following = max(used, default=0) + 1
    numbered: list[Schedule] = []
    for schedule in sorted(schedules, key=lambda s: s.sequence):
        items = []
        for item in schedule.items:
            if item.number is None:
                item = replace(item, number=following)
                following += 1
            items.append(item)
        numbered.append(replace(schedule, items=tuple(items)))
    return numbered


def nil_mg6d_problem(nil: bool, items: Sequence[ScheduleItem], signed_by: str) -> str | None:
    """Why an MG6D cannot be saved as it is, or None.

    CPS Disclosure Manual: where there is no sensitive material, a signed nil MG6D is
    still submitted with the MG6C and MG6E.
    """
    if nil and items:
        return "A nil MG6D lists no items. Remove the items, or untick nil."
    if nil and not signed_by.strip():
        return "A nil MG6D must be signed. Enter the name of the officer signing it."
    if not nil and not items:
        return "List the sensitive material, or if there is none mark the MG6D nil and sign it."
    return None
