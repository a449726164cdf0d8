"""The victim's acknowledgement letter (Victims' Code, right 3: a written acknowledgement
with the crime reference number, the basic details of the offence and how to contact the
police; right 4: information about victim support services), printed at the counter.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab import platypus
from reportlab.lib.units import mm

from station_app.documents.pdf import PageFrame, build_pdf, styles
from station_app.domain.clock import london
from station_app.domain.wire import parse_utc

__all__ = ["build_letter", "letter_file_name"]

# reportlab has no type hints: its flowables are reached through an Any.
flow: Any = platypus

# Victim Support's national Supportline and the Victims' Code information site.
VICTIM_SUPPORT = (
    "Victim Support is an independent charity that helps people affected by crime, free "
    "and confidential, whether or not the crime has been reported. Supportline: "
    "08 08 16 89 111 (24 hours, every day), or online at victimsupport.org.uk."
)
WHAT_HAPPENS_NEXT = (
    "An officer will look at your report and decide within a few days whether it can be "
    "investigated further. You will be told about that decision and, if there is an "
    "investigation, about any important developments, such as someone being arrested or "
    "charged. Under the Code of Practice for Victims of Crime (the Victims' Code) you can "
    "say how often and in which way you would like to be kept up to date.",
    "If you remember anything else, find more information or the property turns up, "
    "please contact us and give the crime reference number above.",
    "If you feel in danger at any time, call 999.",
)


def _london(when: str | datetime) -> datetime:
    moment = parse_utc(when) if isinstance(when, str) else when
    return moment.astimezone(london())


def _date_text(when: str | datetime) -> str:
    local = _london(when)
    return f"{local.day} {local:%B %Y}"


def letter_file_name(incident: dict[str, Any]) -> str:
    return f"Acknowledgement {incident['reference']}.pdf"


def build_letter(incident: dict[str, Any], *, printed_at: datetime | None = None) -> bytes:
    """The letter for an incident as the server returns it (GET /incidents/{reference})."""
    sheet = styles()
    body, heading, small = sheet["Body"], sheet["Heading"], sheet["Small"]
    station = incident["station"]
    victim = incident.get("victim") or incident["reporter"]
    reported = _london(incident["reported_at"])
    offence = incident["offence"]

    def p(text: str, style: Any = body) -> Any:
        return flow.Paragraph(escape(text), style)

    address_lines = [station["name"], station["address"], station["postcode"]]
    story: list[Any] = [
        p("\n".join(line for line in address_lines if line).replace("\n", ", "), small),
        p(f"Telephone {station['phone']} (or 101, the police non-emergency number)", small),
        flow.Spacer(1, 6 * mm),
        p(_date_text(printed_at or incident["reported_at"])),
        flow.Spacer(1, 4 * mm),
        p(f"Dear {victim['name']},"),
        flow.Spacer(1, 2 * mm),
        p(
            "Thank you for reporting a crime to us. This letter confirms your report and "
            "gives you the number to quote whenever you contact us about it."
        ),
        flow.Spacer(1, 3 * mm),
    ]
    details = [
        ("Crime reference number", incident["reference"]),
        ("Date reported", f"{reported.day} {reported:%B %Y} at {reported:%H:%M}"),
        ("Offence", offence["label"]),
        ("Officer", f"{incident['officer_name']} (number {incident['officer_number']})"),
        ("Station", f"{station['name']}, telephone {station['phone']}"),
    ]
    table = flow.Table(
        [[p(label, sheet["Label"]), p(value)] for label, value in details],
        colWidths=[45 * mm, None],
    )
    table.setStyle(
        flow.TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story += [
        table,
        p("What happens next", heading),
        *(p(text) for text in WHAT_HAPPENS_NEXT),
        p("Support for you", heading),
        p(VICTIM_SUPPORT),
        p(
            "You have rights under the Victims' Code, including the right to be referred to "
            "support services and to be kept informed. You can read it at "
            "gov.uk/government/publications/the-code-of-practice-for-victims-of-crime."
        ),
        flow.Spacer(1, 6 * mm),
        p("Yours sincerely,"),
        flow.Spacer(1, 8 * mm),
        p(f"{incident['officer_name']}, {station['name']}"),
    ]
    frame = PageFrame(
        title=f"Acknowledgement of your crime report {incident['reference']}",
        subject="Victims' Code acknowledgement letter",
        header_left=station["name"],
        header_right=f"Crime reference {incident['reference']}",
    )
    return build_pdf(story, frame)
