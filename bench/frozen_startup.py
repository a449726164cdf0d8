"""Frozen start-up benchmark: the PyInstaller bundle (dist/Station/Station) against
`python -m station_app`, both to a painted sign-in window and to a painted main window from a
saved sign-in, measured interleaved in one run against a real core API server on 127.0.0.1.

Target: the frozen Station within 1.2x of `python -m station_app`. Skips, saying so, when no
bundle has been built (`make bundle`).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from startup import ROUNDS, save_token, start_server, timed

HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent / "dist" / "Station"
TARGET = 1.2


def frozen_executable() -> Path | None:
    for name in ("Station.exe", "Station"):
        if (BUNDLE / name).is_file():
            return BUNDLE / name
    return None


def profile_env(env: dict[str, str], home: Path, keyring_file: Path) -> dict[str, str]:
    return dict(
        env,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "c"),
        XDG_DATA_HOME=str(home / "d"),
        XDG_STATE_HOME=str(home / "s"),
        XDG_CACHE_HOME=str(home / "k"),
        BENCH_KEYRING_FILE=str(keyring_file),
    )


def frozen_env(env: dict[str, str]) -> dict[str, str]:
    """The bench keyring lives in bench/, which a frozen Station cannot import; neither
    Station reaches the keyring before it quits when ready, so the frozen one goes without."""
    frozen = dict(env)
    frozen.pop("PYTHON_KEYRING_BACKEND", None)
    frozen.pop("PYTHONPATH", None)
    return frozen


def main() -> None:
    station = frozen_executable()
    if station is None:
        print(f"frozen start-up: no bundle in {BUNDLE}; run `make bundle` first. Skipped.")
        return
    with tempfile.TemporaryDirectory(prefix="station-frozen-bench-") as temp:
        workdir = Path(temp)
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
        env["PYTHON_KEYRING_BACKEND"] = "bench_keyring.FileKeyring"
        server, url = start_server(workdir, dict(env, HOME=str(workdir / "server-home")))
        try:
            env_sign_in = profile_env(env, workdir / "home-sign-in", workdir / "kr-empty.json")
            env_saved = profile_env(env, workdir / "home-saved", workdir / "kr-saved.json")
            save_token(url, env_saved)
            flags = ["--server", url, "--quit-when-ready", "--no-err-windows"]
            source_cmd = [sys.executable, "-m", "station_app", *flags]
            frozen_cmd = [str(station), *flags]
            runs = {
                ("source", "sign-in"): (source_cmd, env_sign_in),
                ("frozen", "sign-in"): (frozen_cmd, frozen_env(env_sign_in)),
                ("source", "main"): (source_cmd, env_saved),
                ("frozen", "main"): (frozen_cmd, frozen_env(env_saved)),
            }
            samples: dict[tuple[str, str], list[float]] = {key: [] for key in runs}
            for command, run_env in runs.values():  # one warm-up each: same file cache
                timed(command, run_env)
            for _ in range(ROUNDS):
                for key, (command, run_env) in runs.items():
                    elapsed, out = timed(command, run_env)
                    if not out.startswith(f"ready {key[1]}"):
                        raise SystemExit(f"{key}: expected 'ready {key[1]}', got {out!r}")
                    samples[key].append(elapsed)
        finally:
            server.stdin.close()  # type: ignore[union-attr]
            server.wait(timeout=10)
    print(f"Frozen start-up, {ROUNDS} interleaved rounds, platform {env['QT_QPA_PLATFORM']}")
    for screen in ("sign-in", "main"):
        source = statistics.median(samples[("source", screen)])
        frozen = statistics.median(samples[("frozen", screen)])
        ratio = frozen / source
        verdict = "within" if ratio <= TARGET else "OVER"
        print(
            f"painted {screen:<8} python -m station_app median {source:7.1f} ms   "
            f"frozen median {frozen:7.1f} ms   ratio {ratio:4.2f}x (target <= {TARGET}x: {verdict})"
        )


if __name__ == "__main__":
    main()
