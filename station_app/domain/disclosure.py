"""Disclosure schedules (CPIA 1996 Code of Practice; CPS Disclosure Manual ch.6-10): each
kind of schedule numbers its own items, the nil MG6D, and the MG6E's references to items.

CPS Disclosure Manual ch.7 (7.2): on the MG6C "each item should be individually described
and consecutively numbered. Where continuation sheets are used or additional schedules sent
in later submissions, item numbering must be consecutive to all items on earlier
schedules." The MG6C is served on the defence (ch.7 7.1) and the MG6D never is (ch.8 8.2),
so the MG6C counts only MG6C items and the MG6D only MG6D items: one running number across
both printed the MG6C as 1, 2, 4, 5 and told the defence that a sensitive item 3 exists.
Because the two schedules share numbers, the MG6E names the schedule with each item
("MG6C 3, MG6D 1"), as its printed form does (a schedule column and an item column).
Standard library only: the server and the client both use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

__all__ = [
    "SCHEDULE_FORMS",
    "ItemReference",
    "Schedule",
    "ScheduleError",
    "ScheduleItem",
    "format_item_references",
    "last_item_numbers",
    "mixed_mg6d_problem",
    "next_item_number",
    "nil_mg6d_problem",
    "number_schedule_items",
    "parse_item_references",
]

SCHEDULE_FORMS = ("MG6C", "MG6D")


class ScheduleError(ValueError):
    """A schedule or a reference to one that cannot be used; the message says why."""


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


def _numbers(schedules: Iterable[Schedule], form: str) -> list[int]:
    return [i.number for s in schedules if s.form == form for i in s.items if i.number]


def last_item_numbers(schedules: Iterable[Schedule]) -> dict[str, int]:
    """The highest number on each kind of schedule (0 where it has none)."""
    held = list(schedules)
    return {form: max(_numbers(held, form), default=0) for form in SCHEDULE_FORMS}


def next_item_number(
    schedules: Iterable[Schedule], form: str, last_given: Mapping[str, int] | None = None
) -> int:
    """The number the next new item of a `form` schedule of the case will take: after every
    number on the case's schedules of that kind, and after every number ever given on them
    (`last_given`), so that a number once given is never given to another item."""
    highest = max(_numbers(schedules, form), default=0)
    return max(highest, (last_given or {}).get(form, 0)) + 1


def number_schedule_items(
    schedules: Sequence[Schedule], last_given: Mapping[str, int] | None = None
) -> list[Schedule]:
    """Give every unnumbered item the next number of its own kind of schedule.

    CPS Disclosure Manual ch.7 (7.2): consecutively numbered, continuation sheets and later
    schedules consecutive to the earlier ones of the kind. A number once given never
    changes (the MG6E and the CPS refer to items by it), so new items take numbers after
    the highest in use or ever given, schedule by schedule in the order they were added.
    """
    for form in SCHEDULE_FORMS:
        used = _numbers(schedules, form)
        twice = sorted({n for n in used if used.count(n) > 1})
        if twice:
            raise ScheduleError(
                f"Item numbers must be unique on the {form} schedules of a case; "
                f"these appear twice: {', '.join(map(str, twice))}."
            )
    following = {form: next_item_number(schedules, form, last_given) for form in SCHEDULE_FORMS}
    numbered: list[Schedule] = []
    for schedule in sorted(schedules, key=lambda s: s.sequence):
        items = []
        for item in schedule.items:
            if item.number is None:
                item = replace(item, number=following[schedule.form])
                following[schedule.form] += 1
            items.append(item)
        numbered.append(replace(schedule, items=tuple(items)))
    return numbered


def nil_mg6d_problem(nil: bool, items: Sequence[ScheduleItem], signed_by: str) -> str | None:
    """Why an MG6D cannot be saved as it is, or None.

    CPS Disclosure Manual ch.8 (8.3): where there is no sensitive material, the disclosure
    officer endorses and signs an MG6D to that effect (a nil MG6D) and submits it with the
    MG6C and MG6E.
    """
    if nil and items:
        return "A nil MG6D lists no items. Remove the items, or untick nil."
    if nil and not signed_by.strip():
        return "A nil MG6D must be signed. Enter the name of the officer signing it."
    if not nil and not items:
        return "List the sensitive material, or if there is none mark the MG6D nil and sign it."
    return None


def mixed_mg6d_problem(nil: bool, other_mg6ds_nil: Iterable[bool]) -> str | None:
    """Why this MG6D cannot stand beside the case's other MG6Ds, or None.

    A nil MG6D says there is no sensitive material (CPS Disclosure Manual ch.8 8.3); a
    populated one lists some. A case has one or the other, never both.
    """
    others = list(other_mg6ds_nil)
    if nil and any(not other for other in others):
        return (
            "This case already has an MG6D listing sensitive material, so it cannot also have "
            "a nil MG6D saying there is none. Add any further sensitive material to the listed "
            "schedule instead (CPS Disclosure Manual ch.8)."
        )
    if not nil and any(others):
        return (
            "This case has a nil MG6D saying there is no sensitive material. Change that MG6D "
            "into the list of sensitive material instead of adding another: a case has a nil "
            "MG6D or a listed one, never both (CPS Disclosure Manual ch.8)."
        )
    return None


ItemReference = tuple[str, int]
"""An item of a disclosure schedule: (MG6C or MG6D, its number on that kind of schedule)."""

_REFERENCE = re.compile(r"^(?:MG)?\s*6?\s*([CD])\s*[-/#.:]?\s*(\d{1,7})$")


def parse_item_references(text: str) -> list[ItemReference]:
    """The schedule items an MG6E names, written as "MG6C 3, MG6D 1" (or "C3, D1").

    Raises ScheduleError with a sentence for the officer when one cannot be read, including
    a bare number: each kind of schedule has its own numbers, so "3" could be either.
    """
    references: list[ItemReference] = []
    for part in re.split(r"[,;]", text):
        written = " ".join(part.split()).upper()
        if not written:
            continue
        match = _REFERENCE.match(written)
        if match is None:
            if written.isdigit():
                raise ScheduleError(
                    f"Say which schedule item {written} is on, e.g. MG6C {written} or "
                    f"MG6D {written}: the MG6C and the MG6D each number their own items."
                )
            raise ScheduleError(
                f"{part.strip()!r} is not an item of a schedule. Write each item as the "
                "schedule and its number, separated by commas, e.g. MG6C 3, MG6D 1."
            )
        reference = (f"MG6{match.group(1)}", int(match.group(2)))
        if reference not in references:
            references.append(reference)
    return references


def format_item_references(references: Iterable[ItemReference]) -> str:
    """The references as Station prints them: "MG6C 3, MG6D 1"."""
    return ", ".join(f"{form} {number}" for form, number in references)
