"""The type-ahead field, driven by keyboard only, over a real index."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from station_app.domain.search import SearchEntry, TypeAheadIndex
from station_app.ui.typeahead import TypeAheadField

OFFENCES = [
    SearchEntry(
        "TH68010", "Theft from a shop", "Theft, contrary to section 1(1) of the Theft Act 1968"
    ),
    SearchEntry("DMTH002", "Theft of a pedal cycle", "Theft Act 1968"),
    SearchEntry("DMOA001", "Assault occasioning actual bodily harm", "Offences against the Person"),
    SearchEntry("DMSX001", "Sexual assault", "Sexual Offences Act 2003"),
    SearchEntry("DMCD001", "Criminal damage", "Criminal Damage Act 1971"),
]


@pytest.fixture
def field(qtbot):
    widget = TypeAheadField()
    index = TypeAheadIndex(OFFENCES)
    widget.set_source(index.search)
    qtbot.addWidget(widget)
    widget.show()
    widget.setFocus()
    return widget


def test_words_in_any_order_show_matches(qtbot, field):
    qtbot.keyClicks(field, "shop the")
    assert [entry.code for entry in field.matches()] == ["TH68010"]
    assert field.popup_visible()


def test_prefix_matches_rank_first(qtbot, field):
    qtbot.keyClicks(field, "ass")
    codes = [entry.code for entry in field.matches()]
    assert codes.index("DMOA001") < codes.index("DMSX001")


def test_down_and_enter_pick_with_the_keyboard(qtbot, field):
    picked = []
    field.picked.connect(picked.append)
    qtbot.keyClicks(field, "theft")
    popup = field.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert [entry.code for entry in picked] == [field.current_entry.code]
    assert field.current_entry.code in {"TH68010", "DMTH002"}
    assert field.text().startswith(field.current_entry.code)
    assert not field.popup_visible()


def test_escape_puts_back_the_last_pick(qtbot, field):
    qtbot.keyClicks(field, "damage")
    qtbot.keyClick(field.popup(), Qt.Key.Key_Return)
    assert field.current_entry.code == "DMCD001"
    qtbot.keyClicks(field, " and more")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert field.text() == "DMCD001 — Criminal damage"
    assert field.current_entry.code == "DMCD001"


def test_no_match_shows_nothing_and_picks_nothing(qtbot, field):
    qtbot.keyClicks(field, "zzzz")
    assert field.matches() == []
    assert not field.popup_visible()
    assert field.current_entry is None


def test_a_field_fed_from_the_synced_cache_finds_offences(qtbot, live_server, tmp_path):
    from station_app.services.api import ApiSession
    from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync
    from station_app.ui.runner import OperationRunner
    from station_app.ui.typeahead import attach_dataset

    session = ApiSession(live_server.url, workstation="test")
    session.token = live_server.login("frontdesk")
    cache = ReferenceCache(tmp_path / "cache.db")
    runner = OperationRunner()
    field = TypeAheadField()
    qtbot.addWidget(field)
    try:
        attach_dataset(field, runner, cache, "offences")
        runner.run("reference.sync", ReferenceSync(ReferenceApi(session), cache).sync)
        qtbot.waitUntil(
            lambda: field.placeholderText() != "Loading…" and field.finds("shop"),
            timeout=10_000,
        )
        field.show()
        field.setFocus()
        qtbot.keyClicks(field, "shop theft")
        assert [entry.code for entry in field.matches()][:1] == ["TH68010"]
    finally:
        runner.shutdown()
        cache.close()
        session.close()
