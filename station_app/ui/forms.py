"""Keyboard-first forms: sections, labelled fields with inline errors, Ctrl+Enter, drafts.

Every data-entry form in Station (walk-in report, booking-in, MG forms) is a `StationForm`:
one column of label + field in sections with headings, tab order in reading order, each
label tied to its field (buddy and accessible name), required fields marked, errors shown
under the field in the officer's words, and the primary button bottom right. Nothing
typed is ever cleared by an error. `DraftAutosave` keeps a draft as the officer types.
"""

from __future__ import annotations

import uuid
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.search import SearchEntry
from station_app.ui.theme import set_invalid, set_state
from station_app.ui.typeahead import TypeAheadField

if TYPE_CHECKING:
    from station_app.services.drafts import DraftStore
    from station_app.ui.runner import OperationRunner


LONG_LABEL = 40
"""Characters beyond which a field's label may wrap onto a second line."""


class StationForm(QWidget):
    submitted = Signal()
    """Ctrl+Enter or the primary button: the view validates and sends."""
    edited = Signal()
    """The officer changed a field (drafts listen to this)."""

    def __init__(self, title: str, submit_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(title)
        self._fields: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._errors: dict[str, QLabel] = {}
        self._layout_now: QFormLayout | None = None
        self._loading = False

        heading = QLabel(title)
        heading.setObjectName("heading")
        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Form message")
        self.message.hide()
        # GOV.UK's error summary: what needs correcting, at the top, each a link to its field.
        self.summary = QLabel()
        self.summary.setObjectName("errorSummary")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("There is a problem")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.summary.linkActivated.connect(lambda link: self.go_to(link.removeprefix("field:")))
        self.summary.hide()
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        scroll = self._scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.submit_button = QPushButton(submit_text)
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.submit_button.setToolTip(f"{submit_text.replace('&', '')} (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submitted)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.submit_button)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self._submit_by_key,
                Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(self.buttons)

    # --- building -----------------------------------------------------------------------
    def add_section(self, heading: str) -> None:
        label = QLabel(heading)
        label.setObjectName("sectionHeading")
        label.setAccessibleName(heading)
        self._body_layout.addWidget(label)
        self._layout_now = QFormLayout()
        self._layout_now.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._body_layout.addLayout(self._layout_now)

    def add_field(
        self,
        name: str,
        label: str,
        widget: QWidget,
        *,
        required: bool = False,
        hint: str = "",
        wide: bool = False,
    ) -> QWidget:
        """Add a labelled field; `label` may carry an & for its Alt key. A `wide` field (a
        set of checkboxes) has its label above it and the form's whole width below."""
        if self._layout_now is None:
            self.add_section("")
        assert self._layout_now is not None
        plain = label.replace("&", "")
        caption = QLabel(f"{label} *" if required else label)
        caption.setBuddy(widget)
        widget.setObjectName(name)
        widget.setAccessibleName(plain)
        description = "Required. " if required else ""
        widget.setAccessibleDescription(description + hint)
        if hint:
            widget.setToolTip(hint)
        error = QLabel()
        error.setObjectName(f"{name}Error")
        error.setWordWrap(True)
        error.setAccessibleName(f"Problem with {plain}")
        error.setProperty("state", "error")
        error.hide()
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.setSpacing(2)
        holder_layout.addWidget(widget)
        holder_layout.addWidget(error)
        if wide:
            caption.setWordWrap(True)
            self._layout_now.addRow(caption)
            self._layout_now.addRow(holder)
        else:
            # A long question wraps in a narrow dialog rather than making the form wider than
            # it (the new case file's "What the file standard asks about" scrolled sideways);
            # a short label stays on one line.
            caption.setWordWrap(len(plain) > LONG_LABEL)
            self._layout_now.addRow(caption, holder)
        previous = list(self._fields.values())[-1] if self._fields else None
        self._fields[name] = widget
        self._labels[name] = caption
        self._errors[name] = error
        if previous is not None:
            QWidget.setTabOrder(previous, widget)
        QWidget.setTabOrder(widget, self.submit_button)
        self._watch(name, widget)
        return widget

    def field(self, name: str) -> QWidget:
        return self._fields[name]

    def set_field_visible(self, name: str, visible: bool) -> None:
        """Show or hide a field with its label (a question asked only when it applies)."""
        self._labels[name].setVisible(visible)
        holder = self._fields[name].parentWidget()
        if holder is not None:
            holder.setVisible(visible)

    def field_visible(self, name: str) -> bool:
        holder = self._fields[name].parentWidget()
        return holder is not None and not holder.isHidden()

    def names(self) -> list[str]:
        return list(self._fields)

    # --- values (also what a draft holds) ------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: field_value(widget) for name, widget in self._fields.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill fields (from a draft or a record) without counting as the officer's edits."""
        self._loading = True
        try:
            for name, value in values.items():
                widget = self._fields.get(name)
                if widget is not None:
                    set_field_value(widget, value)
        finally:
            self._loading = False

    # --- errors and messages ----------------------------------------------------------------
    def set_errors(self, errors: dict[str, str], message: str = "") -> None:
        """Show each problem under its field and in the summary at the top (each a link to
        its field), scroll to the first one and put the cursor there. Problems for fields
        this form does not have, and `message` (the server's own sentence, when it says
        more than the fields do), go in the message above."""
        self.clear_errors()
        loose: list[str] = [message] if message else []
        for name, text in errors.items():
            if name in self._errors:
                self._errors[name].setText(text)
                self._errors[name].show()
                widget = self._fields[name]
                set_invalid(widget, True)
                widget.setAccessibleDescription(f"Problem: {text}")
            elif text not in loose:
                loose.append(text)
        self._show_summary()
        if loose:
            self.show_message(" ".join(loose))
        first = self.invalid_fields()[:1]
        if first:
            self.go_to(first[0])

    def invalid_fields(self) -> list[str]:
        """The fields showing a problem, in the form's order."""
        return [name for name, error in self._errors.items() if not error.isHidden()]

    def go_to(self, name: str) -> None:
        """Scroll to a field and put the cursor in it (a summary link, the first problem)."""
        widget = self._fields.get(name)
        if widget is None:
            return
        self._scroll.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_errors(self) -> None:
        for name, error in self._errors.items():
            error.hide()
            set_invalid(self._fields[name], False)
        self.message.hide()
        self.summary.hide()

    def _clear_error(self, name: str) -> None:
        """The officer changed a field that had a problem: the problem goes at once."""
        error = self._errors[name]
        if error.isHidden():
            return
        error.hide()
        set_invalid(self._fields[name], False)
        self._show_summary()

    def _show_summary(self) -> None:
        invalid = self.invalid_fields()
        if not invalid:
            self.summary.hide()
            return
        count = len(invalid)
        heading = "There is a problem" if count == 1 else f"There are {count} problems"
        links = "".join(
            f'<li><a href="field:{name}">{escape(self._errors[name].text())}</a></li>'
            for name in invalid
        )
        self.summary.setText(f"<b>{heading}</b><ul>{links}</ul>")
        self.summary.setAccessibleDescription(
            " ".join(self._errors[name].text() for name in invalid)
        )
        set_state(self.summary, "error")
        self.summary.show()

    def show_message(self, text: str, state: str = "error") -> None:
        self.message.setText(text)
        set_state(self.message, state)
        self.message.setVisible(bool(text))

    def set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)

    # --- behaviour ------------------------------------------------------------------------
    def _submit_by_key(self) -> None:
        if self.submit_button.isEnabled():
            self.submitted.emit()

    def _changed(self, name: str) -> None:
        if not self._loading:
            self._clear_error(name)
            self.edited.emit()

    def _watch(self, name: str, widget: QWidget) -> None:
        custom = getattr(widget, "edited", None)

        def changed(*_args: Any) -> None:
            self._changed(name)

        if isinstance(widget, TypeAheadField):
            widget.picked.connect(changed)
            widget.textEdited.connect(changed)
        elif custom is not None and hasattr(custom, "connect"):
            custom.connect(changed)
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(changed)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(changed)
        elif isinstance(widget, QDateTimeEdit):
            widget.dateTimeChanged.connect(changed)
        elif isinstance(widget, QSpinBox | QDoubleSpinBox):
            widget.valueChanged.connect(changed)


def field_value(widget: QWidget) -> Any:
    """The value of a field as plain JSON-able data."""
    custom = getattr(widget, "field_value", None)
    if callable(custom):
        return custom()
    if isinstance(widget, TypeAheadField):
        entry = widget.current_entry
        return {"code": entry.code, "label": entry.label} if entry else None
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        data = widget.currentData()
        return data if data is not None else widget.currentText()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QDateEdit):
        return widget.date().toString("yyyy-MM-dd")
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    raise TypeError(f"StationForm does not know how to read {type(widget).__name__}")


