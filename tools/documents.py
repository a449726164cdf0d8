"""Write every printed document, and each of its pages as a PNG, for a reviewer to look at.

    python tools/documents.py [FOLDER]      (default build/documents; `make documents`)

Builds from the synthetic demo-like data in `station_app.documents.samples` (the data the
document tests use), without a server: the demo server seeds its records relative to the
time it starts, so its documents would differ on every run, while these are the same bytes
every time and need no port or database. Each PDF is checked as issue 11 asks: `qpdf
--check`, every font embedded (`pdffonts`), the same bytes when built twice. The tools come
from Debian's qpdf and poppler-utils; a check whose tool is missing is reported, not passed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from station_app.documents.samples import sample_documents  # noqa: E402

DOCUMENTS = sample_documents()


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def check(path: Path, pdf: bytes, again: bytes) -> list[str]:
    """What is wrong with the PDF at `path` (empty: nothing found)."""
    problems = [] if pdf == again else ["not the same bytes when built twice"]
    if shutil.which("qpdf"):
        result = _run(["qpdf", "--check", str(path)])
        if result.returncode != 0:
            problems.append("qpdf --check: " + (result.stdout + result.stderr).strip()[-300:])
    else:
        problems.append("qpdf is not installed: not checked")
    if shutil.which("pdffonts"):
        rows = _run(["pdffonts", str(path)]).stdout.splitlines()[2:]
        missing = [row.split()[0] for row in rows if row.split()[-5] != "yes"]
        if missing:
            problems.append("fonts not embedded: " + ", ".join(missing))
    else:
        problems.append("pdffonts is not installed: not checked")
    return problems


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    failed = False
    for name, build in DOCUMENTS.items():
        pdf = build()
        path = folder / f"{name}.pdf"
        path.write_bytes(pdf)
        problems = check(path, pdf, build())
        for old in folder.glob(f"{name}-*.png"):
            old.unlink()
        if shutil.which("pdftoppm"):
            render = ["pdftoppm", "-png", "-r", "80", str(path), str(folder / name)]
            subprocess.run(render, check=True)
        pages = len(list(folder.glob(f"{name}-*.png")))
        verdict = "ok" if not problems else "; ".join(problems)
        failed = failed or any("not checked" not in problem for problem in problems)
        print(f"{name:32} {len(pdf):>9,} bytes  {pages:>3} page images  {verdict}")
    print(f"Written to {folder}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
