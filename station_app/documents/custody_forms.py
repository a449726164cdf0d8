"""The printed custody forms (reportlab, through `documents.pdf`): the full custody record,
the notice of rights and entitlements with this detainee's own computed times, the
charge sheet, the property record and the pre-charge bail notice.

Every page carries the custody number and the detainee in its header and "page X of Y"
in its footer. Times are Europe/London wall-clock times with the zone (GMT/BST), so a
detention that spans the clock change reads right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from station_app.domain import pace
from station_app.domain.custody_record import ClockValue, local_text
from station_app.domain.wire import parse_utc

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.services.custody import CustodyRecordView

__all__ = ["FORMS", "CustodyForm", "available_forms", "build_form"]


@dataclass(frozen=True)
class CustodyForm:
    key: str
    title: str
    applies: Callable[[CustodyRecordView], bool]
    story: Callable[[CustodyRecordView, datetime], list[Flowable]]


def _t(when: datetime | None) -> str:
    return local_text(when) if when is not None else "—"


def _cell_time(when: datetime) -> str:
    """'Sat 24 Oct 2026' over '21:00 BST', to fit a narrow table column."""
    text = local_text(when)
    return text[: -len("21:00 BST") - 1] + "\n" + text[-len("21:00 BST") :]


def _p(text: str, style: str = "Body") -> Flowable:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), _styles()[style])


_STYLE_CACHE: dict[str, Any] = {}


def _styles() -> Any:
    if "sheet" not in _STYLE_CACHE:
        from station_app.documents.pdf import styles

        _STYLE_CACHE["sheet"] = styles()
    return _STYLE_CACHE["sheet"]


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], header: bool = True) -> Flowable:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from station_app.documents.pdf import FONT, FONT_BOLD

    table = Table([list(r) for r in rows], colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
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
    table.setStyle(TableStyle(commands))
    return table


def _pairs(rows: Sequence[tuple[str, str]]) -> Flowable:
    from reportlab.lib.units import mm

    return _table([(label, _p(value, "Cell")) for label, value in rows], (48 * mm, 126 * mm), False)


def _detainee(record: CustodyRecordView) -> str:
    return f"{record.board.name}"


def _person_rows(record: CustodyRecordView) -> list[tuple[str, str]]:
    person = record.booking().get("person") or {}
    born = record.board.date_of_birth
    return [
        ("Custody number", record.custody_number),
        ("Detainee", record.board.name),
        ("Date of birth", born.strftime("%d/%m/%Y") if born else "Not given"),
        ("Address", str(person.get("address") or "Not given")),
        ("Station", record.station_code),
    ]


def _clock_rows(value: ClockValue, record: CustodyRecordView) -> list[tuple[str, str]]:
    booking = record.booking()
    rows = [
        ("Arrested", _t(_parse(booking.get("arrested_at")))),
        ("Arrived at the station", _t(record.board.arrived_at)),
        ("Relevant time (PACE s.41(2))", _t(value.relevant_time)),
    ]
    if booking.get("override_reason"):
        rows.append(("Relevant time changed because", str(booking["override_reason"])))
    rows += [
        (
            "Detention limit",
            _t(value.detention_limit)
            if value.detention_limit
            else "Not applicable (charged or released)",
        ),
        ("Next review due", _t(value.next_review_due)),
        (
            "Next visit due",
            "Constant observation" if value.constant_observation else _t(value.next_visit_due),
        ),
    ]
    return rows


def _parse(text: Any) -> datetime | None:
    return parse_utc(str(text)) if text else None


# --- the full custody record -----------------------------------------------------------------


def _record_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    value = record.clock(now)
    story: list[Flowable] = [
        _p(f"Custody record {record.custody_number}", "Title"),
        _pairs(_person_rows(record)),
        _p("Detention clock", "Heading"),
        _pairs(_clock_rows(value, record)),
        _p("Offences", "Heading"),
    ]
    for offence in record.booking().get("offences") or ():
        story.append(
            _p(f"{offence.get('code', '')}: {offence.get('wording') or offence.get('label', '')}")
        )
    story += [Spacer(1, 4 * mm), _p(f"Entries ({len(record.entries)})", "Heading")]
    widths = (30 * mm, 30 * mm, 32 * mm, 52 * mm, 30 * mm)
    header = ("Actual time", "Entered", "Entry", "Details", "Officer")
    entries = sorted(record.entries, key=lambda e: (e.occurred_at, e.sequence))
    # Tables of 40 rows: reportlab splits one long table far more slowly than many short ones.
    for start in range(0, len(entries), 40):
        rows: list[Sequence[Any]] = [header]
        for entry in entries[start : start + 40]:
            # Plain strings where a line break will do: Paragraphs are the slow part.
            rows.append(
                (
                    _cell_time(entry.occurred_at),
                    _cell_time(entry.entered_at),
                    entry.title,
                    _p(entry.summary, "Cell") if len(entry.summary) > 34 else entry.summary or "—",
                    f"{entry.officer_rank} {entry.officer_staff_number}\n{entry.officer_name}",
                )
            )
        story.append(_table(rows, widths))
    return story


# --- the notice of rights and entitlements ---------------------------------------------------


def _rights_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    value = record.clock(now)
    start = value.relevant_time
    authorised = record.state().authorised_at
    story: list[Flowable] = [
        _p("Notice of rights and entitlements", "Title"),
        _p(f"For {record.board.name}, custody number {record.custody_number}."),
        _p("Your rights (PACE Code C 3.1-3.2)", "Heading"),
    ]
    for text in RIGHTS:
        story.append(_p("• " + text))
    story.append(_p("How long you can be kept here", "Heading"))
    if start is not None:
        story += [
            _p(f"Your detention clock started at {_t(start)} (the relevant time)."),
            _p(
                "You cannot normally be kept without charge after "
                f"{_t(start + pace.STANDARD_LIMIT)} (24 hours). A superintendent can extend "
                f"this to {_t(start + pace.EXTENSION_LIMIT)} (36 hours) at most; only a "
                "magistrates' court can allow longer, and never past "
                f"{_t(start + pace.WARRANT_LIMIT)} (96 hours)."
            ),
        ]
    if authorised is not None:
        first = pace.next_review_due(authorised, [])
        story.append(
            _p(
                f"Your detention was authorised at {_t(authorised)}. It must be reviewed by "
                f"{_t(first)}, and then at least every 9 hours. Next review due: "
                f"{_t(value.next_review_due)}. You or your solicitor can make representations "
                "at each review."
            )
        )
    story.append(_p("Your entitlements (Code C 8, 9, 12)", "Heading"))
    for text in ENTITLEMENTS:
        story.append(_p("• " + text))
    story.append(_p("Times are UK time (GMT or BST as shown)."))
    return story


RIGHTS = (
    "To have someone told that you are here (PACE s.56).",
    "To free, independent legal advice, in person or by telephone, at any time (PACE s.58).",
    "To read the Codes of Practice.",
    "To an interpreter and to translations of key documents if you need them, and to "
    "contact your embassy or consulate if you are not British.",
    "To be told the offence you are suspected of and why you were arrested and are held.",
    "To see the documents needed to challenge your arrest and detention.",
    "To a copy of your custody record, now or for 12 months after you leave (Code C 2.4A).",
    "To medical help if you feel ill or are hurt.",
    "You do not have to say anything, but it may harm your defence if you do not mention "
    "when questioned something which you later rely on in court. Anything you do say may "
    "be given in evidence.",
    "If you are prosecuted, to see the evidence against you.",
)
ENTITLEMENTS = (
    "At least two light meals and one main meal in any 24 hours, and drinks with meals and "
    "when you reasonably ask (Code C 8.6).",
    "Toilet and washing facilities, and clean clothing if yours are taken.",
    "A continuous 8 hours' rest in any 24 hours, normally at night (Code C 12.2).",
    "Brief outdoor exercise if practicable, and reading material.",
    "Visits and contact at the custody officer's discretion.",
)


# --- charge sheet, property record, bail notice ----------------------------------------------


def _entries(record: CustodyRecordView, kind: str) -> list[Any]:
    return [entry for entry in record.entries if entry.kind == kind]


def _charge_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    story: list[Flowable] = [
        _p("Charge sheet", "Title"),
        _pairs(_person_rows(record)),
        _p("Charges", "Heading"),
    ]
    for number, entry in enumerate(_entries(record, "charge"), start=1):
        offence = entry.data.get("offence") or {}
        story += [
            _p(
                f"Charge {number}: {offence.get('code', '')} {offence.get('label', '')}",
                "Subheading",
            ),
            _p(str(entry.data.get("wording", ""))),
            _p(f"Charged at {_t(entry.occurred_at)} by {entry.officer}.", "Small"),
        ]
    story += [
        _p("Caution after charge", "Heading"),
        _p(
            "You do not have to say anything. But it may harm your defence if you do not mention "
            "now something which you later rely on in court. Anything you do say may be given "
            "in evidence."
        ),
    ]
    return story


def _property_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    from reportlab.lib.units import mm

    rows: list[Sequence[Any]] = [("Recorded", "Item", "Bag", "Retained (why)", "Detainee")]
    for entry in _entries(record, "property_item"):
        data = entry.data
        retained = f"Yes: {data.get('reason_retained', '')}" if data.get("retained") else "No"
        rows.append(
            (
                _t(entry.occurred_at),
                _p(str(data.get("description", "")), "Cell"),
                str(data.get("bag_number", "")),
                _p(retained, "Cell"),
                "Signed" if data.get("signature") == "signed" else "Refused to sign",
            )
        )
    return [
        _p("Property record", "Title"),
        _pairs(_person_rows(record)),
        _p("Property (PACE s.54, Code C 4.1)", "Heading"),
        _table(rows, (30 * mm, 52 * mm, 22 * mm, 44 * mm, 26 * mm)),
    ]


def _bail_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    story: list[Flowable] = [
        _p("Pre-charge bail notice", "Title"),
        _pairs(_person_rows(record)),
    ]
    for entry in _entries(record, "bail"):
        data = entry.data
        story += [
            _p("You are released on bail", "Heading"),
            _pairs(
                [
                    ("Bailed at", _t(entry.occurred_at)),
                    ("Answer bail on", str(data.get("bail_date", ""))),
                    ("At", str(data.get("bail_to", ""))),
                    ("Conditions", str(data.get("conditions") or "None")),
                    ("Bailed by", entry.officer),
                ]
            ),
            _p(
                "Pre-charge bail lasts 3 months from the bail start date; an inspector may extend "
                "it to 6 months and a superintendent to 9 months; after that only a court can. "
                "Failing to answer bail without reasonable cause is an offence."
            ),
        ]
    return story


def _has(kind: str) -> Callable[[CustodyRecordView], bool]:
    return lambda record: any(entry.kind == kind for entry in record.entries)


def _pre_charge_bail(record: CustodyRecordView) -> bool:
    charged = record.state().charged_at
    return any(
        entry.kind == "bail" and (charged is None or entry.occurred_at < charged)
        for entry in record.entries
    )


FORMS: tuple[CustodyForm, ...] = (
    CustodyForm("record", "Custody record", lambda _r: True, _record_story),
    CustodyForm("rights", "Notice of rights and entitlements", lambda _r: True, _rights_story),
    CustodyForm("charge", "Charge sheet", _has("charge"), _charge_story),
    CustodyForm("property", "Property record", _has("property_item"), _property_story),
    CustodyForm("bail", "Pre-charge bail notice", _pre_charge_bail, _bail_story),
)


def available_forms(record: CustodyRecordView) -> list[CustodyForm]:
    return [form for form in FORMS if form.applies(record)]


def build_form(key: str, record: CustodyRecordView, now: datetime) -> bytes:
    """The PDF of form `key` for `record`, with times computed at `now`."""
    from station_app.documents.pdf import PageFrame, build_pdf

    form = next((f for f in FORMS if f.key == key), None)
    if form is None:
        raise ValueError(f"There is no custody form called {key!r}.")
    frame = PageFrame(
        title=f"{form.title} {record.custody_number}",
        subject=f"{form.title} for {_detainee(record)}",
        header_left=f"Custody number {record.custody_number}",
        header_right=_detainee(record),
        footer_left=f"{form.title} · printed {local_text(now)}",
    )
    return build_pdf(form.story(record, now), frame)


def build_all(
    record: CustodyRecordView,
    now: datetime,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """Every form that applies to `record`, one after another in a single PDF."""
    from reportlab.platypus import PageBreak

    from station_app.documents.pdf import PageFrame, build_pdf

    forms = available_forms(record)
    total = len(forms) + 1
    story: list[Flowable] = []
    for done, form in enumerate(forms):
        if progress is not None:
            progress(done, total, f"Preparing the {form.title.lower()}")
        if story:
            story.append(PageBreak())
        story += form.story(record, now)
    if progress is not None:
        progress(len(forms), total, "Laying out the pages")
    frame = PageFrame(
        title=f"Custody forms {record.custody_number}",
        subject=f"All custody forms for {_detainee(record)}",
        header_left=f"Custody number {record.custody_number}",
        header_right=_detainee(record),
        footer_left=f"All custody forms · printed {local_text(now)}",
    )
    pdf = build_pdf(story, frame)
    if progress is not None:
        progress(total, total, "Ready")
    return pdf
