"""Issue 11 on the Custody tab against the real server: answering bail offered at booking in
(PACE s.47(6)), appears under 18 (Code C 1.5), F8 only for what the level allows and the
visit form asking for rousing (Code C 9.3, Annex H), and a detainee who could not be roused
at the top of the board at once."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from station_app.views.custody.board_model import BoardModel
from station_app.views.custody.dialogs import ActionDialog, BookingForm
from tests.fixtures.board_rows import NOW, row
from tests.fixtures.custody import Client, bailed
from tests.fixtures.station import pick_from_type_ahead
from tests.fixtures.tabs import column_texts, custody_tab

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
PERSON = {"surname": "Quayside", "forenames": "Bryony", "date_of_birth": "1979-11-02"}


def test_could_not_be_roused_tops_the_board_as_an_emergency_not_a_visit_in_an_hour(qtbot):
    model = BoardModel()
    roused_at = NOW - 2 * M
    emergency = dataclasses.replace(
        row(9, visit_in=58),
        not_rousable=True,
        not_rousable_at=roused_at,
        emergency_action="ambulance_called",
    )
    model.set_rows([row(1, -30), row(2, 10), emergency], NOW)
    assert model.row_at(0).record_id == 9  # before a visit 30 minutes overdue
    assert model.index(0, 6).data() == "NOW: could not be roused"
    status = model.index(0, 8).data()
    assert status.startswith("EMERGENCY") and "ambulance called" in status
    assert "Annex H" in status


def test_appears_under_18_is_a_juvenile_needing_an_appropriate_adult_on_the_board(qtbot):
    model = BoardModel()
    young = dataclasses.replace(row(4, 30), date_of_birth=None, appears_under_18=True)
    model.set_rows([young], NOW)
    assert "Juvenile" in model.index(0, 2).data() and "Code C 1.5" in model.index(0, 2).data()
    assert "Appropriate adult needed" in model.index(0, 10).data()


def test_answering_bail_is_offered_with_the_time_used_and_booked_with_it(
    qtbot, make_station, live_server
):
    sergeant = Client(live_server, "custody")
    earlier = bailed(sergeant, PERSON, used_hours=9)
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    form = view.current_dialog.findChild(BookingForm)
    qtbot.keyClicks(form.field("surname"), PERSON["surname"])
    qtbot.keyClicks(form.field("forenames"), PERSON["forenames"])
    qtbot.keyClicks(form.field("date_of_birth"), "02/11/1979")
    pick_from_type_ahead(qtbot, form.offence, "robbery")
    qtbot.waitUntil(lambda: form.offence.current_entry is not None)

    form.field("answering_bail").setChecked(True)
    bail = form.field("bail_record")
    assert isinstance(bail, QComboBox)
    qtbot.waitUntil(lambda: bail.count() > 1, timeout=10_000)
    assert bail.currentData() == earlier["custody_number"]
    assert "9 h 00 min already used" in bail.currentText()
    assert "s.47(6)" in form.message.text()

    form.submitted.emit()
    qtbot.waitUntil(
        lambda: (
            view.panel.record is not None
            and view.panel.record.board.answering_bail_from == earlier["custody_number"]
        ),
        timeout=15_000,
    )
    board = view.panel.record.board
    assert board.detained_before == 9 * H
    assert board.detention_limit == board.relevant_time + 15 * H
    assert "s.47(6)" in view.panel.heading.text()
    # The board says so too, in the detainee's row.
    model = view.board_model

    def flags() -> list[str]:
        return [str(model.index(n, 10).data() or "") for n in range(model.rowCount())]

    qtbot.waitUntil(
        lambda: any("Answering bail: 9 h 00 min used (s.47(6))" in f for f in flags()),
        timeout=15_000,
    )


def test_appears_under_18_is_offered_only_without_a_date_of_birth(qtbot, make_station):
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    form = view.current_dialog.findChild(BookingForm)
    under_18 = form.field("appears_under_18")
    qtbot.keyClicks(form.field("surname"), "Youngman")
    qtbot.keyClicks(form.field("forenames"), "Kit")
    under_18.setChecked(True)
    pick_from_type_ahead(qtbot, form.offence, "robbery")
    qtbot.waitUntil(lambda: form.offence.current_entry is not None)
    booking, problems = form.booking()
    assert not problems and booking["person"]["appears_under_18"] is True
    qtbot.keyClicks(form.field("date_of_birth"), "01/01/1990")
    assert not under_18.isEnabled() and not under_18.isChecked()
    assert "appears_under_18" not in form.booking()[0]["person"]
    form.field("date_of_birth").clear()
    assert under_18.isEnabled()
    form.field("answering_bail").setChecked(True)  # no bail found for Kit: it must be chosen
    assert "bail_record" in form.booking()[1]


def _open(qtbot, view, cell: str) -> None:
    model = view.board_model
    position = next(i for i in range(model.rowCount()) if model.row_at(i).cell == cell)
    view.board.selectRow(position)
    qtbot.waitUntil(
        lambda: view.panel.record is not None and view.panel.record.board.cell == cell,
        timeout=10_000,
    )


def test_f8_records_no_concerns_only_at_level_1_and_asks_for_rousing_at_level_2(
    qtbot, make_station
):
    shell, view = custody_tab(qtbot, make_station)
    # SW-C01 is level 2 in the demo (intoxicated): F8 opens the visit form, nothing recorded.
    _open(qtbot, view, "SW-C01")
    before = len(view.panel.record.entries)
    view.record_routine_visit()
    dialog = view.current_dialog
    assert isinstance(dialog, ActionDialog) and dialog.spec.kind == "visit"
    response = dialog.form.field("response")
    assert isinstance(response, QComboBox) and response.currentData() is None  # never assumed
    assert "rouse" in shell.window.status.alert_label.text() or "rouse" in view.alert.text()
    assert len(view.panel.record.entries) == before
    action = dialog.form.field("action_taken")
    assert not action.isEnabled()
    response.setCurrentIndex(response.findData("none"))
    assert action.isEnabled() and "Annex H" in dialog.form.message.text()
    dialog.reject()

    # SW-C02 is level 1: one key records "visited, no concerns".
    _open(qtbot, view, "SW-C02")
    before = len(view.panel.record.entries)
    view.record_routine_visit()
    qtbot.waitUntil(lambda: len(view.panel.record.entries) == before + 1, timeout=10_000)
    visit = view.panel.record.entries[-1]
    assert visit.kind == "visit" and visit.data == {"response": "not_roused"}
    assert "no concerns" in visit.summary.lower()


def test_could_not_be_roused_from_the_visit_form_puts_the_detainee_first_on_the_board(
    qtbot, make_station
):
    _shell, view = custody_tab(qtbot, make_station)
    _open(qtbot, view, "SW-C04")
    view.open_action("visit")
    dialog = view.current_dialog
    response = dialog.form.field("response")
    response.setCurrentIndex(response.findData("none"))
    dialog.form.submitted.emit()  # no response taken yet: refused with the rule
    qtbot.waitUntil(lambda: "emergency" in dialog.form.message.text(), timeout=10_000)
    action = dialog.form.field("action_taken")
    action.setCurrentIndex(action.findData("healthcare_called"))
    dialog.form.submitted.emit()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: column_texts(view.board_model, 8)[0].startswith("EMERGENCY"), timeout=20_000
    )
    assert view.board_model.row_at(0).cell == "SW-C04"
    assert view.board_model.index(0, 6).data(Qt.ItemDataRole.DisplayRole).startswith("NOW")


def test_an_inspector_sees_the_suites_compliance_from_the_custody_tab(qtbot, make_station):
    _shell, view = custody_tab(qtbot, make_station, "inspector")
    assert view.compliance_button.isVisible()
    assert "Compliance of this custody suite" in [a.name for a in view.tab_actions()]
    view.open_compliance()
    dialog = view.current_dialog
    qtbot.waitUntil(lambda: "records replayed" in dialog.summary.text(), timeout=15_000)
    model = dialog.model
    assert model.rowCount() > 0
    whats = column_texts(model, 2)
    assert "Visit missed" in whats or "Visit late" in whats
    rules = column_texts(model, 4)
    assert any("Annex H" in rule for rule in rules)
    # Enter on a row opens that detainee's record over the board.
    number = model.index(0, 0).data()
    dialog.table.activated.emit(model.index(0, 0))
    qtbot.waitUntil(
        lambda: view.panel.record is not None and view.panel.record.custody_number == number,
        timeout=10_000,
    )
    assert view.record_shown and not dialog.isVisible()


def test_a_custody_officer_has_no_compliance_list(qtbot, make_station):
    _shell, view = custody_tab(qtbot, make_station)
    assert not view.compliance_button.isVisible()
    assert "Compliance of this custody suite" not in [a.name for a in view.tab_actions()]


def test_an_entry_at_a_time_that_happened_twice_asks_which_and_one_that_never_did_is_refused(
    qtbot,
):
    from station_app.domain.custody_rules import EVENT_TYPES
    from station_app.views.custody.text import to_qdatetime

    now = dt.datetime(2026, 10, 25, 3, 0, tzinfo=dt.UTC)
    dialog = ActionDialog(EVENT_TYPES["meal"], now, on_submit=lambda _d: None)
    qtbot.addWidget(dialog)
    form = dialog.form
    assert not form.field_visible("occurred_at_which")  # 03:00 GMT happens once
    twice = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)  # 01:30 BST, the first 01:30
    dialog.time_edit.setDateTime(to_qdatetime(twice))
    assert form.field_visible("occurred_at_which")
    problems = dialog.time_problems()
    assert "happened twice" in problems["occurred_at_which"]
    which = form.field("occurred_at_which")
    which.setCurrentIndex(which.findData(2))  # the second: GMT
    assert dialog.time_problems() == {}
    assert dialog.occurred_at() == dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)

    from PySide6.QtCore import QDate, QDateTime, QTime

    dialog.time_edit.setDateTime(QDateTime(QDate(2026, 3, 29), QTime(1, 30)))
    assert not form.field_visible("occurred_at_which")
    assert "did not happen" in dialog.time_problems()["occurred_at"]


def test_booking_in_asks_about_an_arrival_in_the_hour_that_happened_twice(qtbot):
    from PySide6.QtCore import QDate, QDateTime, QTime

    form = BookingForm(dt.datetime(2026, 10, 25, 3, 0, tzinfo=dt.UTC))
    qtbot.addWidget(form)
    form.field("arrived_at").setDateTime(QDateTime(QDate(2026, 10, 25), QTime(1, 30)))
    form.field("arrested_at").setDateTime(QDateTime(QDate(2026, 3, 29), QTime(1, 10)))
    _booking, problems = form.booking()
    assert "happened twice" in problems["arrived_at_which"]
    assert "did not happen" in problems["arrested_at"]
    form.field("arrived_at_which").setCurrentIndex(1)  # the first: BST
    form.field("arrested_at").setDateTime(QDateTime(QDate(2026, 10, 24), QTime(23, 50)))
    booking, problems = form.booking()
    assert "arrived_at_which" not in problems and "arrested_at" not in problems
    assert booking["arrived_at"] == "2026-10-25T00:30:00+00:00"


def test_picking_a_known_person_on_bail_offers_the_bail_they_answer(
    qtbot, make_station, live_server
):
    sergeant = Client(live_server, "custody")
    person = {"surname": "Ottersley", "forenames": "Wren", "date_of_birth": "1985-02-14"}
    record = bailed(sergeant, person, used_hours=6)

    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    form = view.current_dialog.findChild(BookingForm)
    # The one person search at booking in is "known person?" (the people index).
    panel = form.known_person
    surname, forenames = form.field("surname"), form.field("forenames")
    qtbot.keyClicks(surname, "Ottersley")
    qtbot.keyClicks(forenames, "Wren")
    qtbot.waitUntil(lambda: bool(panel.candidates) and panel.matches.isVisible(), timeout=10_000)
    qtbot.keyClick(forenames, Qt.Key.Key_Down)
    qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.person_id is not None, timeout=10_000)
    qtbot.waitUntil(
        lambda: "released this person on pre-charge bail" in form.message.text(), timeout=10_000
    )
    assert record["custody_number"] in form.message.text()
    assert "6 h 00 min" in form.message.text()
    form.field("answering_bail").setChecked(True)
    bail_record = form.field("bail_record")
    qtbot.waitUntil(lambda: bail_record.currentData() == record["custody_number"])


def test_the_alert_line_names_a_detainee_who_could_not_be_roused_first(qtbot):
    from PySide6.QtWidgets import QLabel

    from station_app.views.custody.alerts import DeadlineAlerts

    line = QLabel()
    qtbot.addWidget(line)
    said: list[tuple[str, str]] = []
    alerts = DeadlineAlerts(line, lambda text, state: said.append((text, state)))
    emergency = dataclasses.replace(
        row(9, visit_in=58, cell="SW-C09"), not_rousable=True, not_rousable_at=NOW - M
    )
    alerts.check([row(1, -30), emergency], NOW)
    assert line.text().startswith("Overdue: EMERGENCY: SW-C09")
    assert "could not be roused (Code C Annex H)" in line.text()
    assert said and said[-1][1] == "overdue"


def test_arresting_a_reports_suspect_on_bail_offers_the_bail_they_answer(
    qtbot, make_station, live_server
):
    """Arrest and book in (issue 10) pre-fills the suspect; a suspect a record released on
    pre-charge bail is offered that bail as if picked at booking in (PACE s.47(6))."""
    from station_app.domain.journey import ArrestFromReport

    sergeant = Client(live_server, "custody")
    person = {"surname": "Hollowell", "forenames": "Jem", "date_of_birth": "1990-03-09"}
    record = bailed(sergeant, person, used_hours=4)
    arrest = ArrestFromReport(
        incident_reference="SW-2026-0000001",
        surname="Hollowell",
        forenames="Jem",
        date_of_birth=dt.date(1990, 3, 9),
        address="",
        postcode="",
        person_id=None,
        offence_code="",
        offence_label="",
        place="",
        circumstances="",
    )
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking(arrest)
    form = view.current_dialog.findChild(BookingForm)
    qtbot.waitUntil(
        lambda: "released this person on pre-charge bail" in form.message.text(), timeout=10_000
    )
    assert record["custody_number"] in form.message.text()
    assert "From crime report SW-2026-0000001" in form.message.text()
    assert "4 h 00 min" in form.message.text()
