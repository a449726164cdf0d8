"""The victim's update letter (issue 10; Victims' Code right 9: to be told the outcome of
the case, including any sentence), printed from a report's court result."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from station_app.documents.outcome_letter import build_outcome_letter, latest_court_result
from station_app.documents.samples import incident
from station_app.documents.samples import with_court_result as with_result


def words_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_letter_tells_the_victim_the_courts_decision_and_the_sentence() -> None:
    report = with_result(incident(), sentence="Community order for 12 months")

    text = words_of(build_outcome_letter(report))

    assert "What the court decided" in text
    assert "Riverside Magistrates' Court" in text
    assert "Friday 4 December 2026, 10:00 GMT" in text
    assert "Dale Testwick" in text and "Theft of a pedal cycle" in text
    assert "Pleaded guilty" in text and "Convicted" in text
    assert "Sentence: Community order for 12 months" in text
    assert "The case is now finished at court." in text
    assert "right 9" in text
    assert "OFFICIAL" not in text


def test_an_adjournment_says_when_the_next_hearing_is_and_bail_or_custody() -> None:
    report = with_result(
        incident(),
        plea="not_guilty",
        outcome="adjourned",
        remand="custody",
        next_hearing_at="2027-01-11T10:00:00+00:00",
        finished=False,
    )

    text = words_of(build_outcome_letter(report))

    assert "Adjourned to Monday 11 January 2027, 10:00 GMT" in text
    assert "in custody until then" in text
    assert "We will tell you what happens at the next hearing." in text


def test_the_letter_is_in_welsh_for_a_victim_who_asked_for_welsh() -> None:
    text = words_of(build_outcome_letter(with_result(incident(language="Welsh"))))

    assert "Beth a benderfynodd y llys" in text and "Fe'i cafwyd yn euog" in text


def test_a_report_without_a_court_result_has_no_update_letter() -> None:
    assert latest_court_result(incident()) is None
    with pytest.raises(ValueError, match="No court result"):
        build_outcome_letter(incident())
