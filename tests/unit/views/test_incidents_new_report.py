"""The walk-in form in the real Station against the real server: typed by keyboard, sent,
checked, and queued while the core system is down."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from station_app.server.incidents.models import Incident
from station_app.ui.status_bar import Connection
from tests.unit.ui.test_sign_in import PASSWORD, sign_in

WAIT = 20_000


def incidents_view(shell):
    (view,) = [v for v in shell.window.views() if v.objectName() == "incidentsView"]
    return view


def signed_in_view(qtbot, make_station, username: str = "frontdesk"):
    shell = make_station()
    sign_in(qtbot, shell, username, PASSWORD)
    view = incidents_view(shell)
    qtbot.waitUntil(lambda: shell.window.tabs.isVisible() and shell.dialog is None, timeout=WAIT)
    shell.window.show_view(view)
    shell.window.activateWindow()
    view.open_new_report()
    qtbot.waitUntil(view.new_report.form.isVisible, timeout=WAIT)
    form = view.new_report.form
    # The offence type-ahead is ready once the reference data has synced.
    qtbot.waitUntil(
        lambda: form.offence._search is not None and bool(form.offence._search("cycle", 1)),
        timeout=WAIT,
    )
    return shell, view, form


def type_field(qtbot, form, name: str, text: str) -> None:
    """Type into the field that has the cursor (it must be `name`), then Tab on."""
    widget = form.field(name)
    assert form.focusWidget() is widget, (name, form.focusWidget().objectName())
    if text:
        qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def fill_by_keyboard(
    qtbot, form, *, postcode: str = "se1 9qx", name: str = "Ottoline Barnstaple"
) -> None:
    form.field("reporter_name").setFocus()
    for field, text in (
        ("reporter_name", name),
        ("reporter_dob", "03/02/1971"),
        ("reporter_address", "9 Larkspur Mews, London"),
        ("reporter_postcode", "se17 2zz"),
        ("reporter_phone", "07700 900321"),
        ("reporter_email", ""),
        ("reporter_contact_method", ""),
        ("reporter_contact_times", "Evenings"),
        ("reporter_language", ""),
        ("reporter_interpreter", ""),
        ("victim_is_reporter", ""),  # ticked: the victim's fields are skipped
    ):
        type_field(qtbot, form, field, text)
    offence = form.field("offence")
    assert form.focusWidget() is offence
    qtbot.keyClicks(offence, "pedal cycle")
    qtbot.waitUntil(lambda: bool(offence.matches()), timeout=WAIT)
    qtbot.keyClick(offence._completer.popup(), Qt.Key.Key_Return)  # Enter picks the best
    qtbot.waitUntil(lambda: offence.current_entry is not None, timeout=WAIT)
    qtbot.keyClick(offence, Qt.Key.Key_Tab)
    for field, text in (
        ("occurred_from", "yesterday 18:00"),
        ("occurred_to", "today 07:30"),
        ("location_address", "Larkspur Mews cycle shed"),
        ("location_postcode", postcode),
        ("location_description", ""),
        ("account", "I left my green bicycle locked in the shed; this morning it was gone."),
        ("suspects", ""),
        ("property", "Green bicycle, £300"),
    ):
        type_field(qtbot, form, field, text)


def count_incidents(live_server) -> int:
    with live_server.db_session() as session:
        return int(session.scalar(select(func.count(Incident.id))) or 0)


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
    # The server has it, so its draft is gone (and none was left behind by autosave).
    view.new_report.runner.wait_for_done()
    qtbot.waitUntil(lambda: page.drafts.drafts("walk_in_report") == [], timeout=WAIT)
    # The letter is there as soon as the reference number is.
    qtbot.mouseClick(page.letter_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.letter_dialog is not None, timeout=WAIT)
    assert view.letter_dialog.document.pageCount() >= 1
    assert stored.reference in view.letter_dialog.windowTitle()
    view.letter_dialog.reject()


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
    with live_server.db_session() as session:
        from station_app.server.core.reference_data import ReferenceRow

        kept = [
            {"code": r.code, "label": r.label, "attributes": r.attributes}
            for r in session.scalars(
                select(ReferenceRow).where(
                    ReferenceRow.dataset_name == "offences", ReferenceRow.deleted.is_(False)
                )
            )
            if r.code != "DMTH003"
        ]
    live_server.import_reference("offences", kept)
    form.submitted.emit()
    error = form.findChild(type(form.message), "offenceError")
    qtbot.waitUntil(lambda: "not in the offence list" in error.text(), timeout=WAIT)
    assert not error.isHidden()
    assert form.values() == typed  # nothing typed is lost
    assert form.submit_button.isEnabled()
