"""The walk-in report form: one keyboard-first StationForm in reading order (who reports,
the victim, what happened, flags), with typed dates and times, postcodes tidied as they
are left, the offence type-ahead and the "victim is the reporting person" shortcut."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QWidget,
    QWidgetAction,
)

from station_app.domain.incidents import FLAG_WORDS, Flag
from station_app.domain.typed_input import DATE_HELP, TIME_HELP
from station_app.domain.validation import normalise_postcode
from station_app.ui.forms import StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.typeahead import TypeAheadField
from station_app.views.incidents.known_people import KnownPeoplePicker

VICTIM_FIELDS = (
    "victim_name",
    "victim_dob",
    "victim_person",
    "victim_address",
    "victim_postcode",
    "victim_phone",
    "victim_email",
)


class TypedDateField(QLineEdit):
    """A date (or date and time) typed as the officer says it, with a calendar to pick from
    (Alt+Down or the button at the end)."""

    def __init__(self, *, with_time: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_time = with_time
        self.setPlaceholderText("25/11/2026 14:30" if with_time else "25/11/1980")
        self.setToolTip(TIME_HELP if with_time else DATE_HELP)
        self.calendar = QCalendarWidget()
        self.calendar.setAccessibleName("Pick a date")
        self._menu = QMenu(self)
        action = QWidgetAction(self._menu)
        action.setDefaultWidget(self.calendar)
        self._menu.addAction(action)
        picker = self.addAction(
            self.style().standardIcon(self.style().StandardPixmap.SP_FileDialogDetailedView),
            QLineEdit.ActionPosition.TrailingPosition,
        )
        picker.setToolTip("Pick from a calendar (Alt+Down)")
        picker.triggered.connect(self.open_calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)

    def open_calendar(self) -> None:
        self._menu.popup(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.setFocus()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def _picked(self, day: QDate) -> None:
        self._menu.hide()
        text = day.toString("dd/MM/yyyy")
        if self.with_time:
            parts = self.text().split()
            text += f" {parts[1]}" if len(parts) == 2 else " 00:00"
        self.setText(text)
        self.textEdited.emit(text)  # a pick is an edit: the draft keeps it
        self.setFocus()


class PostcodeField(QLineEdit):
    """Tidied to upper case with one space when the officer leaves it, if it is a UK format."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("SE1 9QX")
        self.setMaxLength(12)
        self.editingFinished.connect(self._tidy)

    def _tidy(self) -> None:
        try:
            tidy = normalise_postcode(self.text())
        except ValueError:
            return  # the check at sending says why, in words
        if tidy != self.text():
            self.setText(tidy)
            self.textEdited.emit(tidy)


