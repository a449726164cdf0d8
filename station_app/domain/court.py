"""Court hearings and their results per charge (issue 10): the pleas and outcomes a result
may record, what each needs, and the words a case, a crime report's timeline and the
victim's update letter use for them.

Standard library only: the server checks results with `result_problems`, Station's form
offers the same choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

__all__ = [
    "FINAL_OUTCOMES",
    "OUTCOME_TITLES",
    "PLEA_TITLES",
    "REMAND_TITLES",
    "Outcome",
    "Plea",
    "Remand",
    "result_problems",
    "result_sentence",
]


class Plea(StrEnum):
    NONE = ""  # not asked, or not yet entered
    GUILTY = "guilty"
    NOT_GUILTY = "not_guilty"


class Outcome(StrEnum):
    ADJOURNED = "adjourned"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    WITHDRAWN = "withdrawn"


class Remand(StrEnum):
    """Where the defendant waits for the next hearing of an adjourned charge."""

    BAIL = "bail"
    CUSTODY = "custody"


PLEA_TITLES: dict[Plea, str] = {
    Plea.NONE: "No plea entered",
    Plea.GUILTY: "Guilty",
    Plea.NOT_GUILTY: "Not guilty",
}
OUTCOME_TITLES: dict[Outcome, str] = {
    Outcome.ADJOURNED: "Adjourned",
    Outcome.CONVICTED: "Convicted",
    Outcome.ACQUITTED: "Acquitted",
    Outcome.WITHDRAWN: "Withdrawn",
}
REMAND_TITLES: dict[Remand, str] = {
    Remand.BAIL: "on bail",
    Remand.CUSTODY: "in custody",
}
# A charge with one of these is finished: nothing more comes back from court for it.
FINAL_OUTCOMES = frozenset({Outcome.CONVICTED, Outcome.ACQUITTED, Outcome.WITHDRAWN})


def result_problems(result: Mapping[str, Any]) -> dict[str, str]:
    """What is missing or contradictory in one charge's result, a sentence per field."""
    problems: dict[str, str] = {}
    outcome = str(result.get("outcome") or "")
    plea = str(result.get("plea") or "")
    if outcome == Outcome.ADJOURNED:
        if not result.get("remand"):
            problems["remand"] = "Say whether the defendant was bailed or remanded in custody."
        if not result.get("next_hearing_at"):
            problems["next_hearing_at"] = "Enter the date and time of the next hearing."
    elif result.get("remand") or result.get("next_hearing_at"):
        problems["outcome"] = "Bail or remand and a next hearing go with an adjournment only."
    if outcome == Outcome.CONVICTED and not str(result.get("sentence") or "").strip():
        problems["sentence"] = (
            "Enter the sentence in words (or “adjourned for reports” with an adjournment)."
        )
    if outcome == Outcome.ACQUITTED and plea == Plea.GUILTY:
        problems["plea"] = "A defendant who pleaded guilty cannot be acquitted. Check the plea."
    if outcome in (Outcome.ACQUITTED, Outcome.WITHDRAWN) and result.get("sentence"):
        problems["sentence"] = "There is no sentence when a charge is acquitted or withdrawn."
    return problems


def result_sentence(result: Mapping[str, Any], defendant: str, offence: str) -> str:
    """One sentence for a timeline or a case history: "Dale Testwick: theft from a shop:
    pleaded guilty; convicted; 12 month community order"."""
    parts = [f"{defendant}: {offence}"]
    plea = str(result.get("plea") or "")
    if plea:
        parts.append(f"pleaded {PLEA_TITLES[Plea(plea)].lower()}")
    outcome = Outcome(str(result.get("outcome")))
    words = OUTCOME_TITLES[outcome].lower()
    if outcome == Outcome.ADJOURNED and result.get("remand"):
        words += f" {REMAND_TITLES[Remand(str(result['remand']))]}"
    parts.append(words)
    if result.get("sentence"):
        parts.append(str(result["sentence"]))
    return "; ".join(parts)
