"""Synthetic, demo-like data for every printed document: `make documents`, the document
tests and the benches build from these. Every name, place and number is invented.

The shapes are the server's own: an incident as GET /incidents/{reference} returns it, a
custody record as GET /custody/records/{id} does (read with `CustodyRecordView.from_json`)
and a case file as GET /casefiles/{reference} does, with its attachments.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

__all__ = [
    "COURTS",
    "bundle_case",
    "custody_record_json",
    "incident",
    "sample_documents",
    "station_pdf",
    "with_court_result",
]

H = timedelta(hours=1)
M = timedelta(minutes=1)
# Saturday 24 October 2026 21:00 BST: the clocks go back during the detention.
ARRIVED = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)

COURTS = {
    "MC-RVS": "Riverside Magistrates' Court",
    "MC-NGT": "Northgate Magistrates' Court",
}
"""The demo reference data's courts (resources/demo/courts.csv), code to name."""


def incident(language: str = "") -> dict[str, Any]:
    """A walk-in report of a stolen bicycle, the victim's language as given."""
    return {
        "reference": "SW/26/004211",
        "reported_at": "2026-11-26T10:15:00+00:00",
        "occurred_from": "2026-11-25T17:30:00+00:00",
        "occurred_to": "2026-11-25T19:45:00+00:00",
        "location_address": "14 Tannery Lane, London",
        "location_postcode": "SE1 4QT",
        "location_description": "Bicycle rack outside the library",
        "offence": {"code": "DMTH003", "label": "Theft of a pedal cycle", "wording": ""},
        "property": [
            {"item": "Blue hybrid bicycle, frame number WTU123456", "value_pence": 65000},
            {"item": "D-lock", "value_pence": 3999, "damaged": True},
        ],
        "officer_name": "Priya Natarajan",
        "officer_number": "S300112",
        "station": {
            "code": "SW",
            "name": "Southwark Wharf Police Station",
            "address": "2 Cooper's Row Wharf, London",
            "postcode": "SE1 9QX",
            "phone": "020 7946 0101",
        },
        "reporter": {"name": "Wilhelmina Ashgrove", "language": language},
        "victim": {"name": "Wilhelmina Ashgrove", "language": language},
    }


def with_court_result(report: dict[str, Any], **result: Any) -> dict[str, Any]:
    """`report` with a court result on its timeline, as a case file's hearing writes it:
    a conviction on a guilty plea unless `result` says otherwise (`finished=False` for a
    hearing that left the case going on)."""
    line = {
        "at": "2026-12-04T10:00:00+00:00",
        "kind": "court_result",
        "by_name": "Sam Okafor",
        "text": "Court result",
        "from_status": None,
        "to_status": None,
        "data": {
            "court": "Riverside Magistrates' Court",
            "sitting_at": "2026-12-04T10:00:00+00:00",
            "defendants": ["Dale Testwick"],
            "finished": result.pop("finished", True),
            "results": [
                {
                    "defendant": 1,
                    "offence_code": "DMTH003",
                    "offence": "Theft of a pedal cycle",
                    "plea": "guilty",
                    "outcome": "convicted",
                    **result,
                }
            ],
        },
    }
    return {**report, "timeline": [*report.get("timeline", []), line]}


def _entry(
    seq: int, kind: str, at: datetime, data: dict[str, Any], title: str = ""
) -> dict[str, Any]:
    from station_app.domain.custody_rules import event_type

    spec = event_type(kind)
    return {
        "id": seq,
        "sequence": seq,
        "kind": kind,
        "title": title or spec.title,
        "summary": spec.summary(data),  # as the server makes it
        "occurred_at": at.isoformat(),
        "entered_at": (at + 2 * M).isoformat(),
        "officer_name": "Tom Brennan",
        "officer_rank": "PS",
        "officer_staff_number": "210044",
        "data": data,
    }


