"""The charge sheet, the property record and the pre-charge bail notice, printed from the
custody record's entries. What an entry did not capture is printed as a space to fill in by
hand, not guessed: the charge entry holds the offence and its wording, not the reply
(Code C 16.8); the bail entry holds the date and place, not the time to answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from station_app.documents.custody_common import date_words, p, pairs, person_rows, t, table

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.services.custody import CustodyRecordView, EntryView

__all__ = ["bail_story", "charge_story", "entries_of", "property_story"]

BLANK = "______________________________"


def entries_of(record: CustodyRecordView, kind: str) -> list[EntryView]:
    return [entry for entry in record.entries if entry.kind == kind]


def _first_appearance(record: CustodyRecordView, charged_at: datetime) -> list[tuple[str, str]]:
    """Bail to court after charge gives the court and the first appearance (PACE s.47(3)(b));
    kept in custody, the detainee goes before the next sitting of the court (PACE s.46)."""
    bailed = [e for e in entries_of(record, "bail") if e.occurred_at >= charged_at]
    if not bailed:
        return [
            ("Court", "Kept in custody: before the magistrates' court at its next sitting"),
            ("First appearance", "The next sitting of the court (PACE s.46)"),
        ]
    data = bailed[-1].data
    return [
        ("Court", str(data.get("bail_to") or BLANK)),
        ("First appearance", f"{date_words(data.get('bail_date'))} at {BLANK} (time)"),
        ("Bail conditions", str(data.get("conditions") or "None")),
    ]


def charge_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    charges = entries_of(record, "charge")
    story: list[Flowable] = [p("Charge sheet", "Title"), pairs(person_rows(record))]
    for number, entry in enumerate(charges, start=1):
        offence = entry.data.get("offence") or {}
        reference = str(entry.data.get("case_reference") or record.custody_number)
        reply = str(entry.data.get("reply") or "")
        story += [
            p(f"Charge {number}: {offence.get('code', '')} {offence.get('label', '')}", "Heading"),
            p(str(entry.data.get("wording", ""))),
            pairs(
                [
                    ("Case reference", reference),  # Code C 16.3
                    ("Charged", f"{t(entry.occurred_at)} by {entry.officer}"),
                    # Code C 16.8: anything the detainee says when charged is recorded.
                    ("Reply to charge", reply or f"(write down what is said) {BLANK}"),
                    *_first_appearance(record, entry.occurred_at),
                ]
            ),
        ]
    story += [
        p("Caution after charge", "Heading"),
        p(
            "You do not have to say anything. But it may harm your defence if you do not mention "
            "now something which you later rely on in court. Anything you do say may be given "
            "in evidence. (Code C 16.2)"
        ),
        p(f"Signed by the detainee: {BLANK}"),
        p(f"Custody officer: {BLANK}"),
    ]
    return story


def property_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    from reportlab.lib.units import mm

    rows: list[Sequence[Any]] = [("Recorded", "Item", "Bag", "Retained (why)", "Detainee")]
    for entry in entries_of(record, "property_item"):
        data = entry.data
        retained = f"Yes: {data.get('reason_retained', '')}" if data.get("retained") else "No"
        rows.append(
            (
                t(entry.occurred_at),
                p(str(data.get("description", "")), "Cell"),
                str(data.get("bag_number", "")),
                p(retained, "Cell"),
                "Signed" if data.get("signature") == "signed" else "Refused to sign",
            )
        )
    return [
        p("Property record", "Title"),
        pairs(person_rows(record)),
        p("Property (PACE s.54, Code C 4.1)", "Heading"),
        table(rows, (30 * mm, 52 * mm, 22 * mm, 44 * mm, 26 * mm)),
    ]


def bail_story(record: CustodyRecordView, now: datetime) -> list[Flowable]:
    story: list[Flowable] = [p("Pre-charge bail notice", "Title"), pairs(person_rows(record))]
    for entry in entries_of(record, "bail"):
        data = entry.data
        answer_time = str(data.get("bail_time") or "")
        story += [
            p("You are released on bail", "Heading"),
            pairs(
                [
                    ("Bailed at", t(entry.occurred_at)),
                    ("Answer bail on", date_words(data.get("bail_date"))),
                    ("Time to answer bail", answer_time or f"{BLANK} (filled in by the officer)"),
                    ("At", str(data.get("bail_to", ""))),
                    ("Conditions", str(data.get("conditions") or "None")),
                    ("Bailed by", entry.officer),
                ]
            ),
            p(
                "Pre-charge bail lasts 3 months from the bail start date; an inspector may extend "
                "it to 6 months and a superintendent to 9 months; after that only a court can "
                "(PACE s.47ZB-47ZG). Failing to answer bail without reasonable cause is an "
                "offence (Bail Act 1976 s.6)."
            ),
        ]
    return story
