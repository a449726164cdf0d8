"""The bundles of a case file: one PDF each, MG1 first, an index with page numbers, then
each form and attachment in the order the rules file sets. Two come from one case: the
CPS's copy (everything, each page of a form not for disclosure under a chequered "NOT FOR
DISCLOSURE" band: the MG3, MG6, MG6D, MG6E, MG10, as the rules file's `disclosure` says)
and the served copy (only what may go to the defence and the court: those forms are left
out altogether, from the pages and from the index).

shared/domain/case-files.md, "The bundle": every page is footed with the case reference,
the form name and "page X of Y"; fonts are embedded; title, author and creation time are
set; the same data gives the same bytes. The frame comes from `documents.pdf.build_pdf`:
an attached PDF gets blank framed pages in the story, and its pages are then laid onto
them with pypdf, so attachments carry the same footer and page count as the forms. An
attached page's own bottom band (where its running footer and page number sit) is left
out, so every page shows one page number, the bundle's; the footer says which page of the
exhibit it is. Font subsets get distinct tags after the merge (`pdf_fonts`). Dates are in
words and the court by name from the reference data's courts (`court_names`).
Runs on a worker thread (the runner); `progress(done, total)` reports each step.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject
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
from station_app.documents.pdf_fonts import distinct_subset_tags
from station_app.domain.file_standard import DOCUMENT_NAMES, FileStandard
from station_app.domain.wire import parse_utc

__all__ = [
    "Bundle",
    "IndexEntry",
    "Section",
    "build_bundle",
    "bundle_sections",
    "exhibit_footer_band",
]

Progress = Callable[[int, int], None]
FOOTER_BAND = 17 * mm
"""The bottom of an attached page left out of the bundle: where a running footer and its
page number sit (Station's own at 8-15 mm; body text starts above 20 mm)."""


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
    served: bool = False
    """True for the copy that may be served on the defence and given to the court."""


def bundle_sections(
    case: Mapping[str, Any],
    attachments: Mapping[int, bytes],
    standard: FileStandard,
    *,
    served: bool = False,
) -> list[Section]:
    """MG1 first, then every bundled document in rules order (then in the order added).

    Unused material is not bundled (the MG6C lists it), nor any kind the rules leave out;
    the served copy leaves out every form the rules mark not for disclosure.
    """
    documents = sorted(
        (d for d in case.get("documents", []) if not served or standard.served(d["form"])),
        key=lambda d: d["sequence"],
    )
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


def _index_story(
    sections: Sequence[Section], starts: Mapping[str, int], standard: FileStandard
) -> list[Flowable]:
    sheet = styles()
    rows: list[list[Any]] = [["", "Document", "Page"]]
    for number, section in enumerate(sections, start=1):
        page = starts.get(section.key)
        name = f"{section.form} {DOCUMENT_NAMES.get(section.form, '')}".strip()
        shown = (
            section.title if section.title.startswith(section.form) else f"{name}: {section.title}"
        )
        if not standard.served(section.form):  # only ever in the CPS's copy
            shown = f"{standard.band}: {shown}"
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
    court_names: Mapping[str, str] | None,
    served: bool,
) -> list[Flowable]:
    title = standard.file_types.get(str(case.get("file_type")), str(case.get("file_type")))
    story: list[Flowable] = [_Mark("front", marks)]
    front = sections[0]
    urn = str(case.get("urn") or case.get("reference") or "")
    story.extend(form_story("MG1", front.title, front.data, urn=urn) if front.data else [])
    if not front.data:
        story.append(Paragraph("File front sheet", styles()["Title"]))
    story.extend(case_cover_story(case, title, court_names))
    if served and standard.served_note:  # the same words whatever the case holds
        story.append(Paragraph(escape(standard.served_note), styles()["Small"]))
    story += [PageBreak(), _Mark("index", marks), *_index_story(sections, starts, standard)]
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
    *,
    court_names: Mapping[str, str] | None = None,
    served: bool = False,
) -> Bundle:
    """Build a bundle PDF of `case` (the JSON of GET /casefiles/{reference}): the CPS's
    copy, or with `served` the copy for the defence and the court. `court_names`: court
    code to name, from the reference data's courts."""
    report = progress or (lambda _done, _total: None)
    sections = bundle_sections(case, attachments, standard, served=served)
    counts = _page_counts(sections)
    total_steps = 4 + len(counts)
    report(1, total_steps)
    reference = str(case.get("reference", ""))
    starts: dict[str, int] = {}
    exhibit_pages: dict[int, str] = {}
    forms = {s.key: s.form for s in sections}
    pdf = b""
    for attempt in range(3):  # page numbers in the index settle in two passes
        marks: dict[str, int] = {}
        order = sorted(((p, k) for k, p in starts.items()), reverse=True)

        def footer(
            page: int, order: list[tuple[int, str]] = order, sheets: dict[int, str] = exhibit_pages
        ) -> str:
            key = next((k for p, k in order if p <= page), "front")
            form = forms.get(key, "Index")
            name = DOCUMENT_NAMES.get(form, form) if key != "index" else "Index"
            text = f"{reference} · {form if key != 'index' else ''} {name}".replace("  ", " ")
            return text + sheets.get(page, "")

        def band(page: int, order: list[tuple[int, str]] = order) -> str:
            key = next((k for p, k in order if p <= page), "front")
            form = forms.get(key, "Index")
            return "" if key == "index" or standard.served(form) else standard.band

        frame = PageFrame(
            title=f"Case file {reference}" + (": served copy" if served else ""),
            subject=(
                "Prosecution file bundle: the copy that may be served on the defence and the court"
                if served
                else "Prosecution file bundle for the CPS, with the forms not for disclosure"
            ),
            author=str(case.get("officer_name") or "Station"),
            header_left=reference,
            header_right=(
                standard.file_types.get(str(case.get("file_type")), "")
                + (" · served copy" if served else " · CPS copy")
            ),
            footer_left=footer,
            band=band,
        )
        story = _story(case, standard, sections, starts, counts, marks, court_names, served)
        pdf = build_pdf(story, frame)
        report(2 + attempt, total_steps)
        section_marks = {k: v for k, v in marks.items() if "#" not in k}
        sheets = _exhibit_sheets(marks, counts)
        if section_marks == starts and sheets == exhibit_pages:
            break
        starts, exhibit_pages = section_marks, sheets
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for step, section in enumerate((s for s in sections if s.attachment), start=1):
        source = PdfReader(io.BytesIO(section.attachment or b""))
        for number, page in enumerate(source.pages):
            target = writer.pages[marks[f"{section.key}#{number}"] - 1]
            _leave_out_footer(page)
            target.merge_transformed_page(page, _fit(page))
        report(min(3 + step, total_steps - 1), total_steps)
    distinct_subset_tags(writer)  # ISO 32000-1 9.6.4
    writer.add_metadata({"/CreationDate": _creation_time(case), "/ModDate": _creation_time(case)})
    out = io.BytesIO()
    writer.write(out)
    report(total_steps, total_steps)
    index = tuple(IndexEntry(s.title, s.form, starts[s.key]) for s in sections)
    return Bundle(out.getvalue(), len(writer.pages), index, served)


