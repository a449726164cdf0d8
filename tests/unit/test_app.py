"""The composition root's links between tabs: a record named in one tab (a person's timeline)
opens in the tab that holds it."""

from __future__ import annotations

from station_app.app import RECORD_TABS, TAB_MODULES
from station_app.ui.tab import OpensReferences
from station_app.views.casefiles.view import CasefilesView
from station_app.views.custody.view import CustodyView
from station_app.views.incidents.view import IncidentsView
from station_app.views.people.view import PeopleView
from station_app.views.reference.view import ReferenceView


def test_every_tab_that_holds_linked_records_opens_them_by_reference() -> None:
    # app.open_record asks `isinstance(tab, OpensReferences)`: a tab that lost or renamed
    # open_reference would only come to the front, the record not shown, without this test.
    holders = {"Incidents": IncidentsView, "Custody": CustodyView, "Case files": CasefilesView}
    assert set(RECORD_TABS.values()) == set(holders)
    for title, view in holders.items():
        assert TAB_MODULES[title] == view.__module__
        assert issubclass(view, OpensReferences), title
    assert not issubclass(PeopleView, OpensReferences)
    assert not issubclass(ReferenceView, OpensReferences)
