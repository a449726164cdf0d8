"""The walk-in form in the real Station against the real server: typed by keyboard, sent,
checked, and queued while the core system is down."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from station_app.server.incidents.models import Incident
from station_app.ui.status_bar import Connection
from tests.fixtures.walk_in_form import (
    WAIT,
    count_incidents,
    fill_by_keyboard,
    signed_in_view,
    withdraw_offence,
)


def test_a_report_typed_by_keyboard_is_sent_and_gets_its_reference(
    qtbot, make_station, live_server
):
    _shell, view, form = signed_in_view(qtbot, make_station)
    before = count_incidents(live_server)
    fill_by_keyboard(qtbot, form)
    qtbot.keyClick(form.field("witnesses"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    page = view.new_report
    qtbot.waitUntil(lambda: "Crime reference number SW-" in page.result.text(), timeout=WAIT)
    assert count_incidents(live_server) == before + 1
    with live_server.db_session() as session:
        stored = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert stored.reference in page.result.text()
    assert stored.offence_code == "DMTH003"
    assert stored.location_postcode == "SE1 9QX"
    assert stored.property == [{"item": "Green bicycle", "value_pence": 30000, "damaged": False}]
    assert stored.people[0]["date_of_birth"] == "1971-02-03"
    assert form.field("reporter_name").text() == ""  # ready for the next person
    assert page.result_bar.isVisible()
    # The server has it, so its draft is gone (and none was left behind by autosave).
    view.new_report.runner.wait_for_done()
    qtbot.waitUntil(lambda: page.drafts.drafts("walk_in_report") == [], timeout=WAIT)
    # The letter is there as soon as the reference number is.
    qtbot.mouseClick(page.letter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.letter_dialog is not None, timeout=WAIT)
    assert view.letter_dialog.document.pageCount() >= 1
    assert stored.reference in view.letter_dialog.windowTitle()
    view.letter_dialog.reject()
    # The next person's report begins: the banner about the last one goes (issue 13).
    form.field("reporter_name").setFocus()
    qtbot.keyClicks(form.field("reporter_name"), "N")
    assert not page.result_bar.isVisible()


def test_a_bad_postcode_is_explained_and_every_field_is_kept(qtbot, make_station, live_server):
    _shell, _view, form = signed_in_view(qtbot, make_station)
    before = count_incidents(live_server)
    fill_by_keyboard(qtbot, form, postcode="QQ1 1AA")
    typed: dict[str, Any] = form.values()
    form.submitted.emit()
    error = form.findChild(type(form.message), "location_postcodeError")
    assert error.isVisible() or not error.isHidden()
    assert "not a UK postcode format" in error.text()
    assert form.values() == typed
    assert form.focusWidget() is form.field("location_postcode")
    assert count_incidents(live_server) == before


def test_offline_reports_are_queued_then_each_sent_exactly_once(qtbot, make_station, live_server):
    shell, view, form = signed_in_view(qtbot, make_station)
    view.outbox_sender.set_backoff(200, 1000)
    before = count_incidents(live_server)
    live_server.stop()
    page = view.new_report
    for n in range(1, 4):
        fill_by_keyboard(qtbot, form, name=f"Offline Person {n}")
        form.submitted.emit()
        qtbot.waitUntil(lambda n=n: f"({n} waiting)" in page.result.text(), timeout=WAIT)
        assert "The core system can't be reached. Your report is saved" in page.result.text()
    qtbot.waitUntil(
        lambda: shell.window.status.connection_label.text() == "Offline — 3 waiting to send",
        timeout=WAIT,
    )
    live_server.start()
    qtbot.waitUntil(lambda: view.outbox_sender.waiting == 0, timeout=WAIT)
    assert count_incidents(live_server) == before + 3
    # The banner no longer says a report waits (issue 13): it says where it went.
    qtbot.waitUntil(lambda: "took the report" in page.result.text(), timeout=WAIT)
    assert "waiting" not in page.result.text()
    assert shell.window.status.connection_label.text() == "Online"
    with live_server.db_session() as session:
        names = session.scalars(
            select(Incident.victim_name).order_by(Incident.id.desc()).limit(3)
        ).all()
    assert names == ["Offline Person 3", "Offline Person 2", "Offline Person 1"]  # in order
    assert shell.window.status.connection is Connection.ONLINE


def test_a_problem_only_the_server_finds_is_shown_on_its_field(qtbot, make_station, live_server):
    _shell, _view, form = signed_in_view(qtbot, make_station)
    fill_by_keyboard(qtbot, form)
    typed = form.values()
    # Meanwhile the force withdraws that offence code from the offence list.
    withdraw_offence(live_server, "DMTH003")
    form.submitted.emit()
    error = form.findChild(type(form.message), "offenceError")
    qtbot.waitUntil(lambda: "not in the offence list" in error.text(), timeout=WAIT)
    assert not error.isHidden()
    assert form.values() == typed  # nothing typed is lost
    assert form.submit_button.isEnabled()


def test_quitting_with_a_report_waiting_asks_first(qtbot, make_station, live_server):
    """Issue 12 #2: quitting with reports waiting gave no warning."""
    shell, view, form = signed_in_view(qtbot, make_station)
    live_server.stop()
    fill_by_keyboard(qtbot, form, name="Waiting Person")
    form.submitted.emit()
    qtbot.waitUntil(lambda: "(1 waiting)" in view.new_report.result.text(), timeout=WAIT)
    window = shell.window

    window.close()
    qtbot.waitUntil(lambda: window.quit_question is not None, timeout=WAIT)
    question = window.quit_question
    assert "1 report is waiting to be sent" in question.text()
    assert window.isVisible()
    question.escapeButton().click()  # "Keep Station open"
    assert window.isVisible() and window.quit_question is None

    window.close()
    qtbot.waitUntil(lambda: window.quit_question is not None, timeout=WAIT)
    quit_anyway = next(
        b for b in window.quit_question.buttons() if "Quit anyway" in b.text().replace("&", "")
    )
    quit_anyway.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT)
    live_server.start()
