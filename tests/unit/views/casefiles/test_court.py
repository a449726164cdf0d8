"""The Case files tab's Court page (issue 10) against the live server: a case opened by a
charge in custody shows the defendant as custody charged them (date of birth, address,
custody number and times, bail) and the victim and witness from the report; a new MG1
opens with all of it filled in; the court's result is recorded by keyboard and the case is
finalised on the server."""

from __future__ import annotations

from datetime import datetime

import requests
from PySide6.QtCore import Qt

from station_app.domain.clock import london
from tests.fixtures.casefiles_tab import WAIT, complete_statement, open_case, signed_in
from tests.fixtures.custody import Client as CustodyClient
from tests.fixtures.journey import (
    arrest_and_book_in,
    case_file,
    charge,
    read_report,
    report_with_suspect,
)
from tests.fixtures.live_server import bearer


def charged_case(server) -> str:
    report = report_with_suspect(server)
    custody = CustodyClient(server, "custody")
    record = arrest_and_book_in(custody, read_report(server, report["reference"], "custody"))
    assert record.status_code == 201, record.text
    assert charge(custody, record.json()["id"]).status_code == 201
    return custody.record(record.json()["id"])["case_files"][0]


def test_a_charged_case_shows_what_custody_knows_and_takes_the_result_by_keyboard(
    qtbot, make_station, live_server
):
    reference = charged_case(live_server)
    shell, view = signed_in(qtbot, make_station)
    shell.window.activateWindow()  # keyboard shortcuts (Ctrl+Enter) need the active window
    qtbot.waitUntil(shell.window.isActiveWindow, timeout=WAIT)
    view.refresh()
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 3, timeout=WAIT)
    panel = open_case(qtbot, view, reference)
    court = panel.hearings

    summary = court.summary.toPlainText()
    assert "1. Dale Testwick" in summary
    assert "Born 14/08/1993, 4 Lamplighter Street, London, SE1 7QP" in summary
    assert "Custody record SW-" in summary and "Bailed to court" in summary
    assert "Victim: Wilhelmina Ashgrove" in summary and "Witness: Noor Halloway" in summary
    assert "Hearing 1: Riverside Magistrates' Court" in summary

    # A new MG1 opens with everything the case knows.
    panel.open_form("MG1", None)
    values = panel.editor.form.values()
    assert values["defendant_name"] == "Dale Testwick"
    assert values["date_of_birth"] == "1993-08-14"
    assert values["remand_status"] == "Bailed to court"
    assert "TH68010" in values["charges_summary"]

    # The result, by keyboard: Guilty, Convicted, the sentence in words, Ctrl+Enter.
    panel.tabs.setCurrentWidget(court)
    (row,) = court.charge_results
    row.plea.setFocus()
    qtbot.keyClick(row.plea, Qt.Key.Key_Down)  # No plea -> Guilty
    assert row.plea.currentData() == "guilty"
    qtbot.keyClick(row.plea, Qt.Key.Key_Tab)
    assert court.focusWidget() is row.outcome
    qtbot.keyClick(row.outcome, Qt.Key.Key_Down)  # Adjourned -> Convicted
    assert row.outcome.currentData() == "convicted" and row.sentence.isEnabled()
    row.sentence.setFocus()
    qtbot.keyClicks(row.sentence, "Fine of £120 and £85 costs")
    qtbot.keyClick(row.sentence, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(
        lambda: panel.case["status"] == "finalised" or court.message.isVisible(), timeout=WAIT
    )
    assert court.message.text() == "Result recorded: the case and its crime reports are updated."
    qtbot.waitUntil(lambda: panel.case["status"] == "finalised", timeout=WAIT)
    assert "Finalised at court" in panel.heading.text()
    stored = case_file(live_server, reference)
    (result,) = stored["hearings"][0]["results"]
    assert (result["plea"], result["outcome"]) == ("guilty", "convicted")
    assert result["sentence"] == "Fine of £120 and £85 costs"


def test_a_hearing_time_the_clocks_skip_or_pass_twice_is_refused_not_guessed(
    qtbot, make_station, live_server
):
    # Issue 11: a typed London time is asked about, never guessed. 01:30 on 28 March 2027 never
    # happened (the clocks went forward); 01:30 on 31 October 2027 happened twice. Before,
    # the Court page listed the first as 01:30 UTC and the second as BST, silently.
    from PySide6.QtCore import QDate, QDateTime, QTime

    reference = charged_case(live_server)
    _shell, view = signed_in(qtbot, make_station)
    view.refresh()
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 3, timeout=WAIT)
    panel = open_case(qtbot, view, reference)
    court = panel.hearings
    panel.tabs.setCurrentWidget(court)
    qtbot.waitUntil(lambda: court.court.count() > 0, timeout=WAIT)
    listed = len(case_file(live_server, reference)["hearings"])

    court.sitting.setDateTime(QDateTime(QDate(2027, 3, 28), QTime(1, 30)))
    court.add_hearing()
    assert "did not happen on the station clock" in court.message.text()
    court.sitting.setDateTime(QDateTime(QDate(2027, 10, 31), QTime(1, 30)))
    court.add_hearing()
    assert "happened twice" in court.message.text()
    assert "Check the hearing time." in court.message.text()

    court.runner.wait_for_done()
    qtbot.wait(50)
    assert len(case_file(live_server, reference)["hearings"]) == listed  # nothing sent


