"""The victim's update letter: what the court decided, printed at the counter from the
crime report (issue 10).

Victims' Code (2020, updated 2024), right 9: to be told the outcome of the case, including
any sentence, and about any appeal. The result comes from the report's timeline, where the
case file's court result was noted (`court_result`, with the result per charge); the words
come from the same message catalogues as the acknowledgement letter
(`resources/rules/letters/<language>.json`), in the victim's language when Station has it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab import platypus
from reportlab.lib.units import mm

from station_app.documents.incident_letter import PublicLetter
from station_app.domain.journey import latest_court_result
from station_app.domain.wire import parse_utc

__all__ = ["build_outcome_letter", "latest_court_result", "outcome_file_name"]

flow: Any = platypus


def outcome_file_name(incident: dict[str, Any]) -> str:
    return f"Court outcome {incident['reference']}.pdf"


def build_outcome_letter(
    incident: dict[str, Any],
    *,
    printed_at: datetime | None = None,
    language: str | None = None,
) -> bytes:
    """The update letter for the report's latest court result (ValueError when the report
    has none yet)."""
    entry = latest_court_result(incident)
    if entry is None:
        raise ValueError("No court result has come back for this report yet.")
    outcome = dict(entry.get("data") or {})
    letter = PublicLetter(incident, language)
    words, reference, p = letter.words, letter.reference, letter.p
    printed = printed_at or parse_utc(str(entry["at"]))
    story = letter.head(printed, "update_opening")
    sitting = parse_utc(str(outcome.get("sitting_at") or entry["at"]))
    rows = [
        ("label_reference", reference),
        ("label_offence", incident["offence"]["label"]),
        ("label_court", str(outcome.get("court") or "")),
        ("label_hearing", words.when_words(sitting)),
    ]
    defendants = list(outcome.get("defendants") or [])
    for result in outcome.get("results") or []:
        number = int(result.get("defendant") or 1)
        name = defendants[number - 1] if number <= len(defendants) else ""
        rows += [
            ("label_defendant", name),
            ("label_charge", str(result.get("offence") or result.get("offence_code") or "")),
            ("label_plea", words.text(f"plea_{result.get('plea') or 'none'}")),
            ("label_result", _result_words(result, words)),
        ]
    story += [
        p(words.text("heading_outcome"), letter.sheet["Heading"]),
        letter.details(rows),
        flow.Spacer(1, 3 * mm),
        p(words.text("update_finished" if outcome.get("finished") else "update_continues")),
        p(words.text("update_rights")),
    ]
    return letter.finish(story, "update_title", "update_subject")


def _result_words(result: dict[str, Any], words: Any) -> str:
    outcome = str(result.get("outcome") or "")
    if outcome == "adjourned":
        remand = str(result.get("remand") or "bail")
        when = result.get("next_hearing_at")
        next_text = words.when_words(parse_utc(str(when))) if when else ""
        return str(words.text(f"outcome_adjourned_{remand}", next=next_text))
    text = str(words.text(f"outcome_{outcome}"))
    if result.get("sentence"):
        text += "\n" + str(words.text("sentence_line", sentence=result["sentence"]))
    return text
