"""Smoke-test the frozen bundle headless, as `make bundle` does right after building it.

    python installer/smoke_test.py [dist/Station]

Runs `Station --self-test` from the bundle with QT_QPA_PLATFORM=offscreen in a throw-away
profile (its own HOME and XDG folders), prints the checks and the bundle's size, and exits
with the self-test's code. The size target (150 MB on Linux) is reported, not enforced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE_TARGET_MB = 150


def executable(bundle: Path) -> Path:
    for name in ("Station.exe", "Station"):
        if (bundle / name).is_file():
            return bundle / name
    raise SystemExit(f"No Station executable in {bundle}: run `make bundle` first.")


def bundle_size_mb(bundle: Path) -> float:
    """Bytes on disk of every regular file (symbolic links count once, as their target)."""
    total = sum(
        path.stat().st_size
        for path in bundle.rglob("*")
        if path.is_file() and not path.is_symlink()
    )
    return total / 2**20


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home))
    for variable, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        env[variable] = str(home / sub)
    env["STATION_MACHINE_SETTINGS"] = str(home / "machine" / "station.ini")
    env["APPDATA"] = env["LOCALAPPDATA"] = str(home / "appdata")  # Windows profile folders
    return env


def run_self_test(bundle: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="station-smoke-") as temp:
        report = Path(temp) / "self-test.txt"
        # The report file, not stdout: a windowed Windows build has no console to print to.
        result = subprocess.run(
            [str(executable(bundle)), "--self-test", str(report)],
            env=isolated_env(Path(temp) / "home"),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        text = report.read_text(encoding="utf-8") if report.exists() else "(no report written)"
    return subprocess.CompletedProcess(result.args, result.returncode, text, result.stderr)


def main() -> int:
    bundle = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist" / "Station"
    started = time.perf_counter()
    result = run_self_test(bundle)
    elapsed = time.perf_counter() - started
    print(result.stdout.rstrip())
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
    size = bundle_size_mb(bundle)
    verdict = "within" if size < SIZE_TARGET_MB else "OVER"
    print(f"frozen self-test exit code {result.returncode} in {elapsed:.1f} s")
    print(f"bundle {bundle}: {size:.1f} MB (target under {SIZE_TARGET_MB} MB on Linux: {verdict})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
