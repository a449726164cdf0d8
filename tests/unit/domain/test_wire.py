"""The wire rules both sides use: UTC times, dates, If-Match versions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from station_app.domain.wire import (
    aware_time_or_none,
    date_or_none,
    etag,
    parse_utc,
    utc_text,
    utc_z_text,
    version_from_if_match,
)


@pytest.mark.parametrize(
    "text",
    ["2026-03-29T00:30:00Z", "2026-03-29T00:30:00+00:00", "2026-03-29T01:30:00+01:00"],
)
def test_every_form_of_the_same_instant_reads_as_the_same_utc_time(text: str) -> None:
    assert parse_utc(text) == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert parse_utc(text).tzinfo is UTC


def test_a_time_without_a_zone_is_utc_and_rubbish_is_refused() -> None:
    assert parse_utc("2026-01-02T03:04:05") == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_utc("yesterday")


def test_utc_text_refuses_naive_times_and_writes_utc() -> None:
    bst = timezone(timedelta(hours=1))
    assert utc_text(datetime(2026, 7, 1, 10, 0, tzinfo=bst)) == "2026-07-01T09:00:00+00:00"
    with pytest.raises(ValueError):
        utc_text(datetime(2026, 7, 1, 10, 0))


def test_utc_z_text_writes_z_for_the_zone() -> None:
    bst = timezone(timedelta(hours=1))
    moment = datetime(2026, 7, 1, 10, 0, 0, 123456, tzinfo=bst)
    assert utc_z_text(moment) == "2026-07-01T09:00:00.123456Z"
    assert parse_utc(utc_z_text(moment)) == moment
    with pytest.raises(ValueError):
        utc_z_text(datetime(2026, 7, 1, 10, 0))


def test_an_aware_time_keeps_its_zone_and_anything_else_is_none() -> None:
    bst = timezone(timedelta(hours=1))
    in_bst = aware_time_or_none("2026-07-01T10:00:00+01:00")
    assert in_bst == datetime(2026, 7, 1, 10, tzinfo=bst)
    assert in_bst is not None and in_bst.utcoffset() == timedelta(hours=1)
    assert aware_time_or_none(" 2026-07-01T09:00:00Z ") == datetime(2026, 7, 1, 9, tzinfo=UTC)
    given = datetime(2026, 7, 1, 9, tzinfo=UTC)
    assert aware_time_or_none(given) is given
    # Where the zone was required, a time without one is not guessed to be UTC.
    for value in ("2026-07-01T09:00:00", datetime(2026, 7, 1, 9), "yesterday", "", None, 5):
        assert aware_time_or_none(value) is None


def test_a_date_or_none_reads_iso_dates_and_gives_none_for_the_rest() -> None:
    assert date_or_none("1984-07-02") == date(1984, 7, 2)
    assert date_or_none(date(1984, 7, 2)) == date(1984, 7, 2)
    for value in ("", None, "02/07/1984", "1984-02-30", "not a date", 0):
        assert date_or_none(value) is None


@pytest.mark.parametrize(
    ("header", "version"),
    [
        ('"3"', 3),
        ('W/"3"', 3),
        ("3", 3),
        (' "12" ', 12),
        (None, None),
        ("", None),
        ('"abc"', None),
        ('"-1"', None),
        ('"' + "9" * 40 + '"', None),
    ],
)
def test_if_match_names_a_version_or_nothing(header: str | None, version: int | None) -> None:
    assert version_from_if_match(header) == version


def test_etag_and_if_match_round_trip() -> None:
    assert version_from_if_match(etag(41)) == 41
