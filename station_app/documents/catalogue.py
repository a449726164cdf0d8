"""Message catalogues: the words of a printed document as data, one JSON file per language
(`resources/rules/letters/en.json`, `resources/rules/notices/cy.json`, ...), so a
translation is a file a force adds, not code. They sit with the other data a force edits
(`resources/rules`), which the installer ships whole.

A catalogue holds `messages` (a sentence, or a list of paragraphs, with `{name}`
placeholders), the names of the days and months for dates in words, the words a person
may give for the language (`"Welsh"`, `"Cymraeg"`, `"cy"`) and `notes` for whoever checks
or edits the wording. Every catalogue of a kind has the same keys and the same
placeholders as the English one (a test holds this).
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from station_app.domain import pace
from station_app.domain.clock import london
from station_app.resource_files import resource_path

__all__ = [
    "Catalogue",
    "available_languages",
    "catalogue",
    "choose_language",
    "placeholders",
]

ENGLISH = "en"


@dataclass(frozen=True)
class Catalogue:
    kind: str
    language: str
    """ISO 639-1 code: "en", "cy"."""
    name: str
    """The language's own name for itself: "English", "Cymraeg"."""
    matches: tuple[str, ...]
    days: tuple[str, ...]
    """Monday first."""
    months: tuple[str, ...]
    messages: Mapping[str, Any]
    notes: tuple[str, ...]

    def text(self, key: str, **values: object) -> str:
        message = self.messages[key]
        if not isinstance(message, str):
            raise TypeError(f"{self.kind}/{self.language}: {key} is a list; use lines()")
        return message.format(**values) if values else message

    def lines(self, key: str, **values: object) -> list[str]:
        message = self.messages[key]
        items = [message] if isinstance(message, str) else list(message)
        return [str(item).format(**values) if values else str(item) for item in items]

    def date_words(self, day: date, *, weekday: bool = True) -> str:
        """ "Friday 5 December 2026" ("Dydd Gwener 5 Rhagfyr 2026"): a date nobody misreads."""
        text = f"{day.day} {self.months[day.month - 1]} {day.year}"
        return f"{self.days[day.weekday()]} {text}" if weekday else text

    def local(self, moment: datetime) -> datetime:
        return pace.as_utc(moment).astimezone(london())

    def time_words(self, moment: datetime) -> str:
        """ "14:30 GMT": the London wall clock with its zone (formats.md)."""
        local = self.local(moment)
        return f"{local:%H:%M} {local.tzname()}"

    def when_words(self, moment: datetime) -> str:
        """The day in words and the London time: "Friday 5 December 2026, 14:30 GMT"."""
        return self.text(
            "date_at_time",
            date=self.date_words(self.local(moment).date()),
            time=self.time_words(moment),
        )


def _folder(kind: str) -> Path:
    return resource_path("rules", kind)


def _load(kind: str, language: str) -> Catalogue:
    path = _folder(kind) / f"{language}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Catalogue(
        kind=kind,
        language=str(data["language"]),
        name=str(data["name"]),
        matches=tuple(str(m).casefold() for m in data.get("matches", ())),
        days=tuple(data["days"]),
        months=tuple(data["months"]),
        messages=dict(data["messages"]),
        notes=tuple(data.get("notes", ())),
    )


@cache
def catalogue(kind: str, language: str = ENGLISH) -> Catalogue:
    """The catalogue of `kind` ("letters", "notices") in `language`."""
    return _load(kind, language)


@cache
def available_languages(kind: str) -> tuple[str, ...]:
    """The languages shipped for `kind`, English first."""
    codes = sorted(path.stem for path in _folder(kind).glob("*.json"))
    return tuple(sorted(codes, key=lambda code: code != ENGLISH))


def choose_language(kind: str, requested: str) -> tuple[Catalogue, bool]:
    """The catalogue for a language as a person gave it ("Welsh", "cymraeg", "cy"), and
    whether it was found. Nothing asked, or English, gives English and True; a language
    with no catalogue gives English and False, so the document can say a translation will
    follow (Victims' Code right 1; PACE Code C 3.12 and 13)."""
    wanted = requested.strip().casefold()
    if not wanted:
        return catalogue(kind, ENGLISH), True
    for code in available_languages(kind):
        found = catalogue(kind, code)
        if wanted == code or wanted in found.matches:
            return found, True
    return catalogue(kind, ENGLISH), False


def placeholders(message: Any) -> set[str]:
    """The `{name}`s a message (or each paragraph of it) fills in."""
    items = [message] if isinstance(message, str) else list(message)
    return {
        name
        for item in items
        for _text, name, _spec, _conversion in string.Formatter().parse(str(item))
        if name
    }
