"""The Case files tab in the whole Station against the live server: My cases for the demo
detective, the checklist opening the form that fixes a missing item, an MG form saved
with inline validation, the MG6C and MG6D schedule tables each numbering on, and both
bundles (the CPS's copy and the served copy) built in the background and previewed."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from station_app.views.casefiles.view import CasefilesView
from tests.fixtures.casefiles_tab import WAIT, open_case, signed_in
from tests.fixtures.station import open_tab


def test_my_cases_lists_the_detectives_cases_most_urgent_first(qtbot, reading_station):
    view = open_tab(qtbot, reading_station("detective"), "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 2, timeout=WAIT)

    shown = [view.cases.index(r, 0).data() for r in range(view.cases.rowCount())]
    days = [view.cases.index(r, 1).data() for r in range(view.cases.rowCount())]

    assert shown[:2] == ["SW-26-0142", "SW-26-0157"]  # hearing in 4 days before 11 days
    assert days[:2] == ["in 4 days", "in 11 days"]
    assert view.cases.index(0, 2).data() == "3 missing"
    assert "most urgent first" in view.info.text()


def test_a_missing_item_opens_its_form_and_saving_it_ticks_the_checklist(qtbot, make_station):
    _shell, view = signed_in(qtbot, make_station)
    panel = open_case(qtbot, view, "SW-26-0142")
    rows = {panel.checklist.index(r, 0).data(): r for r in range(panel.checklist.rowCount())}
    assert panel.checklist.index(rows["Charges (MG4)"], 1).data() == "Missing"
    assert "Record the charges" in panel.checklist.index(rows["Charges (MG4)"], 2).data()

    panel.open_checklist_item(panel.checklist.index(rows["Charges (MG4)"], 0))
    editor = panel.editor
    assert editor is not None and editor.form_code == "MG4"
    # What the case knows is filled in (issue 10): the defendant and the charge.
    assert editor.form.field("defendant_name").text() == "Dale Pemberton"
    assert editor.form.field("charges").toPlainText() == "TH68010: Theft from a shop"
    qtbot.mouseClick(editor.form.submit_button, Qt.MouseButton.LeftButton)
    error = editor.form.findChild(type(editor.form.message), "charging_officerError")
    assert error is not None and error.isVisibleTo(editor.form)
    assert "Enter charging officer" in error.text()

    editor.form.field("charges").setPlainText("Theft from a shop")
    editor.form.field("charged_on").setText("2026-11-20")
    editor.form.field("charging_officer").setText("PS Tom Brennan")
    qtbot.mouseClick(editor.form.submit_button, Qt.MouseButton.LeftButton)

    def mg4_done():
        items = panel.case["completeness"]["items"] if panel.case else []
        return any(i["id"] == "mg4" and i["status"] == "done" for i in items)

    qtbot.waitUntil(mg4_done, timeout=WAIT)
    assert any(d["form"] == "MG4" for d in panel.case["documents"])


def test_a_new_schedule_shows_the_next_running_numbers(qtbot, make_station):
    _shell, view = signed_in(qtbot, make_station)
    panel = open_case(qtbot, view, "SW-26-0157")  # its MG6C already holds items 1 and 2

    panel.open_form("MG6C", None)
    editor = panel.editor
    editor.form.field("disclosure_officer").setText("DC Sam Okafor")
    items = editor.form.field("_items")
    items.add_item()
    items.add_item()
    model = editor.schedule
    model.setData(model.index(0, 1), "Custody record SW-26-00871")
    model.setData(model.index(1, 1), "Officer's notebook entry")
    assert [model.index(r, 0).data() for r in range(2)] == ["3 (new)", "4 (new)"]
    editor.save()

    qtbot.waitUntil(lambda: model.index(0, 0).data() == "3", timeout=WAIT)
    assert model.index(1, 0).data() == "4"


def test_a_new_mg6d_shows_the_mg6ds_own_next_number(qtbot, make_station):
    """CPS Disclosure Manual ch.7-8: the MG6D numbers its own items, so its first is 1 even
    when the MG6C already holds 1 and 2 (before, the editor offered 3)."""
    _shell, view = signed_in(qtbot, make_station)
    panel = open_case(qtbot, view, "SW-26-0157")

    panel.open_form("MG6D", None)
    editor = panel.editor
    editor.form.field("_items").add_item()
    model = editor.schedule

    assert model.index(0, 0).data() == "1 (new)"
    panel.open_form("MG6C", None)
    panel.editor.form.field("_items").add_item()
    assert panel.editor.schedule.index(0, 0).data() == "3 (new)"


def test_the_bundle_builds_in_the_background_and_previews(qtbot, make_station):
    _shell, view = signed_in(qtbot, make_station)
    panel = open_case(qtbot, view, "SW-26-0157")
    bundle = panel.bundle

    qtbot.waitUntil(lambda: "synced" in _shell.window.status.sync_label.text(), timeout=WAIT)
    qtbot.mouseClick(bundle.build_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bundle.bundle is not None, timeout=WAIT)
    assert "Bundle ready" in bundle.status.text()
    front = PdfReader(io.BytesIO(bundle.bundle.pdf)).pages[0].extract_text()
    assert "Northgate Magistrates' Court" in front and "MC-NGT" not in front  # by name
    assert bundle.progress.value() == bundle.progress.maximum()
    bundle.show_preview()
    assert bundle.preview is not None
    assert bundle.preview.document.pageCount() == bundle.bundle.page_count
    bundle.preview.reject()
    assert not bundle.send_button.isEnabled()  # a detective cannot send; nor unapproved
    # Issue 11: the served copy too, from the same case; its nil MG6D stays with the CPS.
    served = bundle.served_bundle
    assert served is not None and bundle.served_preview_button.isEnabled()
    assert "MG6D" in [e.form for e in bundle.bundle.index]
    assert "MG6D" not in [e.form for e in served.index]
    assert "Served copy" in bundle.status.text()
    qtbot.mouseClick(bundle.served_preview_button, Qt.MouseButton.LeftButton)
    assert bundle.preview.document.pageCount() == served.page_count < bundle.bundle.page_count
    assert "Served copy" in bundle.preview.windowTitle()
    bundle.preview.reject()


def test_the_mg11_editor_shows_the_statement_of_truth(qtbot, make_station):
    _shell, view = signed_in(qtbot, make_station)
    panel = open_case(qtbot, view, "SW-26-0142")
    panel.open_form("MG11", None)
    form = panel.editor.form

    assert isinstance(form.field("statement"), QPlainTextEdit)
    assert isinstance(form.field("statement_date"), QLineEdit)
    assert "true to the best of my knowledge" in form.field("_truth").text()
