"""The Custody tab's short forms: one action dialog per kind of entry (built from the
field specs in `domain.custody_rules`, the same specs the server checks against) and the
booking-in form. Both are `StationForm`s: keyboard-first, Ctrl+Enter submits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from station_app.domain.clock import london
from station_app.domain.custody_record import local_text
from station_app.domain.custody_rules import EventType, FieldSpec
from station_app.domain.journey import ArrestFromReport
from station_app.domain.search import SearchEntry
from station_app.domain.typed_input import parse_date
from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD
from station_app.ui.datetime_edit import datetime_edit
from station_app.ui.dialogs import FormDialog
from station_app.ui.forms import StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.typeahead import TypeAheadField
from station_app.ui.warning_markers import WarningMarkersField
from station_app.views.custody.text import duration_text, to_qdatetime
from station_app.views.custody.time_fields import (
    add_time_field,
    read_time,
    time_problems,
    which_name,
)

if TYPE_CHECKING:
    from station_app.services.custody import BailToAnswer
    from station_app.services.people import PersonRecord

# Choices that record what was observed start empty (Code C 9.3, Annex H: the response to
# rousing is asked, never assumed).
ASKED_CHOICES = frozenset({"response"})


def narrow_combo() -> QComboBox:
    """A drop-down as wide as the form gives it, not as its longest choice (the list opens
    wide enough to read each): nothing pushed off a 1366x768 screen."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(18)
    # As wide as the form (ExpandingFieldsGrow grows only Expanding fields): the longest
    # choice, an offence or a reason with its section, shows whole.
    policy = combo.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    combo.setSizePolicy(policy)
    return combo


def _widget(spec: FieldSpec, now: dt.datetime, offences: Sequence[Mapping[str, Any]]) -> QWidget:
    if spec.kind == "long_text":
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(70)
        return box
    if spec.kind == "bool":
        return QCheckBox()
    if spec.kind == "int":
        spin = QSpinBox()
        spin.setRange(spec.minimum, spec.maximum)
        return spin
    if spec.kind in ("choice", "offence"):
        combo = narrow_combo()
        if spec.kind == "choice" and (not spec.required or spec.name in ASKED_CHOICES):
            # Nothing chosen until the officer chooses: an answer is never assumed.
            combo.addItem("— choose —" if spec.required else "—", None)
        if spec.kind == "choice":
            for code, label in spec.choices:
                combo.addItem(label, code)
        else:
            for offence in offences:
                combo.addItem(
                    f"{offence.get('code')} — {offence.get('label')}", offence.get("code")
                )
        return combo
    if spec.kind == "datetime":
        return datetime_edit(now)
    if spec.kind == "date":
        date_edit = QDateEdit(QDate.currentDate())
        date_edit.setDisplayFormat("ddd d MMM yyyy")
        date_edit.setCalendarPopup(True)
        return date_edit
    line = QLineEdit()
    if spec.kind == "time":
        line.setPlaceholderText("HH:MM")
        line.setMaxLength(5)
    return line


def next_sitting(now: dt.datetime) -> dt.datetime:
    """10:00 London time on the next weekday after `now`."""
    day = now.astimezone(london()).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, 10, tzinfo=london())


