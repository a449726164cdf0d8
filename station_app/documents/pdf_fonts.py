"""Font subset tags that stay distinct when PDFs are merged into one.

A subset font is named with a six-letter tag, "AAAAAA+DejaVuSans", and ISO 32000-1 9.6.4
requires different subsets in one PDF to carry different tags. reportlab names its first
subset of every font "AAAAAA" in every document, so a bundle that lays attached Station PDFs
onto its pages holds several different "AAAAAA+DejaVuSans" subsets. `distinct_subset_tags`
renames every subset tag after the font program it names (a digest of the embedded font),
so the same subset keeps one tag, different subsets get different tags, and the same
bundle gets the same tags every time (the bytes stay reproducible).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject

__all__ = ["distinct_subset_tags"]

_SUBSET = re.compile(r"^/?([A-Z]{6})\+(.+)$")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _tag(digest: bytes) -> str:
    return "".join(_LETTERS[byte % 26] for byte in digest[:6])


def _program_digest(descriptor: Any) -> bytes | None:
    for key in ("/FontFile2", "/FontFile", "/FontFile3"):
        if key in descriptor:
            program: Any = descriptor[key].get_object()
            return hashlib.sha256(program.get_data()).digest()
    return None


def _fonts(writer: PdfWriter) -> list[DictionaryObject]:
    """Every font dictionary the pages use, directly or through form XObjects, once each."""
    found: list[DictionaryObject] = []
    seen: set[int] = set()
    pending: list[Any] = [page.get("/Resources") for page in writer.pages]
    while pending:
        resources = pending.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for font in resources.get("/Font", DictionaryObject()).values():
            font = font.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                found.append(font)
        for xobject in resources.get("/XObject", DictionaryObject()).values():
            xobject = xobject.get_object()
            if id(xobject) not in seen and "/Resources" in xobject:
                seen.add(id(xobject))
                pending.append(xobject["/Resources"])
    return found


def distinct_subset_tags(writer: PdfWriter) -> None:
    """Rename each embedded subset's tag after its font program, in place."""
    taken: dict[str, bytes] = {}  # "TAG+Name" -> the program it names
    for font in _fonts(writer):
        described: Any = font
        if font.get("/Subtype") == "/Type0" and "/DescendantFonts" in font:
            descendants: Any = font["/DescendantFonts"]
            described = descendants[0].get_object()
        descriptor = described.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        match = _SUBSET.match(str(font.get("/BaseFont", "")))
        digest = _program_digest(descriptor)
        if match is None or digest is None:
            continue
        name = match.group(2)
        seed = digest
        while True:
            renamed = f"{_tag(seed)}+{name}"
            if taken.setdefault(renamed, digest) == digest:
                break
            seed = hashlib.sha256(seed).digest()  # two programs, one tag: derive another
        for holder in {id(font): font, id(described): described}.values():
            holder[NameObject("/BaseFont")] = NameObject("/" + renamed)
        descriptor[NameObject("/FontName")] = NameObject("/" + renamed)