def _exhibit_sheets(marks: Mapping[str, int], counts: Mapping[str, int]) -> dict[int, str]:
    """Bundle page -> " · page N of M of this exhibit", from the marks of a layout pass."""
    sheets: dict[int, str] = {}
    for mark, page in marks.items():
        key, _hash, number = mark.partition("#")
        if number:
            sheets[page] = f" · its page {int(number) + 1} of {counts[key]}"
    return sheets


def _leave_out_footer(page: Any) -> None:
    """Clip the attached page's bottom band (pypdf clips a merged page to its crop box)."""
    crop = page.cropbox
    bottom = max(float(crop.bottom), float(page.mediabox.bottom) + FOOTER_BAND)
    box = RectangleObject([float(crop.left), bottom, float(crop.right), float(crop.top)])
    page.cropbox = box
    page.trimbox = box


def exhibit_footer_band(
    width: float = PAGE_SIZE[0], height: float = PAGE_SIZE[1]
) -> tuple[float, float, float, float]:
    """Where, on a bundle page, the left-out footer band of an attached page of `width` x
    `height` points would fall: (left, bottom, right, top) in points from the bottom left."""
    box_w, box_h = PAGE_SIZE[0] - 2 * MARGIN, PAGE_SIZE[1] - 2 * MARGIN - 12 * mm
    scale = min(box_w / width, box_h / height)
    left = MARGIN + (box_w - width * scale) / 2
    bottom = MARGIN + 6 * mm + (box_h - height * scale) / 2
    return left, bottom, left + width * scale, bottom + FOOTER_BAND * scale


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