class ActionDialog(FormDialog):
    """Record one entry: its actual time (now unless changed) and its short form."""

    def __init__(
        self,
        spec: EventType,
        now: dt.datetime,
        *,
        offences: Sequence[Mapping[str, Any]] = (),
        on_submit: Callable[[ActionDialog], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            StationForm(spec.title, f"Record {spec.title.lower()}"),
            spec.title,
            parent,
            size=(640, 480),
        )
        self.spec = spec
        # One Idempotency-Key for this entry until the server has it: recorded again after a
        # lost answer, it is on the record once (entries are append-only: a copy would stay).
        self.entry_key = uuid.uuid4().hex
        self.setObjectName(f"action_{spec.kind}")
        self._offences = {str(o.get("code")): o for o in offences}
        self.form.add_section(f"{spec.title} ({spec.rule})")
        self.time_edit = datetime_edit(now)
        add_time_field(
            self.form,
            "occurred_at",
            "&Actual time (UK time)",
            self.time_edit,
            required=True,
            hint="When it happened on the station clock; not when you type it.",
        )
        self.time_names = ["occurred_at"]
        for field in spec.fields:
            widget = _widget(field, now, offences)
            if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
                add_time_field(
                    self.form,
                    field.name,
                    field.label,
                    widget,
                    required=field.required,
                    hint=field.hint,
                )
                self.time_names.append(field.name)
                continue
            self.form.add_field(
                field.name, field.label, widget, required=field.required, hint=field.hint
            )
        if spec.kind == "visit":
            self._ask_for_the_emergency_response()
        if spec.kind == "charge":
            combo = self.form.field("offence")
            assert isinstance(combo, QComboBox)
            combo.currentIndexChanged.connect(self._fill_wording)
            self._fill_wording()
            # Before the court at its next sitting (custody.md, "Disposal"): the next weekday
            # at 10:00 unless the officer knows better.
            hearing = self.form.field("first_hearing_at")
            assert isinstance(hearing, QDateTimeEdit)
            hearing.setDateTime(to_qdatetime(next_sitting(now)))
        self.mark_saved()  # what Station filled in is not the officer's typing: Esc just closes
        self.form.submitted.connect(lambda: on_submit(self))

    def _ask_for_the_emergency_response(self) -> None:
        """Could not be roused: the response taken is asked for at once (Code C Annex H)."""
        response, action = self.form.field("response"), self.form.field("action_taken")
        assert isinstance(response, QComboBox) and isinstance(action, QComboBox)

        def follow() -> None:
            emergency = response.currentData() == "none"
            action.setEnabled(emergency)
            if emergency:
                self.form.show_message(
                    "Could not be roused: get a healthcare professional or an ambulance now, "
                    "then record the response taken (Code C 9.5, Annex H).",
                    "error",
                )
            else:
                action.setCurrentIndex(0)
                if self.form.message.text().startswith("Could not be roused"):
                    self.form.show_message("")

        response.currentIndexChanged.connect(lambda _index: follow())
        follow()

    def _fill_wording(self) -> None:
        combo = self.form.field("offence")
        assert isinstance(combo, QComboBox)
        offence = self._offences.get(str(combo.currentData()), {})
        wording = self.form.field("wording")
        assert isinstance(wording, QPlainTextEdit)
        wording.setPlainText(str(offence.get("wording") or offence.get("label") or ""))

    def time_problems(self) -> dict[str, str]:
        """Times typed that never happened, or happened twice without saying which."""
        return time_problems(self.form, self.time_names)

    def occurred_at(self) -> dt.datetime:
        return read_time(self.form, "occurred_at")

    def data(self) -> dict[str, Any]:
        """The entry's details as the server expects them."""
        data: dict[str, Any] = {}
        for field in self.spec.fields:
            widget = self.form.field(field.name)
            value: Any
            if isinstance(widget, QDateTimeEdit) and not isinstance(widget, QDateEdit):
                value = read_time(self.form, field.name).isoformat()
            elif isinstance(widget, QDateEdit):
                value = widget.date().toString("yyyy-MM-dd")
            elif field.kind == "offence" and isinstance(widget, QComboBox):
                offence = self._offences.get(str(widget.currentData()), {})
                value = (
                    {"code": offence.get("code"), "label": offence.get("label")}
                    if offence
                    else None
                )
            elif isinstance(widget, QComboBox):
                value = widget.currentData()
            elif isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText().strip()
            elif isinstance(widget, QLineEdit):
                value = widget.text().strip()
            else:
                value = None
            if value not in (None, "") and not (value is False and not field.required):
                data[field.name] = value
        return data

    def show_problem(self, message: str, field_errors: Mapping[str, str]) -> None:
        if IDEMPOTENCY_KEY_FIELD in field_errors:
            # The first press landed unseen, then the entry was changed: recording it again
            # now makes it as a new entry.
            self.entry_key = uuid.uuid4().hex
        errors = {name.removeprefix("data."): text for name, text in field_errors.items()}
        if errors:
            self.form.set_errors(errors)
        else:
            self.form.show_message(message)
        self.form.set_busy(False)


class BookingForm(StationForm):
    """Booking in (Code C 2.1): the person, the offences, the arrest and arrival, the cell,
    and, for someone answering pre-charge bail, the record that bailed them (PACE s.47(6))."""

    bail_lookup_requested = Signal(str, str, object)
    """(surname, forenames, date of birth or None): find the bail this person answers."""

    def __init__(self, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__("Book in a detainee", "&Book in", parent)
        self.setObjectName("bookingForm")
        self._today = now.astimezone(london()).date()
        self.add_section("Person")
        # Arrest and book in from a report (issue 10): the crime the report is, shown, not
        # typed, and sent with the booking. The person the report links is the "known
        # person?" below, as if picked there.
        crime = QLineEdit()
        crime.setReadOnly(True)
        crime.setPlaceholderText("None: not booked in from a report")
        self.add_field("incident_reference", "Crime reference", crime)
        self.add_field("surname", "&Surname", QLineEdit(), required=True)
        self.add_field("forenames", "&Forenames", QLineEdit(), required=True)
        born = QLineEdit()
        born.setPlaceholderText("DD/MM/YYYY")
        self.add_field(
            "date_of_birth", "&Date of birth", born, hint="As DD/MM/YYYY; leave empty if not known."
        )
        # One way to find a person: the people index ("known person?"), with their markers.
        self.known_person = KnownPersonPanel(show_markers=True)
        self.add_field(
            "person",
            "Known &person?",
            self.known_person,
            hint="People like the one typed above; Down to choose, Enter to fill the details. "
            "For someone new, carry on typing.",
        )
        self.add_field("gender", "Gender", QLineEdit())
        self.add_field("address", "Address", QLineEdit())
        self.add_field("postcode", "Postcode", QLineEdit())
        self.add_field("pnc_id", "PNC ID", QLineEdit())
        self.add_field(
            "vulnerable", "Appears &vulnerable (needs an appropriate adult)", QCheckBox()
        )
        under_18 = QCheckBox()
        self.add_field(
            "appears_under_18",
            "Appears under &18 (Code C 1.5)",
            under_18,
            hint="For someone with no date of birth known: anyone who appears to be under 18 "
            "is a juvenile unless there is clear evidence otherwise, and needs an "
            "appropriate adult.",
        )
        born.textChanged.connect(self._date_of_birth_typed)
        # What the sergeant saw or was told goes on the person's record (issue 10); the
        # markers a known person holds come ticked, and stay.
        self.markers = WarningMarkersField()
        self.add_field(
            "markers",
            "Warning markers seen or said at booking in",
            self.markers,
            hint="Tick each that applies (Space ticks, Tab moves on). A known person's "
            "markers are ticked already and cannot be unticked here: markers are never "
            "removed at booking in.",
            wide=True,
        )
        self.known_person.markers_read.connect(self.markers.hold)
        self.add_section("Offences")
        self.offence = TypeAheadField()
        self.add_field(
            "offence", "&Offence", self.offence, required=True, hint="Type a code or words."
        )
        self.second_offence = TypeAheadField()
        self.add_field("second_offence", "Second offence", self.second_offence)
        self.known_person.watch(
            PersonFields(
                surname=self._line("surname"),
                forenames=self._line("forenames"),
                date_of_birth=self._line("date_of_birth"),
                address=self._line("address"),
                postcode=self._line("postcode"),
                gender=self._line("gender"),
                pnc_id=self._line("pnc_id"),
            ),
            then=self.offence,
        )
        self.known_person.person_picked.connect(self.person_picked)
        self.add_section("Arrest and arrival (UK time)")
        add_time_field(self, "arrested_at", "&Arrested at", datetime_edit(now), required=True)
        add_time_field(
            self, "arrived_at", "A&rrived at the station", datetime_edit(now), required=True
        )
        self.add_field(
            "voluntary_attender",
            "Attended voluntarily, arrested at the station (PACE s.41(2)(c))",
            QCheckBox(),
        )
        self.add_field("arresting_officer", "Arresting officer", QLineEdit())
        circumstances = QPlainTextEdit()
        circumstances.setTabChangesFocus(True)
        circumstances.setFixedHeight(70)
        self.add_field("circumstances", "Circumstances of arrest", circumstances)
        self.add_section("Answering bail (PACE s.47(6))")
        answering = QCheckBox()
        self.add_field(
            "answering_bail",
            "Answering pre-charge ba&il",
            answering,
            hint="Station finds the record that released them on bail and the time already "
            "used; it counts towards every limit.",
        )
        bail = narrow_combo()
        bail.addItem("", None)
        self.add_field("bail_record", "Bail answered", bail)
        bail.setEnabled(False)
        answering.toggled.connect(self._answering_bail_toggled)
        self.add_section("Relevant time")
        self.add_field("override", "Change the relevant time (PACE s.41(5)-(6))", QCheckBox())
        add_time_field(self, "relevant_time_override", "Relevant time", datetime_edit(now))
        self.add_field("override_reason", "Reason for the change", QLineEdit())
        self.add_section("Placement")
        cell = QComboBox()
        cell.setEditable(True)
        cell.addItem("", "")
        self.add_field("cell", "&Cell", cell, hint="A cell of this station, or type one.")
        override = self.field("override")
        assert isinstance(override, QCheckBox)
        for name in ("relevant_time_override", "override_reason"):
            self.field(name).setEnabled(False)
            override.toggled.connect(self.field(name).setEnabled)

    def _line(self, name: str) -> QLineEdit:
        field = self.field(name)
        assert isinstance(field, QLineEdit)
        return field

    def person_picked(self, person: PersonRecord) -> None:
        """A known person's details are in the person fields (all stay editable, and the
        draft saves them like typed ones; the panel says to check them): on to the offence."""
        self.offence.setFocus()
        # A returning detainee may be answering bail: ask the server, and offer it if so.
        self.bail_lookup_requested.emit(person.surname, person.forenames, person.date_of_birth)

    def _date_of_birth_typed(self, text: str) -> None:
        """Appears under 18 is for when no date of birth is known (Code C 1.5)."""
        under_18 = self.field("appears_under_18")
        assert isinstance(under_18, QCheckBox)
        known = bool(text.strip())
        if known:
            under_18.setChecked(False)
        under_18.setEnabled(not known)

    def _answering_bail_toggled(self, answering: bool) -> None:
        bail = self.field("bail_record")
        assert isinstance(bail, QComboBox)
        bail.setEnabled(answering)
        if not answering:
            return
        values = self.values()
        surname, forenames = str(values["surname"]).strip(), str(values["forenames"]).strip()
        if not surname or not forenames:
            self.set_errors({"answering_bail": "Type the surname and forenames first."})
            return
        born: dt.date | None = None
        try:
            if str(values["date_of_birth"]).strip():
                born = parse_date(str(values["date_of_birth"]), self._today)
        except ValueError:
            born = None
        self.show_message(f"Looking for the bail {forenames} {surname} answers…", "info")
        self.bail_lookup_requested.emit(surname, forenames, born)

    def set_bails(self, bails: Sequence[BailToAnswer]) -> None:
        """The records that released this person on pre-charge bail, with the time each
        used, as the server computed it (offered, never retyped)."""
        combo = self.field("bail_record")
        answering = self.field("answering_bail")
        assert isinstance(combo, QComboBox) and isinstance(answering, QCheckBox)
        if not answering.isChecked() and not bails:
            return  # a returning detainee not on bail: nothing to say
        combo.clear()
        combo.addItem("", None)
        for bail in bails:
            offences = "; ".join(label or code for code, label in bail.offences)
            released = local_text(bail.released_at) if bail.released_at else "date not known"
            combo.addItem(
                f"{bail.custody_number}: {offences}; released {released}; "
                f"{duration_text(bail.detained_before)} already used",
                bail.custody_number,
            )
        if bails and not answering.isChecked():
            before = self.message.text() if self.message.isVisibleTo(self) else ""
            self.show_message(
                (f"{before} " if before else "")
                + f"{bails[0].custody_number} released this person on pre-charge bail "
                f"({duration_text(bails[0].detained_before)} of detention used). If they are "
                "answering it, tick “answering pre-charge bail” (PACE s.47(6)).",
                "info",
            )
            combo.setCurrentIndex(1)
        elif bails:
            combo.setCurrentIndex(1)
            used = duration_text(bails[0].detained_before)
            self.show_message(
                f"Answering bail from {bails[0].custody_number}: {used} of detention already "
                "used counts towards every limit (PACE s.47(6)). Check it is the right record.",
                "info",
            )
        else:
            self.show_message(
                "No record releasing this person on pre-charge bail was found. Check the name "
                "and date of birth, or untick “answering pre-charge bail”.",
                "info",
            )

    def fill_from_report(self, arrest: ArrestFromReport) -> None:
        """Arrest and book in: what the report already says of the suspect, the offence and
        the place, so nothing is typed twice; every field stays editable."""
        born = arrest.date_of_birth
        self.set_values(
            {
                "incident_reference": arrest.incident_reference,
                "surname": arrest.surname,
                "forenames": arrest.forenames,
                "date_of_birth": f"{born:%d/%m/%Y}" if born else "",
                "address": arrest.address,
                "postcode": arrest.postcode,
                "circumstances": arrest.circumstances,
            }
        )
        if arrest.offence_code:
            self.offence.set_entry(SearchEntry(arrest.offence_code, arrest.offence_label))
        # The person the report links (picked there as a known person, or recorded new) is
        # the "known person?" here, as if picked, with their warning markers; none linked:
        # look for them now.
        if arrest.person_id:
            label = f"{arrest.surname.upper()}, {arrest.forenames}".rstrip(", ")
            self.known_person.link_to(arrest.person_id, label)
        else:
            self.known_person.search_now()
        self.show_message(
            f"From crime report {arrest.incident_reference}. Check each detail with the "
            "detainee, enter the arrest and arrival times, then book in.",
            "info",
        )
        self.edited.emit()
        # The suspect may be answering pre-charge bail: ask the server, and offer it if so.
        if arrest.surname.strip() and arrest.forenames.strip():
            self.bail_lookup_requested.emit(arrest.surname, arrest.forenames, born)

    def set_cells(self, cells: Sequence[str]) -> None:
        """The station's cells, from the reference cache (read on a worker)."""
        combo = self.field("cell")
        assert isinstance(combo, QComboBox)
        for code in cells:
            if combo.findData(code) < 0:
                combo.addItem(code, code)

    def booking(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(the booking for the server, problems found before sending)."""
        problems: dict[str, str] = {}
        values = self.values()
        for name, label in (("surname", "the surname"), ("forenames", "the forenames")):
            if not str(values[name]).strip():
                problems[name] = f"Enter {label}."
        born: dt.date | None = None
        if str(values["date_of_birth"]).strip():
            try:
                born = parse_date(str(values["date_of_birth"]), self._today)
            except ValueError as error:
                problems["date_of_birth"] = str(error)
            else:
                if born > self._today:
                    problems["date_of_birth"] = (
                        "The date of birth is in the future. Check the year."
                    )
        offences = [
            e.code for e in (self.offence.current_entry, self.second_offence.current_entry) if e
        ]
        if not offences:
            problems["offence"] = "Choose the offence from the list."
        person: dict[str, Any] = {
            key: str(values[key]).strip()
            for key in ("surname", "forenames", "gender", "address", "postcode", "pnc_id")
        }
        person["date_of_birth"] = born.isoformat() if born else None
        person["vulnerable"] = bool(values["vulnerable"])
        if self.known_person.person_id:
            person["person_id"] = self.known_person.person_id
        if born is None and values["appears_under_18"]:
            person["appears_under_18"] = True  # Code C 1.5
        if self.markers.ticked():
            person["markers"] = self.markers.ticked()
        # Times that never happened or happened twice are asked about, never guessed.
        names = ["arrested_at", "arrived_at"] + (
            ["relevant_time_override"] if values["override"] else []
        )
        problems.update(time_problems(self, names))
        times = {
            name: read_time(self, name).isoformat()
            for name in names
            if name not in problems and which_name(name) not in problems
        }
        booking: dict[str, Any] = {
            "person": person,
            "offences": offences,
            "arrested_at": times.get("arrested_at"),
            "arrived_at": times.get("arrived_at"),
            "voluntary_attender": bool(values["voluntary_attender"]),
            "arresting_officer": str(values["arresting_officer"]).strip(),
            "circumstances": str(values["circumstances"]).strip(),
            "cell": str(values["cell"] or "").strip(),
        }
        if str(values["incident_reference"]).strip():
            booking["incident_reference"] = str(values["incident_reference"]).strip()
        if values["answering_bail"]:
            bail = self.field("bail_record")
            assert isinstance(bail, QComboBox)
            if bail.currentData() is None:
                problems["bail_record"] = (
                    "Choose the record of the bail answered (PACE s.47(6)), or untick "
                    "“answering pre-charge bail”."
                )
            else:
                booking["answering_bail"] = str(bail.currentData())
        if values["override"]:
            booking["relevant_time_override"] = times.get("relevant_time_override")
            booking["override_reason"] = str(values["override_reason"]).strip()
            if not booking["override_reason"]:
                problems["override_reason"] = "Give the reason for changing the relevant time."
        return booking, problems

    def show_server_problem(self, message: str, field_errors: Mapping[str, str]) -> None:
        names = {
            "offences": "offence",
            "person.surname": "surname",
            "person.forenames": "forenames",
        }
        errors = {names.get(k, k.removeprefix("person.")): v for k, v in field_errors.items()}
        known = {k: v for k, v in errors.items() if k in self.names()}
        if known:
            # The server's own sentence too, where it says more than the fields do.
            says_more = message not in known.values() and not message.startswith("Some details")
            self.set_errors(known, message if says_more else "")
        else:
            self.show_message(message)


def booking_dialog(form: BookingForm, parent: QWidget | None) -> FormDialog:
    dialog = FormDialog(
        form,
        "Booking in",
        parent,
        kept="What you typed stays in its draft and is offered back next time you book in.",
        size=(640, 760),
    )
    dialog.setObjectName("bookingDialog")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    return dialog
