"""What a reviewer checks on a printed PDF, with the tools they would use: qpdf's structure
check, poppler's font list, text and page images. Tests that need a tool skip, saying so,
where it is not installed (CI installs qpdf and poppler-utils in .ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install qpdf poppler-utils)")


def _with_file(pdf: bytes, command: list[str]) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            [*command, str(path)], capture_output=True, text=True, check=False, timeout=120
        )


def qpdf_check(pdf: bytes) -> subprocess.CompletedProcess[str]:
    need("qpdf")
    return _with_file(pdf, ["qpdf", "--check"])


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb (yes/no) per font."""
    need("pdffonts")
    lines = _with_file(pdf, ["pdffonts"]).stdout.splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID: read from the right.
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def text(pdf: bytes, *extra: str) -> str:
    """The text poppler finds (what a reader copying from the page would get)."""
    need("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftotext", *extra, str(path), str(path.with_suffix(".txt"))], check=True)
        return path.with_suffix(".txt").read_text(encoding="utf-8")


def artefact_folder() -> Path:
    """Where page images go for a reviewer: $STATION_ARTEFACTS or build/test-artefacts."""
    base = Path(os.environ.get("STATION_ARTEFACTS") or ROOT / "build" / "test-artefacts")
    folder = base / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render(pdf: bytes, name: str, dpi: int = 50, folder: Path | None = None) -> list[Path]:
    """Every page as `<name>-<n>.png` in the artefact folder (old images of `name` removed)."""
    need("pdftoppm")
    target = folder or artefact_folder()
    for old in target.glob(f"{name}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "document.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), str(path), str(target / name)], check=True
        )
    return sorted(target.glob(f"{name}-*.png"))


def gray_page(pdf: bytes, page: int, dpi: int = 40) -> tuple[int, int, bytes]:
    """Page `page` (1-based) as 8-bit grey pixels: (width, height, rows top to bottom)."""
    need("pdftoppm")
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "document.pdf"
        path.write_bytes(pdf)
        out = Path(scratch) / "page"
        subprocess.run(
            [
                *("pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page)),
                *("-singlefile", str(path), str(out)),
            ],
            check=True,
        )
        data = out.with_suffix(".pgm").read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return int(width), int(height), pixels
