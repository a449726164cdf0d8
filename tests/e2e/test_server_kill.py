"""The core server killed with SIGKILL at random moments while three clients write to it: a
front desk sending walk-in reports through the outbox, a custody officer adding entries to a
detainee's record, and a detective saving forms to a case file, attaching PDFs to it and
opening new case files. Each client sends every write with an Idempotency-Key of its own
and, when the server is gone, sends it again with the same key until it is answered.
Afterwards every write is in the database exactly once and is the record the client was
answered with: 0 lost, 0 duplicated (issue 12, "Done means"). On SQLite and on PostgreSQL
(skipped when it is unreachable).

`STATION_KILL_TRIALS` kills per database (default 3; `make faults` runs 30),
`STATION_KILL_SEED` replays the moments of an earlier run (printed with every result).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from station_app.domain.wire import API_PREFIX
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.core.db import make_engine, make_session_factory
from station_app.server.custody.models import CustodyEventRow
from station_app.server.incidents.models import Incident
from station_app.server.seed import DEMO_PASSWORD
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.services.custody import CustodyClient
from station_app.services.errors import OfflineError, StationError
from station_app.services.incidents import IncidentsApi
from station_app.services.outbox import Outbox
from tests.fixtures.incidents import walk_in
from tests.fixtures.live_server import postgres_schema, prepare_database, sqlite_url
from tests.fixtures.pdfs import small_pdf
from tests.fixtures.server_process import ServerProcess

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")

TRIALS = int(os.environ.get("STATION_KILL_TRIALS", "3"))
SEED = int(os.environ.get("STATION_KILL_SEED") or random.SystemRandom().randrange(2**31))
# A quarter of the kills land this long (uniformly at random) after the writers are busy
# again: long enough to fall before, inside or after the commit of a write, short enough to
# hit every kind. The others land as soon as a write is seen committed (each kind in turn),
# where its answer is likeliest to be lost.
KILL_WINDOW_SECONDS = 0.6
WRITES_AFTER_LAST_KILL = 2
STUCK_SECONDS = 90.0
CASE = "KILL-26-0001"
NEW_CASES = "KILLCASE-"
H = timedelta(hours=1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[str]:
    """A demo-seeded database of its own: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, tmp_path / "station.db")
        yield sqlite_url(tmp_path / "station.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        prepare_database(url)
        yield url


@dataclass
class Writer:
    """One client writing one write after another, each with its own key, each sent again
    with that key until the server answers it."""

    name: str
    write: Callable[[int, str], Any]
    """Send write `n` with `key`; the server's answer (the id of what it made)."""
    answers: dict[int, Any] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    resent: int = 0
    failure: str = ""
    stop_after: int | None = None
    halted: bool = False
    progressed: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        n = 0
        while self.stop_after is None or n < self.stop_after:
            key = self.keys.setdefault(n, uuid.uuid4().hex)
            since = time.monotonic()
            while True:
                try:
                    self.answers[n] = self.write(n, key)
                    break
                except OfflineError:  # the server is gone (or not back yet): same key again
                    self.resent += 1
                    if self.halted:
                        return
                    if time.monotonic() - since > STUCK_SECONDS:
                        self.failure = f"write {n} was not answered for {STUCK_SECONDS:.0f} s"
                        return
                    time.sleep(0.1)
                except StationError as error:  # refused or failed: a defect under test
                    self.failure = f"write {n}: {type(error).__name__}: {error.detail}"
                    return
            n += 1
            self.progressed.set()


def signed_in(url: str, username: str) -> ApiSession:
    session = ApiSession(url, workstation=f"KILL-{username}", read_timeout=20)
    answer = requests.post(
        f"{url}{API_PREFIX}/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
        timeout=20,
    )
    answer.raise_for_status()
    session.token = answer.json()["token"]
    return session


def report_writer(url: str, folder: Path) -> Writer:
    """Walk-in reports queued in the front desk's outbox and drained, as the form does."""
    outbox, api = Outbox(folder / "outbox"), IncidentsApi(signed_in(url, "frontdesk"))

    def write(n: int, key: str) -> str:
        outbox.queue(walk_in(account=f"kill-report-{n:04d}"), key, "frontdesk")
        drained = outbox.drain(api, "frontdesk")
        if drained.stopped is not None:
            raise drained.stopped
        assert not drained.rejected, drained.rejected
        assert outbox.waiting_count() == 0
        return dict(drained.sent)[key]

    return Writer("reports", write)


def custody_writer(url: str) -> tuple[Writer, int]:
    """Visits added to one detainee's record."""
    custody = CustodyClient(signed_in(url, "custody"))
    now = datetime.now(UTC)
    record = custody.book_in(
        {
            "station_code": "SW",
            "person": {"surname": "Killworth", "forenames": "Ada", "date_of_birth": "1984-03-09"},
            "offences": ["DMTH005"],
            "arrested_at": (now - 2 * H).isoformat(),
            "arrived_at": (now - H).isoformat(),
            "cell": "SW-C07",
        }
    )
    custody.add_entry(record.id, "detention_authorised", now - H / 2, {"grounds": "Evidence"})

    visited: dict[int, datetime] = {}

    def write(n: int, key: str) -> int:
        data = {"response": "comprehensive", "notes": f"kill-visit-{n:04d}"}
        at = visited.setdefault(n, datetime.now(UTC))  # sent again as it was first sent
        return custody.add_entry(record.id, "visit", at, data, idempotency_key=key).id

    return Writer("custody entries", write), record.id


def casefile_writer(url: str) -> Writer:
    """Statements (MG5) saved to a case file, exhibits attached to it and new case files
    opened, in turn."""
    casefiles = CasefilesClient(signed_in(url, "detective"))
    casefiles.create({"reference": CASE, "file_type": "anticipated_guilty_plea"})
    pdf = small_pdf("Exhibit KW/1")

    def write(n: int, key: str) -> int | str:
        marker = f"kill-document-{n:04d}"
        if n % 3 == 1:
            saved = casefiles.attach(CASE, "EXHIBIT", marker, pdf, idempotency_key=key)
        elif n % 3 == 2:
            opened = {"reference": f"{NEW_CASES}{n:04d}", "file_type": "remand"}
            return str(casefiles.create(opened, idempotency_key=key)["reference"])
        else:
            statement = {"summary": marker, "officer_name": "DC Demo"}
            saved = casefiles.add_form(CASE, "MG5", statement, idempotency_key=key)
        return int(saved["id"])

    return Writer("case-file saves", write)


def stored(database_url: str, record_id: int) -> dict[str, dict[str, list[Any]]]:
    """Per writer, the records in the database by the marker their write carried."""
    engine = make_engine(database_url)
    found: dict[str, dict[str, list[Any]]] = {
        "reports": {},
        "custody entries": {},
        "case-file saves": {},
    }
    try:
        with make_session_factory(engine)() as session:
            for reference, account in session.execute(
                select(Incident.reference, Incident.account).where(
                    Incident.account.like("kill-report-%")
                )
            ):
                found["reports"].setdefault(account, []).append(reference)
            for entry in session.scalars(
                select(CustodyEventRow).where(
                    CustodyEventRow.record_id == record_id, CustodyEventRow.kind == "visit"
                )
            ):
                found["custody entries"].setdefault(entry.data["notes"], []).append(entry.id)
            for doc in session.scalars(
                select(CaseDocument).join(CaseFile).where(CaseFile.reference == CASE)
            ):
                marker = doc.data["summary"] if doc.form == "MG5" else doc.title
                found["case-file saves"].setdefault(marker, []).append(doc.id)
            for reference in session.scalars(
                select(CaseFile.reference).where(CaseFile.reference.like(f"{NEW_CASES}%"))
            ):
                marker = f"kill-document-{reference.removeprefix(NEW_CASES)}"
                found["case-file saves"].setdefault(marker, []).append(reference)
    finally:
        engine.dispose()
    return found


TABLES = {
    "reports": Incident.__table__,
    "custody entries": CustodyEventRow.__table__,
    "case-file saves": CaseDocument.__table__,
}


class CommitWatch:
    """Sees a write of one kind committed, from outside the server: its table gains a row."""

    def __init__(self, database_url: str) -> None:
        self._engine = make_engine(database_url)

    def _count(self, kind: str) -> int:
        query = select(func.count()).select_from(TABLES[kind])
        with self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def wait_for_a_commit(self, writer: Writer) -> None:
        """Until a write of `writer`'s kind is committed (or the writer has failed)."""
        before, deadline = self._count(writer.name), time.monotonic() + STUCK_SECONDS
        while self._count(writer.name) == before and not writer.failure:
            assert time.monotonic() < deadline, f"no {writer.name} committed"
            # No sleep: killed as soon as it is seen, its answer may still be on its way.

    def close(self) -> None:
        self._engine.dispose()


MARKERS = {
    "reports": "kill-report-{:04d}",
    "custody entries": "kill-visit-{:04d}",
    "case-file saves": "kill-document-{:04d}",
}
CREATING = re.compile(
    rf"{API_PREFIX}/(incidents|custody/records/\d+/events"
    r"|casefiles(/[^/]+/(documents|attachments))?)"
)


def test_kill_9_of_the_server_loses_and_duplicates_nothing(
    database_url: str, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    server = ServerProcess(database_url, tmp_path)
    server.start()
    commits = CommitWatch(database_url)
    threads: list[threading.Thread] = []
    writers: list[Writer] = []
    try:
        custody, record_id = custody_writer(server.url)
        writers = [report_writer(server.url, tmp_path), custody, casefile_writer(server.url)]
        threads = [
            threading.Thread(target=w.run, name=f"kill-writer-{w.name}", daemon=True)
            for w in writers
        ]
        for thread in threads:
            thread.start()
        for trial in range(TRIALS):
            for writer in writers:  # every writer busy with the server that runs now
                writer.progressed.clear()
            for writer in writers:
                busy_by = time.monotonic() + STUCK_SECONDS
                while not writer.progressed.wait(0.1) and not writer.failure:
                    assert time.monotonic() < busy_by, f"{writer.name} is stuck"
            if rng.random() < 1 / 4:
                time.sleep(rng.uniform(0, KILL_WINDOW_SECONDS))
            else:  # the moment a write is committed, before its answer is read
                commits.wait_for_a_commit(writers[trial % len(writers)])
            server.kill()
            server.start()
        for writer in writers:
            writer.stop_after = len(writer.answers) + WRITES_AFTER_LAST_KILL
        for thread in threads:
            thread.join(timeout=STUCK_SECONDS * 2)
    finally:
        for writer in writers:
            writer.halted = True  # on a failure above, nobody waits for a server to return
        server.stop()
        commits.close()
    run = f"seed {SEED}, {server.kills} kills"
    assert not any(t.is_alive() for t in threads), f"a writer is stuck ({run})"
    assert not [w.failure for w in writers if w.failure], (run, server.log_tail())

    found = stored(database_url, record_id)
    for writer in writers:
        by_marker = found[writer.name]
        written = {MARKERS[writer.name].format(n): answer for n, answer in writer.answers.items()}
        lost = sorted(set(written) - set(by_marker))
        duplicated = sorted(m for m, ids in by_marker.items() if len(ids) > 1)
        unasked = sorted(set(by_marker) - set(written))
        assert (lost, duplicated, unasked) == ([], [], []), (writer.name, run)
        # And each write's answer is the record it made, even when it was the resend's.
        assert {m: by_marker[m][0] for m in written} == written, (writer.name, run)
    resends_answered_200 = server.answered("POST", CREATING, 200)
    counts = Counter({w.name: len(w.answers) for w in writers})
    print(
        f"\nkill -9 ({run}): writes {dict(counts)}, 0 lost, 0 duplicated; "
        f"{sum(w.resent for w in writers)} sends failed with the server gone, "
        f"{resends_answered_200} resends answered 200 (committed before the kill)"
    )
