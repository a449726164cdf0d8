"""The PDF preview shows the real document and saves exactly its bytes."""

from __future__ import annotations

from station_app.ui.pdf_preview import PdfPreviewDialog
from tests.fixtures.pdfs import sample_pdf


def test_preview_loads_every_page_and_saves_the_same_bytes(qtbot, tmp_path):
    pdf = sample_pdf()
    dialog = PdfPreviewDialog(pdf, "Test form", "test-form.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document.pageCount() == 2
    assert dialog.pages_label.text() == "2 page(s)"
    dialog.save_to(tmp_path / "saved.pdf")
    assert (tmp_path / "saved.pdf").read_bytes() == pdf
