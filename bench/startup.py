"""Start-up benchmark: time to a painted sign-in window, to a painted main window from a
saved sign-in, and to the landing tab usable (its first list shown and its first field
focused: `StationTab.when_ready`), each as a ratio to a minimal PySide6 window measured
interleaved in the same run.

Every figure is a whole process, from launching the interpreter to the moment the program
says its window is painted ("ready …" on stdout): interpreter start, imports, the window.
Station runs with `--quit-when-ready` against a real core API server started here on
127.0.0.1. Targets (issue 13): sign-in at most 1.2x the baseline; the landing tab usable
from a saved sign-in at most 2x.

Two floors are timed in the same rounds, so the targets can be read against what PySide6
itself costs: the minimal window once it has touched Qt's namespace (`Qt.…`, which any
real program does: PySide6 then makes every one of its ~90 Python enums), and the least
sign-in dialog PySide6 can paint (`minimal_sign_in.py`).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench._common import serving  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "9"))


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """(ms from launch to the "ready …" line, that line); the process then runs to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    _out, err = process.communicate(timeout=120)
    if process.returncode != 0 or not line.startswith("ready"):
        raise SystemExit(f"{command} failed ({line!r}):\n{err[-3000:]}")
    return elapsed * 1000, line.strip()


def save_token(url: str, env: dict[str, str]) -> None:
    """Sign in once and keep the token where Station will look (the bench keyring)."""
    script = (
        "import keyring, bench_keyring\n"
        "keyring.set_keyring(bench_keyring.FileKeyring())\n"
        "from station_app.services.api import ApiSession\n"
        "from station_app.services.auth import AuthClient, CredentialStore\n"
        f"session = ApiSession({url!r}, workstation='bench')\n"
        "saved, _user = AuthClient(session).login('frontdesk', 'Station-Demo-1')\n"
        f"CredentialStore({url!r}).save(saved)\n"
        # What the shell records after a sign-in: a sign-in is saved (not what it is).
        "from station_app.app import user_settings\n"
        "from station_app.services.paths import resolve_paths\n"
        "from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING\n"
        "settings = user_settings(resolve_paths())\n"
        "settings.setValue(TOKEN_HINT_SETTING, True)\n"
        "settings.sync()\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def summary(name: str, samples: list[float], baseline: list[float]) -> str:
    median = statistics.median(samples)
    ratio = median / statistics.median(baseline)
    return f"{name:<38} median {median:7.1f} ms   min {min(samples):7.1f} ms   ratio {ratio:4.2f}x"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="station-bench-") as temp:
        workdir = Path(temp)
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        # As installed (and as frozen): Station's own modules compiled to bytecode once,
        # like PySide6's in site-packages, rather than compiled from source on every start.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(HERE.parent / "station_app")],
            check=True,
        )
        env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
        env["PYTHON_KEYRING_BACKEND"] = "bench_keyring.FileKeyring"
        server_env = dict(env, HOME=str(workdir / "server-home"))
        database = f"sqlite:///{workdir / 'server.db'}"
        with serving(database, workdir, quiet=True, demo=True, env=server_env) as url:
            home_sign_in = workdir / "home-sign-in"
            home_saved = workdir / "home-saved"
            env_sign_in = dict(
                env,
                HOME=str(home_sign_in),
                XDG_CONFIG_HOME=str(home_sign_in / "c"),
                XDG_DATA_HOME=str(home_sign_in / "d"),
                XDG_STATE_HOME=str(home_sign_in / "s"),
                XDG_CACHE_HOME=str(home_sign_in / "k"),
                BENCH_KEYRING_FILE=str(workdir / "keyring-empty.json"),
            )
            env_saved = dict(
                env,
                HOME=str(home_saved),
                XDG_CONFIG_HOME=str(home_saved / "c"),
                XDG_DATA_HOME=str(home_saved / "d"),
                XDG_STATE_HOME=str(home_saved / "s"),
                XDG_CACHE_HOME=str(home_saved / "k"),
                BENCH_KEYRING_FILE=str(workdir / "keyring-saved.json"),
            )
            save_token(url, env_saved)
            baseline_cmd = [sys.executable, str(HERE / "minimal_window.py")]
            namespace_cmd = [*baseline_cmd, "--touch-qt-namespace"]
            floor_cmd = [sys.executable, str(HERE / "minimal_sign_in.py")]
            station_cmd = [
                sys.executable,
                "-m",
                "station_app",
                "--server",
                url,
                "--quit-when-ready",
                "--no-err-windows",
            ]
            content_cmd = [*station_cmd[:-2], "--quit-when-ready=content", "--no-err-windows"]
            baseline, sign_in, saved, content = [], [], [], []
            namespace, floor = [], []
            inner_sign_in, inner_saved, inner_content = [], [], []
            # One warm-up of each so the file cache is the same for every measured round.
            timed(baseline_cmd, env_sign_in)
            timed(station_cmd, env_sign_in)
            timed(station_cmd, env_saved)
            for _ in range(ROUNDS):
                baseline.append(timed(baseline_cmd, env_sign_in)[0])
                namespace.append(timed(namespace_cmd, env_sign_in)[0])
                floor.append(timed(floor_cmd, env_sign_in)[0])
                elapsed, out = timed(station_cmd, env_sign_in)
                if not out.startswith("ready sign-in"):
                    raise SystemExit(f"expected the sign-in window, got {out!r}")
                sign_in.append(elapsed)
                inner_sign_in.append(float(out.split()[2]))
                elapsed, out = timed(station_cmd, env_saved)
                if not out.startswith("ready main"):
                    raise SystemExit(f"expected the main window from the saved token, got {out!r}")
                saved.append(elapsed)
                inner_saved.append(float(out.split()[2]))
                elapsed, out = timed(content_cmd, env_saved)
                if not out.startswith("ready content"):
                    raise SystemExit(f"expected the landing tab usable, got {out!r}")
                content.append(elapsed)
                inner_content.append(float(out.split()[2]))
    print(f"Start-up, {ROUNDS} interleaved rounds, platform {env['QT_QPA_PLATFORM']}")
    print(summary("baseline: minimal PySide6 window", baseline, baseline))
    print(summary("floor: the same, Qt namespace touched", namespace, baseline))
    print(summary("floor: least PySide6 sign-in dialog", floor, baseline))
    print(summary("Station: painted sign-in window", sign_in, baseline) + "   (target <= 1.2x)")
    print(summary("Station: painted main window (token)", saved, baseline))
    print(summary("Station: landing tab usable (token)", content, baseline) + "   (target <= 2x)")
    print(
        "  inside Station, from __main__ to painted: "
        f"sign-in {statistics.median(inner_sign_in):.1f} ms, "
        f"main {statistics.median(inner_saved):.1f} ms, "
        f"landing tab usable {statistics.median(inner_content):.1f} ms"
    )


if __name__ == "__main__":
    main()
