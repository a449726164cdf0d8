"""`station-app --self-test` from source: what IT runs on an installed Station."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from station_app.self_test import SelfTest

pytestmark = pytest.mark.slow


def test_the_self_test_checks_station_from_source_and_exits_0(tmp_path, fresh_profile):
    report = tmp_path / "report.txt"
    result = subprocess.run(
        [sys.executable, "-m", "station_app", "--self-test", str(report)],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )

    text = report.read_text(encoding="utf-8")
    assert result.returncode == 0, text + result.stderr[-2000:]
    assert "(from source)" in text
    assert "python -m station_app.server at http://127.0.0.1:" in text
    assert "signed in as frontdesk" in text and "DejaVu Sans embedded" in text
    assert text.rstrip().endswith("Self-test passed")
    # Nothing went into the officer's own profile.
    assert not list((fresh_profile / ".local/share").rglob("reference-cache.db"))


def test_a_failed_check_stops_the_rest_and_says_why():
    out = io.StringIO()
    test = SelfTest(out)

    assert test.check("first", lambda: "fine")
    assert not test.check("second", lambda: 1 / 0)
    assert not test.check("third", lambda: "never run")

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok     first: fine")
    assert lines[1] == "FAILED second: division by zero"
    assert test.failed and "third" not in out.getvalue()
