"""Qt models of the Reference tab: the dataset list and the rows of one dataset.

The rows model pages through the local cache in the background (`canFetchMore` /
`fetchMore`), so a 20,000-row dataset opens at once and the window never waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from station_app.services.reference import ReferenceCache, ReferenceRow
from station_app.ui.paged_model import Page, PagedTableModel
from station_app.ui.runner import OperationRunner

_ATTRIBUTE_TITLES = {
    "wording": "Wording",
    "act": "Act",
    "ho_class": "Home Office class",
    "mode_of_trial": "Mode of trial",
    "sample": "Demo sample",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone",
    "custody_suite": "Custody suite",
    "station_code": "Station",
    "cell_type": "Type",
    "capacity": "Capacity",
    "court_type": "Court type",
    "group": "Group",
    "rank": "Rank",
}

_VALUE_WORDS = {
    "summary": "Summary only",
    "either_way": "Either way",
    "indictable": "Indictable only",
    "magistrates": "Magistrates' court",
    "crown": "Crown Court",
    "detention_room": "Detention room",
    "juvenile": "Juvenile detention room",
    "cell": "Cell",
    True: "Yes",
    False: "No",
}

_SUMMARY_SKIPS = {"wording", "sample"}


def attribute_title(name: str) -> str:
    return _ATTRIBUTE_TITLES.get(name, name.replace("_", " ").capitalize())


def attribute_value(value: Any) -> str:
    if isinstance(value, bool | str) and value in _VALUE_WORDS:
        return _VALUE_WORDS[value]
    return str(value)


def row_summary(row: ReferenceRow) -> str:
    return " · ".join(
        attribute_value(value)
        for name, value in row.attributes.items()
        if name not in _SUMMARY_SKIPS and value not in (None, "")
    )


class ReferenceRowsModel(PagedTableModel[ReferenceRow]):
    """Rows of one cached dataset matching a search, read a page at a time."""

    columns = ("Code", "Name", "Details")
    operation = "reference.read"
    page_size = 200

    def __init__(
        self, cache: ReferenceCache, runner: OperationRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, parent)
        self._cache = cache
        self._dataset = ""
        self._text = ""

    @property
    def search_text(self) -> str:
        """The search the shown rows answer (the field may already hold a newer one)."""
        return self._text

    def load(self, dataset: str, text: str = "") -> None:
        """Show the first page of `dataset` rows matching `text` (replaces what is shown)."""
        self._dataset, self._text = dataset, text
        self.reload()

    def page_reader(self, offset: int, limit: int) -> Callable[[], Page[ReferenceRow]] | None:
        cache, dataset, text, counted = self._cache, self._dataset, self._text, self.total
        if not dataset:
            return None

        def read() -> Page[ReferenceRow]:
            rows = cache.rows(dataset, text=text, offset=offset, limit=limit)
            # Counted with the first page; later pages go on to that count.
            total = cache.count(dataset, text=text) if offset == 0 else None
            known = total if total is not None else counted
            return Page(rows, has_more=offset + len(rows) < known, total=total)

        return read

    def cell(self, row: ReferenceRow, column: int) -> str:
        if column == 0:
            return row.code
        if column == 1:
            return row.label
        return row_summary(row)
