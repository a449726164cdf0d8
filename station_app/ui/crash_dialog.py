"""The dialog shown when Station meets a bug: what happened, what to do, and the details."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
)


class CrashDialog(QDialog):
    def __init__(self, traceback_text: str, log_lines: list[str], crash_file: Path | None):
        super().__init__()
        self.setWindowTitle("Station has a problem")
        self.setAccessibleName("Station has a problem")
        saved = (
            f"A report was saved as {crash_file}. " if crash_file else "No report could be saved. "
        )
        intro = QLabel(
            "Something went wrong inside Station. Anything already sent to the core system "
            "is safe, and reports waiting to send are kept.\n\n"
            f"{saved}Please tell the IT service desk, then close Station and start it again."
        )
        intro.setWordWrap(True)
        details = QPlainTextEdit(traceback_text + "\nLast log lines:\n" + "\n".join(log_lines))
        details.setReadOnly(True)
        details.setAccessibleName("Technical details for the IT service desk")
        details_label = QLabel("&Technical details (for IT):")
        details_label.setBuddy(details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("&Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(details_label)
        layout.addWidget(details)
        layout.addWidget(buttons)
        self.resize(640, 420)
