"""The Custody tab's suite picker offers the suites the officer may open (docs/api.md,
"Stations"), and a suite the server refuses is explained, not shown empty."""

from __future__ import annotations

import pytest

from station_app.server.auth.store import set_covers
from station_app.views.custody.view import CustodyView
from tests.fixtures.station import open_tab, signed_in

WAIT = 15_000


def offered(view: CustodyView) -> list[str]:
    picker = view.station_picker
    return [str(picker.itemData(index)) for index in range(picker.count())]


@pytest.mark.parametrize(
    ("username", "suites"),
    [
        ("custody", ["SW"]),  # works at Southwark, covers nothing else
        ("inspector", ["SW", "KN"]),  # covers Kennington
        ("superintendent", ["KN", "HX", "SW"]),  # responsible for all three suites
        ("admin", ["SW", "HX", "KN"]),  # force-wide
    ],
)
def test_the_picker_offers_only_the_suites_the_officer_may_open(
    qtbot, reading_station, username: str, suites: list[str]
) -> None:
    view = open_tab(qtbot, reading_station(username), "Custody", CustodyView)

    qtbot.waitUntil(lambda: sorted(offered(view)) == sorted(suites), timeout=WAIT)
    assert offered(view)[0] == suites[0]  # their own station first
    assert view.station_code == suites[0]


def test_a_suite_no_longer_covered_is_refused_with_the_reason(
    qtbot, make_station, live_server
) -> None:
    shell = signed_in(qtbot, make_station, "superintendent")
    view = open_tab(qtbot, shell, "Custody", CustodyView)
    qtbot.waitUntil(lambda: "SW" in offered(view), timeout=WAIT)
    with live_server.db_session() as session:  # an administrator takes Southwark away
        set_covers(session, "superintendent", ["HX"])
        session.commit()

    view.show_station("SW")

    qtbot.waitUntil(lambda: "you work at Kennington Green (KN)" in view.alert.text(), timeout=WAIT)
    assert view.board_model.rowCount() == 0
