"""The court-ready bundle of a case file: one PDF, MG1 first, an index with page numbers,
then each form and attachment in the order the rules file sets.

shared/domain/case-files.md, "The bundle": every page is footed with the case reference,
the form name and "page X of Y"; fonts are embedded; title, author and creation time are
set; the same data gives the same bytes. The frame comes from `documents.pdf.build_pdf`:
an attached PDF gets blank framed pages in the story, and its pages are then laid onto
them with pypdf, so attachments carry the same footer and page count as the forms.
Runs on a worker thread (the runner); `progress(done, total)` reports each step.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Table, TableStyle

from station_app.documents.casefile_forms import case_cover_story, form_story
from station_app.documents.pdf import (
    FONT,
    FONT_BOLD,
    MARGIN,
    PAGE_SIZE,
    PageFrame,
    build_pdf,
    styles,
)
from station_app.domain.file_standard import DOCUMENT_NAMES, FileStandard
from station_app.domain.wire import parse_utc

__all__ = ["Bundle", "IndexEntry", "Section", "build_bundle", "bundle_sections"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Section:
    """One part of the bundle: a structured form (`data`) or an attached PDF."""

    key: str
    form: str
    title: str
    data: Mapping[str, Any] | None = None
    attachment: bytes | None = None


@dataclass(frozen=True)
class IndexEntry:
    title: str
    form: str
    page: int


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    page_count: int
    index: tuple[IndexEntry, ...]


def bundle_sections(
    case: Mapping[str, Any], attachments: Mapping[int, bytes], standard: FileStandard
) -> list[Section]:
    """MG1 first, then every bundled document in rules order (then in the order added).

    Unused material is not bundled (the MG6C lists it), nor any kind the rules leave out.
    """
    documents = sorted(case.get("documents", []), key=lambda d: d["sequence"])
    mg1 = next((d for d in documents if d["form"] == "MG1"), None)
    sections = [
        Section(
            "front",
            "MG1",
            mg1["title"] if mg1 else "File front sheet",
            mg1["data"] if mg1 else None,
        )
    ]
    ordered = []
    for document in documents:
        position = standard.bundle_position(document["form"])
        if position is None or document is mg1:
            continue
        ordered.append((position, document["sequence"], document))
    for _position, _sequence, document in sorted(ordered, key=lambda t: (t[0], t[1])):
        attached = attachments.get(document["id"]) if document.get("is_attachment") else None
        if document.get("is_attachment") and attached is None:
            raise ValueError(f"attachment {document['id']} was not fetched")
        sections.append(
            Section(
                f"doc-{document['id']}",
                document["form"],
                document["title"],
                None if attached else document.get("data", {}),
                attached,
            )
        )
    return sections


class _Mark(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Zero-size: notes the page it lands on (to number the index and the footers)."""

    def __init__(self, key: str, marks: dict[str, int]) -> None:
        super().__init__()
        self.key, self.marks = key, marks
        self.width = self.height = 0

    def wrap(self, *_args: Any) -> tuple[int, int]:
        return 0, 0

    def draw(self) -> None:
        self.marks[self.key] = self.canv.getPageNumber()


