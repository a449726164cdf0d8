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
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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
    first.window.resize(1366, 768)
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
        path = out / f"{role}-{page.title.lower().replace(' ', '-')}@{scale}.png"
        first.window.grab().save(str(path))
        written.append(path)
        show_record = getattr(tab, "show_record_page", None)
        if callable(show_record):  # Custody: the record over the board, too
            show_record()
            wait(800)
            path = out / f"{role}-{page.title.lower().replace(' ', '-')}-record@{scale}.png"
            first.window.grab().save(str(path))
            written.append(path)
    shell.shutdown()
    first.window.close()
    first.window.deleteLater()
    wait(200)
    shutil.rmtree(home, ignore_errors=True)
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
