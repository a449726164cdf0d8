"""The case file's people from the people index ("known person?"), against the real
server: the defendant in the case details and the MG11's witness, picked by keyboard,
filled in, and linked to the person picked."""

from __future__ import annotations

import requests
from PySide6.QtCore import Qt
from sqlalchemy import select

from station_app.server.core.links import RecordLink
from tests.fixtures.casefiles_tab import WAIT, complete_statement, open_case, signed_in
from tests.fixtures.live_server import bearer
from tests.fixtures.people import import_index


def _pick_first(qtbot, panel, field, person_id: str) -> None:
    qtbot.waitUntil(
        lambda: bool(panel.candidates) and panel.candidates[0].person_id == person_id,
        timeout=WAIT,
    )
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert panel.matches.hasFocus()
    qtbot.keyClick(panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.person_id == person_id, timeout=WAIT)


def _linked(live_server, reference: str, role: str) -> set[str]:
    with live_server.db_session() as session:
        return {
            f"P-{person:06d}"
            for person in session.scalars(
                select(RecordLink.person_id).where(
                    RecordLink.reference == reference, RecordLink.role == role
                )
            )
        }


def test_the_mg11_witness_is_picked_filled_and_linked(qtbot, make_station, live_server, tmp_path):
    ids = import_index(live_server, tmp_path)
    shell, view = signed_in(qtbot, make_station)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)
    panel = open_case(qtbot, view, "SW-26-0142")
    panel.open_form("MG11", None)
    editor = panel.editor
    form = editor.form
    known = editor.known_person
    assert known is not None and known.matches.accessibleName() == "Known person? matches"
    name = form.field("witness_name")
    name.setFocus()
    qtbot.keyClicks(name, "Zoe Bronte")  # typed without the accents
    _pick_first(qtbot, known, name, ids["T-12"])
    assert name.text() == "Zoë Brontë"
    assert form.field("date_of_birth").text() == "2001-12-05"
    assert form.field("address").toPlainText() == "1 Tithe Place, Exeter EX1 1AA"
    assert form.field("over_18").isChecked()
    assert form.field("phone").hasFocus()  # typed once: on to what is not known
    words = "I saw the man leave the shop with two bottles."
    complete_statement(qtbot, form, words, "Zoë Brontë", "2026-11-30")
    qtbot.waitUntil(lambda: "MG11 saved." in form.message.text(), timeout=WAIT)
    assert editor.document["data"]["person_id"] == ids["T-12"]
    assert ids["T-12"] in _linked(live_server, "SW-26-0142", "witness")


def test_the_defendant_is_picked_in_the_case_details_and_linked(
    qtbot, make_station, live_server, tmp_path
):
    ids = import_index(live_server, tmp_path)
    shell, view = signed_in(qtbot, make_station)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)
    panel = open_case(qtbot, view, "SW-26-0157")
    panel.tabs.setFocus()
    qtbot.keyClick(panel.tabs, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # "&Details"
    qtbot.waitUntil(lambda: panel.details.isVisible(), timeout=WAIT)
    details = panel.details
    form = details.form
    name = form.field("suspect_name")
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "Peter Kowalski")  # an English spelling of Piotr
    dob = form.field("suspect_dob")
    dob.setFocus()
    qtbot.keyClicks(dob, "11/10/1983")
    _pick_first(qtbot, details.known_person, dob, ids["T-15"])
    assert name.text() == "Piotr Kowalski" and dob.text() == "11/10/1983"
    next_field = form.focusWidget()
    assert next_field is form.field("offence_code")  # typed once: on to the charge
    qtbot.keyClick(next_field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # Saved: the case is shown again from the server's answer, with new details.
    qtbot.waitUntil(lambda: panel.details is not details, timeout=WAIT)
    detective = bearer(live_server.token_for("detective"))
    case = requests.get(
        f"{live_server.api_url}/casefiles/SW-26-0157", headers=detective, timeout=10
    ).json()
    first = case["suspects"][0]
    assert (first["name"], first["date_of_birth"], first["person_id"]) == (
        "Piotr Kowalski",
        "1983-10-11",
        ids["T-15"],
    )
    assert ids["T-15"] in _linked(live_server, "SW-26-0157", "defendant")
    # Read back, the details say who the defendant is linked to, without asking again.
    assert panel.details.known_person.person_id == ids["T-15"]


def test_saving_the_details_keeps_the_defendants_date_of_birth_and_person(
    qtbot, make_station, live_server, tmp_path
):
    """Saving the case details (here a new court) wrote the first suspect back as its name
    and charge alone: the date of birth and the person picked for them were dropped."""
    ids = import_index(live_server, tmp_path)
    detective = bearer(live_server.token_for("detective"))
    made = requests.post(
        f"{live_server.api_url}/casefiles",
        json={
            "reference": "TST-26-0300",
            "file_type": "anticipated_guilty_plea",
            "suspects": [
                {
                    "name": "Piotr Kowalski",
                    "date_of_birth": "1983-10-11",
                    "person_id": ids["T-15"],
                    "charges": [{"offence_code": "TH68010"}],
                }
            ],
        },
        headers=detective,
        timeout=10,
    )
    assert made.status_code == 201, made.text
    shell, view = signed_in(qtbot, make_station)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow)
    assert view.open_reference("TST-26-0300") == ""
    panel = view.case_panel
    qtbot.waitUntil(
        lambda: panel.case is not None and panel.case["reference"] == "TST-26-0300",
        timeout=WAIT,
    )
    panel.tabs.setFocus()
    qtbot.keyClick(panel.tabs, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # "&Details"
    qtbot.waitUntil(lambda: panel.details.isVisible(), timeout=WAIT)
    details = panel.details
    court = details.form.field("court_code")
    court.setFocus()
    court.selectAll()
    qtbot.keyClicks(court, "MC-CAM")
    qtbot.keyClick(court, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.details is not details, timeout=WAIT)
    url = f"{live_server.api_url}/casefiles/TST-26-0300"
    after = requests.get(url, headers=detective, timeout=10).json()
    assert after["court_code"] == "MC-CAM"
    first = after["suspects"][0]
    assert (first["name"], first["date_of_birth"], first["person_id"]) == (
        "Piotr Kowalski",
        "1983-10-11",
        ids["T-15"],
    )
