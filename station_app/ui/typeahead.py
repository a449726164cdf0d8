"""A type-ahead field over a cached dataset (offences first), used by the forms of every tab.

As the officer types, the best matches (code or words, in any order, prefix matches first —
see `station_app.domain.search`) show under the field. Down and Up move, Enter picks, Esc
puts back what was there before. The search runs on the UI thread because it is an
in-memory index that answers in a few milliseconds (`bench/typeahead.py` measures it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QListView, QWidget

from station_app.domain.search import SearchEntry

if TYPE_CHECKING:
    from station_app.domain.search import TypeAheadIndex
    from station_app.services.reference import ReferenceCache
    from station_app.ui.runner import OperationRunner

SearchFunction = Callable[[str, int], Sequence[SearchEntry]]

_CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def entry_text(entry: SearchEntry) -> str:
    return f"{entry.code} — {entry.label}"


class TypeAheadField(QLineEdit):
    picked = Signal(object)
    """The `SearchEntry` the officer picked, or None when the field was cleared."""

    def __init__(self, parent: QWidget | None = None, *, limit: int = 8) -> None:
        super().__init__(parent)
        self.setObjectName("typeAheadField")
        self._limit = limit
        self._search: SearchFunction | None = None
        self._shown: dict[str, SearchEntry] = {}
        self._current: SearchEntry | None = None
        self._committed_text = ""
        self._model = QStandardItemModel(self)
        self._completer = QCompleter(self._model, self)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setMaxVisibleItems(limit)
        self._completer.setWidget(self)
        self._popup = QListView()
        self._completer.setPopup(self._popup)  # the completer takes it over
        # QCompleter.activated is overloaded (text or index); PySide6's stubs can't say so.
        activated: Any = self._completer.activated
        activated[QModelIndex].connect(self._pick_index)
        popup = self._popup
        popup.setObjectName("typeAheadPopup")
        popup.setAccessibleName("Matches")
        popup.installEventFilter(self)
        self.textEdited.connect(self.search_for)
        self.setPlaceholderText("Type a code or words")

    # --- public -----------------------------------------------------------------------
    def set_source(self, search: SearchFunction | None) -> None:
        """Give the field its search (None while the data is still loading)."""
        self._search = search
        if search is None:
            self.setPlaceholderText("Loading…")
        else:
            self.setPlaceholderText("Type a code or words")

    @property
    def current_entry(self) -> SearchEntry | None:
        return self._current

    def set_entry(self, entry: SearchEntry | None) -> None:
        """Set the field's value from code (restoring a draft, say) without opening matches."""
        self._current = entry
        self._committed_text = entry_text(entry) if entry else ""
        self.setText(self._committed_text)

    def matches(self) -> list[SearchEntry]:
        """What the popup shows now, in order."""
        return [
            self._shown[self._model.item(row).data(_CODE_ROLE)]
            for row in range(self._model.rowCount())
        ]

    def popup(self) -> QAbstractItemView:
        """The list of matches under the field."""
        return self._popup

    def popup_visible(self) -> bool:
        return self._popup.isVisible()

    def finds(self, text: str) -> bool:
        """Whether the field has its source yet and it has matches for `text`."""
        return self._search is not None and bool(self._search(text, 1))

    # --- behaviour (a subclass with a slower source, such as a server search, overrides
    # `search_for` and calls `show_matches` and `pick` itself) -------------------------
    def search_for(self, text: str) -> None:
        """The officer edited the text: show the matches for it."""
        query = text.strip()
        if not query or self._search is None:
            self.show_matches([])
            if not query and self._current is not None:
                self._current = None
                self._committed_text = ""
                self.picked.emit(None)
            return
        self.show_matches(list(self._search(query, self._limit)))

    def show_matches(self, entries: list[SearchEntry]) -> None:
        """Show `entries` under the field (none: hide the list)."""
        self._model.clear()
        self._shown = {}
        for entry in entries:
            item = QStandardItem(entry_text(entry))
            item.setData(entry.code, _CODE_ROLE)
            item.setToolTip(entry.label)
            item.setEditable(False)
            self._model.appendRow(item)
            self._shown[entry.code] = entry
        if entries:
            self._completer.complete()
            self._popup.setCurrentIndex(QModelIndex())
        else:
            self._popup.hide()

    def _pick_index(self, index: QModelIndex) -> None:
        code = index.data(_CODE_ROLE)
        entry = self._shown.get(code)
        if entry is not None:
            self.pick(entry)

    def pick(self, entry: SearchEntry) -> None:
        """Take `entry` as the field's value, as if the officer had chosen it."""
        self._current = entry
        self._committed_text = entry_text(entry)
        self.setText(self._committed_text)
        self.show_matches([])
        self.picked.emit(entry)

    def _restore(self) -> None:
        self._popup.hide()
        self.setText(self._committed_text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Runs before QCompleter's own filter on the popup (filters run newest first).
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape:
                self._restore()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                index = self._popup.currentIndex()
                if not index.isValid() and self._model.rowCount():
                    index = self._model.index(0, 0)  # Enter with none highlighted: the best
                if index.isValid():
                    self._pick_index(index)
                    return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.text() != self._committed_text:
            self._restore()
            event.accept()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not self.popup_visible():
            self.search_for(self.text())
            if self.popup_visible():
                return
        super().keyPressEvent(event)


class _DatasetFeed(QObject):
    """Keeps a field fed from a cached dataset. A child of the field: when the field goes,
    Qt disconnects it from the runner and drops any index still being built for it."""

    def __init__(
        self, field: TypeAheadField, runner: OperationRunner, cache: ReferenceCache, dataset: str
    ) -> None:
        super().__init__(field)
        self._field = field
        self._runner = runner
        self._cache = cache
        self._dataset = dataset
        runner.operation_finished.connect(self._operation_finished)

    def build(self) -> None:
        from station_app.domain.search import TypeAheadIndex

        cache, dataset = self._cache, self._dataset
        self._runner.run(
            f"typeahead.{dataset}",
            lambda: TypeAheadIndex(cache.entries(dataset)),
            on_success=self._built,
            warm_up=True,
        )

    def _built(self, index: TypeAheadIndex) -> None:
        self._field.set_source(index.search)

    def _operation_finished(self, name: str) -> None:
        if name == "reference.sync":
            self.build()


def attach_dataset(
    field: TypeAheadField, runner: OperationRunner, cache: ReferenceCache, dataset: str
) -> None:
    """Feed `field` from a cached dataset: the index is built on a worker (a few hundred ms
    for 20,000 rows) and built again after every reference sync."""
    field.set_source(None)
    _DatasetFeed(field, runner, cache, dataset).build()
