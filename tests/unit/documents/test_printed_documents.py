"""Every printed document, as issue 11's "Done means" checks it: `qpdf --check` passes,
`pdffonts` shows every font embedded, the same data gives the same bytes, and each page is
rendered to PNG in the test artefact folder (build/test-artefacts/documents, or
$STATION_ARTEFACTS) for a reviewer to look at."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from station_app.documents.samples import sample_documents
from tests.fixtures import pdf_tools

# The 300-entry record is a benchmark's; `make documents` writes it.
DOCUMENTS = sample_documents(long_record=False)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_document_is_sound_embeds_its_fonts_is_reproducible_and_is_rendered(name):
    pdf = DOCUMENTS[name]()

    check = pdf_tools.qpdf_check(pdf)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = pdf_tools.fonts(pdf)
    assert fonts, "no fonts listed"
    assert all(font["emb"] == "yes" for font in fonts), fonts
    assert DOCUMENTS[name]() == pdf, "the same data must give the same bytes"
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    images = pdf_tools.render(pdf, name)
    assert len(images) == pages
    assert all(image.stat().st_size > 1000 for image in images)
