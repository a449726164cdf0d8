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
from tests.fixtures.people import people_in, set_markers
from tests.fixtures.station import pick_from_type_ahead
from tests.fixtures.tabs import column_texts, custody_tab

H = dt.timedelta(hours=1)


def pick_offence(qtbot, form: BookingForm, words: str) -> None:
    pick_from_type_ahead(qtbot, form.offence, words)
    qtbot.waitUntil(lambda: form.offence.current_entry is not None)


def test_a_known_person_is_booked_in_by_picking_them_with_their_markers(
    qtbot, make_station, live_server
):
    """Booking in finds people in the one people index ("known person?"): typing the name
    offers them with the server's reasons and their warning markers, Enter fills the
    person's fields, and the booking is linked to that person, not a new one."""
    sergeant = Client(live_server, "custody")
    earlier = booked(
        sergeant,
        5 * H,
        person={
            "surname": "Wrenfield",
            "forenames": "Ada May",
            "date_of_birth": "1984-04-14",
            "gender": "female",
            "address": "7 Kiln Lane, Southwark",
            "postcode": "SE1 9ZZ",
            "pnc_id": "99/123456X",
        },
    )
    person_id = people_in(live_server, earlier["custody_number"])
    set_markers(live_server, person_id, ["violent", "self_harm"])
    _shell, view = custody_tab(qtbot, make_station)
    count = view.board_model.rowCount()
    view.open_booking()
    form = view.booking.form
    panel = form.known_person
    surname = form.field("surname")
    view.booking.dialog.activateWindow()
    qtbot.waitUntil(view.booking.dialog.isActiveWindow)
    qtbot.waitUntil(surname.hasFocus)  # the booking opens in the surname
    assert panel.matches.accessibleName() == "Known person? matches"

    # A slip in the surname and the forenames: the person is offered, with why and markers.
    qtbot.keyClicks(surname, "Wrenfeild")
    qtbot.keyClick(surname, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.field("forenames"), "Ada")
    qtbot.waitUntil(lambda: bool(panel.candidates) and panel.matches.isVisible(), timeout=10_000)
    assert panel.candidates[0].person_id == person_id
    first = panel.matches.model().index(0, 0).data()
    assert "WRENFIELD, Ada May, born 14/04/1984" in first and "Why: " in first
    assert "Warning markers: Self-harm, Violent" in first

    # Down moves to the matches, Esc goes back to typing; Down again and Enter picks.
    forenames = form.field("forenames")
    qtbot.keyClick(forenames, Qt.Key.Key_Down)
    assert panel.matches.hasFocus()
    qtbot.keyClick(panel.matches, Qt.Key.Key_Escape)
    assert forenames.hasFocus()
    qtbot.keyClick(forenames, Qt.Key.Key_Down)
    qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.person_id == person_id, timeout=10_000)
    values = form.values()
    assert (values["surname"], values["forenames"]) == ("Wrenfield", "Ada May")
    assert (values["date_of_birth"], values["gender"]) == ("14/04/1984", "female")
    assert (values["postcode"], values["pnc_id"]) == ("SE1 9ZZ", "99/123456X")
    assert values["person"]["person_id"] == person_id
    assert panel.markers.isVisible()
    assert panel.markers.text() == "Warning markers: Self-harm, Violent"
    assert form.offence.hasFocus()  # typed once: on to the offence

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
    assert record.booking()["person"]["address"] == "9 Tanner Street, Southwark"

    # The server linked the new custody record to the person picked, not to a new person.
    person = requests.get(
        f"{live_server.api_url}/people/{person_id}", headers=sergeant.headers, timeout=10
    ).json()
    detentions = {r["reference"] for r in person["roles"] if r["role"] == "detainee"}
    assert detentions == {earlier["custody_number"], record.custody_number}


def test_not_this_person_books_in_a_new_person(qtbot, make_station, live_server):
    sergeant = Client(live_server, "custody")
    earlier = booked(sergeant, 5 * H, person={"surname": "Quillon", "forenames": "Bea"})
    person_id = people_in(live_server, earlier["custody_number"])
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    form = view.booking.form
    panel = form.known_person
    qtbot.keyClicks(form.field("surname"), "Quillon")
    qtbot.keyClick(form.field("surname"), Qt.Key.Key_Tab)
    qtbot.keyClicks(form.field("forenames"), "Bea")
    qtbot.waitUntil(lambda: bool(panel.candidates), timeout=10_000)
    qtbot.keyClick(form.field("forenames"), Qt.Key.Key_Down)
    qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.person_id == person_id, timeout=10_000)
    panel.unlink_button.setFocus()
    qtbot.keyClick(panel.unlink_button, Qt.Key.Key_Space)
    assert panel.person_id is None and form.values()["person"] is None
    pick_offence(qtbot, form, "robbery")
    form.submitted.emit()
    qtbot.waitUntil(lambda: view.panel.record is not None, timeout=15_000)
    qtbot.waitUntil(
        lambda: view.panel.record.custody_number != earlier["custody_number"], timeout=15_000
    )
    assert people_in(live_server, view.panel.record.custody_number) != person_id


