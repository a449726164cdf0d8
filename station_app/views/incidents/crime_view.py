"""The crime view (issue 10): from a report, the chain of records linked to it through the
core, from the report through the arrests and custody records to the case files and their
hearings, each as the officer's role may see it (a record not theirs to open is named, with
the reason). Read-only; Esc closes it."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from station_app.domain.journey import chain_in_order
from station_app.domain.wire import parse_utc
from station_app.ui.timefmt import local_time_text

RELATION_WORDS = {
    "arrest": "arrest",
    "charge": "charge",
    "crime": "the crime",
    "hearing": "at court",
}


def chain_html(chain: dict[str, Any]) -> str:
    """The chain as one page: a heading per record in the order of the journey."""
    parts = [f"<h3>The crime {escape(chain['reference'])}, from report to court</h3>"]
    for record in chain_in_order(chain.get("records") or []):
        title = escape(str(record.get("title") or record["record_type"]).capitalize())
        reference = escape(str(record["reference"]))
        if not record.get("shown"):
            parts.append(
                f"<h4>{title} {reference}</h4><p><i>{escape(str(record.get('reason', '')))}</i></p>"
            )
            continue
        when = record.get("at")
        at = f" — {escape(local_time_text(parse_utc(when)))}" if when else ""
        lines = "".join(f"<li>{escape(str(line))}</li>" for line in record.get("lines") or [])
        parts.append(f"<h4>{escape(str(record['heading']))}{at}</h4><ul>{lines}</ul>")
    return "".join(parts)


class CrimeViewDialog(QDialog):
    def __init__(self, chain: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crimeView")
        self.setWindowTitle(f"Crime view {chain['reference']}")
        self.text = QTextBrowser()
        self.text.setObjectName("crimeViewText")
        self.text.setAccessibleName("The report and every record linked to it")
        self.text.setHtml(chain_html(chain))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(620, 560)  # fits a 1366x768 screen with its taskbar
