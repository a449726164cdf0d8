"""The victim's acknowledgement letter (target < 100 ms) and opening the walk-in form
(target < 100 ms), each against a baseline timed interleaved in the same run.

- letter: `incident_letter.build_letter` for an invented report, against `pdf.build_pdf`
  of a one-line story in the same frame (the least any Station PDF costs);
- form: building the New walk-in report `WalkInForm` (offscreen), against building a
  StationForm with a single field (the least any Station form costs).

    QT_QPA_PLATFORM=offscreen python bench/incidents_letter.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import report, timed_ms
from station_app.documents.incident_letter import build_letter
from station_app.documents.pdf import PageFrame, build_pdf, styles

RUNS = 60

INCIDENT = {
    "reference": "SW-2026-0001234",
    "reported_at": "2026-11-26T10:15:00+00:00",
    "offence": {"code": "DMTH003", "label": "Theft of a pedal cycle", "wording": ""},
    "officer_name": "Priya Natarajan",
    "officer_number": "S300112",
    "station": {
        "code": "SW",
        "name": "Southwark Wharf Police Station",
        "address": "2 Cooper's Row Wharf, London",
        "postcode": "SE1 9QX",
        "phone": "020 7946 0101",
    },
    "reporter": {"name": "Wilhelmina Ashgrove"},
    "victim": {"name": "Wilhelmina Ashgrove"},
}


def letter() -> None:
    from reportlab.platypus import Paragraph

    sheet = styles()
    build_letter(INCIDENT)  # warm: fonts registered, modules imported
    measured, baseline = [], []
    for _ in range(RUNS):
        measured.append(timed_ms(lambda: build_letter(INCIDENT)))
        baseline.append(
            timed_ms(lambda: build_pdf([Paragraph("One line.", sheet["Body"])], PageFrame("x")))
        )
    report("Victim's letter PDF vs a one-line PDF", measured, baseline, 100.0)


def form() -> None:
    from PySide6.QtWidgets import QApplication, QLineEdit

    from station_app.ui.forms import StationForm
    from station_app.views.incidents.form import WalkInForm

    app = QApplication.instance() or QApplication([])

    def one_field() -> None:
        minimal = StationForm("Minimal", "Send")
        minimal.add_field("name", "Name", QLineEdit())
        minimal.deleteLater()

    def walk_in() -> None:
        WalkInForm().deleteLater()

    walk_in()
    one_field()
    measured, baseline = [], []
    for _ in range(RUNS // 2):
        measured.append(timed_ms(walk_in))
        baseline.append(timed_ms(one_field))
        app.processEvents()
    report("Opening the walk-in form vs a one-field form", measured, baseline, 100.0)


if __name__ == "__main__":
    letter()
    form()
