"""The victim's acknowledgement letter against the Victims' Code (2020, updated 2024).

Right 3: "written confirmation when reporting a crime, ... information about the criminal
justice process and ... programmes or services for victims. This might include ...
Restorative Justice." Right 1: help to understand, including translation. The basic
details (what, when, where, property) are shared/domain/front-desk.md's "basic details of
the offence" (Directive 2012/29/EU art. 5(1): "the basic elements of the criminal offence").
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from station_app.documents.catalogue import available_languages, placeholders
from station_app.documents.incident_letter import build_letter
from station_app.documents.samples import incident
from station_app.resource_files import resource_path


def words_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_letter_says_when_and_where_the_crime_happened_and_the_property():
    text = words_of(build_letter(incident()))

    # Right 3: the basic details of the crime reported (front-desk.md).
    assert "Wednesday 25 November 2026, 17:30 GMT" in text
    assert "Wednesday 25 November 2026, 19:45 GMT" in text
    assert "Bicycle rack outside the library, 14 Tannery Lane, London, SE1 4QT" in text
    assert "Blue hybrid bicycle, frame number WTU123456, value £650.00" in text
    assert "D-lock (damaged), value £39.99" in text
    assert "SW/26/004211" in text and "Theft of a pedal cycle" in text


def test_the_letter_explains_the_criminal_justice_process_and_restorative_justice():
    text = words_of(build_letter(incident()))

    # Right 3: information about the criminal justice process and restorative justice.
    assert "The criminal justice process" in text
    assert "Crown Prosecution Service" in text
    assert "Restorative justice" in text
    assert "trained facilitator" in text
    # Right 4: support services; right 1: translation on request.
    assert "Victim Support" in text
    assert "you have the right to a translation" in text


def test_a_letter_handed_to_the_public_carries_no_protective_marking():
    assert "OFFICIAL" not in words_of(build_letter(incident()))


def test_the_victim_who_asked_for_welsh_gets_the_letter_in_welsh():
    # Right 1: information in a way the victim understands; the catalogue is data.
    text = words_of(build_letter(incident(language="Welsh")))

    assert "Annwyl Wilhelmina Ashgrove," in text
    assert "Cyfeirnod y drosedd" in text
    assert "Dydd Mercher 25 Tachwedd 2026, 17:30 GMT" in text
    assert "Cyfiawnder adferol" in text
    assert "Tudalen 1 o" in text
    assert "Dear " not in text and "Yours sincerely" not in text


def test_a_language_station_does_not_have_yet_says_a_translation_will_follow():
    text = words_of(build_letter(incident(language="Portuguese")))

    assert "Dear Wilhelmina Ashgrove," in text
    assert "You asked for this letter in Portuguese" in text


@pytest.mark.parametrize("kind", ["letters", "notices"])
def test_every_catalogue_has_the_english_keys_and_placeholders(kind):
    assert {"en", "cy"} <= set(available_languages(kind))
    english = json.loads(resource_path("rules", kind, "en.json").read_text(encoding="utf-8"))
    for code in available_languages(kind):
        other = json.loads(resource_path("rules", kind, f"{code}.json").read_text(encoding="utf-8"))
        assert other["language"] == code
        assert len(other["days"]) == 7 and len(other["months"]) == 12
        assert other["notes"], "say what was checked and what was not"
        assert set(other["messages"]) == set(english["messages"]), code
        for key, message in english["messages"].items():
            assert placeholders(other["messages"][key]) == placeholders(message), (code, key)
