"""The one If-Match check (docs/api.md, "Headers") and the If-None-Match comparison."""

from __future__ import annotations

import pytest

from station_app.domain.wire import etag
from station_app.server.core.problems import ProblemError
from station_app.server.core.versions import IfMatchRule, etag_matches

REQUIRED = IfMatchRule(
    stale="Someone else changed report {reference}. Reload it.",
    missing="Say which version you changed.",
)
CASE = IfMatchRule(
    stale="Someone else changed this case file.", missing="Say which version you changed."
)


@pytest.mark.parametrize("header", ['"3"', 'W/"3"', "3", ' "3" ', etag(3)])
def test_the_current_version_passes_in_every_form_a_client_sends(header: str) -> None:
    REQUIRED.check(header, 3, reference="SW-1")
    CASE.check(header, 3)
    assert REQUIRED.asked(header) == 3


@pytest.mark.parametrize("header", ['"2"', 'W/"4"', '"abc"', '""', "*"])
def test_another_or_unreadable_version_is_stale_409_with_the_routes_sentence(
    header: str,
) -> None:
    for rule, sentence in (
        (REQUIRED, "Someone else changed report SW-1. Reload it."),
        (CASE, "Someone else changed this case file."),
    ):
        with pytest.raises(ProblemError) as refused:
            rule.check(header, 3, reference="SW-1")
        assert (refused.value.status, refused.value.detail) == (409, sentence)


@pytest.mark.parametrize("rule", [REQUIRED, CASE])
def test_a_missing_header_is_always_428_never_a_change_accepted(rule: IfMatchRule) -> None:
    """No rule lets a change through without a version (issue 12 #8: case files did)."""
    for call in (lambda: rule.check(None, 3, reference="SW-1"), lambda: rule.asked(None)):
        with pytest.raises(ProblemError) as refused:
            call()

        assert refused.value.status == 428
        assert refused.value.title == "Version needed"
        assert refused.value.detail == "Say which version you changed."


def test_if_none_match_is_a_weak_comparison_of_any_listed_tag() -> None:
    assert etag_matches('W/"offences-3"', '"offences-3"')
    assert etag_matches('"a", "offences-3"', '"offences-3"')
    assert etag_matches("*", '"offences-3"')
    assert not etag_matches('"offences-2"', '"offences-3"')
    assert not etag_matches(None, '"offences-3"')
