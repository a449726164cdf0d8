"""The victim's update letter: what the court decided, printed at the counter from the
crime report (issue 10).

Victims' Code (2020, updated 2024), right 9: to be told the outcome of the case, including
any sentence, and about any appeal. The result comes from the report's timeline, where the
case file's court result was noted (`court_result`, with the result per charge); the words
come from the same message catalogues as the acknowledgement letter
(`resources/rules/letters/<language>.json`), in the victim's language when Station has it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab import platypus
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from station_app.documents.incident_letter import letter_language
from station_app.documents.pdf import PageFrame, build_pdf, station_table, styles
from station_app.domain.journey import latest_court_result
from station_app.domain.wire import parse_utc

__all__ = ["build_outcome_letter", "latest_court_result", "outcome_file_name"]

flow: Any = platypus


def outcome_file_name(incident: dict[str, Any]) -> str:
    return f"Court outcome {incident['reference']}.pdf"


def _victim(incident: dict[str, Any]) -> dict[str, Any]:
    victim = incident.get("victim") or {}
    return victim if victim.get("name") else incident["reporter"]


def build_outcome_letter(
    incident: dict[str, Any],
    *,
    printed_at: datetime | None = None,
    language: str | None = None,
) -> bytes:
    """The update letter for the report's latest court result (ValueError when the report
    has none yet)."""
    entry = latest_court_result(incident)
    if entry is None:
        raise ValueError("No court result has come back for this report yet.")
    outcome = dict(entry.get("data") or {})
    words, untranslated = letter_language(incident, language)
    sheet = styles()
    body = ParagraphStyle("LetterBody", parent=sheet["Body"], spaceAfter=5)
    heading, small = sheet["Heading"], sheet["Small"]
    station = incident["station"]
    reference = incident["reference"]

    def p(text: str, style: Any = body) -> Any:
        return flow.Paragraph(escape(text).replace("\n", "<br/>"), style)

    address = ", ".join(
        str(station.get(key) or "") for key in ("name", "address", "postcode") if station.get(key)
    )
    printed = printed_at or parse_utc(str(entry["at"]))
    story: list[Any] = [
        p(address, small),
        p(words.text("telephone_line", phone=station["phone"]), small),
        flow.Spacer(1, 6 * mm),
        p(words.date_words(words.local(printed).date())),
        flow.Spacer(1, 4 * mm),
        p(words.text("dear", name=_victim(incident)["name"])),
        flow.Spacer(1, 2 * mm),
        p(words.text("update_opening")),
    ]
    if untranslated:
        story.append(p(words.text("translation_pending", language=untranslated)))
    sitting = parse_utc(str(outcome.get("sitting_at") or entry["at"]))
    rows = [
        ("label_reference", reference),
        ("label_offence", incident["offence"]["label"]),
        ("label_court", str(outcome.get("court") or "")),
        ("label_hearing", words.when_words(sitting)),
    ]
    defendants = list(outcome.get("defendants") or [])
    for result in outcome.get("results") or []:
        number = int(result.get("defendant") or 1)
        name = defendants[number - 1] if number <= len(defendants) else ""
        rows += [
            ("label_defendant", name),
            ("label_charge", str(result.get("offence") or result.get("offence_code") or "")),
            ("label_plea", words.text(f"plea_{result.get('plea') or 'none'}")),
            ("label_result", _result_words(result, words)),
        ]
    table = station_table(
        [[p(words.text(label), sheet["Label"]), p(value)] for label, value in rows],
        (45 * mm, None),
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )
    story += [
        p(words.text("heading_outcome"), heading),
        table,
        flow.Spacer(1, 3 * mm),
        p(words.text("update_finished" if outcome.get("finished") else "update_continues")),
        p(words.text("update_rights")),
        p(words.text("translation_offer")),
        flow.Spacer(1, 6 * mm),
        p(words.text("closing")),
        flow.Spacer(1, 8 * mm),
        p(words.text("signature", officer=incident["officer_name"], station=station["name"])),
    ]
    frame = PageFrame(
        title=words.text("update_title", reference=reference),
        subject=words.text("update_subject"),
        header_left=station["name"],
        header_right=words.text("header_right", reference=reference),
        protective_marking="",  # handed to the public: not a marked police document
        page_label=words.text("page_label", page="{page}", total="{total}"),
    )
    return build_pdf(story, frame)


def _result_words(result: dict[str, Any], words: Any) -> str:
    outcome = str(result.get("outcome") or "")
    if outcome == "adjourned":
        remand = str(result.get("remand") or "bail")
        when = result.get("next_hearing_at")
        next_text = words.when_words(parse_utc(str(when))) if when else ""
        return str(words.text(f"outcome_adjourned_{remand}", next=next_text))
    text = str(words.text(f"outcome_{outcome}"))
    if result.get("sentence"):
        text += "\n" + str(words.text("sentence_line", sentence=result["sentence"]))
    return text
