"""Booking in against the real server: a returning detainee picked from the person search
(keyboard only), and a half-typed booking kept as a draft, offered back, and gone once
the booking is accepted."""

from __future__ import annotations

import datetime as dt

import requests
from PySide6.QtCore import Qt

from station_app.views.custody.booking import DRAFT_KIND
from station_app.views.custody.dialogs import BookingForm
from tests.fixtures.custody import Client, booked
from tests.fixtures.station import pick_from_type_ahead
from tests.fixtures.tabs import column_texts, custody_tab

H = dt.timedelta(hours=1)


def pick_offence(qtbot, form: BookingForm, words: str) -> None:
    pick_from_type_ahead(qtbot, form.offence, words)
    qtbot.waitUntil(lambda: form.offence.current_entry is not None)


def test_a_returning_detainee_is_booked_in_by_picking_them(qtbot, make_station, live_server):
    sergeant = Client(live_server, "custody")
    earlier = booked(
        sergeant,
        5 * H,
        person={
            "surname": "Wrenfield",
            "forenames": "Ada May",
            "date_of_birth": "1984-04-14",
            "address": "7 Kiln Lane, Southwark",
            "postcode": "SE1 9ZZ",
            "pnc_id": "84/123456X",
        },
    )
    _shell, view = custody_tab(qtbot, make_station)
    count = view.board_model.rowCount()
    view.open_booking()
    form = view.current_dialog.findChild(BookingForm)
    search = form.person_search
    popup = search.popup()
    search.setFocus()

    # Esc puts back what was there (nothing) and closes the matches.
    qtbot.keyClicks(search, "wren")
    qtbot.waitUntil(search.popup_visible, timeout=10_000)
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert search.text() == "" and not search.popup_visible()

    # Name words in any order with the date of birth; Down, Enter picks.
    qtbot.keyClicks(search, "ada wrenf 14/04/1984")
    qtbot.waitUntil(search.popup_visible, timeout=10_000)
    assert [entry.code for entry in search.matches()] == [earlier["custody_number"]]
    assert "born 14/04/1984" in search.matches()[0].label
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.field("surname").text() == "Wrenfield")
    values = form.values()
    assert (values["forenames"], values["date_of_birth"]) == ("Ada May", "14/04/1984")
    assert (values["postcode"], values["pnc_id"]) == ("SE1 9ZZ", "84/123456X")
    assert earlier["custody_number"] in form.message.text()

    # Every field stays editable: the address has changed since last time.
    address = form.field("address")
    address.selectAll()
    qtbot.keyClicks(address, "9 Tanner Street, Southwark")
    pick_offence(qtbot, form, "robbery")
    form.submitted.emit()
    qtbot.waitUntil(lambda: view.board_model.rowCount() == count + 1, timeout=15_000)
    assert "WRENFIELD, Ada May" in column_texts(view.board_model, 1)
    record = view.panel.record
    assert record is not None and record.custody_number != earlier["custody_number"]
    person = record.booking()["person"]
    assert person["address"] == "9 Tanner Street, Southwark" and person["pnc_id"] == "84/123456X"

    # The next search finds the same person once, with the new details and record.
    found = requests.get(
        sergeant.url("/people"), params={"q": "wrenfield"}, headers=sergeant.headers, timeout=10
    ).json()["people"]
    assert len(found) == 1 and found[0]["bookings"] == 2
    assert found[0]["last_custody_number"] == record.custody_number
    assert found[0]["address"] == "9 Tanner Street, Southwark"

    # Enter straight after typing, before the matches have come: the best one is taken.
    view.open_booking()
    form = view.booking.form
    form.person_search.setFocus()
    qtbot.keyClicks(form.person_search, "wrenfield")
    qtbot.keyClick(form.person_search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.field("address").text() == "9 Tanner Street, Southwark")


