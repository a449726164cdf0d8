"""The notice of rights and entitlements (PACE Code C 3.2, Note 3A), with this detainee's
own detention times filled in, printed from a message catalogue
(`resources/rules/notices/<language>.json`) so the notice in Welsh, or any language a force adds,
is data. It is printed in the language the written notice was given in (the "written
notice given" entry), or the one the custody officer chooses."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from station_app.documents.catalogue import Catalogue, choose_language
from station_app.documents.custody_common import p
from station_app.domain import pace

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from station_app.services.custody import CustodyRecordView

__all__ = ["duration_words", "notice_language", "rights_story"]


def duration_words(span: timedelta) -> str:
    """'9 h 05 min': the time used before bail, as the custody record prints it."""
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


KIND = "notices"


def notice_language(record: CustodyRecordView, language: str | None = None) -> Catalogue:
    """`language` if given, else the language of the last written notice given (Code C 3.2),
    else English."""
    if language is None:
        given = [e for e in record.entries if e.kind == "written_notice_given"]
        language = str(given[-1].data.get("language") or "") if given else ""
    return choose_language(KIND, language)[0]


def _para(text: str) -> Flowable:
    return p(text, "Para")


def rights_story(
    record: CustodyRecordView, now: datetime, language: str | None = None
) -> list[Flowable]:
    words = notice_language(record, language)
    value = record.clock(now)
    state = record.state()
    start, authorised = value.relevant_time, state.authorised_at

    def when(moment: datetime) -> str:
        return words.when_words(moment)

    story: list[Flowable] = [
        p(words.text("title"), "Title"),
        _para(words.text("for_line", name=record.board.name, custody_number=record.custody_number)),
        _para(words.text("intro")),
        p(words.text("heading_rights"), "Heading"),
        *(p("• " + text, "Item") for text in words.lines("rights")),
    ]
    if start is not None and not state.terrorism:
        used = state.detained_before  # PACE s.47(6): time used before bail shortens each
        story += [
            p(words.text("heading_clock"), "Heading"),
            _para(words.text("clock_started", start=when(start))),
        ]
        if used:
            story.append(
                _para(
                    words.text(
                        "clock_bail",
                        custody_number=state.answering_bail_from,
                        used=duration_words(used),
                    )
                )
            )
        story.append(
            _para(words.text("clock_limit", limit=when(start + pace.STANDARD_LIMIT - used)))
        )
        if state.indictable:  # PACE s.42(1)(b): extension only for an indictable offence
            extension = when(start + pace.EXTENSION_LIMIT - used)
            warrant = when(start + pace.WARRANT_LIMIT - used)
            story.append(_para(words.text("clock_extension", extension=extension, warrant=warrant)))
        else:
            story.append(_para(words.text("clock_no_extension")))
        if authorised is not None:
            first = pace.next_review_due(authorised, [])
            upcoming = value.next_review_due or first
            story.append(
                _para(
                    words.text(
                        "clock_reviews",
                        authorised=when(authorised),
                        first=when(first),
                        next=when(upcoming),
                    )
                )
            )
    story += [
        p(words.text("heading_medical"), "Heading"),
        _para(words.text("medical")),
        p(words.text("heading_adult"), "Heading"),
        _para(words.text("adult")),
    ]
    if state.needs_appropriate_adult(now):
        story.append(p(words.text("adult_needed"), "Subheading"))
    story += [
        p(words.text("heading_interviews"), "Heading"),
        _para(words.text("interviews")),
        p(words.text("heading_entitlements"), "Heading"),
        *(p("• " + text, "Item") for text in words.lines("entitlements")),
        p(words.text("times_note"), "Small"),
        _para(words.text("received")),
    ]
    return story
