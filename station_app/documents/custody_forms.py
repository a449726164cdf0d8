"""The printed custody forms (reportlab, through `documents.pdf`): the full custody record
with its compliance annex, the notice of rights and entitlements with this detainee's own
computed times, the charge sheet, the property record and the pre-charge bail notice.

Every page carries the custody number and the detainee in its header and "page X of Y"
in its footer. Times are Europe/London wall-clock times with the zone (GMT/BST), so a
detention that spans the clock change reads right.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from station_app.documents.custody_common import (
    cell_time,
    entry_details,
    p,
    pairs,
    parse_time,
    person_rows,
    t,
    table,
)
from station_app.documents.custody_compliance import annex_story, breaches
from station_app.documents.custody_notice import duration_words, notice_language, rights_story
from station_app.documents.custody_sheets import bail_story, charge_story, property_story
from station_app.domain.custody_record import ClockValue, local_text

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.services.custody import CustodyRecordView

__all__ = ["FORMS", "CustodyForm", "available_forms", "build_all", "build_form"]


@dataclass(frozen=True)
class CustodyForm:
    key: str
    title: str
    applies: Callable[[CustodyRecordView], bool]
    story: Callable[[CustodyRecordView, datetime, Mapping[str, str]], list[Flowable]]
    """(record, now, court names by code) to the form's flowables."""


def _clock_rows(value: ClockValue, record: CustodyRecordView) -> list[tuple[str, str]]:
    booking = record.booking()
    rows = [
        ("Arrested", t(parse_time(booking.get("arrested_at")))),
        ("Arrived at the station", t(record.board.arrived_at)),
        ("Relevant time (PACE s.41(2))", t(value.relevant_time)),
    ]
    if booking.get("override_reason"):
        rows.append(("Relevant time changed because", str(booking["override_reason"])))
    state = record.state()
    if state.answering_bail_from:
        rows.append(
            (
                "Answering bail (PACE s.47(6))",
                f"From custody record {state.answering_bail_from}: "
                f"{duration_words(state.detained_before)} already used counts towards every "
                "limit",
            )
        )
    rows += [
        (
            "Detention limit",
            t(value.detention_limit)
            if value.detention_limit
            else "Not applicable (charged or released)",
        ),
        ("Next review due", t(value.next_review_due)),
        (
            "Next visit due",
            "Constant observation" if value.constant_observation else t(value.next_visit_due),
        ),
    ]
    return rows


# --- the full custody record -----------------------------------------------------------------

_WIDTHS_MM = (30, 30, 32, 52, 30)
_PADDING = 6  # left and right cell padding, in points


def _record_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from station_app.documents.pdf import wrap_text

    booking = record.booking()
    value = record.clock(now)
    story: list[Flowable] = [
        p(f"Custody record {record.custody_number}", "Title"),
        pairs(person_rows(record)),
        p("Arrest", "Heading"),
        # Code C 3.4(a): the arresting officer's account of the circumstances of the arrest.
        pairs(
            [
                ("Arresting officer", str(booking.get("arresting_officer") or "Not recorded")),
                ("Circumstances", str(booking.get("circumstances") or "Not recorded")),
            ]
        ),
        p("Detention clock", "Heading"),
        pairs(_clock_rows(value, record)),
        p("Offences", "Heading"),
    ]
    for offence in booking.get("offences") or ():
        story.append(
            p(f"{offence.get('code', '')}: {offence.get('wording') or offence.get('label', '')}")
        )
    story += [Spacer(1, 4 * mm), p(f"Entries ({len(record.entries)})", "Heading")]
    width = [w * mm - _PADDING for w in _WIDTHS_MM]
    header = ("Actual time", "Entered", "Entry", "Details", "Officer")
    entries = sorted(record.entries, key=lambda e: (e.occurred_at, e.sequence))
    # Tables of 40 rows: reportlab splits one long table far more slowly than many short ones.
    # Plain strings broken to the column's width: Paragraphs are the slow part, and a cell
    # does not wrap a string by itself (a long title ran over the details beside it).
    for start in range(0, len(entries), 40):
        rows: list[Sequence[Any]] = [header]
        for entry in entries[start : start + 40]:
            officer = f"{entry.officer_rank} {entry.officer_staff_number}\n{entry.officer_name}"
            rows.append(
                (
                    cell_time(entry.occurred_at),
                    cell_time(entry.entered_at),
                    wrap_text(entry.title, width[2]),
                    wrap_text(entry_details(entry) or "—", width[3]),
                    wrap_text(officer, width[4]),
                )
            )
        story.append(table(rows, [w * mm for w in _WIDTHS_MM]))
    entries_domain = [entry.to_domain() for entry in record.entries]
    story += annex_story(breaches(entries_domain, now))
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
    CustodyForm("record", "Custody record", lambda _r: True, lambda r, n, _c: _record_story(r, n)),
    CustodyForm(
        "rights",
        "Notice of rights and entitlements",
        lambda _r: True,
        lambda r, n, _c: rights_story(r, n),
    ),
    CustodyForm("charge", "Charge sheet", _has("charge"), charge_story),
    CustodyForm(
        "property", "Property record", _has("property_item"), lambda r, n, _c: property_story(r, n)
    ),
    CustodyForm(
        "bail", "Pre-charge bail notice", _pre_charge_bail, lambda r, n, _c: bail_story(r, n)
    ),
)


