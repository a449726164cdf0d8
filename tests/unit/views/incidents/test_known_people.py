"""Walk-in report people from the people index ("known person?"): the reporting person
and a victim picked by keyboard are filled in and the report is linked to them, against the
real server."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.fixtures.people import import_index, people_in
from tests.fixtures.walk_in_form import (
    WAIT,
    offered_first,
    pick_first_known,
    send_report,
    signed_in_view,
)


def _with_a_new_reporter(qtbot, make_station, live_server, tmp_path):
    """The index imported; a walk-in report begun by a reporting person nobody holds."""
    ids = import_index(live_server, tmp_path)
    _shell, view, form = signed_in_view(qtbot, make_station)
    name = form.field("reporter_name")
    name.setFocus()
    qtbot.keyClicks(name, "Quentin Harrowgate")
    return ids, view, form


def test_a_known_reporting_person_is_picked_filled_and_linked(
    qtbot, make_station, live_server, tmp_path
):
    ids = import_index(live_server, tmp_path)
    _shell, view, form = signed_in_view(qtbot, make_station)
    panel = form.reporter_person
    assert panel.matches.accessibleName() == "Known person? matches"
    name = form.field("reporter_name")
    name.setFocus()
    # The double-barrelled name without its hyphen, and the date of birth.
    qtbot.keyClicks(name, "Imogen Fairweather Lowe")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.field("reporter_dob"), "29/09/1986")
    offered_first(qtbot, panel, ids["T-07"])
    assert any("date of birth" in reason for reason in panel.candidates[0].reasons)
    shown = panel.matches.model().index(0, 0).data()
    assert "FAIRWEATHER-LOWE, Imogen, born 29/09/1986" in shown and "Why: " in shown
    # Esc from the matches goes back to the field last typed in; no trap.
    dob = form.field("reporter_dob")
    qtbot.keyClick(dob, Qt.Key.Key_Down)
    qtbot.keyClick(panel.matches, Qt.Key.Key_Escape)
    assert dob.hasFocus()
    pick_first_known(qtbot, panel, dob)
    values = form.values()
    assert values["reporter_name"] == "Imogen Fairweather-Lowe"
    assert values["reporter_dob"] == "29/09/1986"
    assert (values["reporter_address"], values["reporter_postcode"]) == (
        "5 Quayside Row, Hull",
        "HU1 2AB",
    )
    assert values["reporter_person"]["person_id"] == ids["T-07"]
    assert "Known person " + ids["T-07"] in panel.status.text()

    reference = send_report(qtbot, view, form)
    # Reporting person and victim (the same person): linked to the one picked.
    assert people_in(live_server, reference) == ids["T-07"]
    # The form is ready for the next person: nobody linked.
    assert form.reporter_person.person_id is None


def test_a_known_victim_is_linked_and_a_new_reporter_is_created(
    qtbot, make_station, live_server, tmp_path
):
    ids, view, form = _with_a_new_reporter(qtbot, make_station, live_server, tmp_path)
    same = form.field("victim_is_reporter")
    same.setFocus()
    qtbot.keyClick(same, Qt.Key.Key_Space)  # untick: the victim is someone else
    victim = form.field("victim_name")
    assert victim.isEnabled()
    victim.setFocus()
    qtbot.keyClicks(victim, "Peggy Marsh")
    panel = form.victim_person
    offered_first(qtbot, panel, ids["T-13"])
    pick_first_known(qtbot, panel, victim)
    assert form.values()["victim_dob"] == "21/08/1950"
    reference = send_report(qtbot, view, form)
    from sqlalchemy import select

    from station_app.server.core.links import RecordLink

    with live_server.db_session() as session:
        links = {
            (link.role, f"P-{link.person_id:06d}")
            for link in session.scalars(select(RecordLink).where(RecordLink.reference == reference))
        }
    roles = dict(links)
    assert roles["victim"] == ids["T-13"]
    assert roles["reporting_person"] not in ids.values()  # a new person


def test_a_named_suspect_picked_as_known_is_the_person_booked_in_on_arrest(
    qtbot, make_station, live_server, tmp_path
):
    """The named suspect's own fields (issue 10) have "known person?" too: the pick goes
    with the report as its person id, and "Arrest and book in" starts booking-in from that
    person (the one "known person?" of booking-in, as if picked there)."""
    import datetime as dt

    from station_app.domain.journey import arrest_from_report
    from station_app.views.custody.dialogs import BookingForm
    from tests.fixtures.journey import read_report

    ids, view, form = _with_a_new_reporter(qtbot, make_station, live_server, tmp_path)
    suspect = form.field("suspect_name")
    suspect.setFocus()
    qtbot.keyClicks(suspect, "Thomas Lowe")
    panel = form.suspect_person
    assert panel.matches.accessibleName() == "Suspect a known person? matches"
    offered_first(qtbot, panel, ids["T-08"])
    pick_first_known(qtbot, panel, suspect)
    values = form.values()
    assert (values["suspect_dob"], values["suspect_postcode"]) == ("04/04/1990", "HU2 8AA")
    assert form.field("suspect_description").hasFocus()  # the next thing not known
    reference = send_report(qtbot, view, form)

    report = read_report(live_server, reference, "custody")
    assert report["suspects"][0]["person_id"] == ids["T-08"]
    booking = BookingForm(dt.datetime.now(dt.UTC))
    booking.fill_from_report(arrest_from_report(report))
    assert booking.known_person.person_id == ids["T-08"]
    assert "Known person " + ids["T-08"] in booking.known_person.status.text()
    sent, _problems = booking.booking()
    assert sent["person"]["person_id"] == ids["T-08"]
    assert sent["incident_reference"] == reference
    booking.deleteLater()


def test_known_suspects_and_witnesses_are_added_to_their_lists_and_linked(
    qtbot, make_station, live_server, tmp_path
):
    ids, view, form = _with_a_new_reporter(qtbot, make_station, live_server, tmp_path)
    suspects = form.field("suspects")
    suspects.setFocus()
    qtbot.keyClicks(suspects, "Tall man in a red cap")
    picker = form.known_suspects
    assert picker.panel.matches.accessibleName() == "Known suspect? matches"
    qtbot.keyClick(suspects, Qt.Key.Key_Tab)
    assert picker.lookup.hasFocus()  # the next field after the list
    qtbot.keyClicks(picker.lookup, "Tom Lowe")  # a nickname
    offered_first(qtbot, picker.panel, ids["T-08"])
    qtbot.keyClick(picker.lookup, Qt.Key.Key_Down)
    assert picker.panel.matches.hasFocus()
    qtbot.keyClick(picker.panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Thomas Lowe" in suspects.toPlainText(), timeout=WAIT)
    assert suspects.toPlainText() == "Tall man in a red cap\nThomas Lowe"
    assert picker.lookup.hasFocus() and picker.lookup.text() == ""
    assert picker.panel.person_id is None  # ready for the next one
    witnesses = form.known_witnesses
    witnesses.lookup.setFocus()
    qtbot.keyClicks(witnesses.lookup, "Lukasz Nowak")
    offered_first(qtbot, witnesses.panel, ids["T-10"])
    qtbot.keyClick(witnesses.lookup, Qt.Key.Key_Down)
    qtbot.keyClick(witnesses.panel.matches, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Łukasz Nowak" in form.field("witnesses").toPlainText(), timeout=WAIT)

    reference = send_report(qtbot, view, form)
    from sqlalchemy import select

    from station_app.server.core.links import RecordLink

    with live_server.db_session() as session:
        links = [
            (link.role, link.slot, f"P-{link.person_id:06d}")
            for link in session.scalars(select(RecordLink).where(RecordLink.reference == reference))
        ]
    suspects_linked = {slot: person for role, slot, person in links if role == "suspect"}
    assert suspects_linked["suspect 2"] == ids["T-08"]
    assert suspects_linked["suspect 1"] not in ids.values()  # the description: someone new
    assert ("witness", "witness 1", ids["T-10"]) in links


def test_a_queued_report_keeps_its_known_people_and_sends_them_again():
    """A report refused or waiting in the outbox comes back to the form with the people
    picked for it still linked: sent again, they go with their person ids."""
    from station_app.views.incidents.report_body import build_report, queued_values

    values = {
        "reporter_name": "Ada Wrenfield",
        "reporter_person": {"person_id": "P-000007", "label": "WRENFIELD, Ada"},
        "victim_is_reporter": True,
        "offence": {"code": "TH68010", "label": "Theft"},
        "location_description": "The library",
        "account": "My bicycle was taken.",
        "suspects": "Tall man in a red cap\nThomas Lowe",
        "suspects_known": [
            {
                "line": "Thomas Lowe",
                "person_id": "P-000008",
                "name": "Thomas Lowe",
                "date_of_birth": "1990-04-04",
                "address": "77 Foundry Walk, Hull",
                "postcode": "HU2 8AA",
            },
            {"line": "Someone taken off the list", "person_id": "P-000009", "name": "X"},
        ],
        "witnesses": "Noor Halloway",
        "witnesses_known": [],
    }
    body, problems = build_report(values)
    assert problems == {}
    assert body["reporter"]["person_id"] == "P-000007"
    assert body["suspects"] == [
        {"description": "Tall man in a red cap"},
        {
            "name": "Thomas Lowe",
            "address": "77 Foundry Walk, Hull",
            "postcode": "HU2 8AA",
            "person_id": "P-000008",
            "date_of_birth": "1990-04-04",
        },
    ]
    assert body["witnesses"] == [{"name": "Noor Halloway"}]  # typed by hand: a new person

    back = queued_values(body, "Theft")
    assert back["reporter_person"]["person_id"] == "P-000007"
    assert back["suspects"] == "Tall man in a red cap\nThomas Lowe"
    assert [p["person_id"] for p in back["suspects_known"]] == ["P-000008"]
    again, _problems = build_report({**values, **back})
    assert again["suspects"] == body["suspects"]
