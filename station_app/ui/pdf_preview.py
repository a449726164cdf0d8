"""Preview a PDF in Station, print it through the system print dialog, or save it.

Every printed form (the victim's letter, custody forms, the case bundle) is shown here
first, so the officer sees exactly what will come out of the printer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from station_app.ui.dialogs import return_focus_on_close


class PdfPreviewDialog(QDialog):
    """Shows one PDF with Print… (Ctrl+P), Save as… (Ctrl+S) and Close (Esc)."""

    def __init__(
        self,
        pdf: bytes,
        title: str,
        suggested_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        return_focus_on_close(self)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.setAccessibleName(f"Preview: {title}")
        self.pdf = pdf
        self.suggested_name = suggested_name
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Document preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel(f"{self.document.pageCount()} page(s)")

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Print…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("&Save as…", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.pages_label)
        layout.addWidget(buttons)
        self.resize(820, 980)
        self.print_button.setFocus()

    def save_as(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save the document", self.suggested_name, "PDF documents (*.pdf)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        try:
            path.write_bytes(self.pdf)
        except OSError as error:
            QMessageBox.warning(
                self,
                "Not saved",
                f"The document could not be saved there ({error.strerror}). "
                "Choose another folder, such as Documents.",
            )

    def print_document(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print " + self.windowTitle())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        print_pdf(self.document, printer, self)


def print_pdf(document: QPdfDocument, printer, parent: QWidget | None = None) -> None:  # type: ignore[no-untyped-def]
    """Render each page at the printer's resolution, with a cancellable progress dialog."""
    pages = document.pageCount()
    progress = QProgressDialog("Sending to the printer…", "Cancel", 0, pages, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(
            parent,
            "Not printed",
            "The printer could not be used. Check it is switched on and chosen, then try again.",
        )
        return
    try:
        for page in range(pages):
            if progress.wasCanceled():
                break
            if page:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page)
            scale = min(target.width() / size.width(), target.height() / size.height())
            image = document.render(
                page, QSize(int(size.width() * scale), int(size.height() * scale))
            )
            painter.drawImage(0, 0, image)
            progress.setValue(page + 1)
    finally:
        painter.end()
        progress.close()
