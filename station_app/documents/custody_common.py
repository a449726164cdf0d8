"""What every printed custody form shares: paragraphs and tables in the frame's styles, the
detainee's particulars, and times and entry details as people read them (London wall
clock with GMT/BST, dates in words, choices by their labels; never raw UTC ISO text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from station_app.domain.custody_record import local_text
from station_app.domain.custody_rules import EVENT_TYPES, data_datetime
from station_app.domain.wire import parse_iso_date, parse_utc

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.documents.catalogue import Catalogue
    from station_app.services.custody import CustodyRecordView, EntryView

__all__ = [
    "cell_time",
    "date_words",
    "entry_details",
    "p",
    "pairs",
    "parse_time",
    "person_rows",
    "t",
    "table",
]


def t(when: datetime | None) -> str:
    """ "Sat 24 Oct 2026 21:00 BST", or a dash for a time not recorded."""
    return local_text(when) if when is not None else "—"


def cell_time(when: datetime) -> str:
    """ "Sat 24 Oct 2026" over "21:00 BST", to fit a narrow table column."""
    parts = local_text(when).split(" ")
    return " ".join(parts[:-2]) + "\n" + " ".join(parts[-2:])


@cache
def _english() -> Catalogue:
    from station_app.documents.catalogue import catalogue

    return catalogue("notices", "en")


def date_words(value: object, words: Catalogue | None = None, *, weekday: bool = True) -> str:
    """An ISO date from entry data in words ("Wednesday 20 January 2027"); text that is not
    a date is printed as it is."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    else:
        try:
            day = parse_iso_date(str(value))
        except ValueError:
            return str(value or "")
    return (words or _english()).date_words(day, weekday=weekday)


def parse_time(text: Any) -> datetime | None:
    return parse_utc(str(text)) if text else None


def p(text: str, style: str = "Body") -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), _styles()[style])


@cache
def _styles() -> Any:
    from station_app.documents.pdf import styles

    return styles()


def table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header: bool = True) -> Flowable:
    from reportlab.lib import colors

    from station_app.documents.pdf import FONT_BOLD, station_table

    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ]
    return station_table(rows, widths, commands, repeat_rows=1 if header else 0, font_size=8.5)


def pairs(rows: Sequence[tuple[str, str]]) -> Flowable:
    from reportlab.lib.units import mm

    return table([(label, p(value, "Cell")) for label, value in rows], (48 * mm, 126 * mm), False)


def person_rows(record: CustodyRecordView) -> list[tuple[str, str]]:
    person = record.booking().get("person") or {}
    born = record.board.date_of_birth
    return [
        ("Custody number", record.custody_number),
        ("Detainee", record.board.name),
        ("Date of birth", date_words(born, weekday=False) if born else "Not given"),
        ("Address", str(person.get("address") or "Not given")),
        ("Station", record.station_code),
    ]


def _field_text(kind: str, value: Any, choices: Mapping[str, str]) -> str:
    if kind == "datetime":
        moment = data_datetime({"v": value}, "v")
        return t(moment) if moment is not None else str(value)
    if kind == "date":
        return date_words(value)
    if kind == "choice":
        return choices.get(str(value), str(value))
    if kind == "offence" and isinstance(value, Mapping):
        return f"{value.get('code', '')} {value.get('label', '')}".strip()
    return str(value)


def entry_details(entry: EntryView) -> str:
    """One entry's details for the printed record, each field by its label, times in London
    wall-clock time (the server's one-line summary prints times as UTC ISO text)."""
    spec = EVENT_TYPES.get(entry.kind)
    if entry.kind == "booked_in":
        data = entry.data
        arrested = parse_time(data.get("arrested_at"))
        offences = "; ".join(str(o.get("label", "")) for o in data.get("offences") or ())
        return f"Arrested {t(arrested)} for {offences}. Arrival {t(entry.occurred_at)}."
    if spec is None:
        return entry.summary
    parts = []
    for field in spec.fields:
        value = entry.data.get(field.name)
        if value in (None, "", False):
            continue
        if field.kind == "bool":
            parts.append(field.label)
        else:
            parts.append(f"{field.label}: {_field_text(field.kind, value, dict(field.choices))}")
    return "; ".join(parts)
