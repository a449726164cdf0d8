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

__all__ = ["build_letter", "letter_file_name", "letter_language"]

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
    words, untranslated = letter_language(incident, language)
    sheet = styles()
    body = ParagraphStyle("LetterBody", parent=sheet["Body"], spaceAfter=5)
    heading, small = sheet["Heading"], sheet["Small"]
    station = incident["station"]
    victim = _victim(incident)
    reference = incident["reference"]

    def p(text: str, style: Any = body) -> Any:
        return flow.Paragraph(escape(text).replace("\n", "<br/>"), style)

    address = ", ".join(
        str(station.get(key) or "") for key in ("name", "address", "postcode") if station.get(key)
    )
    printed = _moment(printed_at or incident["reported_at"])
    story: list[Any] = [
        p(address, small),
        p(words.text("telephone_line", phone=station["phone"]), small),
        flow.Spacer(1, 6 * mm),
        p(words.date_words(words.local(printed).date())),
        flow.Spacer(1, 4 * mm),
        p(words.text("dear", name=victim["name"])),
        flow.Spacer(1, 2 * mm),
        p(words.text("opening")),
    ]
    if untranslated:
        story.append(p(words.text("translation_pending", language=untranslated)))
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
    table = station_table(
        [[p(words.text(label), sheet["Label"]), p(value)] for label, value in details],
        (45 * mm, None),
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    story += [p(words.text("heading_details"), heading), table]
    sections = (
        ("heading_next", "next"),
        ("heading_process", "process"),
        ("heading_restorative", "restorative"),
        ("heading_support", "support"),
    )
    for title, key in sections:
        story.append(p(words.text(title), heading))
        story.extend(p(text) for text in words.lines(key))
    story += [
        p(words.text("rights")),
        p(words.text("translation_offer")),
        flow.Spacer(1, 6 * mm),
        p(words.text("closing")),
        flow.Spacer(1, 8 * mm),
        p(words.text("signature", officer=incident["officer_name"], station=station["name"])),
    ]
    frame = PageFrame(
        title=words.text("title", reference=reference),
        subject=words.text("subject"),
        header_left=station["name"],
        header_right=words.text("header_right", reference=reference),
        protective_marking="",  # handed to the public: not a marked police document
        page_label=words.text("page_label", page="{page}", total="{total}"),
    )
    return build_pdf(story, frame)
