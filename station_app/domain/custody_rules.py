"""What can go in a custody record, who may record it, and the care settings a force can change.

Each event type of the custody record (Code C 2) is described once here: its title, the
short form that records it (fields with labels), and the roles that may record it. The
server validates against these specs and the client builds its action forms from them,
so the two never disagree. Visit, meal and rest intervals are configuration with the
APP / Code C defaults; a force may set stricter ones (shared/domain/custody.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from station_app.domain.pace import APP_VISIT_INTERVALS, visit_interval
from station_app.domain.roles import Role
from station_app.domain.wire import aware_time_or_none, parse_iso_date

__all__ = [
    "CLOSING_EVENTS",
    "EVENT_TYPES",
    "CareConfig",
    "EventType",
    "FieldSpec",
    "ObservationConfig",
    "care_config_from_rules",
    "check_event_data",
    "event_type",
    "offence_is_indictable",
]

CUSTODY = frozenset({Role.CUSTODY_OFFICER.value})
INSPECTOR_OR_ABOVE = frozenset({Role.INSPECTOR.value, Role.SUPERINTENDENT.value})
SUPERINTENDENT = frozenset({Role.SUPERINTENDENT.value})
# Roles that may read custody records (the admin reads, for the audit of the suite).
READERS = frozenset(
    {Role.CUSTODY_OFFICER.value, Role.INSPECTOR.value, Role.SUPERINTENDENT.value, Role.ADMIN.value}
)
WRITERS = CUSTODY | INSPECTOR_OR_ABOVE

# The Standard Offence Service marks mode of trial; an "indictable offence" in PACE
# includes offences triable either way (Interpretation Act 1978, Sch. 1).
INDICTABLE_MODES = frozenset({"indictable", "either_way"})


def offence_is_indictable(mode_of_trial: object) -> bool:
    return str(mode_of_trial or "") in INDICTABLE_MODES


@dataclass(frozen=True)
class FieldSpec:
    """One field of an action's short form. `kind`: text, long_text, bool, int, choice,
    datetime, date, time ("HH:MM", 24-hour), offence."""

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    minimum: int = 0
    maximum: int = 0
    hint: str = ""


@dataclass(frozen=True)
class EventType:
    kind: str
    title: str
    action: str
    fields: tuple[FieldSpec, ...] = ()
    roles: frozenset[str] = CUSTODY
    rule: str = "Code C 2.1"
    role_reason: str = "Only the custody officer records this (Code C 2.3)."

    def summary(self, data: Mapping[str, Any]) -> str:
        """One line for the timeline: the filled-in fields in order."""
        parts = []
        for spec in self.fields:
            value = data.get(spec.name)
            if value in (None, "", False):
                continue
            if spec.kind == "bool":
                parts.append(spec.label)
            elif spec.kind == "choice":
                parts.append(f"{spec.label}: {dict(spec.choices).get(str(value), value)}")
            elif spec.kind == "offence" and isinstance(value, Mapping):
                parts.append(f"{spec.label}: {value.get('code', '')} {value.get('label', '')}")
            else:
                parts.append(f"{spec.label}: {value}")
        return "; ".join(parts)


def _f(name: str, label: str, kind: str = "text", **options: Any) -> FieldSpec:
    return FieldSpec(name, label, kind, **options)


def _opt(name: str, label: str, kind: str = "text", **options: Any) -> FieldSpec:
    return FieldSpec(name, label, kind, required=False, **options)


REVIEW_MEANS = (
    ("in_person", "In person"),
    ("telephone", "Telephone (s.40A)"),
    ("live_link", "Live link (s.45A)"),
)
RESPONSES = (
    ("comprehensive", "Roused: comprehensive verbal response"),
    ("partial", "Some response, not comprehensive"),
    ("none", "Could not be roused"),
    ("not_roused", "Visited, no concerns (not roused; level 1 only)"),
)
# Code C Annex H: a detainee who cannot be roused needs a healthcare professional or an
# ambulance at once; the visit entry says which was done.
EMERGENCY_ACTIONS = (
    ("ambulance_called", "Ambulance called (999)"),
    ("healthcare_called", "Healthcare professional called to the cell"),
    ("healthcare_present", "Healthcare professional already attending"),
)
POSTPONE_REASONS = (
    ("not_practicable", "Not practicable to hold it (s.40(4)(a))"),
    ("being_questioned", "Being questioned; interruption would prejudice it (s.40(4)(b)(i))"),
    ("no_officer", "No review officer readily available (s.40(4)(b)(ii))"),
)
AFTER_CHARGE = (
    ("bail", "Bailed to court (PACE s.38, s.47)"),
    ("remand", "Kept in custody for the next court (PACE s.38, s.46)"),
)
LEVELS = (
    ("1", "1 General"),
    ("2", "2 Intermittent"),
    ("3", "3 Constant"),
    ("4", "4 Close proximity"),
)

_TYPES: tuple[EventType, ...] = (
    EventType("booked_in", "Booked in", "Book in", rule="Code C 2.1"),
    EventType(
        "detention_authorised",
        "Detention authorised",
        "Authorise detention…",
        (_f("grounds", "Grounds for detention", "long_text"),),
        rule="PACE s.37(2)-(5)",
    ),
    EventType(
        "detention_refused",
        "Detention refused",
        "Refuse detention…",
        (_f("reason", "Reason", "long_text"),),
        rule="PACE s.37(2)",
    ),
    EventType(
        "rights_given",
        "Rights given",
        "Give rights…",
        (
            _opt("wants_legal_advice", "Wants legal advice", "bool"),
            _opt("wants_someone_informed", "Wants someone informed", "bool"),
            _opt("notes", "Notes", "long_text"),
        ),
        rule="Code C 3.1",
    ),
    EventType(
        "legal_advice_requested",
        "Legal advice requested",
        "Legal advice requested…",
        (_f("solicitor", "Solicitor or firm (or duty solicitor)"),),
        rule="Code C 6.5, PACE s.58",
    ),
    EventType(
        "rights_delayed",
        "Rights delayed",
        "Delay a right…",
        (
            _f(
                "right",
                "Right",
                "choice",
                choices=(
                    ("inform_someone", "Someone informed (s.56)"),
                    ("legal_advice", "Legal advice (s.58)"),
                ),
            ),
            _f("grounds", "Grounds", "long_text"),
            _f("until", "Delayed until", "datetime"),
        ),
        roles=INSPECTOR_OR_ABOVE,
        rule="PACE s.56 and s.58",
        role_reason="A delay needs an inspector (s.56) or a superintendent (s.58).",
    ),
    EventType(
        "someone_informed",
        "Someone informed",
        "Someone informed…",
        (_f("name", "Person informed"), _opt("relationship", "Relationship")),
        rule="PACE s.56",
    ),
    EventType(
        "written_notice_given",
        "Written notice given",
        "Written notice given…",
        (_f("language", "Language"), _opt("signed", "Detainee signed for it", "bool")),
        rule="Code C 3.2",
    ),
    EventType(
        "interpreter",
        "Interpreter",
        "Interpreter…",
        (_f("language", "Language"), _opt("interpreter_name", "Interpreter's name")),
        rule="Code C 13",
    ),
    EventType(
        "appropriate_adult",
        "Appropriate adult",
        "Appropriate adult…",
        (
            _f("name", "Appropriate adult's name"),
            _opt("relationship", "Relationship or organisation"),
            _f(
                "reason",
                "Why",
                "choice",
                choices=(("juvenile", "Juvenile"), ("vulnerable", "Vulnerable adult")),
            ),
        ),
        rule="Code C 3.15",
    ),
    EventType(
        "risk_assessment",
        "Risk assessment",
        "Risk assessment…",
        (
            _f(
                "risk_level",
                "Risk",
                "choice",
                choices=(("low", "Low"), ("medium", "Medium"), ("high", "High")),
            ),
            _f("observation_level", "Observation level", "choice", choices=LEVELS),
            _opt("notes", "Concerns and actions", "long_text"),
        ),
        rule="Code C 3.6-3.10",
    ),
    EventType(
        "observation_level_set",
        "Observation level set",
        "Set observation level…",
        (
            _f("observation_level", "Observation level", "choice", choices=LEVELS),
            _opt("reason", "Reason"),
        ),
        rule="Code C 9.3, APP detainee care",
    ),
    EventType(
        "cell_allocated", "Cell allocated", "Allocate cell…", (_f("cell", "Cell"),), rule="Code C 8"
    ),
    EventType(
        "visit",
        "Visit",
        "Record visit…",
        (
            _f("response", "Response", "choice", choices=RESPONSES),
            _opt(
                "action_taken",
                "Response taken (could not be roused)",
                "choice",
                choices=EMERGENCY_ACTIONS,
                hint="Required when the detainee could not be roused (Code C Annex H).",
            ),
            _opt("notes", "Condition and notes"),
        ),
        rule="Code C 9.3 and Annex H",
    ),
    EventType(
        "review",
        "Review of detention",
        "Review detention…",
        (
            _f(
                "outcome",
                "Decision",
                "choice",
                choices=(("continue", "Continue detention"), ("release", "Release")),
            ),
            _f("grounds", "Grounds", "long_text"),
            _f("means", "Held", "choice", choices=REVIEW_MEANS),
            _opt("representations", "Representations made", "long_text"),
        ),
        roles=INSPECTOR_OR_ABOVE | CUSTODY,
        rule="PACE s.40(1)",
        role_reason="Reviews are by an inspector (or the custody officer once charged).",
    ),
    EventType(
        "review_postponed",
        "Review postponed",
        "Postpone review…",
        (_f("reason", "Reason", "choice", choices=POSTPONE_REASONS), _opt("notes", "Notes")),
        roles=INSPECTOR_OR_ABOVE | CUSTODY,
        rule="PACE s.40(4)-(5)",
        role_reason="Only a review officer or the custody officer records a postponement.",
    ),
    EventType(
        "extension",
        "Detention extended",
        "Extend detention…",
        (
            _f("until", "Extended until", "datetime"),
            _f(
                "necessary_for_evidence", "Necessary to secure, preserve or obtain evidence", "bool"
            ),
            _f("offence_indictable", "The offence is indictable", "bool"),
            _f("diligent", "Investigation conducted diligently and expeditiously", "bool"),
            _f("grounds", "Grounds", "long_text"),
        ),
        roles=SUPERINTENDENT,
        rule="PACE s.42",
        role_reason="Only a superintendent or above may extend detention (PACE s.42(1)).",
    ),
    EventType(
        "warrant",
        "Warrant of further detention",
        "Warrant of further detention…",
        (
            _f("court", "Court"),
            _f("applied_at", "Application made at", "datetime"),
            _opt(
                "court_could_not_sit",
                "No court could sit at 36 hours (PACE s.43(5)(b))",
                "bool",
            ),
            _f("issued_at", "Issued at", "datetime"),
            _f("expires_at", "Expires at", "datetime"),
        ),
        rule="PACE s.43-44",
    ),
    EventType(
        "meal",
        "Meal",
        "Meal…",
        (
            _f(
                "meal",
                "Meal",
                "choice",
                choices=(("light", "Light meal"), ("main", "Main meal"), ("drink", "Drink only")),
            ),
            _opt("notes", "Notes"),
        ),
        rule="Code C 8.6",
    ),
    EventType(
        "rest_period",
        "Rest period",
        "Rest period…",
        (_f("started_at", "Rest started", "datetime"), _f("ended_at", "Rest ended", "datetime")),
        rule="Code C 12.2",
    ),
    EventType(
        "property_item",
        "Property recorded",
        "Property item…",
        (
            _f("description", "Item"),
            _opt("bag_number", "Sealed bag number"),
            _opt("retained", "Retained", "bool"),
            _opt("reason_retained", "Why retained"),
            _f(
                "signature",
                "Detainee",
                "choice",
                choices=(("signed", "Signed"), ("refused", "Refused to sign")),
            ),
        ),
        rule="PACE s.54, Code C 4.1",
    ),
    EventType(
        "interview_started",
        "Interview started",
        "Interview started…",
        (_f("interviewer", "Interviewing officer"), _opt("room", "Room")),
        rule="Code C 11, 12",
    ),
    EventType("interview_ended", "Interview ended", "Interview ended…", (), rule="Code C 12"),
    EventType(
        "charge",
        "Charged",
        "Charge…",
        (
            _f("offence", "Offence", "offence"),
            _f("wording", "Charge wording", "long_text"),
            # Code C 16.8: anything the detainee says when charged is written down.
            _opt("reply", "Reply to charge", "long_text", hint="Their words, as said"),
            # What happens until court, and when: the case file is opened with them.
            _opt("after_charge", "Until court", "choice", choices=AFTER_CHARGE),
            _opt("court", "Court (code)"),
            _opt("first_hearing_at", "First hearing", "datetime"),
            _opt("bail_conditions", "Bail conditions", "long_text"),
            # Whose case file it is: it lists in their My cases (the charging officer's if empty).
            _opt("officer_in_case", "Officer in the case (user name)"),
        ),
        rule="Code C 16",
    ),
    EventType(
        "bail",
        "Bail",
        "Bail…",
        (
            _f("bail_date", "Answer bail on", "date"),
            _opt("bail_time", "Time to answer bail", "time", hint="24-hour clock, e.g. 10:00"),
            _f("bail_to", "At (court or station)"),
            _opt("conditions", "Conditions", "long_text"),
        ),
        rule="PACE s.37, s.47",
    ),
    EventType(
        "released_under_investigation",
        "Released under investigation",
        "Release under investigation…",
        (_opt("notes", "Notes"),),
        rule="PACE s.37(2)",
    ),
    EventType(
        "no_further_action",
        "No further action",
        "No further action…",
        (_f("reason", "Reason"),),
        rule="PACE s.37(2)",
    ),
    EventType(
        "transfer",
        "Transferred",
        "Transfer…",
        (_f("to", "Transferred to"), _f("reason", "Reason")),
        rule="Code C 2.3",
    ),
    EventType("released", "Released", "Release…", (_opt("notes", "Notes"),), rule="PACE s.34(2)"),
)

EVENT_TYPES: dict[str, EventType] = {t.kind: t for t in _TYPES}
# The record is closed by these: nothing more can be added (Code C 2.1).
CLOSING_EVENTS = frozenset({"released", "transfer"})
# Events the events endpoint accepts (booking-in has its own).
RECORDABLE = tuple(kind for kind in EVENT_TYPES if kind != "booked_in")


def event_type(kind: str) -> EventType:
    try:
        return EVENT_TYPES[kind]
    except KeyError:
        raise ValueError(f"There is no custody record entry called {kind!r}.") from None


def _is_clock_time(value: object) -> bool:
    """ "HH:MM" on the 24-hour clock."""
    text = str(value)
    digits = text[:2] + text[3:]
    if len(text) != 5 or text[2] != ":" or not (digits.isascii() and digits.isdigit()):
        return False
    return int(text[:2]) < 24 and int(text[3:]) < 60


def check_event_data(kind: str, data: Mapping[str, Any]) -> dict[str, str]:
    """Problems with `data` for an event of `kind`, one sentence per field name."""
    spec = event_type(kind)
    problems: dict[str, str] = {}
    known = {f.name for f in spec.fields}
    for name in data:
        if name not in known:
            problems[name] = f"“{name}” is not part of a {spec.title.lower()} entry."
    for f in spec.fields:
        value = data.get(f.name)
        if value in (None, "") or (f.kind == "bool" and value is False and not f.required):
            if f.required:
                verb = "Confirm:" if f.kind == "bool" else "Enter"
                problems[f.name] = f"{verb} {f.label.lower()}."
            continue
        if f.kind in ("text", "long_text") and (not isinstance(value, str) or len(value) > 4000):
            problems[f.name] = f"{f.label} must be text of at most 4000 characters."
        elif f.kind == "bool" and not isinstance(value, bool):
            problems[f.name] = f"{f.label} must be yes or no."
        elif f.kind == "bool" and f.required and value is not True:
            problems[f.name] = f"Confirm: {f.label.lower()}."
        elif f.kind == "choice" and str(value) not in dict(f.choices):
            allowed = ", ".join(label for _code, label in f.choices)
            problems[f.name] = f"{f.label} must be one of: {allowed}."
        elif f.kind == "datetime" and aware_time_or_none(value) is None:
            problems[f.name] = f"{f.label} must be a date and time with a time zone."
        elif f.kind == "time" and not _is_clock_time(value):
            problems[f.name] = f"{f.label} must be a time on the 24-hour clock, like 10:00."
        elif f.kind == "date":
            try:
                parse_iso_date(str(value))
            except ValueError:
                problems[f.name] = f"{f.label} must be a date (YYYY-MM-DD)."
        elif f.kind == "offence" and not (isinstance(value, Mapping) and value.get("code")):
            problems[f.name] = f"Choose the {f.label.lower()} from the list."
    return problems


def data_datetime(data: Mapping[str, Any], name: str) -> datetime | None:
    """An aware datetime field of event data (ISO text on the wire)."""
    return aware_time_or_none(data.get(name))


# Clocks of workstations differ a little: a time this far ahead still counts as "now".
DEFAULT_FUTURE_TOLERANCE = timedelta(minutes=2)


@dataclass(frozen=True)
class ObservationConfig:
    """Visit intervals per observation level: the APP defaults unless the force is stricter.

    A force may shorten the interval of levels 1 and 2, never lengthen it; levels 3 and 4
    are constant observation and close proximity (APP detainee care), so no setting may
    turn them into periodic checks."""

    intervals: Mapping[int, timedelta | None] = field(
        default_factory=lambda: dict(APP_VISIT_INTERVALS)
    )

    def __post_init__(self) -> None:
        for level, interval in self.intervals.items():
            default = visit_interval(level)  # refuses a level outside 1-4
            if default is None and interval is not None:
                raise ValueError(
                    f"Level {level} is {CONSTANT_LEVELS[level]}: the detainee is watched all "
                    "the time (APP detainee care), so no setting may make it a visit every "
                    f"{_minutes(interval)}."
                )
            if default is not None and (interval is None or interval > default):
                raise ValueError(
                    f"Level {level} visits cannot be further apart than the APP's "
                    f"{_minutes(default)} (a force may make them more frequent only)."
                )
            if interval is not None and interval <= timedelta(0):
                raise ValueError(f"Level {level} needs a visit interval longer than nothing.")

    def interval(self, level: int) -> timedelta | None:
        visit_interval(level)  # refuses a level outside 1-4
        return self.intervals.get(level, APP_VISIT_INTERVALS[level])


CONSTANT_LEVELS = {3: "constant observation", 4: "close proximity"}


def _minutes(span: timedelta) -> str:
    return f"{int(span.total_seconds() // 60)} minutes"


@dataclass(frozen=True)
class CareConfig:
    """Care settings (confirm against the force's own policy): how near a deadline counts as
    "due soon", and the meal and rest rhythms of Code C 8.6 and 12.2."""

    observation: ObservationConfig = field(default_factory=ObservationConfig)
    due_soon: timedelta = timedelta(minutes=30)
    meal_every: timedelta = timedelta(hours=6)  # three meals in 24 h (Code C 8.6), confirm
    rest_length: timedelta = timedelta(hours=8)  # Code C 12.2
    rest_within: timedelta = timedelta(hours=24)  # Code C 12.2
    future_tolerance: timedelta = DEFAULT_FUTURE_TOLERANCE


def _number(data: Mapping[str, Any], name: str, default: float) -> float:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"The custody rules' “{name}” must be a number greater than nothing.")
    return float(value)


def care_config_from_rules(data: Mapping[str, Any]) -> CareConfig:
    """The care settings of a custody rules file (`resources/rules/custody.json`), checked:
    an observation level 3 or 4 with an interval, or a level 1 or 2 interval longer than
    the APP's, raises `ValueError` with the sentence to show."""
    if not isinstance(data, Mapping):
        raise ValueError("The custody rules must be an object of settings.")
    minutes = data.get("observation_minutes", {})
    if not isinstance(minutes, Mapping):
        raise ValueError("The custody rules' “observation_minutes” must map levels to minutes.")
    intervals: dict[int, timedelta | None] = dict(APP_VISIT_INTERVALS)
    for key, value in minutes.items():
        try:
            level = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"There is no observation level {key!r}; levels are 1-4.") from None
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"Level {level}'s visit interval must be minutes or null.")
        intervals[level] = None if value is None else timedelta(minutes=value)
    return CareConfig(
        observation=ObservationConfig(intervals),
        due_soon=timedelta(minutes=_number(data, "due_soon_minutes", 30)),
        meal_every=timedelta(hours=_number(data, "meal_every_hours", 6)),
        rest_length=timedelta(hours=_number(data, "rest_hours", 8)),
        rest_within=timedelta(hours=_number(data, "rest_within_hours", 24)),
    )
