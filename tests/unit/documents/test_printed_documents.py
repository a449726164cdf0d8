"""Every printed document, as issue 11's "Done means" checks it: `qpdf --check` passes,
`pdffonts` shows every font embedded, the same data gives the same bytes, and each page is
rendered to PNG in the test artefact folder (build/test-artefacts/documents, or
$STATION_ARTEFACTS) for a reviewer to look at."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from pypdf import PdfReader

from station_app.documents.casefile_bundle import build_bundle
from station_app.documents.custody_forms import build_all, build_form
from station_app.documents.incident_letter import build_letter
from station_app.documents.samples import (
    ARRIVED,
    COURTS,
    bundle_case,
    custody_record_json,
    incident,
)
from station_app.domain.file_standard import load_rules
from station_app.resource_files import resource_path
from station_app.services.custody import CustodyRecordView
from tests.unit.documents import pdf_tools

NOW = ARRIVED + timedelta(hours=16)


def _custody(key: str, **options: object) -> Callable[[], bytes]:
    return lambda: build_form(key, CustodyRecordView.from_json(custody_record_json(**options)), NOW)


def _bundle(served: bool = False) -> bytes:
    """The CPS's copy, or the copy that may be served on the defence and the court."""
    case, attachments = bundle_case()
    standard = load_rules(resource_path("rules", "file_standard.json"))
    return build_bundle(case, attachments, standard, court_names=COURTS, served=served).pdf


DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "letter-en": lambda: build_letter(incident()),
    "letter-cy": lambda: build_letter(incident(language="Cymraeg")),
    "custody-record": _custody("record"),
    "custody-rights-en": _custody("rights"),
    "custody-rights-cy": _custody("rights", notice_language="Welsh"),
    "custody-charge": _custody("charge"),
    "custody-property": _custody("property"),
    "custody-bail": _custody("bail", charged=False),
    "custody-all": lambda: build_all(CustodyRecordView.from_json(custody_record_json()), NOW),
    "bundle": _bundle,
    "bundle-served": lambda: _bundle(served=True),
}


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
