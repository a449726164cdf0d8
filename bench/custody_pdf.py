"""The full custody record PDF with 300 entries and its compliance annex (target < 300 ms).

The record is replayed for the annex (late and missed visits, reviews, rest, meals, the
limit); its entries' titles and details are wrapped to their columns.

Baseline, timed interleaved in the same run: reportlab laying out the same 300 rows as a
plain table of short strings with the same page frame (the least any record PDF costs).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, timed_ms
from station_app.documents.custody_forms import build_form
from station_app.documents.pdf import PageFrame, build_pdf
from station_app.services.custody import CustodyRecordView

RUNS = 20
ENTRIES = 300
ARRIVED = datetime(2026, 10, 24, 20, 0, tzinfo=UTC)


def record_json() -> dict:
    def entry(seq: int, kind: str, at: datetime, data: dict) -> dict:
        return {
            "id": seq,
            "sequence": seq,
            "kind": kind,
            "title": kind.replace("_", " ").capitalize(),
            "summary": "; ".join(f"{k}: {v}" for k, v in data.items() if k != "person"),
            "occurred_at": at.isoformat(),
            "entered_at": (at + timedelta(minutes=1)).isoformat(),
            "officer_name": "Bench Sergeant",
            "officer_rank": "PS",
            "officer_staff_number": "B1",
            "data": data,
        }

    booking = {
        "custody_number": "SW-2026-00300",
        "station_code": "SW",
        "person": {"surname": "Benchperson", "forenames": "Pat", "date_of_birth": "1990-01-01"},
        "offences": [
            {
                "code": "DMTH005",
                "label": "Robbery",
                "mode_of_trial": "indictable",
                "wording": "Robbery, contrary to section 8(1) of the Theft Act 1968",
            }
        ],
        "arrived_at": ARRIVED.isoformat(),
        "relevant_time": ARRIVED.isoformat(),
    }
    events = [
        entry(1, "booked_in", ARRIVED, booking),
        entry(2, "detention_authorised", ARRIVED + timedelta(minutes=5), {"grounds": "Evidence"}),
    ]
    for n in range(ENTRIES - 2):
        events.append(
            entry(
                3 + n,
                "visit",
                ARRIVED + timedelta(minutes=10 + 5 * n),
                {"response": "comprehensive", "notes": "Awake, talking, no concerns"},
            )
        )
    return {
        "id": 1,
        "custody_number": "SW-2026-00300",
        "station_code": "SW",
        "status": "in_custody",
        "version": 1,
        "board": {
            "record_id": 1,
            "custody_number": "SW-2026-00300",
            "surname": "Benchperson",
            "forenames": "Pat",
            "arrived_at": ARRIVED.isoformat(),
        },
        "events": events,
    }


def plain_table(record: CustodyRecordView) -> bytes:
    from reportlab.platypus import Table

    rows = [(e.occurred_at.isoformat()[:16], e.title, e.summary[:40]) for e in record.entries]
    return build_pdf([Table(rows, repeatRows=0)], PageFrame(title="baseline"))


def main() -> None:
    record = CustodyRecordView.from_json(record_json())
    now = ARRIVED + timedelta(hours=30)
    build_form("record", record, now)  # fonts and imports once
    plain_table(record)
    measured, baseline = [], []
    for _ in range(RUNS):
        baseline.append(timed_ms(lambda: plain_table(record)))
        measured.append(timed_ms(lambda: build_form("record", record, now)))
    from station_app.documents.custody_compliance import breaches

    found = breaches([entry.to_domain() for entry in record.entries], now)
    print(f"custody record PDF with {len(record.entries)} entries, {len(found)} in the annex")
    report("build_form('record')  vs plain 300-row table", measured, baseline, 300, "p50")


if __name__ == "__main__":
    main()
