"""The victim's acknowledgement letter, printed at the counter.

Victims' Code (2020, updated 2024), right 3: written confirmation of the report with its
basic details (what, when and where, and the property lost or damaged), the crime
reference number and how to contact the police; information about the criminal justice
process and about restorative justice. Right 4: victim support services. Right 1: help
to understand, including a translation: the words come from a message catalogue
(`resources/rules/letters/<language>.json`), so the letter in Welsh, or in any language a force
adds, is data. The letter goes to the public, so it carries no protective marking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab import platypus
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from station_app.documents.catalogue import Catalogue, choose_language
from station_app.documents.pdf import PageFrame, build_pdf, station_table, styles
from station_app.domain.wire import parse_utc

__all__ = ["PublicLetter", "build_letter", "letter_file_name", "letter_language"]

# reportlab has no type hints: its flowables are reached through an Any.
flow: Any = platypus

KIND = "letters"


def _moment(when: str | datetime) -> datetime:
    return parse_utc(when) if isinstance(when, str) else when


def _money(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def letter_file_name(incident: dict[str, Any]) -> str:
    return f"Acknowledgement {incident['reference']}.pdf"


def _victim(incident: dict[str, Any]) -> dict[str, Any]:
    victim = incident.get("victim") or {}
    return victim if victim.get("name") else incident["reporter"]


def letter_language(incident: dict[str, Any], language: str | None = None) -> tuple[Catalogue, str]:
    """The catalogue the letter is printed from, and the language asked for that has no
    catalogue yet ("" when there is none). `language` (a code or a name) overrides the
    victim's own preferred language recorded on the report."""
    asked = language if language is not None else str(_victim(incident).get("language") or "")
    found, known = choose_language(KIND, asked)
    return found, "" if known else asked.strip()


class PublicLetter:
    """What every letter to a victim shares (the acknowledgement, the court's outcome):
    the station's address and the date at the head, "Dear …" and the opening, a table of
    the details, and the offer of a translation, the closing and the signature at the
    foot, on a page with no protective marking (it is handed to the public)."""

    def __init__(self, incident: dict[str, Any], language: str | None) -> None:
        self.incident = incident
        self.words, self.untranslated = letter_language(incident, language)
        self.sheet = styles()
        self.body = ParagraphStyle("LetterBody", parent=self.sheet["Body"], spaceAfter=5)
        self.station = incident["station"]
        self.reference = str(incident["reference"])

    def p(self, text: str, style: Any = None) -> Any:
        return flow.Paragraph(escape(text).replace("\n", "<br/>"), style or self.body)

    def head(self, printed: datetime, opening_key: str) -> list[Any]:
        station, words = self.station, self.words
        address = ", ".join(
            str(station.get(key) or "")
            for key in ("name", "address", "postcode")
            if station.get(key)
        )
        small = self.sheet["Small"]
        story: list[Any] = [
            self.p(address, small),
            self.p(words.text("telephone_line", phone=station["phone"]), small),
            flow.Spacer(1, 6 * mm),
            self.p(words.date_words(words.local(printed).date())),
            flow.Spacer(1, 4 * mm),
            self.p(words.text("dear", name=_victim(self.incident)["name"])),
            flow.Spacer(1, 2 * mm),
            self.p(words.text(opening_key)),
        ]
        if self.untranslated:
            story.append(self.p(words.text("translation_pending", language=self.untranslated)))
        return story

    def details(self, rows: list[tuple[str, str]]) -> Any:
        """Label and value, one row each, the labels from the catalogue."""
        return station_table(
            [[self.p(self.words.text(label), self.sheet["Label"]), self.p(v)] for label, v in rows],
            (45 * mm, None),
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ],
        )

    def finish(self, story: list[Any], title_key: str, subject_key: str) -> bytes:
        """The foot of the letter, then the PDF."""
        words, station, reference = self.words, self.station, self.reference
        story = [
            *story,
            self.p(words.text("translation_offer")),
            flow.Spacer(1, 6 * mm),
            self.p(words.text("closing")),
            flow.Spacer(1, 8 * mm),
            self.p(
                words.text(
                    "signature", officer=self.incident["officer_name"], station=station["name"]
                )
            ),
        ]
        frame = PageFrame(
            title=words.text(title_key, reference=reference),
            subject=words.text(subject_key),
            header_left=station["name"],
            header_right=words.text("header_right", reference=reference),
            protective_marking="",  # handed to the public: not a marked police document
            page_label=words.text("page_label", page="{page}", total="{total}"),
        )
        return build_pdf(story, frame)


def _when(incident: dict[str, Any], words: Catalogue) -> str:
    start, end = incident.get("occurred_from"), incident.get("occurred_to")
    if not start and not end:
        return words.text("when_unknown")
    if start and end and _moment(start) != _moment(end):
        return words.text(
            "when_between",
            start=words.when_words(_moment(start)),
            end=words.when_words(_moment(end)),
        )
    return words.when_words(_moment(start or end or ""))


def _where(incident: dict[str, Any], words: Catalogue) -> str:
    parts = [
        str(incident.get(key) or "").strip()
        for key in ("location_description", "location_address", "location_postcode")
    ]
    return ", ".join(part for part in parts if part) or words.text("where_unknown")


def _property(incident: dict[str, Any], words: Catalogue) -> str:
    lines = [
        words.text(
            "property_damaged" if item.get("damaged") else "property_item",
            item=str(item.get("item", "")),
            value=_money(int(item.get("value_pence") or 0)),
        )
        for item in incident.get("property") or ()
    ]
    return "\n".join(lines) or words.text("property_none")


def build_letter(
    incident: dict[str, Any],
    *,
    printed_at: datetime | None = None,
    language: str | None = None,
) -> bytes:
    """The letter for an incident as the server returns it (GET /incidents/{reference}),
    in the victim's preferred language when Station has it (else English, saying that a
    translation will follow), or in `language` when the officer chooses one."""
    letter = PublicLetter(incident, language)
    words, station, reference, p = letter.words, letter.station, letter.reference, letter.p
    printed = _moment(printed_at or incident["reported_at"])
    story = letter.head(printed, "opening")
    details = [
        ("label_reference", reference),
        ("label_offence", incident["offence"]["label"]),
        ("label_when", _when(incident, words)),
        ("label_where", _where(incident, words)),
        ("label_property", _property(incident, words)),
        ("label_reported", words.when_words(_moment(incident["reported_at"]))),
        (
            "label_officer",
            words.text(
                "officer_line", name=incident["officer_name"], number=incident["officer_number"]
            ),
        ),
        ("label_station", words.text("station_line", name=station["name"], phone=station["phone"])),
    ]
    heading = letter.sheet["Heading"]
    story += [p(words.text("heading_details"), heading), letter.details(details)]
    sections = (
        ("heading_next", "next"),
        ("heading_process", "process"),
        ("heading_restorative", "restorative"),
        ("heading_support", "support"),
    )
    for title, key in sections:
        story.append(p(words.text(title), heading))
        story.extend(p(text) for text in words.lines(key))
    story.append(p(words.text("rights")))
    return letter.finish(story, "title", "subject")
