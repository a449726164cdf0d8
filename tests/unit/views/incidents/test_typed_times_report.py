"""A walk-in report's typed times across the clock changes (issue 11): the hour that
happens twice is asked about (add BST or GMT) and the answer is kept in the outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from station_app.views.incidents.report_body import build_report, queued_values

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_a_walk_in_report_asks_about_the_hour_that_happens_twice_and_keeps_the_answer() -> None:
    values = {
        "reporter_name": "Perpetua Lindqvist",
        "offence": {"code": "DMTH002", "label": "Theft from the person"},
        "occurred_from": "25/10/2026 01:30",
        "occurred_to": "29/03/2026 01:30",
        "account": "Her bag was taken.",
    }
    _body, errors = build_report(values, NOW)
    assert "happened twice" in errors["occurred_from"]
    assert "did not happen" in errors["occurred_to"]
    answered = {**values, "occurred_from": "25/10/2026 01:30 GMT", "occurred_to": ""}
    body, errors = build_report(answered, NOW)
    assert "occurred_from" not in errors
    assert body["occurred_from"] == "2026-10-25T01:30:00+00:00"
    back = queued_values(body, "Theft from the person")
    assert back["occurred_from"] == "25/10/2026 01:30 GMT"  # the answer comes back with it
