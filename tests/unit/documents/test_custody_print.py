"""The printed custody forms against PACE, Code C (2023) and the APP on detention and
custody: what the custody record, the notice of rights and entitlements, the charge sheet
and the bail notice must say, in words a detainee, a solicitor or a court can read."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from station_app.documents.custody_forms import build_form
from station_app.documents.samples import ARRIVED, COURTS, custody_record_json
from station_app.services.custody import CustodyRecordView
from tests.fixtures import pdf_tools

NOW = ARRIVED + timedelta(hours=16)


def record(**options) -> CustodyRecordView:
    return CustodyRecordView.from_json(custody_record_json(**options))


def words_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_record_prints_the_arrest_circumstances_and_the_arresting_officer():
    # Code C 3.4(a): the custody officer records the arresting officer's account of the
    # circumstances of the arrest; both are captured at booking (BookingIn).
    text = words_of(build_form("record", record(), NOW))

    assert "Arresting officer PC 5521 Ada Demo" in text
    assert "matching the description given by the victim" in text


@pytest.mark.parametrize("key", ["record", "rights", "charge", "property", "bail"])
def test_every_time_is_london_local_time_with_its_zone_never_raw_utc(key):
    # formats.md: store UTC, show Europe/London with the zone (BST/GMT).
    charged = key != "bail"
    text = words_of(build_form(key, record(charged=charged), NOW))

    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), re.findall(r"\S*\d{4}-\d{2}-\d{2}\S*", text)
    assert "+00:00" not in text and "UTC" not in text


def test_the_record_shows_times_either_side_of_the_clock_change_with_their_zone():
    text = words_of(build_form("record", record(), NOW))

    assert "Sat 24 Oct 2026 21:00 BST" in text  # arrival
    assert "GMT" in text  # the morning after the clocks went back


def test_entry_titles_stay_inside_their_column():
    # A title wider than the column ran over the details beside it: it must wrap.
    pdf_tools.need("pdftotext")
    pdf = build_form("record", record(), NOW)
    html = pdf_tools.text(pdf, "-bbox")
    words = re.findall(
        r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', html
    )
    # The Entry column: 18 mm margin + 30 mm + 30 mm, 32 mm wide (in points).
    left, right = (18 + 60) * 72 / 25.4, (18 + 92) * 72 / 25.4
    entry_words = {"Legal", "advice", "requested", "Detention", "authorised"}
    found = [(float(x0), float(x1), w) for x0, x1, w in words if w in entry_words]
    in_column = [(x0, x1, w) for x0, x1, w in found if left - 1 <= x0 < right]
    assert {w for _x0, _x1, w in in_column} >= {"Legal", "advice", "requested"}
    for x0, x1, word in in_column:
        assert x1 <= right + 0.5, (word, x0, x1, right)


def test_a_late_visit_is_printed_as_a_breach_with_its_rule():
    # APP detainee care and Code C 9.3: level 1, a visit at least every hour. The sample's
    # second visit is 95 minutes after the first: due 22:55 BST, made 23:30 BST.
    text = words_of(build_form("record", record(), NOW))

    assert "Compliance" in text
    assert re.search(r"Visit late: due by Sat 24 Oct 2026 22:55 BST.*23:30 BST.*35 min", text)
    assert "Code C 9.3" in text


def test_the_rights_notice_covers_code_c_3_2_and_its_annex_entitlements():
    text = words_of(build_form("rights", record(), NOW))

    for words in (
        "in private",  # Code C 6.1: consult a solicitor privately
        "duty solicitor",  # Code C 6.6, Note 6B
        "appropriate adult",  # Code C 1.4, 1.5, 3.15
        "physical comfort",  # Code C 3.2(b), 8.1-8.3
        "interview",  # Code C 3.2(b): the provisions on the conduct of interviews
        "telephone call",  # Code C 5.6
        "writing materials",  # Code C 5.6
        "free of charge",  # Code C 9: medical help, and legal advice (s.58)
        "healthcare professional",
    ):
        assert words in text, words


def test_the_36_hour_extension_is_offered_only_for_an_indictable_offence():
    # PACE s.42(1)(b): only where the offence is indictable.
    indictable = words_of(build_form("rights", record(), NOW))
    summary = words_of(build_form("rights", record(mode_of_trial="summary"), NOW))

    assert "36 hours" in indictable
    assert "36 hours" not in summary
    assert "cannot be extended" in summary


def test_the_rights_notice_is_printed_in_welsh_when_it_was_given_in_welsh():
    # Code C 3.2 and 13: the notice in a language the detainee understands; the catalogue
    # (resources/rules/notices/cy.json) is data.
    text = words_of(build_form("rights", record(notice_language="Welsh"), NOW))

    assert "Hysbysiad o hawliau a hawlogaethau" in text
    assert "cyfreithiwr ar ddyletswydd" in text
    assert "Tudalen 1 o" in text


def charge_sheet(data: dict | None = None, **options) -> str:
    """The charge sheet's words, the charge entry's details replaced by `data` if given."""
    shape = custody_record_json(**options)
    if data is not None:
        (charge,) = [e for e in shape["events"] if e["kind"] == "charge"]
        charge["data"] = {key: charge["data"][key] for key in ("offence", "wording")} | data
    return words_of(
        build_form("charge", CustodyRecordView.from_json(shape), NOW, court_names=COURTS)
    )


def test_the_charge_sheet_prints_the_reply_the_bail_to_court_and_the_case_file():
    # Code C 16.3: the written notice of charge gives the particulars, the officer's name
    # and the police reference for the case; 16.8: what the detainee says when charged is
    # recorded. Bail to court decided at charge (PACE s.38, s.47(3)(b)) gives the court by
    # name and the first appearance in words. (Before: "Kept in custody" for every charge
    # with no bail entry after it, and the custody number as the case reference.)
    text = charge_sheet()

    assert "Reply to charge I only borrowed it." in text
    assert "Case reference SW-26-0077" in text
    assert "Released on bail to appear at court" in text
    assert "Court Riverside Magistrates' Court" in text
    assert "First appearance Thursday 12 November 2026 at 10:00" in text
    assert "Not to contact Ann Example directly or indirectly" in text
    assert "Kept in" not in text


def test_kept_in_custody_after_charge_goes_before_the_court_the_charge_named():
    # PACE s.46: brought before the court as soon as practicable, at its next sitting.
    text = charge_sheet({"after_charge": "remand", "court": "MC-NGT"})
    assert "Kept in police detention to be taken before the court (PACE s.46)" in text
    assert "Court Northgate Magistrates' Court" in text
    assert "First appearance The next sitting of the court" in text
    assert "Bail conditions" not in text


def test_what_the_charge_did_not_record_is_left_to_fill_in_never_guessed():
    text = charge_sheet({})
    assert "Bailed to court or kept in custody: ____" in text
    assert "Kept in police detention" not in text and "Released on bail" not in text
    assert "(write down what is said)" in text


def test_an_older_record_gives_the_bail_to_court_from_its_bail_entry():
    text = charge_sheet(bail_entry_after_charge=True)
    assert "Court Riverside Magistrates' Court" in text
    assert "First appearance Thursday 12 November 2026 at 10:00" in text


def test_before_a_case_file_is_opened_the_sheet_says_it_is_the_custody_number():
    shape = custody_record_json()
    shape["case_files"] = []
    text = words_of(build_form("charge", CustodyRecordView.from_json(shape), NOW))
    assert "Custody record SW-2026-00077 (no case file opened yet)" in text
    assert "Case reference" not in text


def test_the_bail_notice_gives_the_date_in_words_and_the_time_to_answer():
    text = words_of(build_form("bail", record(charged=False), NOW))

    assert "Wednesday 20 January 2027" in text
    assert "Time to answer bail 14:30" in text


def test_someone_answering_bail_is_told_the_time_already_used_and_the_shorter_limit():
    # PACE s.47(6): the time in police detention before bail counts towards every period;
    # nine hours used leaves fifteen (PNLD). The notice and the record both say so.
    answering = record(answering_bail_hours=9, charged=False)
    notice = words_of(build_form("rights", answering, ARRIVED + timedelta(hours=1)))
    assert "answering bail from custody record SW-2026-00031" in notice
    assert "9 h 00 min" in notice and "s.47(6)" in notice
    from station_app.documents.custody_notice import notice_language

    words = notice_language(answering)
    fifteen = words.when_words(ARRIVED + timedelta(hours=15))
    assert f"kept without being charged after {fifteen}" in notice
    plain = words_of(build_form("rights", record(charged=False), ARRIVED + timedelta(hours=1)))
    assert "answering bail" not in plain
    printed = words_of(build_form("record", answering, ARRIVED + timedelta(hours=1)))
    assert "Answering bail (PACE s.47(6))" in printed and "9 h 00 min already used" in printed
