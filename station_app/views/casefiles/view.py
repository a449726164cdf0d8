"""The Case files tab: My cases on the left (most urgent first), the selected case on the
right. Services are attached after the first paint with `bind_casefiles` (the ApiSession is
made in build_station, after the tabs exist)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from station_app.services.auth import AuthClient, UserInfo
from station_app.services.casefiles import CasefilesClient
from station_app.services.drafts import DraftStore
from station_app.ui.runner import OperationRunner
from station_app.ui.theme import set_state
from station_app.views.casefiles.case_details import NewCaseDialog
from station_app.views.casefiles.case_panel import CasePanel
from station_app.views.casefiles.models import CasesModel, urgency

if TYPE_CHECKING:
    from station_app.services.api import ApiSession

_URGENCY_COLOURS = {"error": QColor("#b00020"), "warning": QColor("#8a5a00")}


class _UrgentCasesModel(CasesModel):
    """Days left in red when past and amber when close (the words say it too: ui.md)."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.column() == 5:
            case = self.cases[index.row()]
            return _URGENCY_COLOURS.get(urgency(case.days_left, case.missing_count))
        return super().data(index, role)


class CasefilesView(QWidget):
    title = "Case files"

    def __init__(self, runner: OperationRunner, drafts: DraftStore) -> None:
        super().__init__()
        self.setObjectName("casefilesView")
        self.runner = runner
        self.auth: AuthClient | None = None
        self.client: CasefilesClient | None = None
        self.user: UserInfo | None = None
        self.new_case: NewCaseDialog | None = None

        self.cases = _UrgentCasesModel(runner)
        self.table = QTableView()
        self.table.setObjectName("myCases")
        self.table.setAccessibleName("My cases")
        self.table.setModel(self.cases)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.cases.failed.connect(lambda text: self.say(text, "error"))
        self.cases.loaded.connect(self._loaded)
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

        self.case_panel = CasePanel(runner, drafts)
        self.case_panel.changed.connect(self.refresh)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.case_panel)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 760])  # the list shows reference, suspect, type and days left
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def bind(self, session: ApiSession) -> None:
        """Attach the services once the ApiSession exists."""
        self.auth = AuthClient(session)
        self.client = CasefilesClient(session)
        self.cases.client = self.client
        self.case_panel.bind(self.client)

    def say(self, text: str, state: str = "info") -> None:
        self.info.setText(text)
        set_state(self.info, state)

    # --- the shell's hooks (main_window.py) -------------------------------------------
    def on_signed_in(self) -> None:
        if self.auth is None:
            return
        self.runner.run(
            "casefiles.me",
            self.auth.me,
            on_success=self._me,
            on_failure=lambda f: self.say(f.message, "error"),
        )

    def on_signed_out(self) -> None:
        self.user = None
        self.cases.client = None
        self.cases.reload()
        self.case_panel.set_roles(frozenset())

    def refresh(self) -> None:
        if self.client is not None and self.user is not None:
            self.cases.client = self.client
            self.cases.reload()
            if self.case_panel.case:
                self.case_panel.load(self.case_panel.case["reference"])

    def focus_search(self) -> None:
        self.table.setFocus()

    def new_item(self) -> None:
        """Ctrl+N: open a new case file."""
        if self.client is None or self.user is None:
            return
        self.new_case = NewCaseDialog(self.runner, self.client, self)
        self.new_case.details.saved.connect(self._opened)
        self.new_case.open()

    def _opened(self, case: dict[str, Any]) -> None:
        self.refresh()
        self.case_panel.show_case(case)

    def _me(self, user: UserInfo) -> None:
        self.user = user
        # A detective sees their own cases; a supervisor reviews the whole team's.
        self.cases.mine = "detective" in user.roles
        self.list_heading.setText("My cases" if self.cases.mine else "Cases to review")
        self.case_panel.set_roles(frozenset(user.roles))
        self.refresh()

    def _loaded(self) -> None:
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

    def select_case(self, reference: str) -> None:
        for row, case in enumerate(self.cases.cases):
            if case.reference == reference:
                self.table.selectRow(row)
                return
