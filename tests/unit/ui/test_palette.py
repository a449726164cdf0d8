"""The command palette (Ctrl+K): every action of the tab in front, found by typing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from station_app.ui.palette import Command, CommandPalette, matches
from station_app.views.custody.view import CustodyView
from tests.fixtures.station import open_tab


def test_typing_part_of_a_name_finds_it() -> None:
    review = Command("Review detention", lambda: None, "", "Custody")
    visit = Command("Record a routine visit", lambda: None, "F8", "Custody")
    assert matches(review, "rev") and matches(review, "rev det") and matches(review, "tention")
    assert not matches(visit, "rev")
    assert matches(visit, "visit") and matches(visit, "rout vis")


def test_up_down_and_enter_run_the_chosen_command(qtbot) -> None:
    ran: list[str] = []
    palette = CommandPalette(
        [Command(name, lambda n=name: ran.append(n)) for name in ("Print", "Refresh", "Review")]
    )
    qtbot.addWidget(palette)
    palette.show()
    qtbot.keyClicks(palette.search, "re")
    assert palette.shown_names() == ["Refresh", "Review"]
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    assert ran == ["Review"] and not palette.isVisible()


def test_ctrl_k_lists_what_the_custody_officer_may_do_here(qtbot, reading_station) -> None:
    shell = reading_station("custody")
    open_tab(qtbot, shell, "Custody", CustodyView)
    window = shell.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(
        lambda: window.command_palette is not None and window.command_palette.isVisible()
    )
    palette = window.command_palette
    names = palette.shown_names()
    assert {"Book in a detainee", "Record a routine visit", "Lock Station"} <= set(names)
    qtbot.keyClicks(palette.search, "visit")
    assert palette.shown_names()[0] == "Record a routine visit"
    assert "F8" in palette.model.item(0).text()  # the palette teaches the key
    qtbot.keyClick(palette.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.command_palette is None)
