"""A 60-page case file's two bundles: build time of each, and the UI kept responsive.

Builds, interleaved in the same run, both outputs of the synthetic case of
`documents.samples.bundle_case` (MG1, MG5, MG11s, MG6C, a nil MG6D, the MG6, MG10 and MG6E,
and two attached framed PDFs whose own footers are left out; about 60 pages, font subsets
retagged after the merge): the CPS's copy (everything, the forms not for disclosure under
their band) and the served copy (those forms left out), and, as the baseline, a plain PDF
of as many pages through the same `build_pdf` frame (the least any Station PDF of that
length costs); target < 1.5 s each (issue 11). Then builds the bundles through the
OperationRunner in a QApplication while a 10 ms timer ticks, and prints the longest gap
between ticks (the UI thread's worst stall while the bundles build).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from reportlab.platypus import PageBreak, Paragraph

from bench._common import report, timed_ms
from station_app.documents.casefile_bundle import build_bundle
from station_app.documents.pdf import PageFrame, build_pdf, styles
from station_app.documents.samples import COURTS, bundle_case
from station_app.domain.file_standard import load_rules
from station_app.resource_files import resource_path

RUNS = 7
TARGET_PAGES = 60


def plain_pdf(pages: int) -> bytes:
    story: list[Any] = []
    for page in range(pages):
        story += [Paragraph(f"Plain page {page + 1}. " * 40, styles()["Body"]), PageBreak()]
    return build_pdf(story[:-1], PageFrame(title="Baseline"))


def responsiveness(case: dict[str, Any], attachments: dict[int, bytes], standard: Any) -> float:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from station_app.ui.runner import OperationRunner

    app = QApplication.instance() or QApplication([])
    runner = OperationRunner()
    gaps: list[float] = []
    last = [time.perf_counter()]
    done = [False]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    runner.run_with_progress(
        "bench.bundle",
        lambda progress: [
            build_bundle(case, attachments, standard, lambda d, t: progress(d, t, ""), served=s)
            for s in (False, True)
        ],
        on_progress=lambda *_: None,
        on_success=lambda _b: done.__setitem__(0, True),
    )
    while not done[0]:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    runner.shutdown()
    return max(gaps) if gaps else 0.0


def main() -> None:
    standard = load_rules(resource_path("rules", "file_standard.json"))
    case, attachments = bundle_case()

    def bundle(served: bool) -> Any:
        return build_bundle(case, attachments, standard, court_names=COURTS, served=served)

    pages = {served: bundle(served).page_count for served in (False, True)}
    baseline_pages = len(plain_pdf(pages[False]))  # warm-up (fonts, imports)
    measured: dict[bool, list[float]] = {False: [], True: []}
    baseline: list[float] = []
    for _ in range(RUNS):
        for served in (False, True):
            measured[served].append(timed_ms(lambda served=served: bundle(served)))
        baseline.append(timed_ms(lambda: plain_pdf(pages[False])))
    for served, name in ((False, "CPS's copy"), (True, "served copy")):
        report(
            f"Bundle, {name}: {pages[served]} pages (target about {TARGET_PAGES}) "
            f"vs a plain {pages[False]}-page PDF",
            measured[served],
            baseline,
            1500,
            figure="p50",
        )
    print(f"  (baseline PDF size {baseline_pages:,} bytes)")
    stall = responsiveness(case, attachments, standard)
    print(
        f"UI thread's longest stall while the bundle builds in the runner: {stall:.1f} ms "
        "(timer every 10 ms; ui.md: nothing over ~200 ms)"
    )


if __name__ == "__main__":
    main()
