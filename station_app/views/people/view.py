"""The People tab: find a person by what you were told (names, date of birth, postcode),
read them (names, aliases, addresses, identifiers, warning markers) with one timeline of
every record they appear in, and open a record from it in its own tab. The timeline holds
only the kinds of record the officer's roles may read: the server leaves out the others and
says how many. Supervisors and administrators also get the suggested merges, and undo a
merge from the person kept.

Every search and every read is the server's, audited there; nothing is cached here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.roles import Role
from station_app.services.auth import UserInfo
from station_app.services.people import PeopleClient, PersonCandidate, PersonRecord
from station_app.ui.known_person import PersonFields, query_from
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.tab import CommonKey, FirstWork, TabAction
from station_app.ui.theme import set_state
from station_app.ui.widgets import caption, record_table
from station_app.views.people.merges import ConfirmDialog, SuggestedMergesPanel, unmerge_text
from station_app.views.people.models import CandidatesModel, TimelineModel, person_line

OpenRecord = Callable[[str, str], str]
"""(record type, reference) -> "" when the record was opened in its tab, else a sentence
saying why not."""

SEARCH_LIMIT = 20
MERGE_ROLES = frozenset({Role.SUPERVISOR.value, Role.ADMIN.value})


class PeopleView(QWidget):
    title = "People"

    def __init__(
        self, runner: OperationRunner, *, client: PeopleClient, open_record: OpenRecord
    ) -> None:
        super().__init__()
        self.setObjectName("peopleView")
        self.runner, self.client, self.open_record = runner, client, open_record
        self.user: UserInfo | None = None
        self.person: PersonRecord | None = None
        self.dialog: ConfirmDialog | None = None
        """The unmerge confirmation on show (or last shown)."""

        # --- search -----------------------------------------------------------------------
        self.name = QLineEdit()
        self.name.setObjectName("peopleName")
        self.name.setPlaceholderText("Forenames and surname, as told")
        self.born = QLineEdit()
        self.born.setObjectName("peopleBorn")
        self.born.setPlaceholderText("DD/MM/YYYY")
        self.postcode = QLineEdit()
        self.postcode.setObjectName("peoplePostcode")
        self.search_button = QPushButton("Se&arch")
        self.search_button.setObjectName("peopleSearch")
        self.search_button.clicked.connect(self.search)
        for field in (self.name, self.born, self.postcode):
            field.returnPressed.connect(self.search)
        for field in (self.name, self.born):  # the hint shows whole at 1366x768 (ui.md)
            hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
            field.setMinimumWidth(hint + 24)
        self.results = CandidatesModel()
        self.results_table = record_table(
            self.results, "peopleResults", "People found", widths=((0, 230), (1, 230))
        )
        self.results_table.activated.connect(lambda index: self.open_person(index.row()))
        self.search_info = QLabel("Type what you were told, then Enter.")
        self.search_info.setObjectName("peopleSearchInfo")
        self.search_info.setWordWrap(True)
        self.search_info.setAccessibleName("Search result")
        # Two rows, the name on its own: in one row the search asked for 664 pixels and the
        # People tab no longer fitted a 1366x768 screen at 150% (issue 13). Tab order is
        # reading order: name, date of birth, postcode, Search.
        fields = QGridLayout()
        fields.addWidget(caption("&Name:", self.name), 0, 0)
        fields.addWidget(self.name, 0, 1, 1, 4)
        fields.addWidget(caption("Date of &birth:", self.born), 1, 0)
        fields.addWidget(self.born, 1, 1)
        fields.addWidget(caption("&Postcode:", self.postcode), 1, 2)
        fields.addWidget(self.postcode, 1, 3)
        fields.addWidget(self.search_button, 1, 4)
        fields.setColumnStretch(1, 1)
        fields.setColumnStretch(3, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        heading = QLabel("Find a person")
        heading.setObjectName("heading")
        left_layout.addWidget(heading)
        left_layout.addLayout(fields)
        left_layout.addWidget(self.search_info)
        left_layout.addWidget(self.results_table, 1)

        # --- the person -------------------------------------------------------------------
        self.heading = QLabel("Choose a person from the search.")
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("personDetails")
        self.details.setWordWrap(True)
        self.details.setAccessibleName("Person's details")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.markers = QLabel()
        self.markers.setObjectName("personMarkers")
        self.markers.setWordWrap(True)
        self.markers.setAccessibleName("Warning markers")
        self.timeline = TimelineModel()
        self.timeline_table = record_table(
            self.timeline, "personTimeline", "Timeline", widths=((0, 130), (1, 130), (2, 130))
        )
        self.timeline_table.activated.connect(lambda index: self.open_timeline(index.row()))
        self.timeline_info = QLabel()
        self.timeline_info.setObjectName("timelineInfo")
        self.timeline_info.setWordWrap(True)
        self.timeline_info.setAccessibleName("About the timeline")
        self.merged_choice = QComboBox()
        self.merged_choice.setObjectName("mergedPeople")
        self.unmerge_button = QPushButton("&Undo a merge…")
        self.unmerge_button.setObjectName("unmerge")
        self.unmerge_button.clicked.connect(self.unmerge_chosen)
        self.merge_row = QWidget()
        merge_layout = QHBoxLayout(self.merge_row)
        merge_layout.setContentsMargins(0, 0, 0, 0)
        merge_layout.addWidget(caption("Merged into this person:", self.merged_choice))
        merge_layout.addWidget(self.merged_choice, 1)
        merge_layout.addWidget(self.unmerge_button)
        self.merge_row.hide()
        person_page = QWidget()
        person_layout = QVBoxLayout(person_page)
        person_layout.addWidget(self.heading)
        person_layout.addWidget(self.details)
        person_layout.addWidget(self.markers)
        person_layout.addWidget(
            caption("&Timeline (Enter opens the record in its tab):", self.timeline_table)
        )
        person_layout.addWidget(self.timeline_table, 1)
        person_layout.addWidget(self.timeline_info)
        person_layout.addWidget(self.merge_row)

        self.merges: SuggestedMergesPanel | None = None
        """Suggested merges, made for a supervisor or an administrator only."""
        self.pages = QTabWidget()
        self.pages.setObjectName("peoplePages")
        self.pages.addTab(person_page, "P&erson")
        self.pages.currentChanged.connect(self._page_shown)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.first_work = FirstWork(self, lambda: self.name)

    # --- StationTab -----------------------------------------------------------------------
    def widget(self) -> QWidget:
        return self

    def tab_actions(self) -> Sequence[TabAction]:
        actions = [
            TabAction("Find a person", self.focus_search, CommonKey.FIND),
            TabAction("Read the person again", self.refresh, CommonKey.REFRESH),
        ]
        if self.may_merge:
            actions.append(TabAction("Suggested merges", self.show_merges, shortcut="F9"))
        return actions

    @property
    def may_merge(self) -> bool:
        return self.user is not None and bool(MERGE_ROLES & set(self.user.roles))

    def on_signed_in(self, user: UserInfo) -> None:
        self.user = user
        if self.may_merge and self.merges is None:
            self.merges = SuggestedMergesPanel(self.runner, self.client)
            self.merges.changed.connect(self.show_person)
            self.pages.addTab(self.merges, "Suggested &merges")
        self.first_work.shown()  # nothing to wait for: the search is the first work

    def on_signed_out(self) -> None:
        self.user = None
        self.person = None
        self.results.set_rows([])
        self.timeline.set_rows([])

    def when_ready(self, callback: Callable[[], None]) -> None:
        self.first_work.when_ready(callback)

    def focus_search(self) -> None:
        self.name.setFocus()
        self.name.selectAll()

    def refresh(self) -> None:
        if self.person is not None:
            self.load_person(self.person.person_id)

    def show_merges(self) -> None:
        if self.merges is not None:
            self.pages.setCurrentWidget(self.merges)
            self.merges.table.setFocus()

    def _page_shown(self, _index: int) -> None:
        if self.merges is not None and self.pages.currentWidget() is self.merges:
            self.merges.load()

    # --- searching ------------------------------------------------------------------------
    def search(self) -> None:
        # Read the way "known person?" reads a form (names split, dates as typed).
        query = query_from(
            PersonFields(name=self.name, date_of_birth=self.born, postcode=self.postcode)
        )
        if not query.named:
            self.search_info.setText("Type a surname or forenames to search for a person.")
            set_state(self.search_info, "error")
            self.name.setFocus()
            return
        client = self.client
        self.search_info.setText("Searching…")
        set_state(self.search_info, "")
        self.runner.run(
            "people.search",
            lambda: client.search(query, SEARCH_LIMIT),
            on_success=self._found,
            on_failure=lambda failure: self._say(self.search_info, failure),
        )

    def _found(self, found: Sequence[PersonCandidate]) -> None:
        self.results.set_rows(found)
        if not found:
            self.search_info.setText("Nobody held is like that. Check the spelling, or add less.")
            return
        count = "1 person" if len(found) == 1 else f"{len(found)} people"
        self.search_info.setText(f"{count} found, most likely first. Enter reads the person.")
        self.results_table.selectRow(0)
        self.results_table.setFocus()

    # --- a person -------------------------------------------------------------------------
    def open_person(self, row: int) -> None:
        if 0 <= row < len(self.results.rows):
            self.load_person(self.results.rows[row].person_id)

    def load_person(self, person_id: str) -> None:
        client = self.client
        self.heading.setText(f"Reading {person_id}…")
        self.runner.run(
            "people.read",
            lambda: client.person(person_id),
            on_success=self.show_person,
            on_failure=lambda failure: self._say(self.timeline_info, failure),
        )

    def show_person(self, person: PersonRecord) -> None:
        self.person = person
        shown = person.roles  # the server sends only what the user's roles read (issue 10)
        self.pages.setCurrentIndex(0)
        line = person_line(person.surname, person.forenames, person.date_of_birth)
        self.heading.setText(f"{person.person_id}: {line}")
        lines = []
        if person.merged_into:
            lines.append(f"Merged into {person.merged_into}: searches answer with that person.")
        if person.aliases:
            lines.append(
                "Also known as: "
                + "; ".join(f"{s.upper()}, {f}".rstrip(", ") for s, f in person.aliases)
            )
        for label, value in (
            ("Gender", person.gender),
            ("PNC ID", person.pnc_id),
            ("CRO", person.cro),
            ("Description", person.description),
        ):
            if value:
                lines.append(f"{label}: {value}")
        for address in person.addresses:
            when = "now" if address.current else "before"
            text = " ".join(p for p in (address.address, address.postcode) if p)
            lines.append(f"Address ({when}): {text}")
        self.details.setText("\n".join(lines) or "No more details held.")
        if person.warning_markers:
            self.markers.setText(
                "Warning markers: " + ", ".join(title for _c, title in person.warning_markers)
            )
            set_state(self.markers, "error")
        else:
            self.markers.setText("No warning markers.")
            set_state(self.markers, "")
        self.timeline.set_rows(shown)
        hidden = person.roles_not_shown
        parts = [f"{len(shown)} record{'s' if len(shown) != 1 else ''}, oldest first."]
        if hidden:
            parts.append(
                f"{hidden} more in records your role does not read "
                f"{'is' if hidden == 1 else 'are'} not shown."
            )
        self.timeline_info.setText(" ".join(parts))
        set_state(self.timeline_info, "")
        self.merged_choice.clear()
        for merged in person.merged_people:
            self.merged_choice.addItem(merged, merged)
        self.merge_row.setVisible(self.may_merge and bool(person.merged_people))
        if shown:
            self.timeline_table.selectRow(0)
        self.timeline_table.setFocus()

    def open_timeline(self, row: int) -> None:
        if not 0 <= row < len(self.timeline.rows):
            return
        entry = self.timeline.rows[row]
        why_not = self.open_record(entry.record_type, entry.reference)
        if why_not:
            self.timeline_info.setText(why_not)
            set_state(self.timeline_info, "error")

    # --- unmerge --------------------------------------------------------------------------
    def unmerge_chosen(self) -> None:
        person, merged_id = self.person, self.merged_choice.currentData()
        if person is None or not merged_id:
            return
        dialog = self.dialog = ConfirmDialog(
            "Undo a merge", unmerge_text(str(merged_id), person.person_id), "&Undo merge", self
        )
        client = self.client

        def unmerge() -> None:
            reason = dialog.reason.text().strip()
            self.runner.run(
                "people.unmerge",
                lambda: client.unmerge(str(merged_id), reason),
                on_success=lambda _restored: self.load_person(person.person_id),
                on_failure=lambda failure: self._say(self.timeline_info, failure),
            )

        dialog.accepted.connect(unmerge)
        dialog.open()
        dialog.reason.setFocus()

    def _say(self, label: QLabel, failure: OperationFailure) -> None:
        label.setText(failure.message)
        set_state(label, "error")
