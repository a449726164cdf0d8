"""The printed bundle as a CPS lawyer reads it (shared/domain/case-files.md, "The bundle"):
one page number on every page, fonts a reader can trust (ISO 32000-1 9.6.4: distinct
subsets carry distinct tags), dates in words, the URN on the MG1, courts by name."""

from __future__ import annotations

import hashlib
import io
import re
from functools import cache

from pypdf import PdfReader

from station_app.documents.casefile_bundle import Bundle, build_bundle, exhibit_footer_band
from station_app.documents.samples import COURTS, bundle_case
from station_app.domain.file_standard import load_rules
from station_app.resource_files import resource_path
from tests.fixtures import pdf_tools


@cache
def built(with_courts: bool = True) -> Bundle:
    case, attachments = bundle_case()
    standard = load_rules(resource_path("rules", "file_standard.json"))
    return build_bundle(case, attachments, standard, court_names=COURTS if with_courts else None)


def page_words(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_an_exhibit_page_shows_one_page_number_the_bundles():
    # The attached exhibit is a framed PDF with its own "Page N of 16" footer; in the
    # bundle only the bundle's own number may show (case-files.md: "page X of Y").
    bundle = built()
    exhibit = next(e for e in bundle.index if e.form == "EXHIBIT")
    left, bottom, right, top = exhibit_footer_band()
    width, height, pixels = pdf_tools.gray_page(bundle.pdf, exhibit.page, dpi=72)
    scale = width / 595.2756
    rows = range(int(height - top * scale) + 1, int(height - bottom * scale) - 1)
    columns = range(int(left * scale) + 1, int(right * scale) - 1)
    dark = [(x, y) for y in rows for x in columns if pixels[y * width + x] < 200]
    assert not dark, f"{len(dark)} dark pixels where the exhibit's own footer was"
    # ... while the exhibit's body is still there.
    assert "CCTV stills, sheet 1" in page_words(bundle.pdf)[exhibit.page - 1]


def _subset_fonts(pdf: bytes) -> dict[str, set[str]]:
    """Subset font name (TAG+Name) -> the digests of the font programs it names."""
    found: dict[str, set[str]] = {}
    reader = PdfReader(io.BytesIO(pdf))
    seen: set[int] = set()
    pending = [page["/Resources"] for page in reader.pages]
    while pending:
        resources = pending.pop().get_object()
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            program = descriptor["/FontFile2"].get_object().get_data()
            found.setdefault(str(font["/BaseFont"]), set()).add(hashlib.sha256(program).hexdigest())
        for xobject in resources.get("/XObject", {}).values():
            if id(xobject.get_object()) in seen:
                continue
            seen.add(id(xobject.get_object()))
            if "/Resources" in xobject.get_object():
                pending.append(xobject.get_object()["/Resources"])
    return found


def test_distinct_font_subsets_carry_distinct_tags():
    fonts = _subset_fonts(built().pdf)

    assert len(fonts) >= 3  # the bundle's own two, and the exhibits'
    for name, programs in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+\S+", name), name
        assert len(programs) == 1, f"{name} names {len(programs)} different subsets"


def test_dates_are_in_words_and_courts_by_name():
    words = page_words(built().pdf)
    front = words[0]

    assert "Saturday 5 December 2026 at Riverside Magistrates' Court" in front
    assert "MC-RVS" not in front and "2026-12-05" not in front
    assert "5 April 1988" in front  # the defendant's date of birth, on the MG1
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", page) for page in words)


def test_a_court_the_reference_data_does_not_name_is_printed_with_its_code():
    front = page_words(built(with_courts=False).pdf)[0]

    assert "Saturday 5 December 2026 at the court with code MC-RVS" in front


def test_the_mg1_carries_the_urn():
    front = page_words(built().pdf)[0]

    assert re.search(r"URN\s+SW-26-0999", front)
