"""Needs attention in the real Station against the real server: a report queued offline and
then refused is listed with the server's reason, opened back into the form with every
field, corrected, sent and gone from the list; or discarded after a question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from station_app.server.incidents.models import Incident
from station_app.views.incidents.report_body import build_report, queued_values
from tests.fixtures.incidents import walk_in
from tests.fixtures.walk_in_form import (
    WAIT,
    count_incidents,
    fill_by_keyboard,
    signed_in_view,
    withdraw_offence,
)


def tab_text(view) -> str:
    return view.pages.tabText(view.pages.indexOf(view.attention_page))


def test_every_field_of_a_queued_report_comes_back_to_the_form() -> None:
    values = {
        "reporter_name": "Perpetua Lindqvist",
        "reporter_dob": "14/07/1966",
        "reporter_postcode": "SE17 2ZZ",
        "reporter_contact_method": "phone",
        "reporter_interpreter": True,
        "victim_is_reporter": False,
        "victim_name": "Osric Lindqvist",
        "victim_dob": "02/03/2011",
        "offence": {"code": "DMTH002", "label": "Theft from the person"},
        "occurred_from": "24/11/2026 18:05",
        "occurred_to": "24/11/2026 19:40",
        "location_description": "Bus stop outside the library",
        "account": "His phone was taken from his pocket.",
        "suspects": "Tall man, grey coat\nA woman on a bicycle",
        "witnesses": "Hamish Tolland 07700 900123",
        "property": "Phone, £420.50\nWallet, £15",
        "cctv": "Library entrance",
        "flag_child_involved": True,
    }
    body, errors = build_report(values)
    assert errors == {}
    back = queued_values(body, "Theft from the person")
    assert back["victim_name"] == "Osric Lindqvist" and back["reporter_interpreter"] is True
    assert back["property"] == "Phone, £420.50\nWallet, £15.00"
    assert build_report(back)[0] == body  # nothing lost on the way back


def test_a_refused_report_is_listed_opened_corrected_and_accepted(qtbot, make_station, live_server):
    shell, view, form = signed_in_view(qtbot, make_station)
    view.outbox_sender.set_backoff(200, 1000)
    page = view.new_report
    before = count_incidents(live_server)
    live_server.stop()
    fill_by_keyboard(qtbot, form, name="Rosalind Quenby")
    typed = build_report(form.values())[0]
    form.submitted.emit()
    qtbot.waitUntil(lambda: "(1 waiting)" in page.result.text(), timeout=WAIT)
    # While Station waits, the force withdraws that offence code: the server will refuse it.
    withdraw_offence(live_server, "DMTH003")
    live_server.start()
    qtbot.waitUntil(lambda: tab_text(view) == "Needs a&ttention (1)", timeout=WAIT)
    assert view.attention.text().startswith("1 report taken while offline needs attention")
    assert not view.attention.isHidden()
    model = view.attention_page.model
    assert [model.index(0, c).data() for c in (1, 2)] == [
        "Rosalind Quenby",
        "Theft of a pedal cycle (DMTH003)",
    ]
    reason = model.index(0, 3).data()
    assert reason.startswith("'DMTH003' is not in the offence list.")
    assert count_incidents(live_server) == before

    # By keyboard: to the list, Enter opens the report in the form.
    view.pages.setCurrentWidget(view.attention_page)
    table = view.attention_page.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is page, timeout=WAIT)
    assert build_report(form.values())[0] == typed  # every field is back
    assert reason in form.message.text()
    offence_error = form.findChild(type(form.message), "offenceError")
    assert "not in the offence list" in offence_error.text() and not offence_error.isHidden()
    offence = form.field("offence")
    assert form.focusWidget() is offence  # the field the server named

    # The fix: another offence, then Ctrl+Enter.
    offence.selectAll()
    qtbot.keyClicks(offence, "theft from the person")
    qtbot.waitUntil(lambda: bool(offence.matches()), timeout=WAIT)
    qtbot.keyClick(offence.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: offence.current_entry is not None, timeout=WAIT)
    assert offence.current_entry.code == "DMTH002"
    shell.window.activateWindow()  # offscreen, the popup leaves no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shell.window, timeout=WAIT)
    qtbot.keyClick(offence, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "Crime reference number SW-" in page.result.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: tab_text(view) == "Needs a&ttention (0)", timeout=WAIT)
    assert model.rowCount() == 0 and view.attention.isHidden()
    assert view.outbox_sender.outbox.needs_attention() == []
    assert count_incidents(live_server) == before + 1
    with live_server.db_session() as session:
        stored = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert (stored.offence_code, stored.victim_name) == ("DMTH002", "Rosalind Quenby")
    assert stored.reference in page.result.text()


def test_discard_asks_first_and_only_a_yes_removes_it(qtbot, make_station, live_server):
    _shell, view, _form = signed_in_view(qtbot, make_station)
    outbox = view.outbox_sender.outbox
    outbox.queue(
        walk_in(reporter={"name": "Barnaby Oakhurst"}, offence_code="WITHDRAWN7"),
        "refused-discard",
        "frontdesk",
        "Walk-in report (theft)",
    )
    view.outbox_sender.send_now()  # the real server refuses the code
    qtbot.waitUntil(lambda: tab_text(view) == "Needs a&ttention (1)", timeout=WAIT)
    attention = view.attention_page
    view.pages.setCurrentWidget(attention)
    attention.table.setFocus()

    def confirm() -> QMessageBox:
        qtbot.waitUntil(lambda: attention.confirm is not None, timeout=WAIT)
        assert attention.confirm is not None
        return attention.confirm

    qtbot.keyClick(attention.table, Qt.Key.Key_Delete)
    box = confirm()
    assert "Barnaby Oakhurst" in box.text()
    assert "will be lost for good" in box.informativeText()
    assert "account" in box.informativeText()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # keep it
    qtbot.waitUntil(lambda: attention.confirm is None, timeout=WAIT)
    attention.runner.wait_for_done()
    assert [i.idempotency_key for i in outbox.needs_attention()] == ["refused-discard"]
    assert attention.model.rowCount() == 1

    qtbot.mouseClick(attention.discard_button, Qt.MouseButton.LeftButton)
    box = confirm()
    (discard,) = [b for b in box.buttons() if b.text() == "D&iscard it"]
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab_text(view) == "Needs a&ttention (0)", timeout=WAIT)
    assert outbox.needs_attention() == []
    assert "discarded" in attention.message.text()
