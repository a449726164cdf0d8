"""The Bundle tab of a case: build its two PDFs in the background with progress, the CPS's
copy (everything, the forms not for disclosure banded) and the served copy (only what may
go to the defence and the court), preview, save and print each (PdfPreviewDialog), attach
PDFs, and for supervisors send the approved CPS copy to the CPS and collect its answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.file_standard import ATTACHMENT_KINDS, load_rules
from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD
from station_app.resource_files import resource_path
from station_app.services.casefiles import CasefilesClient
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationFailure, OperationRunner, Progress
from station_app.ui.theme import set_state
from station_app.ui.widgets import caption

if TYPE_CHECKING:
    from station_app.documents.casefile_bundle import Bundle
    from station_app.ui.pdf_preview import PdfPreviewDialog


@dataclass(frozen=True)
class Bundles:
    """The two outputs of one case, as read at one version."""

    case: dict[str, Any]
    cps: Bundle
    """Everything, for the CPS: what "Send to CPS" sends."""
    served: Bundle
    """Only what may be served on the defence and given to the court."""


def make_bundles(
    client: CasefilesClient,
    reference: str,
    progress: Progress,
    cache: ReferenceCache | None = None,
) -> Bundles:
    """Worker side: read the case and its attachments, then lay out both bundles (courts by
    name from the reference cache)."""
    from station_app.documents.casefile_bundle import build_bundle  # reportlab: not at start-up

    progress(0, 0, "Reading the case file…")
    case = client.case(reference)
    attachments = {
        d["id"]: client.attachment(reference, d["id"])
        for d in case["documents"]
        if d["is_attachment"]
    }
    standard = load_rules(resource_path("rules", "file_standard.json"))
    courts = {row.code: row.label for row in cache.rows("courts", limit=500)} if cache else {}
    built: list[Bundle] = []
    for half, (served, words) in enumerate(
        ((False, "Building the CPS's copy…"), (True, "Building the served copy…"))
    ):

        def step(done: int, total: int, half: int = half, words: str = words) -> None:
            progress(half * total + done, 2 * total, words)

        built.append(
            build_bundle(case, attachments, standard, step, court_names=courts, served=served)
        )
    return Bundles(case, built[0], built[1])


class BundlePanel(QWidget):
    case_changed = Signal(dict)
    """The case was re-read after a send, a reply or an attachment."""

    def __init__(
        self, runner: OperationRunner, client: CasefilesClient, cache: ReferenceCache | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("bundlePanel")
        self.runner = runner
        self.client = client
        # One Idempotency-Key per PDF being attached, until the server has it: attaching the
        # same file again after a lost answer gives back the first attachment, not a copy.
        self._attach_keys: dict[tuple[str, str, str, bool, str], str] = {}
        self.cache = cache
        self.roles: frozenset[str] = frozenset()
        self.case: dict[str, Any] | None = None
        self.bundle: Bundle | None = None
        """The CPS's copy: the one sent."""
        self.served_bundle: Bundle | None = None
        """The copy that may be served on the defence and given to the court."""
        self.built_version: int | None = None
        self.preview: PdfPreviewDialog | None = None
        self._preview_when_built = False

        self.build_button = QPushButton("B&uild bundles")
        self.preview_button = QPushButton("CPS copy: &preview, save or print…")
        self.preview_button.setToolTip(
            "Everything in the file, for the CPS; the forms never disclosed are marked "
            "NOT FOR DISCLOSURE. This is the copy Send to CPS sends."
        )
        self.served_preview_button = QPushButton("Served copy: previe&w, save or print…")
        self.served_preview_button.setToolTip(
            "Only what may be served on the defence and given to the court: the forms never "
            "disclosed are left out."
        )
        self.send_button = QPushButton("S&end to CPS")
        self.replies_button = QPushButton("Check CPS &replies")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Bundle progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("Build the bundles to preview them.")
        self.status.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.setAccessibleName("What the PDF is")
        for code, name in ATTACHMENT_KINDS.items():
            self.kind.addItem(name, code)
        self.key = QCheckBox("&Key evidence")
        self.attach_button = QPushButton("A&ttach PDF…")
        self.build_button.clicked.connect(self.build)
        self.preview_button.clicked.connect(lambda: self.show_preview())
        self.served_preview_button.clicked.connect(lambda: self.show_preview(served=True))
        self.send_button.clicked.connect(self.send)
        self.replies_button.clicked.connect(self.collect_replies)
        self.attach_button.clicked.connect(self.choose_attachment)

        # Two columns, so the panel fits beside My cases at 150% on a 1366x768 desk: the
        # bundles and their copies on the left, what goes to and comes from the CPS on the
        # right, in the order Tab walks them.
        actions = QGridLayout()
        for row, (left, right) in enumerate(
            (
                (self.build_button, self.send_button),
                (self.preview_button, self.replies_button),
                (self.served_preview_button, None),
            )
        ):
            actions.addWidget(left, row, 0)
            if right is not None:
                actions.addWidget(right, row, 1)
        actions.setColumnStretch(2, 1)
        attach = QHBoxLayout()
        attach.addWidget(caption("What the PDF is:", self.kind))
        attach.addWidget(self.kind)
        attach.addWidget(self.key)
        attach.addWidget(self.attach_button)
        attach.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("Attach a document (PDF)"))
        layout.addLayout(attach)
        layout.addStretch(1)
        self._enable()

    def set_roles(self, roles: frozenset[str]) -> None:
        self.roles = roles
        self._enable()

    def set_case(self, case: dict[str, Any]) -> None:
        if self.case is None or self.case["reference"] != case["reference"]:
            self.bundle, self.served_bundle, self.built_version = None, None, None
            self.say("Build the bundles to preview them.")
        self.case = case
        self._enable()

    def _enable(self) -> None:
        has_case = self.case is not None
        current = (
            self.bundle is not None
            and self.case is not None
            and self.built_version == self.case["version"]
        )
        status = self.case["status"] if self.case else ""
        self.build_button.setEnabled(has_case)
        self.preview_button.setEnabled(self.bundle is not None)
        self.served_preview_button.setEnabled(self.served_bundle is not None)
        self.send_button.setEnabled(current and "supervisor" in self.roles and status == "approved")
        self.replies_button.setEnabled(has_case and "supervisor" in self.roles)
        self.attach_button.setEnabled(
            has_case and "detective" in self.roles and status in ("draft", "returned", "rejected")
        )

    def say(self, text: str, state: str = "info") -> None:
        self.status.setText(text)
        set_state(self.status, state)

    def build(self, *, then_preview: bool = False) -> None:
        """Build both bundles on a worker; with `then_preview` (Ctrl+P) the CPS's copy opens
        once it is built, so one key takes the officer from the case to its preview."""
        if self.case is None:
            return
        self._preview_when_built = then_preview
        client, reference, cache = self.client, self.case["reference"], self.cache
        self.build_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first step is counted
        self.say("Building the bundles…")
        self.runner.run_with_progress(
            "casefiles.bundle",
            lambda progress: make_bundles(client, reference, progress, cache),
            on_progress=self._progressed,
            on_success=self._built,
            on_failure=self._failed,
        )

    def _progressed(self, done: int, total: int, _text: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _built(self, result: Bundles) -> None:
        self.case, self.built_version = result.case, result.case["version"]
        self.bundle, self.served_bundle = result.cps, result.served
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        cps, served = result.cps, result.served
        self.say(
            f"Bundle ready. CPS copy: {cps.page_count} pages, {len(cps.index)} documents. "
            f"Served copy: {served.page_count} pages, {len(served.index)} documents "
            "(the forms never disclosed left out)."
        )
        self._enable()
        if self._preview_when_built:
            self._preview_when_built = False
            self.show_preview()

    def _failed(self, failure: OperationFailure) -> None:
        self._preview_when_built = False
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.say(failure.message, "error")
        self._enable()

    def show_preview(self, served: bool = False) -> None:
        """Preview, save or print the CPS's copy, or with `served` the served copy."""
        bundle = self.served_bundle if served else self.bundle
        if bundle is None or self.case is None:
            return
        from station_app.ui.pdf_preview import PdfPreviewDialog

        reference = self.case["reference"]
        title, name = (
            (f"Served copy of the bundle for {reference}", f"{reference}-bundle-served.pdf")
            if served
            else (f"CPS copy of the bundle for {reference}", f"{reference}-bundle-cps.pdf")
        )
        self.preview = PdfPreviewDialog(bundle.pdf, title, name, self)
        self.preview.open()

    def send(self) -> None:
        if self.bundle is None or self.case is None:
            return
        client, reference, version, pdf = (
            self.client,
            self.case["reference"],
            self.case["version"],
            self.bundle.pdf,
        )
        self.send_button.setEnabled(False)
        self.say("Sending to the CPS…")
        self.runner.run(
            "casefiles.send",
            lambda: client.send(reference, version, pdf),
            on_success=self._sent,
            on_failure=self._failed,
        )

    def _sent(self, case: dict[str, Any]) -> None:
        self.say(f"Sent to the CPS as {case['submissions'][-1]['submission_id']}.")
        self.case_changed.emit(case)

    def collect_replies(self) -> None:
        client = self.client
        self.runner.run(
            "casefiles.acknowledgements",
            client.collect_acknowledgements,
            on_success=self._replies,
            on_failure=self._failed,
        )

    def _replies(self, applied: list[dict[str, Any]]) -> None:
        if not applied:
            self.say("No new answers from the CPS.")
            return
        self.say("; ".join(f"{a['reference']}: {a['outcome']}" for a in applied) + ".")
        if self.case:
            client, reference = self.client, self.case["reference"]
            self.runner.run(
                "casefiles.case", lambda: client.case(reference), on_success=self.case_changed.emit
            )

    def choose_attachment(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Attach a PDF", "", "PDF files (*.pdf)")
        if name:
            title, ok = QInputDialog.getText(self, "Attach a PDF", "Title:", text=Path(name).stem)
            if ok and title.strip():
                self.attach(Path(name), title.strip())

    def attach(self, path: Path, title: str) -> None:
        if self.case is None:
            return
        client, reference = self.client, self.case["reference"]
        kind, key = str(self.kind.currentData()), self.key.isChecked()
        attempt = (reference, kind, title, key, str(path))
        sent_key = self._attach_keys.setdefault(attempt, uuid.uuid4().hex)
        self.runner.run(
            "casefiles.attach",
            lambda: client.attach(
                reference, kind, title, path.read_bytes(), key=key, idempotency_key=sent_key
            ),
            on_success=lambda _doc: self._attached(reference, attempt),
            on_failure=lambda failure: self._attach_failed(failure, attempt),
        )

    def _attach_failed(self, failure: OperationFailure, attempt: tuple[Any, ...]) -> None:
        if IDEMPOTENCY_KEY_FIELD in (getattr(failure.error, "field_errors", None) or {}):
            self._attach_keys.pop(attempt, None)  # the file changed after a lost answer
        self._failed(failure)

    def _attached(self, reference: str, attempt: tuple[Any, ...]) -> None:
        self._attach_keys.pop(attempt, None)
        self.say("Attached.")
        client = self.client
        self.runner.run(
            "casefiles.case", lambda: client.case(reference), on_success=self.case_changed.emit
        )
