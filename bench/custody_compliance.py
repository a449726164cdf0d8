"""The supervisors' compliance list of a busy suite: 60 records of 300 entries each replayed
for their breaches (`domain.custody_compliance.breaches`, what GET /custody/compliance does
per request after reading the entries).

Baseline, timed interleaved in the same run: folding the same 60 logs into their state
(`domain.custody_record.fold`), the least any replay of the suite costs.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, timed_ms
from bench.custody_pdf import ARRIVED, record_json
from station_app.domain.custody_compliance import breaches
from station_app.domain.custody_record import fold
from station_app.services.custody import CustodyRecordView

RUNS = 10
RECORDS = 60


def main() -> None:
    record = CustodyRecordView.from_json(record_json())
    events = [entry.to_domain() for entry in record.entries]
    suite = [list(events) for _ in range(RECORDS)]
    now = ARRIVED + timedelta(hours=30)

    def replay() -> int:
        return sum(len(breaches(log, now)) for log in suite)

    def fold_only() -> int:
        return sum(len(fold(log).reviews) for log in suite)

    replay()
    fold_only()
    measured, baseline = [], []
    for _ in range(RUNS):
        baseline.append(timed_ms(fold_only))
        measured.append(timed_ms(replay))
    print(f"suite compliance: {RECORDS} records x {len(events)} entries, {replay()} breaches")
    report("breaches() for the suite  vs fold() of the same logs", measured, baseline, 1000, "p50")


if __name__ == "__main__":
    main()