def _index_story(sections: Sequence[Section], starts: Mapping[str, int]) -> list[Flowable]:
    sheet = styles()
    rows: list[list[Any]] = [["", "Document", "Page"]]
    for number, section in enumerate(sections, start=1):
        page = starts.get(section.key)
        name = f"{section.form} {DOCUMENT_NAMES.get(section.form, '')}".strip()
        shown = (
            section.title if section.title.startswith(section.form) else f"{name}: {section.title}"
        )
        rows.append(
            [
                str(number),
                Paragraph(escape(shown), sheet["Cell"]),
                str(page) if page else "—",
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 145 * mm, 17 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [Paragraph("Index", sheet["Title"]), table]


def _page_counts(sections: Sequence[Section]) -> dict[str, int]:
    return {s.key: len(PdfReader(io.BytesIO(s.attachment)).pages) for s in sections if s.attachment}


def _story(
    case: Mapping[str, Any],
    standard: FileStandard,
    sections: Sequence[Section],
    starts: Mapping[str, int],
    counts: Mapping[str, int],
    marks: dict[str, int],
) -> list[Flowable]:
    title = standard.file_types.get(str(case.get("file_type")), str(case.get("file_type")))
    story: list[Flowable] = [_Mark("front", marks)]
    front = sections[0]
    story.extend(form_story("MG1", front.title, front.data) if front.data else [])
    if not front.data:
        story.append(Paragraph("File front sheet", styles()["Title"]))
    story.extend(case_cover_story(case, title))
    story += [PageBreak(), _Mark("index", marks), *_index_story(sections, starts)]
    for section in sections[1:]:
        story += [PageBreak(), _Mark(section.key, marks)]
        if section.attachment is not None:
            for page in range(counts[section.key]):
                if page:
                    story.append(PageBreak())
                story.append(_Mark(f"{section.key}#{page}", marks))
        else:
            story.extend(form_story(section.form, section.title, section.data or {}))
    return story


def _creation_time(case: Mapping[str, Any]) -> str:
    """The PDF date of the case's last change: same data, same metadata."""
    stamp = parse_utc(str(case.get("updated_at") or "2000-01-01T00:00:00+00:00"))
    return stamp.strftime("D:%Y%m%d%H%M%S+00'00'")


def build_bundle(
    case: Mapping[str, Any],
    attachments: Mapping[int, bytes],
    standard: FileStandard,
    progress: Progress | None = None,
) -> Bundle:
    """Build the bundle PDF of `case` (the JSON of GET /casefiles/{reference})."""
    report = progress or (lambda _done, _total: None)
    sections = bundle_sections(case, attachments, standard)
    counts = _page_counts(sections)
    total_steps = 4 + len(counts)
    report(1, total_steps)
    reference = str(case.get("reference", ""))
    starts: dict[str, int] = {}
    pdf = b""
    for attempt in range(3):  # page numbers in the index settle in two passes
        marks: dict[str, int] = {}
        order = sorted(((p, k) for k, p in starts.items()), reverse=True)

        def footer(page: int, order: list[tuple[int, str]] = order) -> str:
            key = next((k for p, k in order if p <= page), "front")
            form = {s.key: s.form for s in sections}.get(key, "Index")
            name = DOCUMENT_NAMES.get(form, form) if key != "index" else "Index"
            return f"{reference} · {form if key != 'index' else ''} {name}".replace("  ", " ")

        frame = PageFrame(
            title=f"Case file {reference}",
            subject="Prosecution file bundle for the CPS",
            author=str(case.get("officer_name") or "Station"),
            header_left=reference,
            header_right=standard.file_types.get(str(case.get("file_type")), ""),
            footer_left=footer,
        )
        pdf = build_pdf(_story(case, standard, sections, starts, counts, marks), frame)
        report(2 + attempt, total_steps)
        section_marks = {k: v for k, v in marks.items() if "#" not in k}
        if section_marks == starts:
            break
        starts = section_marks
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for step, section in enumerate((s for s in sections if s.attachment), start=1):
        source = PdfReader(io.BytesIO(section.attachment or b""))
        for number, page in enumerate(source.pages):
            target = writer.pages[marks[f"{section.key}#{number}"] - 1]
            target.merge_transformed_page(page, _fit(page))
        report(min(3 + step, total_steps - 1), total_steps)
    writer.add_metadata({"/CreationDate": _creation_time(case), "/ModDate": _creation_time(case)})
    out = io.BytesIO()
    writer.write(out)
    report(total_steps, total_steps)
    index = tuple(IndexEntry(s.title, s.form, starts[s.key]) for s in sections)
    return Bundle(out.getvalue(), len(writer.pages), index)


def _fit(page: Any) -> Transformation:
    """Shrink an attached page into the frame, between Station's header and footer."""
    width, height = PAGE_SIZE
    box_w, box_h = width - 2 * MARGIN, height - 2 * MARGIN - 12 * mm
    src_w, src_h = float(page.mediabox.width), float(page.mediabox.height)
    scale = min(box_w / src_w, box_h / src_h)
    left = MARGIN + (box_w - src_w * scale) / 2
    bottom = MARGIN + 6 * mm + (box_h - src_h * scale) / 2
    return (
        Transformation()
        .translate(-float(page.mediabox.left), -float(page.mediabox.bottom))
        .scale(scale, scale)
        .translate(left, bottom)
    )
