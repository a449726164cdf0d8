"""The PDF frame: embedded fonts, metadata, page X of Y, same bytes twice."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.fixtures.pdfs import sample_pdf


def test_pages_are_numbered_fonts_embedded_and_metadata_set():
    reader = PdfReader(io.BytesIO(sample_pdf()))
    assert len(reader.pages) == 2
    assert "Page 1 of 2" in reader.pages[0].extract_text()
    assert "SW/26/1 · p2" in reader.pages[1].extract_text()
    assert "£12.50" in reader.pages[0].extract_text()
    assert reader.metadata.title == "Test form"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font["/FontDescriptor"]
        )
        assert "/FontFile2" in descriptor.get_object()


def test_the_same_data_gives_the_same_bytes():
    assert sample_pdf() == sample_pdf()
