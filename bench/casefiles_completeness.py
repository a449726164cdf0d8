"""Completeness check of a case file with 200 documents, on the real server.

Starts the real core API (uvicorn in a thread) on a migrated, demo-seeded SQLite file,
adds a case with 200 documents (forms and attachments, added through the server's own
store), then times, interleaved in the same run:

- GET /api/v1/casefiles/{ref}/completeness over a kept-alive connection, against a
  GET /api/v1/health round trip (the least any request costs); target < 20 ms;
- the server-side work alone (`store.completeness` against the rules), in process.
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, timed_ms
from bench.sync import ServerThread
from station_app.server.casefiles import schemas, store
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.rules import file_standard
from station_app.server.core.config import ServerSettings
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.seed import seed_demo
from station_app.services.api import ApiSession

REF = "BENCH-26-0200"
DOCUMENTS = 200
RUNS = 60


def tiny_pdf() -> bytes:
    """A one-page PDF the server's attachment check can open (attachments.py)."""
    from reportlab.platypus import Paragraph

    from station_app.documents.pdf import PageFrame, build_pdf, styles

    return build_pdf([Paragraph("Exhibit", styles()["Body"])], PageFrame(title="Exhibit"))


def prepare(folder: Path) -> str:
    url = f"sqlite:///{folder / 'station.db'}"
    engine = make_engine(url)
    try:
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            seed_demo(session)
            case = CaseFile(
                reference=REF,
                status="draft",
                officer_username="detective",
                officer_name="Sam Okafor",
                station_code="SW",  # the detective's own station (core/stations.py)
                override_reason="",
            )
            store.apply_fields(case, schemas.CaseFields(file_type="anticipated_not_guilty_plea"))
            session.add(case)
            session.flush()
            statement = {
                "witness_name": "Bench Witness",
                "over_18": True,
                "address": "1 Test Row",
                "statement": "I saw it.",
                "declaration_made": True,
                "signed_by_witness": "B Witness",
                "statement_date": "2026-11-01",
            }
            exhibit = base64.b64encode(tiny_pdf()).decode()
            for number in range(DOCUMENTS):
                if number % 2:
                    body = schemas.AttachmentIn(
                        kind="EXHIBIT",
                        title=f"Exhibit {number}",
                        key=number % 4 == 1,
                        content_base64=exhibit,
                    )
                    max_bytes = ServerSettings.attachment_max_bytes
                    store.add_attachment(session, case, body, "detective", max_bytes)
                else:
                    form = schemas.FormIn(form="MG11", data=statement, key=number % 4 == 0)
                    store.save_form(session, case, form, "detective")
            session.commit()
    finally:
        engine.dispose()
    return url


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = prepare(Path(folder))
        with ServerThread(url) as server:
            session = ApiSession(server.url, workstation="BENCH-01")
            session.token = session.json(
                session.post(
                    "/auth/login", json={"username": "detective", "password": "Station-Demo-1"}
                )
            )["token"]
            measured, baseline = [], []
            for _ in range(RUNS):
                measured.append(timed_ms(lambda: session.get(f"/casefiles/{REF}/completeness")))
                baseline.append(timed_ms(lambda: session.get("/health")))
            report(
                f"Completeness over HTTP, case with {DOCUMENTS} documents (audited read)",
                measured,
                baseline,
                20,
            )
            engine = make_engine(url)
            factory = make_session_factory(engine)
            standard = file_standard()
            inner, empty = [], []
            with factory() as db:
                case = db.query(CaseFile).filter_by(reference=REF).one()
                blank = db.query(CaseFile).filter_by(reference="SW-26-0142").one()
                for _ in range(RUNS):
                    inner.append(timed_ms(lambda: store.completeness(db, case, standard)))
                    empty.append(timed_ms(lambda: store.completeness(db, blank, standard)))
            engine.dispose()
            report(
                "Completeness, server-side work only (vs a case with 1 document)", inner, empty, 20
            )
            session.close()


if __name__ == "__main__":
    main()