def test_a_new_mg5_and_mg6_open_with_what_the_charge_in_custody_brought(
    qtbot, make_station, live_server
):
    # Issue 10, each fact typed once: before, only the MG1 (and MG4, MG9) were filled; a new
    # MG5 opened with an empty summary and the MG6 without its officer or references.
    reference = charged_case(live_server)
    stored = case_file(live_server, reference)
    _shell, view = signed_in(qtbot, make_station)
    view.refresh()
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 3, timeout=WAIT)
    panel = open_case(qtbot, view, reference)

    panel.open_form("MG5", None)
    summary = panel.editor.form.values()["summary"]
    assert summary.startswith(
        "Defendant: Dale Testwick, born 14/08/1993, of 4 Lamplighter Street, London, SE1 7QP\n"
        f"Custody record {stored['custody_refs'][0]}, arrested "
    )
    assert "\nCharges:\nTH68010: On 1 December 2026 at Southwark stole" in summary
    assert "\nBailed to court" in summary
    assert "\n\nFirst hearing: Riverside Magistrates' Court, " in summary
    assert panel.editor.form.values()["officer_name"] == ""  # who writes it: not on the case

    panel.open_form("MG6", None)
    values = panel.editor.form.values()
    assert values["officer_name"] == stored["officer_name"] != ""
    assert values["information"] == (
        f"Crime reports: {stored['incident_refs'][0]}\nCustody records: {stored['custody_refs'][0]}"
    )
    # When the investigation began: the day the crime was reported at the counter (before
    # the arrest). Before, the case did not hold it and the officer typed it again.
    report = read_report(live_server, stored["incident_refs"][0], "detective")
    reported = datetime.fromisoformat(report["reported_at"]).astimezone(london())
    assert values["investigation_began"] == reported.date().isoformat()

    # The MG4 names the custody officer who recorded the charge, as custody wrote it.
    panel.open_form("MG4", None)
    values = panel.editor.form.values()
    assert "Tom Brennan" in values["charging_officer"]
    assert values["charging_officer"] == stored["suspects"][0]["charged_by"]


def test_each_victim_and_witness_gets_an_mg11_of_their_own_opened_knowing_who_they_are(
    qtbot, make_station, live_server
):
    # Issue 10: before, the Forms page offered one blank MG11 and the checklist opened it;
    # the officer typed again the name and address of each witness the report named.
    reference = charged_case(live_server)
    # A not guilty plea is expected: the file standard asks for the key statements (MG11).
    stored = case_file(live_server, reference)
    fields = ("conditions", "incident_refs", "custody_refs", "suspects", "court_code")
    body = {name: stored[name] for name in fields} | {"file_type": "anticipated_not_guilty_plea"}
    changed = requests.put(
        f"{live_server.api_url}/casefiles/{reference}",
        json=body,
        headers=bearer(live_server.token_for("detective")) | {"If-Match": str(stored["version"])},
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    shell, view = signed_in(qtbot, make_station)
    shell.window.activateWindow()  # Ctrl+Enter needs the active window
    qtbot.waitUntil(shell.window.isActiveWindow, timeout=WAIT)
    view.refresh()
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 3, timeout=WAIT)
    panel = open_case(qtbot, view, reference)
    victim_item = "MG11 Witness statement: Wilhelmina Ashgrove (victim)"
    witness_item = "MG11 Witness statement: Noor Halloway (witness)"

    def offered() -> list[str]:
        return [panel.new_form.itemText(i) for i in range(panel.new_form.count())]

    assert victim_item in offered() and witness_item in offered()
    assert "MG11 Witness statement" in offered()  # someone the reports did not name

    # The witness's own statement, chosen and added by keyboard.
    panel.tabs.setCurrentIndex(1)
    panel.new_form.setFocus()
    while panel.new_form.currentText() != witness_item:
        qtbot.keyClick(panel.new_form, Qt.Key.Key_Down)
    qtbot.keyClick(panel.add_form_button, Qt.Key.Key_Space)
    witness = panel.editor
    form = witness.form
    assert form.values()["witness_name"] == "Noor Halloway"
    assert form.values()["address"].startswith("9 Quill Lane")

    # The checklist's MG11 opens the statement still waiting first: the victim's, a form
    # and a draft of its own.
    row = next(
        r
        for r in range(panel.checklist.rowCount())
        if panel.checklist.data(panel.checklist.index(r, 0), Qt.ItemDataRole.UserRole) == "MG11"
    )
    panel.open_checklist_item(panel.checklist.index(row, 0))
    victim = panel.editor
    assert victim is not witness
    assert victim.form.values()["witness_name"] == "Wilhelmina Ashgrove"
    assert victim.autosave.draft_id != witness.autosave.draft_id

    # The witness's statement saved: she is no longer offered one, the victim still is.
    panel.open_form("MG11", None, witness=panel.witnesses[panel.new_form.currentData()])
    assert panel.editor is witness
    words = "I saw a man put two bottles of gin in his coat."
    complete_statement(qtbot, form, words, "Noor Halloway", "2026-12-01")
    qtbot.waitUntil(lambda: witness_item not in offered(), timeout=WAIT)
    assert victim_item in offered()
