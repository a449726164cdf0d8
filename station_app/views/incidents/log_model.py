"""The incident log's model: the server's filtered, sorted list, a page at a time
(`ui.paged_model`), so the window never waits for it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Qt

from station_app.domain.incidents import FLAG_WORDS, STATUS_WORDS, Flag, IncidentStatus
from station_app.domain.wire import parse_utc
from station_app.services.incidents import IncidentsApi, ListQuery
from station_app.ui.paged_model import Page, PagedTableModel
from station_app.ui.runner import OperationRunner
from station_app.ui.timefmt import local_time_text

# (header, server sort key or None when the server cannot sort by it)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Reference", "reference"),
    ("Reported", "reported_at"),
    ("Offence", "offence"),
    ("Victim", None),
    ("Place", None),
    ("Status", "status"),
    ("Flags", None),
)


def _cell(row: dict[str, Any], column: int) -> str:
    if column == 0:
        return str(row["reference"])
    if column == 1:
        return local_time_text(parse_utc(row["reported_at"]))
    if column == 2:
        return str(row["offence_label"])
    if column == 3:
        return str(row["victim_name"])
    if column == 4:
        return str(row["place"])
    if column == 5:
        words = STATUS_WORDS[IncidentStatus(row["status"])]
        return f"{words} — decision overdue" if row.get("decision_overdue") else words
    return ", ".join(FLAG_WORDS[Flag(f)] for f in row.get("flags", []))


class IncidentLogModel(PagedTableModel[dict[str, Any]]):
    columns = tuple(header for header, _key in COLUMNS)
    operation = "incidents.list"

    def __init__(
        self, runner: OperationRunner, api: IncidentsApi, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, parent)
        self._api = api
        self.query = ListQuery()

    def page_reader(self, offset: int, limit: int) -> Callable[[], Page[dict[str, Any]]]:
        api, query = self._api, self.query

        def read() -> Page[dict[str, Any]]:
            page = api.list(query, offset, limit)
            return Page(page.items, page.has_more)

        return read

    def cell(self, row: dict[str, Any], column: int) -> str:
        return _cell(row, column)

    def load(self, query: ListQuery | None = None) -> None:
        """Show the first page for `query` (or the current one again)."""
        if query is not None:
            self.query = query
        self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return  # sorted on the server only by what it indexes
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self.query, sort=f"-{key}" if descending else key)
        if query != self.query:  # (the table asks once as it is made: nothing to read yet)
            self.load(query)