def _text_box(lines_hint: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setPlaceholderText(lines_hint)
    box.setMinimumHeight(60)
    return box


class WalkInForm(StationForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("New walk-in report", "S&end report", parent)
        self.setObjectName("walkInForm")
        self.add_section("Reporting person")
        self.add_field("reporter_name", "Na&me", QLineEdit(), required=True)
        self.add_field("reporter_dob", "Date of &birth", TypedDateField(with_time=False))
        self.reporter_person = self._known_person("reporter", "Known person?")
        self.add_field("reporter_address", "Address", QLineEdit())
        self.add_field("reporter_postcode", "Postcode", PostcodeField())
        self.add_field("reporter_phone", "Phone", QLineEdit())
        self.add_field("reporter_email", "E-mail", QLineEdit())
        contact = QComboBox()
        for text, value in (
            ("Not said", ""),
            ("Phone", "phone"),
            ("E-mail", "email"),
            ("Letter", "letter"),
        ):
            contact.addItem(text, value)
        self.add_field("reporter_contact_method", "Preferred contact", contact)
        self.add_field("reporter_contact_times", "Best times to contact", QLineEdit())
        self.add_field("reporter_language", "Language", QLineEdit())
        self.add_field("reporter_interpreter", "Interpreter needed", QCheckBox())

        self.add_section("Victim")
        same = QCheckBox()
        same.setChecked(True)
        self.add_field("victim_is_reporter", "Victim is the re&porting person", same)
        self.add_field("victim_name", "Victim's name", QLineEdit(), required=True)
        self.add_field("victim_dob", "Victim's date of birth", TypedDateField(with_time=False))
        self.victim_person = self._known_person("victim", "Victim a known person?")
        self.add_field("victim_address", "Victim's address", QLineEdit())
        self.add_field("victim_postcode", "Victim's postcode", PostcodeField())
        self.add_field("victim_phone", "Victim's phone", QLineEdit())
        self.add_field("victim_email", "Victim's e-mail", QLineEdit())
        same.toggled.connect(self._victim_shortcut)

        self.add_section("What happened")
        self.offence = TypeAheadField()
        self.add_field(
            "offence",
            "&Offence",
            self.offence,
            required=True,
            hint="Type a code or words and pick from the list.",
        )
        self.add_field(
            "occurred_from", "Happened from", TypedDateField(with_time=True), hint=TIME_HELP
        )
        self.add_field(
            "occurred_to",
            "Happened to",
            TypedDateField(with_time=True),
            hint="Leave empty if it happened at one time.",
        )
        self.add_field("location_address", "Address &where it happened", QLineEdit())
        self.add_field("location_postcode", "Postcode where it happened", PostcodeField())
        self.add_field("location_description", "Or describe the place", QLineEdit())
        self.add_field(
            "account",
            "&Account",
            _text_box("What happened, in the reporting person's words."),
            required=True,
        )
        # A suspect the reporting person can name, with what they know of them (issue 10):
        # arrest and book in, the charge and the case file take these, never typed again.
        # Picked as a known person, the report links them and booking-in starts from them.
        self.add_field("suspect_name", "Suspect's name", QLineEdit())
        self.add_field("suspect_dob", "Suspect's date of birth", TypedDateField(with_time=False))
        self.suspect_person = self._known_person("suspect", "Suspect a known person?")
        self.add_field("suspect_address", "Suspect's address", QLineEdit())
        self.add_field("suspect_postcode", "Suspect's postcode", PostcodeField())
        self.add_field("suspect_description", "Suspect's description", QLineEdit())
        self.add_field(
            "suspects", "Other suspects", _text_box("One per line: a name or a description.")
        )
        self.known_suspects = self._known_people("suspects", "suspect", "suspects")
        self.add_field("property", "Property", _text_box("One item per line: item, £value."))
        self.add_field(
            "witnesses", "Witnesses", _text_box("One per line: name and how to contact them.")
        )
        self.known_witnesses = self._known_people("witnesses", "witness", "witnesses")
        self.add_field("cctv", "CCTV", QLineEdit(), hint="Where there may be CCTV of it.")

        self.add_section("Flags")
        for flag in Flag:
            self.add_field(f"flag_{flag.value}", FLAG_WORDS[flag], QCheckBox())
        for prefix, panel, then in (
            ("reporter", self.reporter_person, "reporter_phone"),
            ("victim", self.victim_person, "victim_phone"),
            ("suspect", self.suspect_person, "suspect_description"),
        ):
            panel.watch(
                PersonFields(
                    name=self._line(f"{prefix}_name"),
                    date_of_birth=self._line(f"{prefix}_dob"),
                    address=self._line(f"{prefix}_address"),
                    postcode=self._line(f"{prefix}_postcode"),
                ),
                then=self.field(then),
            )
        self.blank = self.values()
        self._victim_shortcut(True)

    def _known_person(self, prefix: str, label: str) -> KnownPersonPanel:
        panel = KnownPersonPanel()
        self.add_field(
            f"{prefix}_person",
            label,
            panel,
            hint="People held who are like the one typed; Down to choose, Enter to fill the "
            "details. For someone new, carry on typing.",
        )
        return panel

    def _known_people(self, name: str, what: str, plural: str) -> KnownPeoplePicker:
        box = self.field(name)
        assert isinstance(box, QPlainTextEdit)
        picker = KnownPeoplePicker(box, what, plural)
        self.add_field(
            f"{name}_known",
            f"Known {what}?",
            picker,
            hint=f"Type a name to find a {what} already held; Down to choose, Enter adds them "
            "to the list above.",
        )
        return picker

    def _line(self, name: str) -> QLineEdit:
        field = self.field(name)
        assert isinstance(field, QLineEdit)
        return field

    def _victim_shortcut(self, same: bool) -> None:
        # Disabled fields drop out of the tab order, so the officer tabs straight on.
        for name in VICTIM_FIELDS:
            self.field(name).setEnabled(not same)

    def clear(self) -> None:
        """Empty the form for the next person at the counter."""
        self.set_values(self.blank)
        self.offence.set_entry(None)
        self.clear_errors()
        self._victim_shortcut(True)

    def set_values(self, values: dict[str, Any]) -> None:
        super().set_values(values)
        self._victim_shortcut(bool(values.get("victim_is_reporter", True)))
