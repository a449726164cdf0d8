"""The Custody tab against the real server: the live board, urgency, refresh in place,
actions disabled with the rule, one-key visits, booking in and the printed forms."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from station_app.views.custody.board_model import STATE_ROLE, BoardModel
from station_app.views.custody.dialogs import BookingForm
from station_app.views.custody.text import countdown_text
from station_app.views.custody.view import CustodyView
from tests.fixtures.board_rows import NOW, M, row
from tests.fixtures.station import open_tab, pick_from_type_ahead
from tests.fixtures.tabs import column_texts, custody_tab


def test_countdown_words() -> None:
    assert countdown_text(NOW + 25 * M, NOW) == "in 25 min"
    assert countdown_text(NOW - 5 * M, NOW) == "overdue 5 min"
    assert countdown_text(NOW + 185 * M, NOW) == "in 3 h 05 min"


def test_typed_times_are_london_wall_clock_times_across_the_clock_change() -> None:
    from station_app.views.custody.text import from_qdatetime, to_qdatetime, zone_name

    summer = dt.datetime(2026, 10, 24, 20, 0, tzinfo=dt.UTC)  # 21:00 BST
    shown = to_qdatetime(summer)
    assert (shown.time().hour(), shown.time().minute()) == (21, 0)
    assert from_qdatetime(shown) == summer and zone_name(summer) == "BST"
    winter = dt.datetime(2026, 10, 25, 20, 0, tzinfo=dt.UTC)  # 20:00 GMT
    assert to_qdatetime(winter).time().hour() == 20 and zone_name(winter) == "GMT"
    assert from_qdatetime(to_qdatetime(winter)) == winter
    # 24 h after 21:00 BST on Saturday is 20:00 GMT on Sunday on the wall clock.
    assert countdown_text(summer + 24 * 60 * M, summer) == "in 24 h 00 min"


def test_the_model_sorts_by_urgency_colours_and_keeps_selection(qtbot) -> None:
    from PySide6.QtCore import QItemSelectionModel
    from PySide6.QtWidgets import QTableView

    model = BoardModel()
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(model)
    model.set_rows([row(1, 50), row(2, 20), row(3, -5)], NOW)
    assert [model.row_at(i).record_id for i in range(3)] == [3, 2, 1]
    assert model.index(0, 6).data() == "overdue 5 min"
    assert model.index(0, 8).data().startswith("Overdue")
    assert model.index(0, 6).data(STATE_ROLE) == "overdue"
    assert model.index(1, 6).data(STATE_ROLE) == "soon"
    assert model.index(2, 6).data(STATE_ROLE) == "ok"

    table.selectionModel().setCurrentIndex(
        model.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append("reset"))
    # Record 1's visit becomes the most urgent: it moves to the top, still selected.
    model.set_rows([row(1, -30), row(2, 20), row(3, -5), row(4, 200)], NOW)
    assert [model.row_at(i).record_id for i in range(4)] == [1, 3, 2, 4]
    assert table.currentIndex().row() == 0 and model.row_at(0).record_id == 1
    assert resets == []  # updated in place, never reset
    model.set_rows([row(2, 20)], NOW)
    assert model.rowCount() == 1


def test_the_board_shows_the_station_and_the_overdue_visit(qtbot, reading_station) -> None:
    shell = reading_station("custody")
    view = open_tab(qtbot, shell, "Custody", CustodyView)
    qtbot.waitUntil(lambda: view.board_model.rowCount() >= 3, timeout=15_000)
    model = view.board_model
    names = column_texts(model, 1)
    assert "OKONKWO-BRIGHT, Tamsin" in names and "QUILLFEATHER, Rowan" not in names  # KN
    statuses = column_texts(model, 8)
    assert statuses[0].startswith("Overdue")  # most urgent first
    assert any(text.startswith("overdue") for text in column_texts(model, 6))
    assert "Juvenile" in " ".join(column_texts(model, 2))
    alert = shell.window.status.alert_label
    qtbot.waitUntil(lambda: "overdue" in alert.text())
    assert alert.isVisibleTo(shell.window.status)


def test_actions_are_disabled_with_the_rule_and_f8_records_a_visit(qtbot, make_station) -> None:
    shell, view = custody_tab(qtbot, make_station)
    # SW-C02 is at level 1: the one level where F8 alone records a visit (Code C Annex H).
    position = next(
        i for i in range(view.board_model.rowCount()) if view.board_model.row_at(i).cell == "SW-C02"
    )
    view.board.selectRow(position)
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=10_000)
    review = view.panel.action_buttons["review"]
    assert not review.isEnabled() and "PACE s.40(1)(b)" in review.toolTip()
    assert view.panel.action_buttons["visit"].isEnabled()
    assert not view.panel.action_buttons["extension"].isEnabled()
    before = len(view.panel.record.entries)

    view.board.setFocus()
    shell.window.activateWindow()  # a window shortcut: F8 needs the window active
    qtbot.waitUntil(shell.window.isActiveWindow)
    qtbot.keyClick(view.board, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: len(view.panel.record.entries) == before + 1, timeout=10_000)
    visit = view.panel.record.entries[-1]
    assert visit.kind == "visit"
    assert abs(visit.occurred_at - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=30)


def test_booking_in_through_the_form(qtbot, make_station) -> None:
    shell, view = custody_tab(qtbot, make_station)
    qtbot.waitUntil(lambda: "synced" in shell.window.status.sync_label.text(), timeout=15_000)
    count = view.board_model.rowCount()
    view.open_booking()
    dialog = view.current_dialog
    form = dialog.findChild(BookingForm)
    qtbot.keyClicks(form.field("surname"), "Typeahead")
    qtbot.keyClicks(form.field("forenames"), "Tess")
    qtbot.keyClicks(form.field("date_of_birth"), "02/03/1999")
    # The type-ahead index is built from the cache on a worker, again after each sync.
    pick_from_type_ahead(qtbot, form.offence, "robbery")
    qtbot.waitUntil(lambda: form.offence.current_entry is not None)
    form.submitted.emit()
    qtbot.waitUntil(lambda: view.board_model.rowCount() == count + 1, timeout=10_000)
    assert "TYPEAHEAD, Tess" in column_texts(view.board_model, 1)
    assert view.panel.record is not None and view.panel.record.board.name == "TYPEAHEAD, Tess"


def test_a_form_opens_in_the_preview(qtbot, make_station) -> None:
    _shell, view = custody_tab(qtbot, make_station)
    view.board.selectRow(0)
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=10_000)
    view.panel.preview_button.click()

    def shown() -> str:
        return view.current_dialog.objectName() if view.current_dialog is not None else ""

    qtbot.waitUntil(lambda: shown() == "custodyPreview_record", timeout=10_000)
    assert view.current_dialog.document.pageCount() >= 1
    view.current_dialog.reject()
    view.panel.print_all_button.click()
    qtbot.waitUntil(lambda: shown() == "custodyPreview_all", timeout=10_000)
    assert not view.panel.print_progress.isVisible()
    view.current_dialog.reject()


def test_a_deadline_falling_due_raises_a_status_bar_alert(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    from station_app.ui.main_window import MainWindow
    from station_app.views.custody.alerts import DeadlineAlerts

    window = MainWindow()
    qtbot.addWidget(window)
    line = QLabel()
    window.setCentralWidget(line)
    alerts = DeadlineAlerts(line, window.status.show_alert)
    status = window.status.alert_label
    rows = [row(1, 10, cell="SW-C03")]
    alerts.check(rows, NOW)  # first look: nothing overdue
    assert status.text() == "" and line.text() == ""
    alerts.check(rows, NOW + 11 * M)  # the visit falls due
    assert "Visit overdue: SW-C03 ROW, 1" in status.text()
    assert line.text().startswith("Overdue:")
    window.status.clear_alert()
    alerts.check(rows, NOW + 12 * M)  # still overdue: no new alert
    assert status.text() == ""


def test_the_board_fills_the_tab_and_a_record_opens_over_it(qtbot, reading_station) -> None:
    """Issue 13: the board is the whiteboard; Enter opens the record over it, Esc goes back,
    and every entry the officer may make is in the palette (Ctrl+K "rev")."""
    shell = reading_station("inspector")
    view = open_tab(qtbot, shell, "Custody", CustodyView)
    view.show_board()
    qtbot.waitUntil(lambda: view.board_model.rowCount() > 0, timeout=15_000)
    assert view.board.isVisible() and not view.panel.isVisible()
    window = shell.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.board.setFocus()
    view.board.selectRow(0)
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=10_000)
    qtbot.keyClick(view.board, Qt.Key.Key_Return)
    assert view.record_shown and view.panel.isVisible() and not view.board.isVisible()

    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.command_palette is not None)
    qtbot.keyClicks(window.command_palette.search, "rev")
    assert window.command_palette.shown_names()[0] == "Review detention"
    qtbot.keyClick(window.command_palette.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.current_dialog is not None and view.current_dialog.isVisible())
    assert view.current_dialog.objectName() == "action_review"
    view.current_dialog.reject()

    qtbot.keyClick(view.panel.timeline, Qt.Key.Key_Escape)
    assert not view.record_shown and view.board.isVisible()


def test_an_entry_recorded_again_after_a_failure_goes_with_the_same_key(
    qtbot, make_station, live_server
) -> None:
    """Entries are append-only: one recorded twice after a lost answer would stay twice."""
    from station_app.domain.wire import API_PREFIX

    _shell, view = custody_tab(qtbot, make_station)
    view.board.selectRow(0)
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=10_000)
    record = view.panel.record
    entries = f"{API_PREFIX}/custody/records/{record.id}/events"
    live_server.faults.break_next("POST", entries)

    view.open_action("meal")
    dialog = view.current_dialog
    dialog.form.submitted.emit()
    qtbot.waitUntil(lambda: bool(dialog.form.message.text()), timeout=10_000)
    dialog.form.submitted.emit()  # the officer records it again
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    view.open_action("meal")  # another meal later: an entry of its own
    view.current_dialog.form.submitted.emit()
    qtbot.waitUntil(lambda: len(live_server.faults.keys_sent("POST", entries)) == 3)

    first, again, other = live_server.faults.keys_sent("POST", entries)
    assert first is not None and first == again and other not in (None, first)
