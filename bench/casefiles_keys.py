"""What an Idempotency-Key costs a case-file save, on the real server.

Starts the real core API (uvicorn in a thread) on a migrated, demo-seeded SQLite file, opens
a case as the demo detective, then times, interleaved in the same run, each with a key of its
own against the same request with no key (the baseline: nothing hashed, nothing kept):

- POST /api/v1/casefiles/{ref}/documents: an MG11 witness statement;
- POST /api/v1/casefiles/{ref}/attachments: a PDF of about 5 MB (an exhibit photograph).

The key's cost is hashing the request as the server read it and keeping one row, so the
target is a p95 within 10% of the baseline's.

    python bench/casefiles_keys.py [--forms 60] [--attachments 12]
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report, summary, timed_ms
from bench.sync import ServerThread
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.seed import DEMO_PASSWORD, seed_demo
from station_app.services.api import ApiSession

REF = "BENCH-26-0007"
STATEMENT = {
    "witness_name": "Orla Benchley",
    "over_18": True,
    "address": "12 Quillon Terrace, London",
    "statement": "I saw a man in a red jacket take the phone and run towards the canal.",
    "declaration_made": True,
    "signed_by_witness": "O. Benchley",
    "statement_date": "2026-11-01",
}


def photograph_pdf(side: int = 1300) -> bytes:
    """A one-page PDF holding a photograph-sized image of noise (it does not compress)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawImage(ImageReader(image), 20, 20, width=550, height=550)
    page.showPage()
    page.save()
    return out.getvalue()


def prepare(folder: Path) -> str:
    url = f"sqlite:///{folder / 'station.db'}"
    engine = make_engine(url)
    try:
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            seed_demo(session)
    finally:
        engine.dispose()
    return url


def timed_pairs(session: ApiSession, path: str, body: dict[str, object], rounds: int):
    """(keyed, unkeyed) milliseconds, interleaved; each keyed send with a fresh key."""
    keyed: list[float] = []
    unkeyed: list[float] = []
    for number in range(rounds):
        order = [True, False] if number % 2 else [False, True]
        for with_key in order:
            headers = {"Idempotency-Key": uuid.uuid4().hex} if with_key else {}
            took = timed_ms(lambda h=headers: session.post(path, json=body, headers=h))
            (keyed if with_key else unkeyed).append(took)
    return keyed, unkeyed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=60)
    parser.add_argument("--attachments", type=int, default=12)
    args = parser.parse_args()
    pdf = photograph_pdf()
    with (
        tempfile.TemporaryDirectory() as temp,
        ServerThread(prepare(Path(temp))) as server,
        ApiSession(server.url, workstation="bench", read_timeout=120) as session,
    ):
        login = {"username": "detective", "password": DEMO_PASSWORD}
        session.token = session.json(session.post("/auth/login", json=login))["token"]
        session.post("/casefiles", json={"reference": REF, "file_type": "remand"})
        form = {"form": "MG11", "data": STATEMENT}
        timed_pairs(session, f"/casefiles/{REF}/documents", form, 3)  # warm up
        forms = timed_pairs(session, f"/casefiles/{REF}/documents", form, args.forms)
        exhibit = {
            "kind": "EXHIBIT",
            "title": "Photograph of the bus stop",
            "content_base64": base64.b64encode(pdf).decode("ascii"),
        }
        path = f"/casefiles/{REF}/attachments"
        attachments = timed_pairs(session, path, exhibit, args.attachments)
    report(
        "Add an MG11 with an Idempotency-Key (baseline: the same with no key)",
        forms[0],
        forms[1],
        summary(forms[1])["p95"] * 1.1,
    )
    report(
        f"Attach a {len(pdf) / 1024 / 1024:.1f} MB PDF with an Idempotency-Key "
        "(baseline: the same with no key)",
        attachments[0],
        attachments[1],
        summary(attachments[1])["p95"] * 1.1,
    )


if __name__ == "__main__":
    main()
