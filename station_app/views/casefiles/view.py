"""The Case files tab: My cases on the left (most urgent first), the selected case on the
right. It is made for the signed-in officer with the services `app.py` gives it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from station_app.services.auth import UserInfo
from station_app.services.casefiles import CasefilesClient
from station_app.services.drafts import DraftStore
from station_app.services.people import PeopleClient
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationRunner
from station_app.ui.tab import CommonKey, FirstWork, TabAction
from station_app.ui.theme import set_state
from station_app.ui.widgets import record_table
from station_app.views.casefiles.case_details import NewCaseDialog
from station_app.views.casefiles.case_panel import CasePanel
from station_app.views.casefiles.models import CasesModel


class CasefilesView(QWidget):
    title = "Case files"

    def __init__(
        self,
        runner: OperationRunner,
        *,
        client: CasefilesClient,
        people: PeopleClient,
        drafts: DraftStore,
        cache: ReferenceCache | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("casefilesView")
        self.runner = runner
        self.client = client
        self.people = people
        self.user: UserInfo | None = None
        self.new_case: NewCaseDialog | None = None

        self.cases = CasesModel(runner, client)
        self.table = record_table(self.cases, "myCases", "My cases")
        self.first_work = FirstWork(self, lambda: self.table)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.cases.page_loaded.connect(self._loaded)
        self.info = QLabel("Sign in to see your cases.")
        self.info.setWordWrap(True)
        heading = self.list_heading = QLabel("My cases")
        heading.setObjectName("heading")
        heading.setBuddy(self.table)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.info)

        self.case_panel = CasePanel(runner, client, people, drafts, cache)
        self.case_panel.changed.connect(self.refresh)
        self.table.activated.connect(self._open_row)  # Enter opens the case on the row
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.case_panel)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 760])  # the list shows reference, suspect, type and days left
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def say(self, text: str, state: str = "info") -> None:
        self.info.setText(text)
        set_state(self.info, state)

    # --- what the window asks (ui.tab.StationTab) --------------------------------------
    def widget(self) -> QWidget:
        return self

    def tab_actions(self) -> Sequence[TabAction]:
        actions = [
            TabAction("Go to the list of cases", self.focus_search, CommonKey.FIND),
            TabAction("Refresh the cases", self.refresh, CommonKey.REFRESH),
            TabAction("Preview the bundle", self.print_bundle, CommonKey.PRINT),
        ]
        if self.user is not None and "detective" in self.user.roles:
            actions.insert(0, TabAction("New case file", self.new_item, CommonKey.NEW))
        return actions

    def on_signed_in(self, user: UserInfo) -> None:
        self.user = user
        # A detective sees their own cases; a supervisor reviews the whole team's.
        self.cases.mine = "detective" in user.roles
        self.cases.active = True
        self.list_heading.setText("My cases" if self.cases.mine else "Cases to review")
        self.case_panel.set_roles(frozenset(user.roles))
        self.refresh()

    def on_signed_out(self) -> None:
        self.cases.active = False

    def when_ready(self, callback: Callable[[], None]) -> None:
        self.first_work.when_ready(callback)

    def refresh(self) -> None:
        if self.user is not None:
            self.cases.reload()
            if self.case_panel.case:
                self.case_panel.load(self.case_panel.case["reference"])

    def print_bundle(self) -> None:
        """Ctrl+P: the bundle of the case in front, previewed (built first if need be)."""
        bundle, case = self.case_panel.bundle, self.case_panel.case
        self.case_panel.tabs.setCurrentWidget(bundle)
        if case is None:
            self.say("Choose a case first, then preview its bundle.")
        elif bundle.bundle is not None and bundle.built_version == case.get("version"):
            bundle.show_preview()
        else:  # never built, or the case has changed since: build it, then preview
            bundle.build(then_preview=True)

    def focus_search(self) -> None:
        self.table.setFocus()

    def new_item(self) -> None:
        """Ctrl+N: open a new case file."""
        if self.user is None:
            return
        self.new_case = NewCaseDialog(self.runner, self.client, self.people, self)
        self.new_case.details.saved.connect(self._opened)
        self.new_case.open()

    def _opened(self, case: dict[str, Any]) -> None:
        self.refresh()
        self.case_panel.show_case(case)

    def _loaded(self) -> None:
        self.first_work.shown()
        if self.cases.last_error:
            self.say(self.cases.last_error, "error")
            return
        total = self.cases.total
        self.say(
            f"{total} case{'s' if total != 1 else ''}, most urgent first."
            if total
            else "You have no case files."
        )

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.case_panel.load(str(self.cases.data(indexes[0], Qt.ItemDataRole.UserRole)))

    def open_reference(self, reference: str) -> str:
        """Show the case file with this reference (from a person's timeline), listed in My
        cases or not."""
        for row, case in enumerate(self.cases.rows):
            if case.reference == reference:
                self.table.selectRow(row)
                return ""
        self.case_panel.load(reference)
        return ""

    def _open_row(self, index: QModelIndex) -> None:
        """Enter on a row opens that case, also when the row is only current (the list
        arrives with the keyboard on its first row, nothing selected yet)."""
        if not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            self.table.selectRow(index.row())  # selecting loads it (`_selected`)
        self.case_panel.setFocus()

    def select_case(self, reference: str) -> None:
        for row, case in enumerate(self.cases.rows):
            if case.reference == reference:
                self.table.selectRow(row)
                return