def set_field_value(widget: QWidget, value: Any) -> None:
    custom = getattr(widget, "set_field_value", None)
    if callable(custom):
        custom(value)
    elif isinstance(widget, TypeAheadField):
        widget.set_entry(SearchEntry(value["code"], value["label"]) if value else None)
    elif isinstance(widget, QLineEdit):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QComboBox):
        index = widget.findData(value)
        if index < 0:
            index = widget.findText(str(value))
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(bool(value))
    elif isinstance(widget, QDateEdit):
        from PySide6.QtCore import QDate

        widget.setDate(QDate.fromString(str(value), "yyyy-MM-dd"))
    elif isinstance(widget, QDateTimeEdit):
        from PySide6.QtCore import QDateTime

        widget.setDateTime(QDateTime.fromString(str(value), Qt.DateFormat.ISODate))
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.setValue(value)


class DraftAutosave(QObject):
    """Saves the form as a draft a moment after the officer stops typing (on a worker)."""

    saved = Signal()

    def __init__(
        self,
        form: StationForm,
        store: DraftStore,
        runner: OperationRunner,
        kind: str,
        draft_id: str | None = None,
        *,
        delay_ms: int = 800,
        title: str = "",
    ) -> None:
        super().__init__(form)
        self.form = form
        self.store = store
        self.runner = runner
        self.kind = kind
        self.draft_id = draft_id or uuid.uuid4().hex
        self.title = title
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.save_now)
        form.edited.connect(self._timer.start)

    def save_now(self) -> None:
        self._timer.stop()
        store, kind, draft_id, fields, title = (
            self.store,
            self.kind,
            self.draft_id,
            self.form.values(),
            self.title,
        )
        self.runner.run(
            f"draft.save.{kind}",
            lambda: store.save(kind, draft_id, fields, title),
            on_success=self._saved,
        )

    def flush(self) -> None:
        """Save now if typing since the last save is still waiting for the timer (the form
        is about to go: sign-out, a closing dialog)."""
        if self._timer.isActive():
            self.save_now()

    def _saved(self, _draft: object) -> None:
        import shiboken6

        if shiboken6.isValid(self):  # the form may have closed while the draft was written
            self.saved.emit()

    def discard(self) -> None:
        """The report was accepted or the officer threw it away: the draft goes."""
        self._timer.stop()
        store, kind, draft_id = self.store, self.kind, self.draft_id
        self.runner.run(f"draft.discard.{kind}", lambda: store.discard(kind, draft_id))

    def start_new(self) -> None:
        """A fresh form: a new draft id, so the next save does not overwrite the old one."""
        self._timer.stop()
        self.draft_id = uuid.uuid4().hex
