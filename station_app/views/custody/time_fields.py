"""Times the officer types in the custody forms, on the London wall clock, asked about
rather than guessed where the clocks change: a time that never happened (01:30 on the last
Sunday of March) is refused with the reason, and one that happened twice (01:30 on the last
Sunday of October) shows a "Which 01:30?" question under the field until it is answered
(`domain.typed_input.london_time`, the one reading of a typed time)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDateTimeEdit

from station_app.domain.typed_input import (
    FIRST,
    SECOND,
    AmbiguousLocalTimeError,
    LocalTimeError,
    NonexistentLocalTimeError,
    london_time,
)
from station_app.ui.forms import StationForm
from station_app.views.custody.text import from_qdatetime, wall_time

OCCURRENCES = (
    ("— choose which —", None),
    ("The first, in BST (before the clocks went back)", FIRST),
    ("The second, in GMT (after the clocks went back)", SECOND),
)


def which_name(name: str) -> str:
    return f"{name}_which"


def add_time_field(
    form: StationForm,
    name: str,
    label: str,
    edit: QDateTimeEdit,
    *,
    required: bool = False,
    hint: str = "",
) -> None:
    """The field, and under it the question asked only when its time happened twice."""
    form.add_field(name, label, edit, required=required, hint=hint)
    which = QComboBox()
    which.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    which.setMinimumContentsLength(18)
    for text, code in OCCURRENCES:
        which.addItem(text, code)
    plain = label.replace("&", "").rstrip(":")
    form.add_field(
        which_name(name),
        f"Which one? ({plain})",
        which,
        hint="This time happened twice on the station clock (the clocks went back): choose which.",
    )
    form.set_field_visible(which_name(name), False)
    edit.dateTimeChanged.connect(lambda _value: follow_time(form, name))
    follow_time(form, name)


def follow_time(form: StationForm, name: str) -> None:
    """Ask "which one?" exactly while the time typed happened twice."""
    edit, which = form.field(name), form.field(which_name(name))
    assert isinstance(edit, QDateTimeEdit) and isinstance(which, QComboBox)
    try:
        london_time(wall_time(edit.dateTime()))
        twice = False
    except AmbiguousLocalTimeError:
        twice = True
    except LocalTimeError:
        twice = False
    form.set_field_visible(which_name(name), twice)
    if not twice:
        which.setCurrentIndex(0)


def read_time(form: StationForm, name: str) -> dt.datetime:
    """The moment (UTC) typed in the field; `LocalTimeError` with the sentence if the time
    never happened or happened twice and "which one?" is not answered."""
    edit, which = form.field(name), form.field(which_name(name))
    assert isinstance(edit, QDateTimeEdit) and isinstance(which, QComboBox)
    occurrence = which.currentData() if form.field_visible(which_name(name)) else None
    return from_qdatetime(edit.dateTime(), occurrence)


def time_problems(form: StationForm, names: list[str]) -> dict[str, str]:
    """Each time field that cannot be read without asking, with what to do: the time that
    never happened under its own field, the one that happened twice under its question."""
    problems: dict[str, str] = {}
    for name in names:
        try:
            read_time(form, name)
        except NonexistentLocalTimeError as error:
            problems[name] = str(error)
        except AmbiguousLocalTimeError as error:
            problems[which_name(name)] = str(error)
    return problems
