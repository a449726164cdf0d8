""" "Known person?" on its own in a form, against the real server: one search per pause in
typing (counted by the server), an answer to an older question never shown over a newer
one, Tab never stopping in the matches, a failed search worded for the officer, and the
picked person kept in the form's value and read back from a draft."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from station_app.services.api import ApiSession
from station_app.services.people import PeopleClient
from station_app.ui.forms import StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.runner import OperationRunner
from tests.fixtures.people import import_index

WAIT = 10_000
SEARCH = "/api/v1/people/search"


@pytest.fixture
def form(qtbot, live_server, tmp_path):
    ids = import_index(live_server, tmp_path)
    session = ApiSession(live_server.url, workstation="test-ws")
    session.token = live_server.token_for("frontdesk")
    runner = OperationRunner()
    form = StationForm("A person", "Save")
    form.add_field("name", "&Name", QLineEdit())
    form.add_field("dob", "Date of &birth", QLineEdit())
    panel = KnownPersonPanel()
    form.add_field("person", "Known person?", panel)
    form.add_field("phone", "Phone", QLineEdit())
    panel.bind(runner, PeopleClient(session))
    panel.watch(
        PersonFields(name=form.field("name"), date_of_birth=form.field("dob")),
        then=form.field("phone"),
    )
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    live_server.faults.clear()
    yield form, panel, ids, live_server
    runner.wait_for_done()
    runner.shutdown()
    session.close()


def test_typing_a_name_asks_once_per_pause_and_tab_moves_on(qtbot, form):
    form, panel, ids, server = form
    name = form.field("name")
    name.setFocus()
    qtbot.keyClicks(name, "Margaret Marsh")  # 14 keystrokes, no pause
    qtbot.waitUntil(lambda: bool(panel.candidates), timeout=WAIT)
    assert server.faults.count("POST", SEARCH) == 1
    assert panel.candidates[0].person_id == ids["T-13"]
    assert "like this. Down to choose, Enter to fill the details" in panel.status.text()
    # Tab goes on to the next field: the matches are reached by Down, not by Tab.
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert form.field("dob").hasFocus()
    qtbot.keyClick(form.field("dob"), Qt.Key.Key_Tab)
    assert form.field("phone").hasFocus()
    # Up on the first match goes back to typing, as Esc does.
    form.field("dob").setFocus()
    qtbot.keyClick(form.field("dob"), Qt.Key.Key_Down)
    assert panel.matches.hasFocus()
    qtbot.keyClick(panel.matches, Qt.Key.Key_Up)
    assert name.hasFocus()  # the field last typed in


def test_an_older_answer_is_never_shown_over_a_newer_one(qtbot, form):
    form, panel, ids, server = form
    name = form.field("name")
    name.setFocus()
    server.faults.lose_answers("POST", SEARCH, count=1, hold_seconds=2.0)
    qtbot.keyClicks(name, "Thomas Lowe")
    qtbot.waitUntil(lambda: server.faults.count("POST", SEARCH) == 1, timeout=WAIT)
    name.selectAll()
    qtbot.keyClicks(name, "Peter Marsh")  # typed on while the first answer is held
    qtbot.waitUntil(
        lambda: bool(panel.candidates) and panel.candidates[0].person_id == ids["T-14"],
        timeout=WAIT,
    )
    # The held answer (Thomas Lowe) arrives after the newer one: it is dropped.
    qtbot.wait(2500)
    assert panel.candidates[0].person_id == ids["T-14"]
    assert ids["T-08"] not in [candidate.person_id for candidate in panel.candidates]
    assert "LOWE, Thomas" not in panel.matches.model().index(0, 0).data()


def test_a_failed_search_is_worded_and_typing_goes_on(qtbot, form):
    form, panel, _ids, server = form
    name = form.field("name")
    name.setFocus()
    server.faults.break_next("POST", SEARCH)
    qtbot.keyClicks(name, "Piotr Kowalski")
    qtbot.waitUntil(lambda: "a new person will be recorded" in panel.status.text(), timeout=WAIT)
    assert "Traceback" not in panel.status.text() and "500" not in panel.status.text()
    assert not panel.matches.isVisible()
    qtbot.keyClicks(name, " ")  # the next pause asks again
    qtbot.waitUntil(lambda: bool(panel.candidates), timeout=WAIT)


def test_the_picked_person_is_the_forms_value_and_comes_back_from_a_draft(qtbot, form):
    form, panel, ids, _server = form
    name = form.field("name")
    name.setFocus()
    qtbot.keyClicks(name, "Imogen Fairweather-Lowe")
    qtbot.waitUntil(lambda: bool(panel.candidates), timeout=WAIT)
    qtbot.keyClick(name, Qt.Key.Key_Down)
    with qtbot.waitSignal(form.edited, timeout=WAIT):
        qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    assert form.field("dob").text() == "29/09/1986"
    assert form.field("phone").hasFocus()  # typed once: on to what is not known
    saved = form.values()
    assert saved["person"]["person_id"] == ids["T-07"]

    form.set_values({"name": "", "dob": "", "person": None})
    assert panel.person_id is None and not panel.unlink_button.isVisible()
    form.set_values(saved)  # a draft read back: linked again, without asking
    assert panel.person_id == ids["T-07"]
    assert panel.status.text() == (
        f"Known person {ids['T-07']}: FAIRWEATHER-LOWE, Imogen, born 29/09/1986: this record "
        "is linked to them."
    )
