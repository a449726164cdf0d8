"""The Reference tab: synced at sign-in, searchable, and still there with the server stopped."""

from __future__ import annotations

from PySide6.QtCore import Qt

from station_app.ui.status_bar import Connection
from tests.fixtures.station import signed_in
from tests.fixtures.tabs import reference_view, shown_codes


def signed_in_and_synced(qtbot, make_station, username="frontdesk"):
    shell = signed_in(qtbot, make_station, username)
    view = reference_view(qtbot, shell)
    qtbot.waitUntil(lambda: view.dataset_model.rowCount() >= 8, timeout=10_000)
    qtbot.waitUntil(lambda: "synced" in shell.window.status.sync_label.text())
    return shell, view


def synced_reading_view(qtbot, reading_station):
    shell = reading_station("frontdesk")
    view = reference_view(qtbot, shell)
    qtbot.waitUntil(lambda: view.dataset_model.rowCount() >= 8, timeout=10_000)
    qtbot.waitUntil(lambda: "synced" in shell.window.status.sync_label.text())
    return shell, view


def test_sign_in_syncs_and_search_finds_an_offence(qtbot, reading_station):
    shell, view = synced_reading_view(qtbot, reading_station)
    view.search.clear()
    view.select_dataset("offences")
    shell.window.find_action.trigger()  # Ctrl+F puts the cursor in the tab's search
    assert view.search.hasFocus() or view.focusWidget() is view.search
    qtbot.keyClicks(view.search, "shop theft")
    qtbot.waitUntil(lambda: shown_codes(view) == ["TH68010"], timeout=5000)
    assert "version" in view.info.text() and "match" in view.info.text()

    view.table.setFocus()
    view.table.selectRow(0)
    assert "Theft Act 1968" in view.detail.text()
    assert shell.window.status.connection is Connection.ONLINE


def test_datasets_include_the_ethnicity_lists_and_stations(qtbot, reading_station):
    _shell, view = synced_reading_view(qtbot, reading_station)
    view.search.clear()
    names = {
        view.dataset_model.item(row).data(Qt.ItemDataRole.UserRole + 1)
        for row in range(view.dataset_model.rowCount())
    }
    assert {
        "offences",
        "stations",
        "cells",
        "courts",
        "ethnicity_self",
        "ethnicity_officer",
        "nationalities",
        "officers",
    } <= names
    view.select_dataset("ethnicity_officer")
    qtbot.waitUntil(lambda: "IC1" in shown_codes(view))
    assert len(shown_codes(view)) == 7


def test_the_cache_serves_while_the_server_is_stopped(qtbot, make_station, live_server):
    first, _view = signed_in_and_synced(qtbot, make_station)
    first.runner.wait_for_done()
    live_server.stop()

    second = make_station()  # reopened from the saved token, server down
    view = reference_view(qtbot, second)
    qtbot.waitUntil(lambda: view.dataset_model.rowCount() >= 8, timeout=10_000)
    view.select_dataset("offences")
    qtbot.keyClicks(view.search, "TH68010")
    qtbot.waitUntil(lambda: shown_codes(view) == ["TH68010"], timeout=5000)
    qtbot.waitUntil(lambda: second.window.status.connection is Connection.OFFLINE, timeout=10_000)
    assert second.window.status.connection_label.text().startswith("Offline")
