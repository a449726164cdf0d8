"""A whole case file journey through the Case files tab against the real server and the
file-drop CPS exchange: a detective opens a file, fills the forms the checklist asks for,
attaches the previous convictions and submits; a supervisor approves, builds the bundle
and sends it; the CPS rejects it with a reason; the detective fixes it; it is resent and
accepted."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

from station_app.documents.pdf import PageFrame, build_pdf, styles
from station_app.views.casefiles.view import CasefilesView
from tests.fixtures.station import open_tab as open_station_tab
from tests.fixtures.station import signed_in

WAIT = 20_000
REF = "SW-26-0300"


def open_tab(qtbot, make_station, keyring, username: str) -> CasefilesView:
    keyring.secrets.clear()  # each workstation signs in with its own officer
    shell = signed_in(qtbot, make_station, username)
    view = open_station_tab(qtbot, shell, "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.user is not None and view.cases.total >= 0, timeout=WAIT)
    return view


def fill(form, values: dict) -> None:
    for name, value in values.items():
        widget = form.field(name)
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            assert isinstance(widget, QLineEdit), name
            widget.setText(value)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def status_of(view: CasefilesView) -> str:
    case = view.case_panel.case
    return case["status"] if case else ""


def fill_from_checklist(qtbot, view: CasefilesView, title: str, values: dict) -> None:
    panel = view.case_panel
    rows = {panel.checklist.index(r, 0).data(): r for r in range(panel.checklist.rowCount())}
    panel.open_checklist_item(panel.checklist.index(rows[title], 0))
    fill(panel.editor.form, values)
    click(qtbot, panel.editor.form.submit_button)
    form = panel.editor.form_code
    qtbot.waitUntil(lambda: any(d["form"] == form for d in panel.case["documents"]), timeout=WAIT)


def test_a_case_file_goes_to_the_cps_is_rejected_fixed_and_accepted(
    qtbot, make_station, live_server, memory_keyring, tmp_path: Path
) -> None:
    exchange = tmp_path / "exchange"
    live_server.app.state.settings = dataclasses.replace(
        live_server.app.state.settings, cps_exchange_dir=str(exchange)
    )
    detective = open_tab(qtbot, make_station, memory_keyring, "detective")

    detective.new_item()  # Ctrl+N
    details = detective.new_case.details
    fill(
        details.form,
        {
            "reference": REF,
            "file_type": "anticipated_guilty_plea",
            "suspect_name": "Corin Ashdale",
            "offence_code": "TH68010",
            "offence_wording": "Theft from a shop",
            "hearing_date": "2026-12-30",
            "court_code": "MC-RVS",
            "incident_refs": "SW/26/009001",
        },
    )
    click(qtbot, details.form.submit_button)
    panel = detective.case_panel
    qtbot.waitUntil(lambda: panel.case is not None and panel.case["reference"] == REF, timeout=WAIT)
    qtbot.waitUntil(lambda: any(c.reference == REF for c in detective.cases.rows), timeout=WAIT)
    assert panel.case["completeness"]["missing_count"] == 4

    fill_from_checklist(
        qtbot,
        detective,
        "File front sheet (MG1)",
        {
            "defendant_name": "Corin Ashdale",
            "date_of_birth": "1991-07-08",
            "charges_summary": "Theft from a shop",
            "remand_status": "Bail",
            "officer_in_case": "DC Sam Okafor",
        },
    )
    fill_from_checklist(
        qtbot,
        detective,
        "Charges (MG4)",
        {
            "defendant_name": "Corin Ashdale",
            "charges": "Theft from a shop",
            "charged_on": "2026-11-25",
            "charging_officer": "PS Tom Brennan",
        },
    )
    fill_from_checklist(
        qtbot,
        detective,
        "Police report - case summary (MG5)",
        {"summary": "Took two bottles of gin without paying.", "officer_name": "DC Sam Okafor"},
    )
    print_out = tmp_path / "pnc.pdf"
    from reportlab.platypus import Paragraph

    print_out.write_bytes(
        build_pdf(
            [Paragraph("No previous convictions.", styles()["Body"])], PageFrame(title="PNC print")
        )
    )
    bundle = panel.bundle
    bundle.kind.setCurrentIndex(bundle.kind.findData("PREVIOUS_CONVICTIONS"))
    bundle.attach(print_out, "PNC print")
    qtbot.waitUntil(lambda: panel.case["completeness"]["complete"], timeout=WAIT)
    click(qtbot, panel.submit_button)
    qtbot.waitUntil(lambda: status_of(detective) == "submitted", timeout=WAIT)

    supervisor = open_tab(qtbot, make_station, memory_keyring, "supervisor")
    assert supervisor.list_heading.text() == "Cases to review"
    qtbot.waitUntil(lambda: any(c.reference == REF for c in supervisor.cases.rows), timeout=WAIT)
    supervisor.select_case(REF)
    review = supervisor.case_panel
    qtbot.waitUntil(lambda: status_of(supervisor) == "submitted", timeout=WAIT)

    def approve_build_and_send() -> str:
        click(qtbot, review.approve_button)
        qtbot.waitUntil(lambda: status_of(supervisor) == "approved", timeout=WAIT)
        click(qtbot, review.bundle.build_button)
        qtbot.waitUntil(review.bundle.send_button.isEnabled, timeout=WAIT)
        click(qtbot, review.bundle.send_button)
        qtbot.waitUntil(lambda: status_of(supervisor) == "sent", timeout=WAIT)
        return review.case["submissions"][-1]["submission_id"]

    first = approve_build_and_send()
    assert (exchange / "outbox" / f"{first}.pdf").read_bytes()[:5] == b"%PDF-"
    (exchange / "inbox" / f"{first}.ack.json").write_text(
        json.dumps(
            {
                "format": "station-cps-exchange",
                "submission_id": first,
                "outcome": "rejected",
                "reasons": ["The MG5 does not say where the CCTV is."],
            }
        )
    )
    click(qtbot, review.bundle.replies_button)
    qtbot.waitUntil(lambda: status_of(supervisor) == "rejected", timeout=WAIT)
    assert "does not say where the CCTV is" in review.comments.text()

    detective.refresh()
    qtbot.waitUntil(lambda: status_of(detective) == "rejected", timeout=WAIT)
    mg5 = next(d for d in panel.case["documents"] if d["form"] == "MG5")
    panel.open_form("MG5", mg5)
    fill(panel.editor.form, {"summary": "Took two bottles of gin; CCTV exhibit JT/1."})
    click(qtbot, panel.editor.form.submit_button)
    qtbot.waitUntil(lambda: "JT/1" in str(panel.case["documents"]), timeout=WAIT)
    qtbot.waitUntil(panel.submit_button.isEnabled, timeout=WAIT)
    click(qtbot, panel.submit_button)
    qtbot.waitUntil(lambda: status_of(detective) == "submitted", timeout=WAIT)

    supervisor.refresh()
    qtbot.waitUntil(lambda: status_of(supervisor) == "submitted", timeout=WAIT)
    second = approve_build_and_send()
    assert second.endswith("-S2")
    (exchange / "inbox" / f"{second}.ack.json").write_text(
        json.dumps(
            {"format": "station-cps-exchange", "submission_id": second, "outcome": "accepted"}
        )
    )
    click(qtbot, review.bundle.replies_button)
    qtbot.waitUntil(lambda: status_of(supervisor) == "accepted", timeout=WAIT)
