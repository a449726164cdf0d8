"""Every keystroke within one frame (issue 13, "Speed the user feels"): type a walk-in report
as the front desk and book in a detainee as the custody officer, key by key, into a real
signed-in Station against a real core API server in its own process on 127.0.0.1.

Two figures per form, each next to a baseline typed interleaved in the same run (the same
characters into a plain QLineEdit in a bare window of the same process):

- per key: the UI thread's time from the key press to the event queue being empty again
  (what the key itself costs: validation, type-ahead, error clearing);
- stall: the longest the UI thread went without turning its event loop while the officer
  types at 12 keys a second (what debounced work costs: draft saves, type-ahead lists,
  anything a timer runs on the UI thread after the key).

Target: per-key p95 and the longest stall under 16 ms. Each form's worst fields are listed
with their slowest key and stall, so an over-long one says where to look; with
`BENCH_PROFILE=1` the slowest turn of the event loop is also profiled and its top calls shown.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import report  # noqa: E402
from tools.screenshots import fresh_station, sign_in, start_server  # noqa: E402

PASSWORD = "Station-Demo-1"
PACE_MS = 83  # 12 keys a second: a quick typist at the counter
TARGET_MS = 16.0
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PROFILE = os.environ.get("BENCH_PROFILE") == "1"

WALK_IN = (
    ("reporter_name", "Marigold Featherstonehaugh"),
    ("reporter_dob", "14/03/1979"),
    ("reporter_address", "12 Lantern Row, Southwark"),
    ("reporter_postcode", "SE1 9ZZ"),
    ("offence", "theft pedal"),
    ("location_address", "Outside 40 Quayside Walk"),
    ("account", "The bicycle was locked to the railings and gone when I came back."),
)
BOOKING = (
    ("surname", "Quenby-Ashdown"),
    ("forenames", "Rowan Ellery"),
    ("date_of_birth", "02/11/1990"),
    ("address", "7 Tallow Yard, Kennington"),
    ("postcode", "SE11 4ZZ"),
    ("offence", "criminal damage"),
    ("circumstances", "Seen damaging a shop window and arrested at the scene."),
)


class Typist:
    """Types into a widget key by key and measures the UI thread around each key. The
    stall is the longest single turn of the event loop between keys: what a timer, a
    worker's answer or a repaint held the UI thread for."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.longest_turn = 0.0
        self.slowest: tuple[float, str, str] = (0.0, "", "")
        """(ms, field, profile) of the slowest single turn seen while profiling."""
        self.field = ""

    def turn(self, action: Callable[[], object]) -> float:
        """Run one turn of the event loop (or a key); its ms, profiled when BENCH_PROFILE."""
        if not PROFILE or self.field in ("", "baseline"):
            started = time.perf_counter()
            action()
            return (time.perf_counter() - started) * 1000
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        action()
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
        if elapsed > self.slowest[0]:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
            self.slowest = (elapsed, self.field, out.getvalue())
        return elapsed

    def wait(self, ms: float, until: Callable[[], bool] | None = None) -> None:
        deadline = time.perf_counter() + ms / 1000
        while time.perf_counter() < deadline:
            self.longest_turn = max(self.longest_turn, self.turn(self.app.processEvents))
            if until is not None and until():
                return
            time.sleep(0.001)

    def type_into(self, widget, text: str) -> tuple[list[float], float]:
        """(ms per key, the longest stall while typing `text` at PACE_MS a key)."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtTest import QTest

        widget.setFocus()
        self.app.processEvents()
        per_key: list[float] = []
        self.longest_turn = 0.0
        for character in text:
            target = self.app.focusWidget() or widget

            def key(target=target, character=character) -> None:
                QTest.keyClicks(target, character)
                self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)

            per_key.append(self.turn(key))
            self.wait(PACE_MS)
        self.wait(600)  # let debounced work (a draft save, a list) run and be seen
        return per_key, self.longest_turn


def signed_in(url: str, username: str, typist: Typist):
    _first, shell, home = fresh_station(url, username, typist.wait)
    sign_in(shell, username, typist.wait)
    return shell, home


PER_FIELD: dict[str, dict[str, list[float]]] = {}
"""form -> field -> [slowest key, longest stall] of each round, for the breakdown."""


def measure(
    typist: Typist, form_name: str, form, fields, baseline
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Interleaved: each field typed into the form, then the same words into the baseline."""
    keys, base_keys, stalls, base_stalls = [], [], [], []
    for name, text in fields:
        widget = form.field(name)
        typist.field = f"{form_name}: {name}"
        one, stall = typist.type_into(widget, text)
        keys += one
        stalls.append(stall)
        worst = PER_FIELD.setdefault(form_name, {}).setdefault(name, [0.0, 0.0])
        worst[0], worst[1] = max(worst[0], max(one)), max(worst[1], stall)
        baseline.clear()
        typist.field = "baseline"
        one, stall = typist.type_into(baseline, text)
        base_keys += one
        base_stalls.append(stall)
    typist.field = ""
    return keys, base_keys, stalls, base_stalls


def main() -> int:
    from PySide6.QtWidgets import QApplication, QLineEdit

    from station_app.ui.theme import apply_theme

    app = QApplication([sys.argv[0]])
    apply_theme(app, "light")
    typist = Typist()
    bare = QLineEdit()
    bare.setAccessibleName("Baseline field")
    bare.resize(400, 30)
    bare.show()
    folder = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    server, url = start_server(folder)
    results: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    homes = []
    try:
        # One officer's Station at a time, as at a workstation: the other's timers (the
        # custody board's refresh) would otherwise run between these keys.
        front, home = signed_in(url, "frontdesk", typist)
        homes.append(home)
        incidents = front.window.open_tab("Incidents")
        typist.wait(2000)
        for _round in range(ROUNDS):
            incidents.open_new_report()
            typist.wait(300)
            got = measure(typist, "walk-in report", incidents.new_report.form, WALK_IN, bare)
            incidents.new_report.discard()  # the next round starts from an empty form
            total = results.setdefault("walk-in report", ([], [], [], []))
            for whole, part in zip(total, got, strict=True):
                whole.extend(part)
        front.shutdown()
        custody_shell, home = signed_in(url, "custody", typist)
        homes.append(home)
        custody = custody_shell.window.open_tab("Custody")
        typist.wait(2000)
        for _round in range(ROUNDS):
            custody.open_booking()
            typist.wait(500)
            dialog = custody.current_dialog
            got = measure(typist, "booking in", custody.booking.form, BOOKING, bare)
            dialog.mark_saved()
            dialog.reject()
            total = results.setdefault("booking in", ([], [], [], []))
            for whole, part in zip(total, got, strict=True):
                whole.extend(part)
        custody_shell.shutdown()
        print(f"Keystrokes on the UI thread, {ROUNDS} rounds, typing at {1000 // PACE_MS} keys/s")
        for name, (keys, base_keys, stalls, base_stalls) in results.items():
            report(f"{name}: ms per key", keys, base_keys, TARGET_MS)
            report(f"{name}: longest stall per field", stalls, base_stalls, TARGET_MS, "max")
            worst = sorted(PER_FIELD[name].items(), key=lambda item: -max(item[1]))[:3]
            print(
                "  worst fields (slowest key / longest stall, ms): "
                + ", ".join(f"{field} {key:.1f}/{stall:.1f}" for field, (key, stall) in worst)
            )
        if PROFILE:
            elapsed, field, profile = typist.slowest
            print(f"\nSlowest turn: {elapsed:.1f} ms in {field}\n{profile}")
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
