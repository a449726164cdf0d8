"""Suggested merges, for a supervisor or an administrator: people probably entered twice,
most likely first, with the server's reasons. A merge is a person's decision, never
automatic: each one is confirmed in a dialog that says what will happen and that it can be
undone, with the reason written in the history (docs/api.md, "People")."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.services.people import PeopleClient, PersonRecord, PersonSummary, SuggestedMerge
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.widgets import caption, record_table
from station_app.views.people.models import SuggestionsModel, person_line


def _who(person: PersonSummary) -> str:
    line = person_line(person.surname, person.forenames, person.date_of_birth)
    return f"{person.person_id} ({line})"


class ConfirmDialog(QDialog):
    """Says what a merge or an unmerge will do, asks for the reason; Cancel is the default."""

    def __init__(self, title: str, text: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("confirmPeopleChange")
        self.text = QLabel(text)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(title)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("e.g. same PNC ID; confirmed with the custody record")
        buttons = QDialogButtonBox()
        self.confirm_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(caption("&Reason (kept in the person's history):", self.reason))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.resize(520, 240)


def merge_text(keep: PersonSummary, other: PersonSummary) -> str:
    return (
        f"{_who(other)} will be merged into {_who(keep)}. From then on searches answer with "
        f"{keep.person_id}, and its view shows both people's names, addresses and records as "
        "one. No details are changed and no record is moved: the merge can be undone from "
        f"{keep.person_id}'s view (Undo a merge). Merge them?"
    )


def unmerge_text(merged_id: str, survivor_id: str) -> str:
    return (
        f"{merged_id} will be taken out of {survivor_id}: both people come back exactly as "
        "they were before the merge, each with their own records. Undo the merge?"
    )


class SuggestedMergesPanel(QWidget):
    changed = Signal(object)
    """A merge was made: the `PersonRecord` kept."""

    def __init__(self, runner: OperationRunner, client: PeopleClient) -> None:
        super().__init__()
        self.setObjectName("suggestedMerges")
        self.runner, self.client = runner, client
        self.dialog: ConfirmDialog | None = None
        """The confirmation on show (or last shown)."""
        self.model = SuggestionsModel()
        self.table = record_table(
            self.model,
            "suggestionsTable",
            "Suggested merges",
            widths=((0, 260), (1, 260), (2, 80)),
        )
        self.info = QLabel("Suggested merges are read when this page is shown.")
        self.info.setObjectName("suggestionsInfo")
        self.info.setWordWrap(True)
        self.info.setAccessibleName("About suggested merges")
        self.keep_first = QPushButton("Keep the &first, merge the second into it…")
        self.keep_first.setObjectName("keepFirst")
        self.keep_second = QPushButton("&Keep the second, merge the first into it…")
        self.keep_second.setObjectName("keepSecond")
        self.keep_first.clicked.connect(lambda: self.merge_selected(keep_first=True))
        self.keep_second.clicked.connect(lambda: self.merge_selected(keep_first=False))
        # One above the other: side by side the two asked for 560 pixels, and the People tab
        # no longer fitted a 1366x768 screen at 150% (issue 13).
        buttons = QVBoxLayout()
        buttons.addWidget(self.keep_first)
        buttons.addWidget(self.keep_second)
        heading = caption("Suggested merges: people probably entered twice", self.table)
        heading.setObjectName("heading")
        heading.setWordWrap(True)  # two lines in a narrow pane rather than a wider window
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.info)
        layout.addLayout(buttons)

    def load(self) -> None:
        client = self.client
        self.info.setText("Looking for people entered twice…")
        set_state(self.info, "")
        self.runner.run(
            "people.duplicates",
            lambda: client.duplicates(),
            on_success=self._loaded,
            on_failure=self._failed,
        )

    def _loaded(self, found: tuple[tuple[SuggestedMerge, ...], bool]) -> None:
        suggestions, more = found
        self.model.set_rows(suggestions)
        if suggestions:
            self.table.selectRow(0)
        count = len(suggestions)
        self.info.setText(
            (
                f"{count} suggested merge{'s' if count != 1 else ''}, most likely first"
                + (" (more after these once they are settled)." if more else ".")
                + " Choose one, then say which person to keep. Nothing is merged unless you do."
            )
            if count
            else "No people look entered twice just now."
        )

    def _failed(self, failure: OperationFailure) -> None:
        self.info.setText(failure.message)
        set_state(self.info, "error")

    def selected(self) -> SuggestedMerge | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def merge_selected(self, *, keep_first: bool) -> None:
        suggestion = self.selected()
        if suggestion is None:
            self.info.setText("Choose a suggested merge in the list first.")
            set_state(self.info, "error")
            return
        keep, other = (
            (suggestion.first, suggestion.second)
            if keep_first
            else (suggestion.second, suggestion.first)
        )
        dialog = self.dialog = ConfirmDialog(
            "Merge two people", merge_text(keep, other), "&Merge", self
        )
        client = self.client

        def merge() -> None:
            reason = dialog.reason.text().strip()
            self.info.setText(f"Merging {other.person_id} into {keep.person_id}…")
            self.runner.run(
                "people.merge",
                lambda: client.merge(keep.person_id, other.person_id, reason),
                on_success=self._merged,
                on_failure=self._failed,
            )

        def kept_apart() -> None:
            self.info.setText("Nothing was merged.")
            set_state(self.info, "")
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

        dialog.accepted.connect(merge)
        dialog.rejected.connect(kept_apart)
        dialog.open()
        dialog.reason.setFocus()

    def _merged(self, person: PersonRecord) -> None:
        self.changed.emit(person)
        self.load()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
