"""The printed MG forms of a case file: one story of flowables per form, for the bundle.

Each form is laid out from its field list (domain.casefile_forms), so a field added
there prints without more code (the MG6, MG10 and Streamlined Disclosure Certificate
too); schedules print as numbered tables, each kind with its own numbers, the MG11 with its
statement of truth, a nil MG6D as a signed nil return.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from station_app.documents.catalogue import catalogue
from station_app.documents.pdf import FONT, FONT_BOLD, styles
from station_app.domain.casefile_forms import FORM_FIELDS, STATEMENT_OF_TRUTH
from station_app.domain.file_standard import DOCUMENT_NAMES
from station_app.domain.wire import parse_iso_date

__all__ = ["case_cover_story", "form_story", "paragraphs"]

_GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
    ]
)


def paragraphs(text: str, style_name: str = "Body") -> list[Flowable]:
    sheet = styles()
    return [Paragraph(escape(line) or "&nbsp;", sheet[style_name]) for line in text.splitlines()]


def date_words(value: Any, *, weekday: bool = True) -> str:
    """An ISO date in words, "Saturday 5 December 2026"; anything else as it is."""
    try:
        day = parse_iso_date(str(value))
    except ValueError:
        return str(value or "—")
    return catalogue("letters").date_words(day, weekday=weekday)


def court_text(code: str, court_names: Mapping[str, str] | None) -> str:
    """The court by name; by its code only when the reference data does not name it."""
    name = (court_names or {}).get(code)
    return name or f"the court with code {code}"


def _value(value: Any, kind: str, name: str = "") -> str:
    if kind == "bool":
        return "Yes" if value is True else "No"
    if kind == "date" and value:
        # A date of birth reads without its weekday: "5 April 1988".
        return date_words(value, weekday=name != "date_of_birth")
    return str(value or "—")


def _fields_table(form: str, data: Mapping[str, Any], urn: str = "") -> list[Flowable]:
    sheet = styles()
    rows: list[list[Any]] = []
    if urn:  # the case's unique reference number heads the MG1
        rows.append([Paragraph("URN", sheet["Label"]), Paragraph(escape(urn), sheet["Cell"])])
    long_text: list[Flowable] = []
    for spec in FORM_FIELDS[form]:
        value = data.get(spec.name)
        if spec.kind == "person":
            continue  # Station's own person number: not part of the printed form
        if spec.kind == "multiline":
            long_text.append(Paragraph(escape(spec.label), sheet["Subheading"]))
            long_text.extend(paragraphs(str(value or "—")))
        else:
            rows.append(
                [
                    Paragraph(escape(spec.label), sheet["Label"]),
                    Paragraph(escape(_value(value, spec.kind, spec.name)), sheet["Cell"]),
                ]
            )
    story: list[Flowable] = []
    if rows:
        table = Table(rows, colWidths=[60 * mm, 112 * mm])
        table.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
        )
        story.append(table)
    story.extend(long_text)
    return story


def _schedule(form: str, items: Sequence[Mapping[str, Any]]) -> Table:
    sheet = styles()
    # CPS Disclosure Manual ch.8 (8.2): the MG6D gives the reason each item is sensitive.
    header = [
        "No.",
        "Description",
        "Location",
        "Reason for sensitivity" if form == "MG6D" else "Remarks",
    ]
    rows: list[list[Any]] = [[Paragraph(h, sheet["Label"]) for h in header]]
    for item in items:
        rows.append(
            [
                Paragraph(str(item.get("number") or ""), sheet["Cell"]),
                Paragraph(escape(str(item.get("description", ""))), sheet["Cell"]),
                Paragraph(escape(str(item.get("location", ""))), sheet["Cell"]),
                Paragraph(escape(str(item.get("remarks", ""))), sheet["Cell"]),
            ]
        )
    table = Table(rows, colWidths=[14 * mm, 80 * mm, 38 * mm, 40 * mm], repeatRows=1)
    table.setStyle(_GRID)
    return table


def form_story(form: str, title: str, data: Mapping[str, Any], *, urn: str = "") -> list[Flowable]:
    """The printed body of one structured form (no page breaks of its own); `urn` is
    printed at the head of the MG1."""
    sheet = styles()
    story: list[Flowable] = [
        Paragraph(escape(f"{form} {DOCUMENT_NAMES.get(form, '')}"), sheet["Title"]),
    ]
    if title:
        story.append(Paragraph(escape(title), sheet["Small"]))
    story.append(Spacer(1, 4 * mm))
    story.extend(_fields_table(form, data, urn))
    if form in ("MG6C", "MG6D"):
        items = data.get("items") or []
        story.append(Spacer(1, 4 * mm))
        if form == "MG6D" and data.get("nil"):
            # CPS Disclosure Manual: a signed nil MG6D when there is no sensitive material.
            story.append(Paragraph("NIL RETURN: there is no sensitive material.", sheet["Heading"]))
            story.append(Paragraph(escape(f"Signed: {data.get('signed_by', '')}"), sheet["Body"]))
        else:
            story.append(_schedule(form, items))
    if form == "MG11":
        # CJA 1967 s.9: the declaration is printed on every witness statement.
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph("Statement of truth", sheet["Subheading"]))
        story.append(Paragraph(escape(STATEMENT_OF_TRUTH), sheet["Small"]))
        made = "made" if data.get("declaration_made") else "NOT made"
        signed = data.get("signed_by_witness", "")
        story.append(Paragraph(escape(f"Declaration {made}. Signed: {signed}"), sheet["Body"]))
    return story


def _hearing(case: Mapping[str, Any], court_names: Mapping[str, str] | None) -> str:
    day = date_words(case["hearing_date"]) if case.get("hearing_date") else "Date not set"
    code = str(case.get("court_code") or "")
    return f"{day} at {court_text(code, court_names)}" if code else f"{day}, court not set"


def case_cover_story(
    case: Mapping[str, Any],
    file_type_title: str,
    court_names: Mapping[str, str] | None = None,
) -> list[Flowable]:
    """The case's own details, printed on the front sheet."""
    sheet = styles()
    suspects = case.get("suspects") or []
    rows = [
        ["Case reference", case.get("reference", "")],
        ["File type", file_type_title],
        ["Officer in the case", case.get("officer_name", "")],
        ["First hearing", _hearing(case, court_names)],
        ["Crime references", ", ".join(case.get("incident_refs") or []) or "—"],
        ["Custody records", ", ".join(case.get("custody_refs") or []) or "—"],
    ]
    for suspect in suspects:
        charges = "; ".join(
            c.get("wording") or c.get("offence_code", "") for c in suspect.get("charges", [])
        )
        rows.append([f"Suspect: {suspect.get('name', '')}", charges or "—"])
        # Who they are, as custody charged them: the CPS and the court read it here.
        born = suspect.get("date_of_birth")
        where = ", ".join(
            str(part) for part in (suspect.get("address"), suspect.get("postcode")) if part
        )
        known = [date_words(born, weekday=False) if born else "", where]
        if any(known):
            rows.append(["Date of birth and address", "; ".join(k for k in known if k)])
    table = Table(
        [
            [Paragraph(escape(a), sheet["Label"]), Paragraph(escape(str(b)), sheet["Cell"])]
            for a, b in rows
        ],
        colWidths=[60 * mm, 112 * mm],
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    return [table, Spacer(1, 6 * mm)]