def pick_known_person(qtbot, form: BookingForm, surname: str, forenames: str, person_id: str):
    """Type the name and pick the person offered, by keyboard (Down, Enter)."""
    panel = form.known_person
    qtbot.keyClicks(form.field("surname"), surname)
    qtbot.keyClick(form.field("surname"), Qt.Key.Key_Tab)
    qtbot.keyClicks(form.field("forenames"), forenames)
    qtbot.waitUntil(lambda: bool(panel.candidates), timeout=10_000)
    assert panel.candidates[0].person_id == person_id
    qtbot.keyClick(form.field("forenames"), Qt.Key.Key_Down)
    qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.person_id == person_id, timeout=10_000)


def test_a_marker_ticked_at_booking_in_is_held_ticked_at_the_next_booking(
    qtbot, make_station, live_server
):
    """Issue 10: the sergeant ticks what was seen or said at booking in (keyboard: Tab to
    the marker, Space); the draft keeps the tick; the person booked in gains the marker, and
    the next booking of them shows it ticked, not to be unticked there."""
    sergeant = Client(live_server, "custody")
    earlier = booked(sergeant, 5 * H, person={"surname": "Harrowgate", "forenames": "Nell"})
    person_id = people_in(live_server, earlier["custody_number"])
    _shell, view = custody_tab(qtbot, make_station)
    view.open_booking()
    form = view.booking.form
    pick_known_person(qtbot, form, "Harrowgate", "Nell", person_id)
    markers = form.field("markers")
    assert markers.accessibleName() == "Warning markers seen or said at booking in"
    assert markers.ticked() == [] and all(box.isEnabled() for box in markers.boxes())

    # Keyboard only: into the list at its first marker, Tab down to Self-harm, Space ticks.
    form.go_to("markers")
    first = markers.box("violent")
    qtbot.waitUntil(first.hasFocus)
    for _ in range(3):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    self_harm = markers.box("self_harm")
    assert self_harm.hasFocus() and self_harm.accessibleName() == "Self-harm"
    qtbot.keyClick(self_harm, Qt.Key.Key_Space)
    assert markers.ticked() == ["self_harm"]
    drafts = view.drafts
    qtbot.waitUntil(
        lambda: any(
            "self_harm" in (d.fields.get("markers") or {}).get("ticked", [])
            for d in drafts.drafts(DRAFT_KIND)
        ),
        timeout=10_000,
    )
    pick_offence(qtbot, form, "robbery")
    form.submitted.emit()
    qtbot.waitUntil(
        lambda: (
            view.panel.record is not None
            and view.panel.record.custody_number != earlier["custody_number"]
        ),
        timeout=15_000,
    )
    assert view.panel.record.booking()["person"]["markers"] == ["self_harm"]

    # The next booking of the same person: Self-harm held, ticked and not to be unticked.
    view.open_booking()
    form = view.booking.form
    pick_known_person(qtbot, form, "Harrowgate", "Nell", person_id)
    markers = form.field("markers")
    qtbot.waitUntil(lambda: markers.box("self_harm").isChecked(), timeout=10_000)
    assert not markers.box("self_harm").isEnabled()
    assert "never removed" in markers.accessibleDescription()
    assert form.known_person.markers.text() == "Warning markers: Self-harm"
    assert markers.box("violent").isEnabled() and not markers.box("violent").isChecked()
    assert markers.ticked() == ["self_harm"]


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


def test_a_booking_opened_before_the_first_sync_gets_the_cells_when_it_comes(
    qtbot, live_server, tmp_path
) -> None:
    # A new workstation's first sign-in: the booking form may open before the reference data
    # has come. Its cells list filled in once the sync brings them (before: it stayed empty,
    # and the sergeant could not choose a cell; seen as a 15 s time-out in make test).
    from PySide6.QtWidgets import QWidget

    from station_app.services.api import ApiSession
    from station_app.services.custody import CustodyClient
    from station_app.services.people import PeopleClient
    from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync
    from station_app.ui.runner import OperationRunner
    from station_app.views.custody.booking import BookingFlow

    session = ApiSession(live_server.url, workstation="test")
    session.token = live_server.login("custody")
    cache = ReferenceCache(tmp_path / "cache.db")
    runner = OperationRunner()
    parent = QWidget()
    qtbot.addWidget(parent)
    try:
        flow = BookingFlow(
            parent, runner, cache, None, CustodyClient(session), PeopleClient(session), "SW"
        )
        cells = flow.form.field("cell")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        assert cells.findData("SW-C06") < 0  # nothing synced yet
        runner.run("reference.sync", ReferenceSync(ReferenceApi(session), cache).sync)
        qtbot.waitUntil(lambda: cells.findData("SW-C06") >= 0, timeout=10_000)
    finally:
        runner.shutdown()
        cache.close()
        session.close()
