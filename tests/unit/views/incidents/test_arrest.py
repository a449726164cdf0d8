"""Arrest and book in from a report's suspect (issue 10), against the real server: the
custody officer opens the report in the Incidents tab, chooses the suspect and presses the
action; the Custody tab's booking-in opens with the person, the offence, the crime
reference and the place filled in; booked in, the record is linked to the report and the
report's timeline shows the arrest. The crime view then shows the chain; the front desk's
detail pane has no arrest action."""

from __future__ import annotations

from PySide6.QtCore import Qt

from station_app.views.custody.dialogs import BookingForm
from station_app.views.custody.view import CustodyView
from tests.fixtures.journey import SUSPECT, WITNESS, report_with_suspect
from tests.fixtures.station import signed_in
from tests.fixtures.walk_in_form import WAIT, incidents_view


def open_report(qtbot, view, reference: str) -> None:
    view.detail.open(reference)
    qtbot.waitUntil(
        lambda: view.detail.incident is not None and view.detail.incident["reference"] == reference,
        timeout=WAIT,
    )


def test_the_custody_officer_arrests_and_books_in_a_reports_suspect(
    qtbot, make_station, live_server
):
    report = report_with_suspect(live_server)
    shell = signed_in(qtbot, make_station, "custody")
    view = incidents_view(qtbot, shell)
    open_report(qtbot, view, report["reference"])
    detail = view.detail
    assert detail.arrest_row.isVisibleTo(detail) and detail.arrest_button.isEnabled()
    assert detail.suspect_box.currentText() == "Dale Testwick (born 14/08/1993)"
    assert "Dale Testwick, born 14/08/1993, 4 Lamplighter Street, London, SE1 7QP" in (
        detail.text.toPlainText()
    )

    detail.arrest_button.setFocus()
    qtbot.keyClick(detail.arrest_button, Qt.Key.Key_Space)

    custody = shell.window.current_tab()
    assert isinstance(custody, CustodyView)
    qtbot.waitUntil(lambda: custody.booking is not None, timeout=WAIT)
    form = custody.booking.form
    assert isinstance(form, BookingForm)
    values = form.values()
    assert (values["surname"], values["forenames"]) == ("Testwick", "Dale")
    assert values["date_of_birth"] == "14/08/1993"
    assert (values["address"], values["postcode"]) == (SUSPECT["address"], SUSPECT["postcode"])
    assert values["incident_reference"] == report["reference"]
    # The person the report links is booking-in's "known person?", as if picked there.
    assert values["person"]["person_id"] == detail.incident["suspects"][0]["person_id"]
    assert form.known_person.person_id == detail.incident["suspects"][0]["person_id"]
    # Their warning markers are read, not assumed: none are held for this person.
    qtbot.waitUntil(
        lambda: (
            "TESTWICK, Dale, born 14/08/1993" in form.known_person.status.text()
            and form.known_person.markers.text() == "No warning markers held for this person."
        ),
        timeout=WAIT,
    )
    assert form.offence.current_entry is not None
    assert form.offence.current_entry.code == "TH68010"
    assert report["reference"] in str(values["circumstances"])
    assert "Thimble Court bike racks" in str(values["circumstances"])
    assert report["reference"] in form.message.text()
    assert form.focusWidget() is form.field("surname")

    form.submitted.emit()  # Ctrl+Enter in the dialog: the times are the form's own (now)
    qtbot.waitUntil(lambda: custody.panel.record is not None, timeout=15_000)
    record = custody.panel.record
    assert record.incidents == (report["reference"],)
    assert f"Crime {report['reference']}" in custody.panel.heading.text()
    person = record.booking()["person"]
    assert person["person_id"] == detail.incident["suspects"][0]["person_id"]

    view = incidents_view(qtbot, shell)
    view.detail.open(report["reference"])  # read again: the timeline has the arrest
    qtbot.waitUntil(
        lambda: f"custody record {record.custody_number}" in view.detail.text.toPlainText(),
        timeout=WAIT,
    )
    view.detail.chain_button.click()
    qtbot.waitUntil(lambda: view.crime_dialog is not None, timeout=WAIT)
    chain = view.crime_dialog.text.toPlainText()
    assert f"Custody record {record.custody_number}" in chain
    assert "Detainee: Dale Testwick" in chain
    assert not view.detail.outcome_button.isEnabled()  # no court result yet


def test_the_front_desk_sees_no_arrest_action(qtbot, make_station, live_server):
    report = report_with_suspect(live_server)
    shell = signed_in(qtbot, make_station, "frontdesk")
    view = incidents_view(qtbot, shell)
    open_report(qtbot, view, report["reference"])

    assert not view.detail.arrest_row.isVisibleTo(view.detail)
    assert WITNESS["name"] not in view.detail.suspect_box.currentText()
