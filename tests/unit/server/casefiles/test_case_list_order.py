"""The case-file list's page is the page of the whole list sorted by urgency (nearest hearing
first, past ones first of all, then the most missing items, no hearing date last, finished
cases at the end), while it reads whole cases and their documents only for the hearing dates
the page reaches (issue 14: a force-wide list read every case file and every document)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import event

from station_app.domain.file_standard import CaseFacts, DocumentFacts, evaluate, load_rules
from station_app.resource_files import resource_path
from station_app.server.casefiles import store
from station_app.server.casefiles.models import CaseDocument, CaseFile
from tests.fixtures.live_server import LiveServer

FORMS = ("MG5", "MG6", "MG6C", "MG11", "MG1", "MG3")


def seed(server: LiveServer, count: int) -> None:
    """`count` cases: hearing dates from past to future with many shared, some none, some
    accepted, each with a few of the forms (so different numbers of missing items)."""
    chance = random.Random(20261202)
    today = store.today()
    with server.db_session() as session:
        for n in range(count):
            case = CaseFile(
                reference=f"ORD-26-{n:04d}",
                file_type=chance.choice(["anticipated_guilty_plea", "remand"]),
                status=chance.choice(["draft", "draft", "submitted", "accepted"]),
                officer_username="dc-order",
                officer_name="DC Order",
                station_code="SW",
                hearing_date=(
                    None if chance.random() < 0.2 else today + timedelta(days=chance.randint(-3, 6))
                ),
            )
            session.add(case)
            session.flush()
            for seq, form in enumerate(chance.sample(FORMS, chance.randint(0, 4)), start=1):
                session.add(
                    CaseDocument(
                        case_id=case.id, sequence=seq, form=form, title=form, created_by="t"
                    )
                )
        session.commit()


def whole_list(server: LiveServer) -> list[str]:
    """The list as the urgency rule orders it, worked out here from every case."""
    standard = load_rules(resource_path("rules", "file_standard.json"))
    with server.db_session() as session:
        rows = []
        for case in session.query(CaseFile).all():
            documents = [DocumentFacts(d.form, d.key) for d in case.documents]
            missing = len(
                evaluate(
                    standard, CaseFacts(case.file_type, frozenset(case.conditions), documents)
                ).missing
            )
            left = store.days_left(case.hearing_date)
            key = (case.status in store.FINISHED, left is None, left or 0, -missing)
            rows.append((key, case.reference))
    return [reference for _key, reference in sorted(rows)]


def test_every_page_is_that_page_of_the_whole_list_sorted_by_urgency(live_server) -> None:
    seed(live_server, 90)
    expected = whole_list(live_server)
    standard = load_rules(resource_path("rules", "file_standard.json"))
    with live_server.db_session() as session:
        for limit in (1, 7, 25, 200):
            for offset in range(0, len(expected) + 3, limit):
                page, total = store.list_cases(session, standard, None, None, offset, limit)
                assert total == len(expected)
                got = [case.reference for case, _missing in page]
                assert got == expected[offset : offset + limit], (offset, limit)


def test_a_page_reads_whole_cases_only_for_the_hearing_dates_it_shows(live_server) -> None:
    seed(live_server, 90)
    standard = load_rules(resource_path("rules", "file_standard.json"))
    loaded: list[int] = []
    with live_server.db_session() as session:

        def count(_session, instance) -> None:
            if isinstance(instance, CaseFile):
                loaded.append(instance.id)

        event.listen(session, "loaded_as_persistent", count)
        page, _total = store.list_cases(session, standard, None, None, 0, 5)
        event.remove(session, "loaded_as_persistent", count)
    assert len(page) == 5
    # About one hearing date's worth (ten dates and "none" over 90 cases), not every case.
    assert 5 <= len(loaded) < 30, len(loaded)