def custody_record_json(
    *,
    mode_of_trial: str = "indictable",
    visits: int = 0,
    charged: bool = True,
    notice_language: str = "English",
    answering_bail_hours: int = 0,
    bail_entry_after_charge: bool = False,
) -> dict[str, Any]:
    """A detention from Saturday evening into Sunday (across the clock change): booked in
    with the arrest's circumstances, reviews, meals, rest, a late visit (level 1 visits
    hourly; one comes 35 minutes late), property, then charge with her reply and bail to
    Riverside Magistrates' Court (the case file SW-26-0077 opened), or pre-charge bail.
    `visits` adds routine visits every 20 minutes after charge; `answering_bail_hours` books
    her in answering pre-charge bail with that many hours already used (PACE s.47(6));
    `bail_entry_after_charge` gives the bail to court as a bail entry after the charge, as
    records did before the charge entry held it."""
    booking = {
        "custody_number": "SW-2026-00077",
        "station_code": "SW",
        "person": {
            "surname": "Formsby",
            "forenames": "Nell",
            "date_of_birth": "1988-03-03",
            "address": "1 Invented Row, London SE1 7ZZ",
        },
        "offences": [
            {
                "code": "DMTH005" if mode_of_trial == "indictable" else "DMPU001",
                "label": "Robbery" if mode_of_trial == "indictable" else "Drunk and disorderly",
                "wording": "Robbery, contrary to section 8(1) of the Theft Act 1968"
                if mode_of_trial == "indictable"
                else "Being drunk and disorderly in a public place",
                "mode_of_trial": mode_of_trial,
            }
        ],
        "arrested_at": (ARRIVED - 40 * M).isoformat(),
        "arrived_at": ARRIVED.isoformat(),
        "relevant_time": ARRIVED.isoformat(),
        "circumstances": "Stopped on Tannery Lane at 20:20 matching the description given by "
        "the victim; the phone taken was found in her coat pocket. Arrested for robbery and "
        "cautioned; she replied: 'I found it.'",
        "arresting_officer": "PC 5521 Ada Demo",
        "cell": "C4",
    }
    if answering_bail_hours:
        booking["answering_bail"] = {
            "custody_number": "SW-2026-00031",
            "released_at": (ARRIVED - 30 * 24 * H).isoformat(),
            "detained_before_seconds": answering_bail_hours * 3600,
        }
    a = ARRIVED
    events: list[tuple[str, datetime, dict[str, Any], str]] = [
        ("booked_in", a, booking, "Booked in"),
        ("detention_authorised", a + 10 * M, {"grounds": "To obtain evidence by questioning"}, ""),
        ("rights_given", a + 11 * M, {"wants_legal_advice": True}, ""),
        ("written_notice_given", a + 12 * M, {"language": notice_language, "signed": True}, ""),
        (
            "risk_assessment",
            a + 14 * M,
            {"risk_level": "low", "observation_level": "1", "notes": "No concerns"},
            "",
        ),
        (
            "property_item",
            a + 20 * M,
            {"description": "Black leather wallet, £23.40", "bag_number": "BAG-1234"}
            | {"signature": "signed"},
            "",
        ),
        ("legal_advice_requested", a + 13 * M, {"solicitor": "Duty solicitor"}, ""),
        ("meal", a + 3 * H, {"meal": "drink", "notes": "Tea"}, ""),
        (
            "rest_period",
            a + 11 * H,
            {"started_at": (a + 3 * H).isoformat(), "ended_at": (a + 11 * H).isoformat()},
            "",
        ),
        ("meal", a + 11 * H + 20 * M, {"meal": "light", "notes": "Breakfast"}, ""),
        (
            "review",
            a + 6 * H,
            {"outcome": "continue", "grounds": "Interview pending", "means": "in_person"},
            "Review of detention",
        ),
        ("interview_started", a + 12 * H, {"interviewer": "DC Sam Okafor", "room": "2"}, ""),
        ("interview_ended", a + 13 * H, {}, ""),
    ]
    # Level 1: a visit at least every hour. The second comes 95 minutes after the first:
    # due by 22:55 BST, made at 23:30 BST, 35 minutes late.
    for minutes in (55, 150, *range(200, 14 * 60 + 30, 50)):
        events.append(("visit", a + minutes * M, {"response": "not_roused"}, ""))
    charge_at = a + 14 * H + 30 * M
    for n in range(visits):
        events.append(("visit", charge_at + (n + 1) * 20 * M, {"response": "not_roused"}, ""))
    last = charge_at + visits * 20 * M
    if charged:
        events += [
            (
                "charge",
                charge_at,
                {
                    "offence": {"code": "DMTH005", "label": "Robbery"},
                    "wording": "On 24 October 2026 at London robbed Ann Example of a mobile "
                    "telephone, contrary to section 8(1) of the Theft Act 1968.",
                    "reply": "I only borrowed it.",
                    **(
                        {}
                        if bail_entry_after_charge
                        else {
                            "after_charge": "bail",
                            "court": "MC-RVS",
                            # 10:00 GMT on Thursday 12 November 2026.
                            "first_hearing_at": "2026-11-12T10:00:00+00:00",
                            "bail_conditions": "Not to contact Ann Example directly or indirectly",
                        }
                    ),
                },
                "Charged",
            ),
        ]
        if bail_entry_after_charge:
            events.append(
                (
                    "bail",
                    last + 10 * M,
                    {
                        "bail_date": "2026-11-12",
                        "bail_time": "10:00",
                        "bail_to": "MC-RVS",
                        "conditions": "Not to contact Ann Example directly or indirectly",
                    },
                    "",
                )
            )
    else:
        events.append(
            (
                "bail",
                last + 10 * M,
                {
                    "bail_date": "2027-01-20",
                    "bail_time": "14:30",
                    "bail_to": "Southwark Wharf Police Station",
                    "conditions": "Reside at 1 Invented Row",
                },
                "",
            )
        )
    events.append(("released", last + 15 * M, {}, ""))
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1][1], pair[0]))
    return {
        "id": 77,
        "custody_number": "SW-2026-00077",
        "station_code": "SW",
        "status": "closed",
        "version": len(events),
        "case_files": ["SW-26-0077"] if charged else [],
        "board": {
            "record_id": 77,
            "custody_number": "SW-2026-00077",
            "surname": "Formsby",
            "forenames": "Nell",
            "date_of_birth": "1988-03-03",
            "arrived_at": ARRIVED.isoformat(),
        },
        "events": [
            _entry(seq, kind, at, data, title)
            for seq, (_index, (kind, at, data, title)) in enumerate(ordered, start=1)
        ],
    }


