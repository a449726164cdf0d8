"""Printing from the Custody tab: one form previewed (then printed or saved), or every
form for the detainee built in the background with progress. PDFs are built on a worker
through the runner; the preview is `ui.pdf_preview.PdfPreviewDialog`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from station_app.domain.clock import Clock
from station_app.services.custody import CustodyRecordView
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.views.custody.record_panel import RecordPanel


class FormPrinter(QObject):
    def __init__(
        self,
        runner: OperationRunner,
        panel: RecordPanel,
        on_dialog: Callable[[QDialog], None],
        clock: Clock,
        cache: ReferenceCache | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache = cache
        self._runner = runner
        self._panel = panel
        self._on_dialog = on_dialog
        self._clock = clock

    def preview(self, key: str) -> None:
        record = self._panel.record
        if record is None or not key:
            return
        from station_app.documents.custody_forms import build_form

        now = self._clock.now()
        self._runner.run(
            f"custody.form.{key}",
            lambda: build_form(key, record, now, court_names=self._court_names()),
            on_success=lambda pdf: self._show(pdf, key, record),
        )

    def _court_names(self) -> Mapping[str, str]:
        """Courts by name from the reference cache (on the worker: it reads the database)."""
        if self._cache is None:
            return {}
        return {row.code: row.label for row in self._cache.rows("courts", limit=500)}

    def _show(self, pdf: bytes, key: str, record: CustodyRecordView) -> None:
        from station_app.documents.custody_forms import FORMS
        from station_app.ui.pdf_preview import PdfPreviewDialog

        titles = {"all": "All custody forms", **{form.key: form.title for form in FORMS}}
        title = f"{titles.get(key, key)} · {record.custody_number}"
        dialog = PdfPreviewDialog(pdf, title, f"{record.custody_number}-{key}.pdf", self._panel)
        dialog.setObjectName(f"custodyPreview_{key}")
        self._on_dialog(dialog)
        dialog.open()

    def print_all(self) -> None:
        """Every form for this detainee, built in the background with progress."""
        record = self._panel.record
        if record is None:
            return
        from station_app.documents.custody_forms import build_all

        now = self._clock.now()
        bar, button = self._panel.print_progress, self._panel.print_all_button
        bar.setRange(0, 0)
        bar.show()
        button.setEnabled(False)

        def progress(done: int, total: int, text: str) -> None:
            bar.setRange(0, total)
            bar.setValue(done)
            bar.setToolTip(text)

        def finished(pdf: bytes) -> None:
            bar.hide()
            button.setEnabled(True)
            self._show(pdf, "all", record)

        def failed(_failure: OperationFailure) -> None:
            bar.hide()
            button.setEnabled(True)

        self._runner.run_with_progress(
            "custody.form.all",
            lambda report: build_all(record, now, report, court_names=self._court_names()),
            on_success=finished,
            on_failure=failed,
            on_progress=progress,
        )
