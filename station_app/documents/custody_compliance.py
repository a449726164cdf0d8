"""The compliance annex of the printed custody record: the replay of
`domain.custody_compliance` (every late or missed visit, late review, rest, meals and limit
breach, each with its rule) as a table after the record's entries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from station_app.domain.custody_compliance import Breach, breaches

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

__all__ = ["Breach", "annex_story", "breaches"]


def annex_story(found: Sequence[Breach]) -> list[Flowable]:
    from reportlab.lib.units import mm

    from station_app.documents.custody_common import p, table
    from station_app.documents.pdf import wrap_text

    story: list[Flowable] = [
        p("Compliance: the record replayed", "Heading"),
        p(
            "Every late or missed visit, late review, rest period, meals and detention past "
            "the limit that the entries above show, each with its rule.",
            "Small",
        ),
    ]
    if not found:
        story.append(p("None found."))
        return story
    rows: list[Sequence[Any]] = [("", "What the entries show", "Rule")]
    for number, breach in enumerate(found, start=1):
        rows.append(
            (
                str(number),
                wrap_text(breach.sentence(), 122 * mm - 6),
                wrap_text(breach.rule, 46 * mm - 6),
            )
        )
    story.append(table(rows, (6 * mm, 122 * mm, 46 * mm)))
    return story
