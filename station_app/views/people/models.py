"""The People tab's lists as Qt models: people found, a person's timeline, and suggested
merges. Each is a short list the server answers in one go (a search at most 20 people, a
timeline the person's roles, merges a page of 50), so none of them pages."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from station_app.services.people import PersonCandidate, PersonRole, SuggestedMerge
from station_app.ui.timefmt import local_time_text

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex


def person_line(surname: str, forenames: str, born: Any) -> str:
    """ "SMYTH, John Paul" and the date of birth, as every list of people shows them."""
    name = f"{surname.upper()}, {forenames}".rstrip(", ")
    return f"{name}, born {born:%d/%m/%Y}" if born else f"{name}, date of birth not known"


class _RowsModel(QAbstractTableModel, Generic[Row]):
    headers: tuple[str, ...] = ()

    def __init__(self, cells: Callable[[Row], Sequence[str]]) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._cells = cells

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        return self._cells(self.rows[index.row()])[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class CandidatesModel(_RowsModel[PersonCandidate]):
    headers = ("Person", "Why", "Address")

    def __init__(self) -> None:
        super().__init__(
            lambda c: (
                person_line(c.surname, c.forenames, c.date_of_birth),
                "; ".join(c.reasons),
                c.addresses[0] if c.addresses else "",
            )
        )


class TimelineModel(_RowsModel[PersonRole]):
    headers = ("When", "Role", "Record", "Reference")

    def __init__(self) -> None:
        super().__init__(
            lambda r: (
                local_time_text(r.linked_at),
                r.role_title,
                r.record_title[:1].upper() + r.record_title[1:],
                r.reference,
            )
        )


class SuggestionsModel(_RowsModel[SuggestedMerge]):
    headers = ("First person", "Second person", "Likelihood", "Why")

    def __init__(self) -> None:
        super().__init__(
            lambda s: (
                f"{s.first.person_id} "
                + person_line(s.first.surname, s.first.forenames, s.first.date_of_birth),
                f"{s.second.person_id} "
                + person_line(s.second.surname, s.second.forenames, s.second.date_of_birth),
                f"{s.score:.0%}",
                "; ".join(s.reasons),
            )
        )
