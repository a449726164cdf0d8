"""Render every tab for every role, at 100% and 150%, on a 1366x768 window, into PNGs a
reviewer can look at (`make screenshots`). Runs offscreen against a demo server of its own
on 127.0.0.1; all data is the synthetic demo data.

    python tools/screenshots.py [OUT_DIR] [--scale 1.0 --scale 1.5] [--theme dark]

Each scale runs in its own process (Qt reads QT_SCALE_FACTOR once, at start). The light
theme is rendered at every scale; each other `--theme` at 100%, its files named
`<role>-<tab>@1.0-<theme>.png`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.fixtures.layout: the checks the layout test runs
ROLES = ("frontdesk", "custody", "detective", "supervisor")
PASSWORD = "Station-Demo-1"


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    ready = folder / "ready.json"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station_app.server",
            "serve",
            "--port",
            "0",
            "--database-url",
            f"sqlite:///{folder / 'demo.db'}",
            "--seed-demo-if-empty",
            "--ready-file",
            str(ready),
            "--watch-stdin",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the demo server did not start")
        time.sleep(0.05)
    return server, str(json.loads(ready.read_text())["url"])


def render(out: Path, url: str, scale: str, theme: str) -> list[Path]:
    """In this process: sign each role in and save each of its tabs."""
    os.environ["QT_SCALE_FACTOR"] = scale
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":  # a 1366x768 desk
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={ROOT / 'tests/fixtures/desk.json'}"
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from station_app.ui.theme import apply_theme

    app = QApplication([sys.argv[0]])
    apply_theme(app, theme)
    tag = scale if theme == "light" else f"{scale}-{theme}"
    written: list[Path] = []

    def wait(ms: int, until=None) -> None:
        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if until is not None and until():
                return
            time.sleep(0.01)

    for role in ROLES:
        written += render_role(out, url, tag, role, wait)
    QTimer.singleShot(0, app.quit)
    app.exec()
    return written


def render_role(out: Path, url: str, scale: str, role: str, wait) -> list[Path]:
    """Sign `role` in on a fresh profile and save each of its tabs."""
    import argparse as _argparse

    from station_app.app import build_station, show_first_screen, user_settings
    from station_app.services.paths import resolve_paths

    written: list[Path] = []
    home = Path(tempfile.mkdtemp(prefix=f"shots-{role}-"))
    for name, sub in (
        ("XDG_CONFIG_HOME", "c"),
        ("XDG_DATA_HOME", "d"),
        ("XDG_STATE_HOME", "s"),
        ("XDG_CACHE_HOME", "k"),
    ):
        os.environ[name] = str(home / sub)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    paths = resolve_paths()
    settings = user_settings(paths)
    first = show_first_screen(settings, paths, _argparse.Namespace(server=url, demo=False))
    room = first.window.screen().availableGeometry().size()  # 911x512 logical at 150%
    first.window.resize(min(1366, room.width()), min(768, room.height()))
    shell = build_station(first, settings, paths)
    shell.start()
    wait(10_000, lambda: shell.dialog is not None and shell.dialog.sign_in_button.isEnabled())
    assert shell.dialog is not None
    if role == ROLES[0]:
        path = out / f"sign-in@{scale}.png"
        shell.dialog.grab().save(str(path))
        written.append(path)
    shell.dialog.username.setText(role)
    shell.dialog.password.setText(PASSWORD)
    shell.dialog.sign_in_button.click()
    wait(10_000, lambda: shell.user is not None)
    wait(10_000, lambda: "synced" in shell.window.status.sync_label.text())
    assert shell.user is not None, f"{role} could not sign in"
    for page in first.window.pages():
        if not page.serves(shell.user):
            continue
        tab = first.window.open_tab(page.title)
        wait(1500)
        select_first(tab)
        wait(1200)
        name = page.title.lower().replace(" ", "-")
        written.append(save(first.window, out / f"{role}-{name}@{scale}.png"))
        show_record = getattr(tab, "show_record_page", None)
        if callable(show_record):  # Custody: the record over the board, too
            show_record()
            wait(800)
            written.append(save(first.window, out / f"{role}-{name}-record@{scale}.png"))
            tab.show_board()
        written += render_dialogs(out, scale, role, tab, wait)
    first.window.open_palette()
    palette = first.window.command_palette
    if palette is not None:
        wait(300)
        written.append(save(palette, out / f"{role}-command-palette@{scale}.png"))
        palette.reject()
    shell.shutdown()
    first.window.close()
    first.window.deleteLater()
    wait(200)
    shutil.rmtree(home, ignore_errors=True)
    return written


def save(widget, path: Path) -> Path:
    """Grab `widget` into `path`, and say what the layout checks find on it (the same
    checks as tests/unit/ui/test_layout.py, which runs them at 100%)."""
    from tests.fixtures.layout import clipped, too_large

    widget.grab().save(str(path))
    problems = clipped(widget)
    if widget.isWindow() and not widget.parentWidget():
        problems += [
            p
            for p in [too_large(widget, widget.screen().availableGeometry().size().toTuple())]
            if p
        ]
    for problem in problems:
        print(f"  {path.name}: clipped: {problem}", file=sys.stderr)
    return path


def render_dialogs(out: Path, scale: str, role: str, tab: object, wait) -> list[Path]:
    """The dialogs an officer opens from a tab: booking in and a review in Custody, a new
    case in Case files."""
    openers = []
    if role == "custody" and hasattr(tab, "open_booking"):
        openers += [
            ("book-in", tab.open_booking, lambda: tab.current_dialog),
            ("review", lambda: tab.open_action("review"), lambda: tab.current_dialog),
        ]
    if role == "detective" and hasattr(tab, "new_item") and hasattr(tab, "case_panel"):
        openers.append(("new-case", tab.new_item, lambda: tab.new_case))
    written = []
    for name, opener, dialog_of in openers:
        opener()
        wait(500)
        dialog = dialog_of()
        if dialog is None:
            continue
        written.append(save(dialog, out / f"{role}-dialog-{name}@{scale}.png"))
        dialog.reject()
        wait(100)
    return written


def select_first(tab: object) -> None:
    """Open the first record of a list, as an officer would, so the detail shows too."""
    for name in ("board", "table"):
        table = getattr(tab, name, None)
        if table is not None and table.model() is not None and table.model().rowCount():
            table.selectRow(0)
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", default=str(ROOT / "build" / "screenshots"))
    parser.add_argument("--scale", action="append")
    parser.add_argument("--theme", action="append", choices=("light", "dark", "high-contrast"))
    parser.add_argument("--server", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.server:  # the child: one scale
        for path in render(out, args.server, args.scale[0], (args.theme or ["light"])[0]):
            print(path)
        return 0
    with tempfile.TemporaryDirectory(prefix="station-shots-") as folder:
        server, url = start_server(Path(folder))
        try:
            runs = [(scale, "light") for scale in args.scale or ["1.0", "1.5"]]
            runs += [("1.0", theme) for theme in args.theme or () if theme != "light"]
            for scale, theme in runs:
                command = [sys.executable, __file__, str(out), "--scale", scale, "--server", url]
                subprocess.run([*command, "--theme", theme], check=True)
        finally:
            assert server.stdin is not None
            server.stdin.close()
            server.wait(timeout=20)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
