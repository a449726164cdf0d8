""" "Known person?" while typing: the UI thread is never blocked > 16 ms per keystroke.

A walk-in-style form (name, date of birth) with the `KnownPersonPanel` bound to the real
people client, searching a real server (uvicorn on 127.0.0.1) over synthetic people
(bench/people_synth.py, built once by bench/people_search.py's `prepare` and kept), is typed
into key by key at a typist's pace (one key every 60 ms) for names of held people. For each
keystroke the time the UI thread spends handling it is timed, and between keys the event
loop is run pass by pass, each pass timed: the longest is the longest stall, whether from a
keystroke, an answer arriving and being shown, or anything else the event loop runs.

PySide6 6.12.0 on CPython 3.11 drops a reference to None at every call of a Qt method that
returns nothing (1,000 calls of `processEvents()` or `QLineEdit.clear()` lower
`sys.getrefcount(None)` by 1,000); this bench makes some 100,000 such calls and would end in
"Fatal Python error: none_dealloc", so it holds two million extra references to None first.

The server runs in a process of its own, as it does for a station (in this process its
scoring would hold the interpreter lock the UI thread needs, which no workstation sees).
The baseline, typed in the same run with the keystrokes interleaved name by name, is the
same form with plain fields and no panel. Figures: per-keystroke p50/p95/max and the longest
UI-thread stall, both ratios to the baseline; target 16 ms (one frame at 60 Hz).

    QT_QPA_PLATFORM=offscreen python bench/known_person.py [--people 100000] [--names 40]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from bench._common import report, serving, summary, timed_ms
from bench.people_search import PASSWORD, prepare
from bench.people_synth import SEED, Population
from station_app.services.api import ApiSession
from station_app.services.auth import AuthClient
from station_app.services.people import PeopleClient
from station_app.ui.forms import StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.runner import OperationRunner

TARGET_MS = 16.0
_NONE_BALLAST = [None] * 2_000_000  # see the module docstring: PySide6 6.12.0 and None
KEY_GAP_MS = 60  # a quick typist: about 17 keys a second


def make_form(with_panel: bool, runner: OperationRunner, client: PeopleClient) -> StationForm:
    form = StationForm("A person", "Save")
    form.add_field("name", "Name", QLineEdit())
    form.add_field("dob", "Date of birth", QLineEdit())
    if with_panel:
        panel = KnownPersonPanel()
        form.add_field("person", "Known person?", panel)
        name, dob = form.field("name"), form.field("dob")
        assert isinstance(name, QLineEdit) and isinstance(dob, QLineEdit)
        panel.bind(runner, client)
        panel.watch(PersonFields(name=name, date_of_birth=dob))
    form.resize(640, 600)
    form.show()
    return form


def run_events(app: QApplication, seconds: float) -> float:
    """Run the UI thread's event loop for `seconds`; the longest single pass (the longest
    time the UI thread was busy with one batch of events: timers, answers shown, paints)."""
    longest = 0.0
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        longest = max(longest, timed_ms(app.processEvents))
        time.sleep(0.0005)  # the UI thread idle, as between events
    return longest


def type_name(app: QApplication, form: StationForm, text: str, keys: list[float]) -> float:
    """Type `text` into the name field at a typist's pace, then wait for the answers; the
    time each keystroke takes goes in `keys`; the longest UI-thread stall is returned."""
    field = form.field("name")
    assert isinstance(field, QLineEdit)
    field.clear()
    field.setFocus()
    longest = 0.0
    for letter in text:
        key = timed_ms(lambda letter=letter: QTest.keyClicks(field, letter))
        keys.append(key)
        longest = max(longest, key, run_events(app, KEY_GAP_MS / 1000))
    # The debounced search, its answer shown.
    return max(longest, run_events(app, 0.6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--names", type=int, default=40)
    args = parser.parse_args()

    import platformdirs

    cache = Path(platformdirs.user_cache_dir("station-bench"))
    cache.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{cache / f'people-{args.people}.db'}"
    prepare(url, args.people, rebuild=False)
    # QTest types Latin-1 only: names written in it (an officer's keyboard types any).
    names = [
        (number, f"{person.forenames.split()[0]} {person.surname}")
        for number, person in enumerate(Population(SEED).people(args.names * 2))
    ]
    names = [(n, name) for n, name in names if name.isascii()][: args.names]
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    with serving(url, cache, quiet=True) as server_url:
        session = ApiSession(server_url, workstation="bench")
        AuthClient(session).login("bench", PASSWORD)  # the session carries the token
        client = PeopleClient(session)
        runner = OperationRunner()
        searching = make_form(True, runner, client)
        plain = make_form(False, runner, client)
        with_panel: list[float] = []
        baseline: list[float] = []
        stalls: list[float] = []
        plain_stalls: list[float] = []
        panel = searching.field("person")
        assert isinstance(panel, KnownPersonPanel)
        type_name(app, searching, "Warm Up", [])  # connections and imports, not timed
        offered = first = 0
        for round_number, (number, name) in enumerate(names):
            order = [(searching, with_panel, stalls), (plain, baseline, plain_stalls)]
            if round_number % 2:
                order.reverse()
            for form, keys, longest in order:
                longest.append(type_name(app, form, name, keys))
            offered += bool(panel.candidates)
            first += bool(panel.candidates) and panel.candidates[0].person_id == (
                f"P-{number + 1:06d}"
            )
        runner.wait_for_done()
        runner.shutdown()
        session.close()
        # Widgets go while Qt and Python are both whole (as app._tear_down does): left to the
        # interpreter's last collection, PySide6 ended in "none_dealloc".
        for form in (searching, plain):
            form.deleteLater()
        app.processEvents()
        gc.collect()
    print(f'"known person?" while typing {len(names)} names over {args.people:,} people')
    report(
        "  UI thread per keystroke: with live searches vs a plain field",
        with_panel,
        baseline,
        TARGET_MS,
        figure="max",
    )
    report(
        "  longest UI-thread stall per name typed (event-loop pass), with searches vs plain",
        stalls,
        plain_stalls,
        TARGET_MS,
        figure="max",
    )
    worst = summary(stalls)["max"]
    print(
        f"  matches shown after {offered} of {len(names)} names (the person typed first for "
        f"{first}; a name alone, no date of birth); worst UI-thread stall {worst:.1f} ms"
    )


if __name__ == "__main__":
    main()
    # The interpreter's last collection would release more of None than PySide6 left it
    # (see the module docstring): the figures are printed, so leave without it.
    sys.stdout.flush()
    os._exit(0)