def station_pdf(label: str, pages: int) -> bytes:
    """An attached PDF made by Station itself: framed, footed "Page N of M" of its own."""
    from reportlab.platypus import PageBreak, Paragraph

    from station_app.documents.pdf import PageFrame, build_pdf, styles

    story: list[Any] = []
    for page in range(pages):
        story += [Paragraph(f"{label}, sheet {page + 1}", styles()["Body"]), PageBreak()]
    return build_pdf(story[:-1], PageFrame(title=label))


def bundle_case(
    make_attachment: Callable[[str, int], bytes] = station_pdf,
) -> tuple[dict[str, Any], dict[int, bytes]]:
    """An anticipated not guilty plea file of about 60 pages: MG1, MG5, nine MG11s, two
    attached exhibits (framed PDFs with their own page numbers), MG6C, a nil MG6D, and the
    MG6, MG10 and MG6E that only the CPS's copy holds."""
    documents: list[dict[str, Any]] = []
    attachments: dict[int, bytes] = {}

    def add(form: str, data: dict[str, Any] | None = None, pdf: bytes | None = None) -> None:
        number = len(documents) + 1
        documents.append(
            {
                "id": number,
                "sequence": number,
                "form": form,
                "title": f"{form} {number}",
                "key": True,
                "is_attachment": pdf is not None,
                "data": data or {},
            }
        )
        if pdf is not None:
            attachments[number] = pdf

    add(
        "MG1",
        {
            "defendant_name": "Ivo Quent",
            "date_of_birth": "1988-04-05",
            "charges_summary": "Theft from the person",
            "remand_status": "Bail",
            "officer_in_case": "DC Sam Okafor",
        },
    )
    add(
        "MG5",
        {
            "summary": "The events of the afternoon, as seen on CCTV.\n" * 260,
            "officer_name": "DC Sam Okafor",
        },
    )
    for witness in range(9):
        add(
            "MG11",
            {
                "witness_name": f"Witness {witness}",
                "over_18": True,
                "address": "2 Mill Lane",
                "statement": "I saw the man take the phone and run.\n" * 90,
                "declaration_made": True,
                "signed_by_witness": f"W {witness}",
                "statement_date": "2026-11-01",
            },
        )
    add("EXHIBIT", pdf=make_attachment("CCTV stills", 16))
    add("PREVIOUS_CONVICTIONS", pdf=make_attachment("PNC print", 4))
    add(
        "MG6C",
        {
            "disclosure_officer": "DC Sam Okafor",
            "items": [
                {"number": n, "description": f"Item {n}", "location": "Store", "remarks": ""}
                for n in range(1, 120)
            ],
        },
    )
    add("MG6D", {"disclosure_officer": "DC Sam Okafor", "nil": True, "signed_by": "DC Okafor"})
    # The forms that go to the CPS only (banded "NOT FOR DISCLOSURE" in its copy, left out of
    # the served copy).
    add(
        "MG6",
        {
            "officer_name": "DC Sam Okafor",
            "investigation_began": "2026-10-24",
            "information": "The victim asks that her new address is not given out.",
            "schedule_comments": "Items 1 to 119 are the house-to-house returns.",
        },
    )
    add(
        "MG10",
        {
            "officer_name": "DC Sam Okafor",
            "dates_to_avoid": "Witness 0: 14 to 18 December 2026, on holiday\nWitness 1: none",
        },
    )
    add(
        "MG6E",
        {
            "disclosure_officer": "DC Sam Okafor",
            "undermining_items": "MG6C 3",
            "report": "Item 3 records a first description that differs from the victim's.",
        },
    )
    case = {
        "reference": "SW-26-0999",
        "file_type": "anticipated_not_guilty_plea",
        "officer_name": "DC Sam Okafor",
        "updated_at": "2026-11-26T09:00:00+00:00",
        "hearing_date": "2026-12-05",
        "court_code": "MC-RVS",
        "incident_refs": ["SW/26/004211"],
        "custody_refs": ["SW-2026-00077"],
        "suspects": [{"name": "Ivo Quent", "charges": [{"offence_code": "DMTH002"}]}],
        "documents": documents,
    }
    return case, attachments


