"""Entry point of Station (`station-app`, `python -m station_app`).

Start-up happens in phases, each doing only what it must, so the window shows fast:

1. Early init, before any Qt import: the crash handler, then the command line.
2. Directories (platformdirs) and logging: a memory ring of recent lines (for crash
   reports), joined by the rotating file in the user log folder once the window shows.
3. `app.run`: QApplication, the theme, user settings, and the main window shown.
4. Right after the first paint: the log file, the heavy imports (requests, SQLAlchemy,
   keyring), the services, the tabs, the embedded demo server, the saved sign-in, and
   the first reference sync.

`--server-process ARGS…` is not for people: a frozen Station runs its own embedded server
through it, because a frozen bundle has no `python -m`. `--self-test` checks an installed
or frozen Station headless and exits (see `station_app.self_test`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

STARTED = time.perf_counter()


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        prog="station-app", description="Station: the police station workstation."
    )
    parser.add_argument("--server", metavar="URL", help="core system to use (else the settings)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use the embedded demo server even if a core system is configured",
    )
    parser.add_argument(
        "--no-err-windows",
        action="store_true",
        help="never show the crash dialog (tests, CI); crash files are still written",
    )
    parser.add_argument(
        "--quit-when-ready",
        nargs="?",
        const="first",
        choices=("first", "content"),
        help="quit once the first screen has been painted, or (content) once the signed-in "
        "tab's own content has been painted too (benchmarks)",
    )
    parser.add_argument("--debug", action="store_true", help="log at debug level")
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="-",
        metavar="REPORT",
        help="check this installation headless (Qt, shell, demo server, cache, PDF) and exit; "
        "prints the checks, or writes them to REPORT",
    )
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--server-process"]:
        from station_app.server.cli import main as server_main

        return server_main(argv[1:])

    # Phase 1: the crash handler first, so even a broken start-up leaves a report.
    from station_app.ui.crash import CrashHandler

    args, qt_args = parse_args(argv)
    if args.self_test is not None:
        from station_app.self_test import run_self_test

        return run_self_test(args.self_test, qt_args)
    crash = CrashHandler(show_dialogs=not args.no_err_windows)
    crash.install()

    # Phase 2: folders and logging.
    from station_app.services.logs import setup_logging
    from station_app.services.paths import resolve_paths

    paths = resolve_paths()
    ring = setup_logging(level=logging.DEBUG if args.debug else logging.INFO)
    crash.log_dir = paths.log_dir
    crash.recent_lines = ring.lines
    logging.getLogger(__name__).info("Station starting; logs in %s", paths.log_dir)

    # Phases 3 and 4.
    from station_app import app

    return app.run(args, qt_args, paths, ring, started=STARTED)


if __name__ == "__main__":
    sys.exit(main())