def test_a_half_typed_booking_is_offered_back_and_goes_once_booked(qtbot, make_station):
    shell, view = custody_tab(qtbot, make_station)
    drafts = view.drafts
    assert drafts is not None and drafts.drafts(DRAFT_KIND) == []
    view.open_booking()
    first = view.booking
    form = first.form
    qtbot.keyClicks(form.field("surname"), "Draftley")
    qtbot.keyClicks(form.field("forenames"), "Dee")
    qtbot.keyClicks(form.field("date_of_birth"), "05/06/2001")
    qtbot.waitUntil(lambda: len(drafts.drafts(DRAFT_KIND)) == 1, timeout=10_000)
    (saved,) = drafts.drafts(DRAFT_KIND)
    assert saved.title == "Booking in DRAFTLEY, Dee" and saved.fields["surname"] == "Draftley"
    arrived = form.values()["arrived_at"]
    first.dialog.hide()  # Station gone without closing the form (a crash, a power cut)

    view.open_booking()
    flow = view.booking
    assert flow is not first
    qtbot.waitUntil(flow.restore_bar.isVisible, timeout=10_000)
    assert "DRAFTLEY, Dee" in flow.restore_text.text()
    qtbot.mouseClick(flow.restore_button, Qt.MouseButton.LeftButton)
    form = flow.form
    assert (form.field("surname").text(), form.field("date_of_birth").text()) == (
        "Draftley",
        "05/06/2001",
    )
    assert form.values()["arrived_at"] == arrived and not flow.restore_bar.isVisible()
    assert flow.autosave.draft_id == saved.draft_id

    pick_offence(qtbot, form, "robbery")
    form.submitted.emit()
    qtbot.waitUntil(lambda: "DRAFTLEY, Dee" in column_texts(view.board_model, 1), timeout=15_000)
    qtbot.waitUntil(lambda: drafts.drafts(DRAFT_KIND) == [], timeout=10_000)

    # The next booking offers nothing back.
    with qtbot.waitSignal(
        shell.runner.operation_finished,
        check_params_cb=lambda name: name == "draft.list.booking_in",
        timeout=10_000,
    ):
        view.open_booking()
    assert not view.booking.restore_bar.isVisible() and view.booking.restore_text.text() == ""


def test_f8_after_booking_in_visits_the_detainee_just_booked_and_says_who(
    qtbot, make_station, live_server
):
    """Issue 12 #1: the board's old selection must not take the visit meant for the record
    on screen."""
    shell, view = custody_tab(qtbot, make_station)
    view.board.selectRow(0)
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=10_000)
    earlier = view.panel.record
    view.open_booking()
    form = view.booking.form
    # QTest types Latin-1 only; an officer's keyboard types Ł as any other letter.
    form.field("surname").insert("Łukasiewicz")
    form.field("forenames").insert("Łucja")
    pick_offence(qtbot, form, "robbery")
    form.submitted.emit()
    qtbot.waitUntil(
        lambda: view.panel.record is not None and view.panel.record.id != earlier.id,
        timeout=15_000,
    )
    booked = view.panel.record
    assert booked.board.name == "ŁUKASIEWICZ, Łucja"
    before = len(booked.entries)

    view.board.setFocus()
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)
    qtbot.keyClick(view.board, Qt.Key.Key_F8)
    qtbot.waitUntil(
        lambda: view.panel.record.id == booked.id and len(view.panel.record.entries) == before + 1,
        timeout=10_000,
    )
    assert view.panel.record.entries[-1].kind == "visit"
    alert = shell.window.status.alert_label.text()
    assert "ŁUKASIEWICZ, Łucja" in alert and booked.custody_number in alert
    sergeant = Client(live_server, "custody")
    untouched = sergeant.record(earlier.id)
    assert len(untouched["events"]) == len(earlier.entries)  # nothing written to the other


def test_esc_asks_before_closing_a_booking_with_something_typed(qtbot, make_station):
    """Issue 13: Esc closed the booking without asking (the draft survived, but ask)."""
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    dialog = view.booking.dialog
    form = view.booking.form
    qtbot.keyClicks(form.field("surname"), "Asked")
    qtbot.keyClick(form.field("surname"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.question is not None and dialog.question.isVisible())
    assert "stays in its draft" in dialog.question.informativeText()
    dialog.question.escapeButton().click()  # "Keep typing"
    assert dialog.isVisible() and form.field("surname").text() == "Asked"

    qtbot.keyClick(form.field("surname"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog.question is not None and dialog.question.isVisible())
    close = next(b for b in dialog.question.buttons() if "Close it" in b.text().replace("&", ""))
    close.click()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: len(view.drafts.drafts(DRAFT_KIND)) == 1, timeout=10_000)


def test_an_empty_booking_closes_at_once(qtbot, make_station):
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    dialog = view.booking.dialog
    qtbot.keyClick(view.booking.form.field("surname"), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.question is None