def sample_documents(*, long_record: bool = True) -> dict[str, Callable[[], bytes]]:
    """Every printed document, by name, built from the data above at fixed times (the same
    bytes every time): what `make documents` writes and the document tests check.
    `long_record` adds the 300-entry custody record printed after release."""
    from station_app.documents.casefile_bundle import build_bundle
    from station_app.documents.custody_forms import build_all, build_form
    from station_app.documents.incident_letter import build_letter
    from station_app.documents.outcome_letter import build_outcome_letter
    from station_app.domain.file_standard import load_rules
    from station_app.resource_files import resource_path
    from station_app.services.custody import CustodyRecordView

    now = ARRIVED + 16 * H
    printed = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)

    def custody(key: str, at: datetime = now, **options: Any) -> Callable[[], bytes]:
        def build() -> bytes:
            record = CustodyRecordView.from_json(custody_record_json(**options))
            return build_form(key, record, at, court_names=COURTS)

        return build

    def bundle(served: bool = False) -> bytes:
        """The CPS's copy, or the copy that may be served on the defence and the court."""
        case, attachments = bundle_case()
        standard = load_rules(resource_path("rules", "file_standard.json"))
        return build_bundle(case, attachments, standard, court_names=COURTS, served=served).pdf

    def outcome(language: str = "") -> bytes:
        report = with_court_result(incident(language), sentence="Community order for 12 months")
        return build_outcome_letter(report, printed_at=printed)

    documents: dict[str, Callable[[], bytes]] = {
        "letter-en": lambda: build_letter(incident()),
        "letter-cy": lambda: build_letter(incident(language="Cymraeg")),
        "outcome-letter-en": outcome,
        "outcome-letter-cy": lambda: outcome("Welsh"),
        "custody-record": custody("record"),
        "custody-rights-en": custody("rights"),
        "custody-rights-cy": custody("rights", notice_language="Welsh"),
        "custody-rights-summary-offence": custody("rights", mode_of_trial="summary"),
        "custody-charge": custody("charge"),
        "custody-property": custody("property"),
        "custody-bail": custody("bail", charged=False),
        "custody-all": lambda: build_all(
            CustodyRecordView.from_json(custody_record_json()), now, court_names=COURTS
        ),
        "bundle": bundle,
        "bundle-served": lambda: bundle(served=True),
    }
    if long_record:
        # 300 entries: 268 visits every 20 minutes after charge, printed after release.
        documents["custody-record-300"] = custody("record", ARRIVED + 106 * H, visits=268)
    return documents