def available_forms(record: CustodyRecordView) -> list[CustodyForm]:
    return [form for form in FORMS if form.applies(record)]


def _frame(record: CustodyRecordView, title: str, subject: str, now: datetime, label: str) -> Any:
    from station_app.documents.pdf import PageFrame

    return PageFrame(
        title=f"{title} {record.custody_number}",
        subject=f"{subject} for {record.board.name}",
        header_left=f"Custody number {record.custody_number}",
        header_right=record.board.name,
        footer_left=f"{title} · printed {local_text(now)}",
        page_label=label,
    )


def build_form(
    key: str,
    record: CustodyRecordView,
    now: datetime,
    *,
    language: str | None = None,
    court_names: Mapping[str, str] | None = None,
) -> bytes:
    """The PDF of form `key` for `record`, with times computed at `now` and courts named from
    `court_names` (code to name). The notice of rights is printed in `language` (a code or a
    name) if given, else in the language the written notice was given in."""
    from station_app.documents.pdf import build_pdf

    form = next((f for f in FORMS if f.key == key), None)
    if form is None:
        raise ValueError(f"There is no custody form called {key!r}.")
    label = "Page {page} of {total}"
    if key == "rights":
        words = notice_language(record, language)
        story = rights_story(record, now, language)
        label = words.text("page_label", page="{page}", total="{total}")
        frame = _frame(record, words.text("title"), form.title, now, label)
        footer = words.text("footer", title=words.text("title"), when=words.when_words(now))
        frame = replace(frame, footer_left=footer)
    else:
        story = form.story(record, now, court_names or {})
        frame = _frame(record, form.title, form.title, now, label)
    return build_pdf(story, frame)


def build_all(
    record: CustodyRecordView,
    now: datetime,
    progress: Callable[[int, int, str], None] | None = None,
    *,
    court_names: Mapping[str, str] | None = None,
) -> bytes:
    """Every form that applies to `record`, one after another in a single PDF."""
    from reportlab.platypus import PageBreak

    from station_app.documents.pdf import build_pdf

    forms = available_forms(record)
    total = len(forms) + 1
    story: list[Flowable] = []
    for done, form in enumerate(forms):
        if progress is not None:
            progress(done, total, f"Preparing the {form.title.lower()}")
        if story:
            story.append(PageBreak())
        story += form.story(record, now, court_names or {})
    if progress is not None:
        progress(len(forms), total, "Laying out the pages")
    frame = _frame(record, "All custody forms", "All custody forms", now, "Page {page} of {total}")
    pdf = build_pdf(story, frame)
    if progress is not None:
        progress(total, total, "Ready")
    return pdf
