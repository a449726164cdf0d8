"""The file standard as data: which documents a prosecution file needs, and disclosure numbering.

A force keeps its National File Standard in a versioned rules file
(`resources/rules/file_standard.json`, shared/domain/case-files.md: "Station keeps it as
data, never as code"). `evaluate` reads a case against it and says, per item, done /
missing / not needed, each missing item with the sentence that says what to do. The rules
also say which forms are never served on the defence or given to the court (`disclosure`:
the non-disclosable banding of the casefile forms) and whether the force has agreed the
Streamlined Disclosure Certificate with the CPS (`settings`). Schedule numbering is in
`domain.disclosure`. Standard library only: the server and the client both use it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
    "NotForDisclosure",
    "Requirement",
    "RulesError",
    "StreamlinedDisclosure",
    "condition_problems",
    "evaluate",
    "load_rules",
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
    "MG6": "Case file information",
    "MG6C": "Schedule of relevant non-sensitive material",
    "MG6D": "Schedule of relevant sensitive material",
    "MG6E": "Disclosure officer's report",
    "MG9": "Witness list",
    "MG10": "Witness non-availability",
    "MG11": "Witness statement",
    "MG12": "Exhibit list",
    "SDC": "Streamlined Disclosure Certificate",
}

# Documents attached as PDFs, by the kind the rules file refers to.
ATTACHMENT_KINDS: dict[str, str] = {
    "EXHIBIT": "Exhibit",
    "UNUSED": "Unused material",
    "MG2": "Special measures assessment",
    "MG7": "Remand application",
    "MG8": "Breach of bail conditions",
    "MG18": "Offences taken into consideration",
    "MG19": "Compensation claim",
    "INTERVIEW_RECORD": "Record of interview",
    "PREVIOUS_CONVICTIONS": "Previous convictions",
    "VPS": "Victim personal statement",
}

DOCUMENT_NAMES: dict[str, str] = {**STRUCTURED_FORMS, **ATTACHMENT_KINDS}

# Streamlined Disclosure Certificate settings a rules file may give (CPS Disclosure Manual
# ch.6: "Both SDCs and the MG6 series are expected to continue to be used, as agreed
# locally").
AS_AGREED_LOCALLY = "as agreed locally"
NOT_AGREED = "not agreed"


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
    source: str = ""
    """Where the requirement comes from (the National File Standard, the CPS manuals)."""
    confirm: bool = False
    """True where the source could not be confirmed: a force should check it."""


@dataclass(frozen=True)
class NotForDisclosure:
    """A form that goes to the CPS only, never to the defence or the court."""

    form: str
    source: str
    confirm: bool = False


@dataclass(frozen=True)
class StreamlinedDisclosure:
    """Whether the Streamlined Disclosure Certificate may replace the MG6C, MG6D and MG6E:
    `use` is "as agreed locally" (an officer may choose it, by the `condition`, on the
    `file_types` listed) or "not agreed" (never)."""

    use: str
    condition: str
    file_types: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class FileStandard:
    version: str
    title: str
    file_types: Mapping[str, str]
    conditions: Mapping[str, str]
    items: tuple[Requirement, ...]
    bundle_order: tuple[str, ...]
    not_disclosable: Mapping[str, NotForDisclosure] = field(default_factory=dict)
    band: str = "NOT FOR DISCLOSURE"
    """The words of the band on every page of a form not for disclosure."""
    served_note: str = ""
    """Printed on the front of the copy that may be served: what it leaves out."""
    streamlined: StreamlinedDisclosure | None = None

    def served(self, form: str) -> bool:
        """Whether documents of `form` may go to the defence and the court."""
        return form not in self.not_disclosable

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
                source=str(raw.get("source", "")),
                confirm=raw.get("confirm") is True,
            )
        )
    order = data.get("bundle_order") or []
    unknown = [form for form in order if form not in DOCUMENT_NAMES]
    if unknown or "MG1" not in order[:1]:
        raise RulesError("The bundle order must start with MG1 and name only known forms.")
    disclosure = data.get("disclosure") or {}
    if not isinstance(disclosure, dict):
        raise RulesError("The disclosure section must be an object.")
    return FileStandard(
        version=version,
        title=str(data.get("title", "")),
        file_types=dict(file_types),
        conditions=dict(conditions),
        items=tuple(items),
        bundle_order=tuple(order),
        not_disclosable=_not_disclosable(disclosure.get("not_disclosable") or {}),
        band=str(disclosure.get("band") or "NOT FOR DISCLOSURE"),
        served_note=str(disclosure.get("served_note") or ""),
        streamlined=_streamlined(data.get("settings") or {}, file_types, conditions),
    )


def _not_disclosable(raw: Any) -> dict[str, NotForDisclosure]:
    if not isinstance(raw, dict):
        raise RulesError("disclosure.not_disclosable must be an object of form: its source.")
    forms: dict[str, NotForDisclosure] = {}
    for form, about in raw.items():
        if form not in DOCUMENT_NAMES:
            raise RulesError(
                f"disclosure.not_disclosable names a form Station does not know: {form!r}."
            )
        if not isinstance(about, dict):
            raise RulesError(f"disclosure.not_disclosable.{form} must say its source.")
        source = _text(about.get("source"), f"The source of {form} being not for disclosure")
        forms[form] = NotForDisclosure(form, source, about.get("confirm") is True)
    return forms


def _streamlined(
    settings: Any, file_types: Mapping[str, str], conditions: Mapping[str, str]
) -> StreamlinedDisclosure | None:
    if not isinstance(settings, dict):
        raise RulesError("The settings must be an object.")
    raw = settings.get("streamlined_disclosure_certificate")
    if raw is None:
        return None
    where = "settings.streamlined_disclosure_certificate"
    if not isinstance(raw, dict) or raw.get("use") not in (AS_AGREED_LOCALLY, NOT_AGREED):
        raise RulesError(f'{where}.use must be "{AS_AGREED_LOCALLY}" or "{NOT_AGREED}".')
    condition = raw.get("condition")
    if condition not in conditions:
        raise RulesError(f"{where}.condition must name a condition of the rules file.")
    kinds = raw.get("file_types")
    if not isinstance(kinds, list) or any(kind not in file_types for kind in kinds):
        raise RulesError(f"{where}.file_types must list file types of the rules file.")
    source = _text(raw.get("source"), f"{where}.source")
    return StreamlinedDisclosure(str(raw["use"]), str(condition), tuple(kinds), source)


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
            # A condition that holds and rules the item out says so ("not X": X holds).
            reason = (
                f"Not needed because: {why}."
                if unmet[0].startswith("not ")
                else f"Not needed unless: {why}."
            )
            results.append(
                ItemResult(item.id, item.title, item.form, ItemStatus.NOT_NEEDED, reason)
            )
            continue
        have = counts.get((item.form, item.key), 0)
        status = ItemStatus.DONE if have >= item.min_count else ItemStatus.MISSING
        sentence = item.action if status is ItemStatus.MISSING else ""
        results.append(ItemResult(item.id, item.title, item.form, status, sentence))
    return Completeness(standard.version, case.file_type, tuple(results))


def condition_problems(
    standard: FileStandard, file_type: str, conditions: Iterable[str]
) -> list[str]:
    """What is wrong with the answers to the rules' questions for a file of `file_type`, as
    sentences (empty: nothing). An unknown question, or the Streamlined Disclosure
    Certificate where the force has not agreed it or for a file it is not meant for (CPS
    Disclosure Manual ch.6: SDCs "as agreed locally", for anticipated not guilty pleas
    "reasonably expected to be suitable for summary trial")."""
    given = list(conditions)
    problems = [f"Unknown condition: {name}." for name in given if name not in standard.conditions]
    streamlined = standard.streamlined
    if streamlined is None or streamlined.condition not in given:
        return problems
    if streamlined.use == NOT_AGREED:
        problems.append(
            "This force has not agreed the Streamlined Disclosure Certificate with the CPS "
            f"(rules version {standard.version}), so the MG6C, MG6D and MG6E schedules are "
            "needed. Untick the streamlined disclosure question."
        )
    elif file_type not in streamlined.file_types:
        title = standard.file_types.get(file_type, file_type)
        problems.append(
            "The Streamlined Disclosure Certificate is only for anticipated not guilty pleas "
            f"that will stay in the magistrates' court, not for a file of type {title!r}. "
            "Untick the streamlined disclosure question."
        )
    return problems
