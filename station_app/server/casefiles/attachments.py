"""What a case file takes as an attached PDF (issue 12, #13), and how it is served back.

An attachment must be a PDF that pypdf can open, with at least one page, not protected by a
password, no larger than the server's cap (`ServerSettings.attachment_max_bytes`), and with
no active content: no JavaScript, no action that starts a program, opens another file,
submits or imports data, no embedded files and no XFA forms.

Such a PDF is refused, not cleaned: an attachment is evidence (an exhibit, a statement, a
PNC print) whose SHA-256 is recorded and sent to the CPS, so Station never changes its
bytes. The officer prints it to a new PDF, knowingly, and attaches that copy.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from station_app.server.core.problems import ProblemError, field_problem

FIELD = "content_base64"
NOT_A_PDF = (
    "The attachment is not a PDF Station can open. Save or scan the document as PDF again "
    "and attach that copy."
)
ACTIVE_CONTENT = (
    "The PDF has active content (scripts, actions that start programs, or files hidden "
    "inside), which Station does not take. Print it to a new PDF (for example with "
    "Microsoft Print to PDF) and attach that copy."
)
PASSWORD = (
    "The PDF is protected by a password. Save it again without the password (or print it "
    "to a new PDF) and attach that copy."
)

# ISO 32000-1 12.6.4: the actions that run code, start or open something outside the
# document, or send data out. GoTo (a page of this document) and URI (a link the reader
# clicks) are not among them.
ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Rendition"}
)
# Keys that hold scripts, files inside the PDF or XFA forms (which carry scripts).
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Filespec"})
# A PDF with more objects than this is not a document an officer attaches.
MOST_OBJECTS = 500_000

# pypdf logs what it repairs in a slightly broken file; that is not the server's news.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{max(1, round(size / 1024))} KB"


def decode(content_base64: str) -> bytes:
    try:
        return base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise field_problem(
            {FIELD: "The attachment could not be read. Attach the file again."}
        ) from None


def _has_active_content(reader: PdfReader) -> bool:
    """True if any object reachable from the trailer is active (see module)."""
    seen: set[tuple[int, int]] = set()
    pending: list[PdfObject | None] = [reader.trailer]
    visited = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MOST_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):  # streams too: their dictionary
            for name, value in item.items():
                if name in ACTIVE_KEYS:
                    return True
                if name == "/S" and value in ACTIVE_ACTIONS:
                    return True
                if name in ("/Type", "/Subtype") and value in ACTIVE_TYPES:
                    return True
                pending.append(value)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def check_attachment(content: bytes, max_bytes: int) -> None:
    """Refuse (422 naming `content_base64`) what a case file must not take (see module)."""
    if len(content) > max_bytes:
        raise field_problem(
            {
                FIELD: f"The attachment is larger than {_size_words(max_bytes)}, the most this "
                "server takes. Split it or reduce the scan quality, then attach it again."
            }
        )
    if not content.startswith(b"%PDF-"):
        raise field_problem(
            {FIELD: "Only PDF files can be attached. Save the document as PDF first."}
        )
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise field_problem({FIELD: PASSWORD})
        if len(reader.pages) < 1:
            raise ValueError("no pages")
        active = _has_active_content(reader)
    except ProblemError:
        raise
    except Exception:  # pypdf raises many kinds on a broken file: each means "not a PDF"
        raise field_problem({FIELD: NOT_A_PDF}) from None
    if active:
        raise field_problem({FIELD: ACTIVE_CONTENT})


def download_headers(reference: str, document_id: int) -> dict[str, str]:
    """Served as a download named from the case and document (never the title, which the
    officer typed); nosniff and no-store come with every answer (core/headers.py)."""
    # A case reference is letters, digits and "-" (CaseCreate), so the name needs no quoting.
    name = "".join(c for c in f"{reference}-document-{document_id}" if c.isalnum() or c == "-")
    return {"Content-Disposition": f'attachment; filename="{name}.pdf"'}
