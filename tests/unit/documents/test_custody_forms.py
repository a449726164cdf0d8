"""Every printed custody form opens, and its text holds the custody number and the times."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from station_app.documents.custody_forms import FORMS, available_forms, build_form
from station_app.domain.custody_record import local_text
from station_app.services.custody import CustodyRecordView

H = timedelta(hours=1)
NOW = datetime(2026, 10, 25, 12, 0, tzinfo=UTC)  # the day the clocks go back
ARRIVED = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)  # 21:00 BST


def entry(seq: int, kind: str, at: datetime, data: dict | None = None, title: str = "") -> dict:
    return {
        "id": seq,
        "sequence": seq,
        "kind": kind,
        "title": title or kind.replace("_", " ").capitalize(),
        "summary": ", ".join(f"{k}: {v}" for k, v in (data or {}).items()),
        "occurred_at": at.isoformat(),
        "entered_at": at.isoformat(),
        "officer_name": "Tom Brennan",
        "officer_rank": "PS",
        "officer_staff_number": "210044",
        "data": data or {},
    }


def record_json(extra_visits: int = 0) -> dict:
    booking = {
        "custody_number": "SW-2026-00077",
        "station_code": "SW",
        "person": {
            "surname": "Formsby",
            "forenames": "Nell",
            "date_of_birth": "1988-03-03",
            "address": "1 Invented Row, London",
        },
        "offences": [
            {
                "code": "DMTH005",
                "label": "Robbery",
                "wording": "Robbery, contrary to section 8(1) of the Theft Act 1968",
                "mode_of_trial": "indictable",
            }
        ],
        "arrested_at": (ARRIVED - H).isoformat(),
        "arrived_at": ARRIVED.isoformat(),
        "relevant_time": ARRIVED.isoformat(),
    }
    events = [
        entry(1, "booked_in", ARRIVED, booking, "Booked in"),
        entry(2, "detention_authorised", ARRIVED + H / 4, {"grounds": "Evidence"}),
        entry(
            3,
            "property_item",
            ARRIVED + H / 3,
            {"description": "Black wallet", "bag_number": "BAG-1234", "signature": "signed"},
        ),
        entry(
            4,
            "bail",
            ARRIVED + 10 * H,
            {
                "bail_date": "2027-01-20",
                "bail_to": "Southwark Wharf Police Station",
                "conditions": "Reside at home address",
            },
        ),
        entry(
            5,
            "charge",
            ARRIVED + 11 * H,
            {
                "offence": {"code": "DMTH005", "label": "Robbery"},
                "wording": "On 24 October 2026 at London robbed Ann Example of a phone.",
            },
        ),
    ]
    for n in range(extra_visits):
        events.append(
            entry(6 + n, "visit", ARRIVED + n * timedelta(minutes=2), {"response": "comprehensive"})
        )
    return {
        "id": 77,
        "custody_number": "SW-2026-00077",
        "station_code": "SW",
        "status": "in_custody",
        "version": 1,
        "board": {
            "record_id": 77,
            "custody_number": "SW-2026-00077",
            "surname": "Formsby",
            "forenames": "Nell",
            "date_of_birth": "1988-03-03",
            "arrived_at": ARRIVED.isoformat(),
        },
        "events": events,
    }


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())  # line breaks fall anywhere


@pytest.mark.parametrize("key", [form.key for form in FORMS])
def test_every_form_opens_with_the_custody_number_and_detainee(key: str) -> None:
    record = CustodyRecordView.from_json(record_json())
    assert key in {form.key for form in available_forms(record)}
    pages, text = text_of(build_form(key, record, NOW))
    assert pages >= 1
    assert "SW-2026-00077" in text and "FORMSBY, Nell" in text
    assert f"Page 1 of {pages}" in text


def test_the_rights_notice_carries_this_detainees_computed_times() -> None:
    record = CustodyRecordView.from_json(record_json())
    _pages, text = text_of(build_form("rights", record, NOW))
    # Relevant time 21:00 BST on Saturday; 24 h later is 20:00 GMT on Sunday (the clocks
    # went back), 36 h later 08:00 GMT on Monday. Dates are printed in words (issue 11).
    assert "Saturday 24 October 2026, 21:00 BST" in text
    assert "Sunday 25 October 2026, 20:00 GMT" in text
    assert "Monday 26 October 2026, 08:00 GMT" in text
    first_review = ARRIVED + H / 4 + 6 * H
    assert f"Sunday 25 October 2026, {local_text(first_review)[-9:]}" in text


def test_the_full_record_paginates_300_entries_with_headers_on_every_page() -> None:
    record = CustodyRecordView.from_json(record_json(extra_visits=295))
    pages, text = text_of(build_form("record", record, NOW))
    assert pages > 5
    reader = PdfReader(io.BytesIO(build_form("record", record, NOW)))
    for page in reader.pages:
        page_text = page.extract_text()
        assert "Custody number SW-2026-00077" in page_text and "FORMSBY, Nell" in page_text
    assert f"Page {pages} of {pages}" in text
    assert "Entries (300)" in text


def test_forms_that_do_not_apply_are_not_offered() -> None:
    data = record_json()
    data["events"] = data["events"][:2]
    keys = [form.key for form in available_forms(CustodyRecordView.from_json(data))]
    assert keys == ["record", "rights"]
