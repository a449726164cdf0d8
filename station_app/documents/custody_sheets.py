"""The charge sheet, the property record and the pre-charge bail notice, printed from the
custody record's entries. What an entry did not capture is printed as a space to fill in by
hand, never guessed: the charge entry holds the offence, its wording, the reply (Code C
16.8), bail or remand to court, the court and the first hearing; the bail entry the date,
the time and the place to answer. Courts are printed by name (`court_names`, code to name,
from the reference data)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from station_app.documents.custody_common import date_words, p, pairs, person_rows, t, table
from station_app.domain.clock import london
from station_app.domain.custody_rules import data_datetime

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.services.custody import CustodyRecordView, EntryView

__all__ = ["bail_story", "charge_story", "entries_of", "property_story"]

BLANK = "______________________________"


def entries_of(record: CustodyRecordView, kind: str) -> list[EntryView]:
    return [entry for entry in record.entries if entry.kind == kind]


def _court(code: object, court_names: Mapping[str, str] | None) -> str:
    code = str(code or "")
    name = (court_names or {}).get(code)
    return name or code or BLANK


def _hearing_words(hearing: datetime) -> str:
    """ "Thursday 12 November 2026 at 10:00", London time."""
    local = hearing.astimezone(london())
    return f"{date_words(local.date())} at {local:%H:%M}"


def _first_appearance(
    record: CustodyRecordView, charge: EntryView, court_names: Mapping[str, str] | None
) -> list[tuple[str, str]]:
    """Until court, as decided at charge: bailed to court gives the court, the first
    appearance and the conditions (PACE s.38, s.47(3)(b)); kept in custody, the detainee goes
    before the court at its next sitting (PACE s.46), which the entry may name. A record from
    before the charge held these gives them from a bail entry after the charge; with neither,
    spaces to fill in."""
    data = charge.data
    after = str(data.get("after_charge") or "")
    hearing = data_datetime(data, "first_hearing_at")
    court = _court(data.get("court"), court_names)
    if after == "bail":
        return [
            ("Until court", "Released on bail to appear at court (PACE s.38, s.47(3)(b))"),
            ("Court", court),
            (
                "First appearance",
                _hearing_words(hearing) if hearing else f"{BLANK} (date and time)",
            ),
            ("Bail conditions", str(data.get("bail_conditions") or "None")),
        ]
    if after == "remand":
        return [
            ("Until court", "Kept in police detention to be taken before the court (PACE s.46)"),
            ("Court", court),
            (
                "First appearance",
                _hearing_words(hearing) if hearing else "The next sitting of the court",
            ),
        ]
    bailed = [e for e in entries_of(record, "bail") if e.occurred_at >= charge.occurred_at]
    if bailed:
        bail = bailed[-1].data
        when = str(bail.get("bail_time") or f"{BLANK} (time)")
        return [
            ("Until court", "Released on bail to appear at court (PACE s.38, s.47(3)(b))"),
            ("Court", _court(bail.get("bail_to"), court_names)),
            ("First appearance", f"{date_words(bail.get('bail_date'))} at {when}"),
            ("Bail conditions", str(bail.get("conditions") or "None")),
        ]
    return [
        ("Until court", f"Bailed to court or kept in custody: {BLANK}"),
        ("Court", BLANK),
        ("First appearance", f"{BLANK} (date and time)"),
    ]


def _case_reference(record: CustodyRecordView) -> tuple[str, str]:
    """The case file the charge opened or added to (Code C 16.3: the police reference for
    the case); before it exists, the custody record's number, named as such."""
    if record.case_files:
        return ("Case reference", ", ".join(record.case_files))
    return ("Custody record", f"{record.custody_number} (no case file opened yet)")


def charge_story(
    record: CustodyRecordView, now: datetime, court_names: Mapping[str, str] | None = None
) -> list[Flowable]:
    charges = entries_of(record, "charge")
    story: list[Flowable] = [p("Charge sheet", "Title"), pairs(person_rows(record))]
    for number, entry in enumerate(charges, start=1):
        offence = entry.data.get("offence") or {}
        reply = str(entry.data.get("reply") or "")
        story += [
            p(f"Charge {number}: {offence.get('code', '')} {offence.get('label', '')}", "Heading"),
            p(str(entry.data.get("wording", ""))),
            pairs(
                [
                    _case_reference(record),  # Code C 16.3
                    ("Charged", f"{t(entry.occurred_at)} by {entry.officer}"),
                    # Code C 16.8: anything the detainee says when charged is recorded.
                    ("Reply to charge", reply or f"(write down what is said) {BLANK}"),
                    *_first_appearance(record, entry, court_names),
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
