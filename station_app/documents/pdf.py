"""The common frame of every printed form: fonts, styles, header, footer, page X of Y.

Every Station PDF embeds its fonts (DejaVu Sans from `resources/fonts`), carries title,
author and subject metadata, and is built with reportlab's invariant mode so the same data
always gives the same bytes (a bundle built twice is identical). Form modules (the
victim's letter, custody forms, MG forms) build a story of flowables and call `build_pdf`.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from station_app import __version__
from station_app.resource_files import resource_path

FONT = "StationSans"
FONT_BOLD = "StationSans-Bold"
PAGE_SIZE = A4
MARGIN = 18 * mm

_fonts_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans (embedded as a subset in each PDF that uses it)."""
    global _fonts_registered
    with _fonts_lock:
        if _fonts_registered:
            return
        pdfmetrics.registerFont(TTFont(FONT, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(
            TTFont(FONT_BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf")))
        )
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
        _fonts_registered = True


def styles() -> StyleSheet1:
    """Paragraph styles for forms: body, small, heading levels, table text, field labels."""
    register_fonts()
    sheet = StyleSheet1()
    sheet.add(ParagraphStyle("Body", fontName=FONT, fontSize=10, leading=13.5))
    sheet.add(ParagraphStyle("Small", parent=sheet["Body"], fontSize=8, leading=10))
    sheet.add(ParagraphStyle("Label", parent=sheet["Small"], textColor=colors.HexColor("#444444")))
    sheet.add(ParagraphStyle("Cell", parent=sheet["Body"], fontSize=9, leading=11.5))
    sheet.add(ParagraphStyle("Para", parent=sheet["Body"], spaceAfter=4))
    sheet.add(
        ParagraphStyle(
            "Item", parent=sheet["Body"], leftIndent=10, firstLineIndent=-8, spaceAfter=3
        )
    )
    sheet.add(ParagraphStyle("Title", fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=6))
    sheet.add(
        ParagraphStyle(
            "Heading", fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
        )
    )
    sheet.add(
        ParagraphStyle(
            "Subheading", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2
        )
    )
    return sheet


@dataclass(frozen=True)
class PageFrame:
    """What goes round every page. `footer_left` may vary with the page (a bundle names
    the form each page belongs to): give a function of the 1-based page number."""

    title: str
    subject: str = ""
    author: str = "Station"
    header_left: str = ""
    header_right: str = ""
    footer_left: str | Callable[[int], str] = ""
    protective_marking: str = "OFFICIAL-SENSITIVE"
    """Government Security Classifications: empty on a letter handed to the public."""
    page_label: str = "Page {page} of {total}"
    """The footer's page number, as the document's language says it."""
    band: str | Callable[[int], str] = ""
    """Words for a chequered band under the header (the casefile forms' non-disclosable
    banding: "NOT FOR DISCLOSURE"), or a function of the page number; empty: no band."""


def _numbered_canvas(frame: PageFrame) -> type[Canvas]:
    """A canvas that holds pages back until the end so each can say 'page X of Y'."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start in our embedded font, or reportlab adds a non-embedded Helvetica.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_frame(total)
                super().showPage()
            super().save()

        def _draw_frame(self, total: int) -> None:
            page = self._pageNumber
            width, height = self._pagesize
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(colors.HexColor("#333333"))
            if frame.protective_marking:
                self.drawCentredString(width / 2, height - 10 * mm, frame.protective_marking)
                self.drawCentredString(width / 2, 8 * mm, frame.protective_marking)
            if frame.header_left:
                self.drawString(MARGIN, height - 14 * mm, frame.header_left)
            if frame.header_right:
                self.drawRightString(width - MARGIN, height - 14 * mm, frame.header_right)
            left = frame.footer_left(page) if callable(frame.footer_left) else frame.footer_left
            if left:
                self.drawString(MARGIN, 12 * mm, left)
            self.drawRightString(
                width - MARGIN, 12 * mm, frame.page_label.format(page=page, total=total)
            )
            band = frame.band(page) if callable(frame.band) else frame.band
            if band:
                self._draw_band(band, width, height)
            self.restoreState()

        def _draw_band(self, words: str, width: float, height: float) -> None:
            """A chequered band between the header and the text, its words in a white box
            in the middle (Home Office casefile forms: non-disclosable chequered banding)."""
            square, bottom = 2 * mm, height - 20.5 * mm
            squares = self.beginPath()
            columns = int((width - 2 * MARGIN) // square)
            for row in range(2):
                for column in range(row % 2, columns, 2):
                    squares.rect(MARGIN + column * square, bottom + row * square, square, square)
            self.setFillColor(colors.black)
            self.drawPath(squares, stroke=0, fill=1)
            self.setFont(FONT_BOLD, 8)
            label = f"  {words}  "
            label_width = self.stringWidth(label, FONT_BOLD, 8)
            self.setFillColor(colors.white)
            self.rect(
                (width - label_width) / 2, bottom - 0.5 * mm, label_width, 5 * mm, stroke=0, fill=1
            )
            self.setFillColor(colors.black)
            self.drawCentredString(width / 2, bottom + 1.1 * mm, words)

    return NumberedCanvas


def station_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float | None],
    commands: Sequence[tuple[Any, ...]] = (),
    *,
    repeat_rows: int = 0,
    font_size: float = 9,
) -> Any:
    """A reportlab Table whose every cell is set in the embedded font.

    reportlab's Table sets each cell's font before drawing it, even a cell holding a
    Paragraph, and its default cell font is Helvetica: a table without a FONT command
    puts a non-embedded Helvetica into the PDF (ISO 32000-1 9.6.2: the standard 14 fonts
    are not embedded, so they print differently on every reader)."""
    table = Table([list(row) for row in rows], colWidths=list(widths), repeatRows=repeat_rows)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, font_size), *commands]))
    return table


@lru_cache(maxsize=8192)  # a record repeats its titles, details and officers many times
def wrap_text(text: str, width: float, font: str = FONT, size: float = 8.5) -> str:
    """`text` broken into lines (joined by new lines) that each fit `width` points, for a
    plain-string table cell: a cell does not wrap by itself, and a Paragraph costs ten times
    as much to lay out. A word wider than the column is broken where it must be."""
    register_fonts()
    measure = pdfmetrics.stringWidth
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if measure(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while measure(word, font, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and measure(word[:cut], font, size) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return "\n".join(lines)


def build_pdf(story: Sequence[Flowable], frame: PageFrame) -> bytes:
    """Lay out `story` on A4 with the frame round every page; the same input gives the
    same bytes."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 2 * mm,
        title=frame.title,
        author=frame.author,
        subject=frame.subject,
        creator=f"Station {__version__}",
        producer=f"Station {__version__}",
        invariant=1,  # fixed dates and IDs: same data, same bytes
        initialFontName=FONT,
        pageCompression=1,
    )
    document.build(list(story), canvasmaker=_numbered_canvas(frame))
    return buffer.getvalue()
