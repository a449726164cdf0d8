"""The bundle PDF of a real case read from the server: page count, the index against where
each form starts, footers on every page, embedded fonts, metadata, same bytes twice."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from station_app.documents.casefile_bundle import build_bundle
from station_app.domain.roles import Role
from station_app.server.casefiles.rules import file_standard
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from tests.fixtures.live_server import LiveServer
from tests.fixtures.pdfs import pdf_of_pages

REF = "BND-26-0001"


@pytest.fixture
def case_and_attachments(live_server: LiveServer) -> tuple[dict[str, Any], dict[int, bytes]]:
    live_server.create_user("dc-bundle", [Role.DETECTIVE], display_name="DC Bundle")
    with ApiSession(live_server.url, workstation="test") as session:
        session.token = live_server.token_for("dc-bundle")
        client = CasefilesClient(session)
        client.create(
            {
                "reference": REF,
                "file_type": "anticipated_not_guilty_plea",
                "suspects": [{"name": "Ivo Quent", "charges": [{"offence_code": "DMTH002"}]}],
            }
        )
        # Added out of bundle order on purpose: the rules file sets the order.
        client.add_form(
            REF,
            "MG6C",
            {"disclosure_officer": "DC Bundle"},
            items=[{"description": f"Item {n}"} for n in range(1, 4)],
        )
        client.attach(REF, "EXHIBIT", "CCTV stills", pdf_of_pages("CCTV", 3), key=True)
        client.add_form(REF, "MG5", {"summary": "Long summary.\n" * 120, "officer_name": "DC B"})
        client.add_form(
            REF,
            "MG1",
            {
                "defendant_name": "Ivo Quent",
                "date_of_birth": "1988-04-05",
                "charges_summary": "Theft from the person",
                "remand_status": "Bail",
                "officer_in_case": "DC Bundle",
            },
        )
        client.attach(REF, "UNUSED", "Door-to-door notes", pdf_of_pages("Unused", 1))
        client.add_form(
            REF, "MG6D", {"disclosure_officer": "DC B", "nil": True, "signed_by": "DC Bundle"}
        )
        case = client.case(REF)
        attachments = {
            d["id"]: client.attachment(REF, d["id"])
            for d in case["documents"]
            if d["is_attachment"]
        }
    return case, attachments


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_bundle_has_mg1_first_an_index_that_matches_and_every_page_footed(
    case_and_attachments: tuple[dict[str, Any], dict[int, bytes]],
) -> None:
    case, attachments = case_and_attachments
    steps: list[tuple[int, int]] = []

    bundle = build_bundle(case, attachments, file_standard(), lambda d, t: steps.append((d, t)))
    texts = page_texts(bundle.pdf)

    assert [e.form for e in bundle.index] == ["MG1", "MG5", "EXHIBIT", "MG6C", "MG6D"]
    assert bundle.page_count == len(texts)
    # MG1 (1) + index (1) + MG5 (several) + exhibit (3) + MG6C (1) + MG6D (1)
    starts = [e.page for e in bundle.index]
    assert starts[0] == 1 and starts[1] == 3
    assert starts[3] - starts[2] == 3 and bundle.page_count == starts[4]
    index_page = texts[1]
    assert "Index" in index_page
    for entry in bundle.index:
        # The printed index gives the page; the page itself is footed with that form.
        title = r"\s+".join(map(re.escape, entry.title.split()))
        assert re.search(rf"{title}\s*{entry.page}\b", index_page), (entry, index_page)
        assert f"{REF} · {entry.form}" in texts[entry.page - 1]
        if entry.page > 3:
            assert f"{REF} · {entry.form}" not in texts[entry.page - 2]
    assert "CCTV sheet 1" in texts[bundle.index[2].page - 1]
    assert "Door-to-door" not in "".join(texts)  # unused material is scheduled, not bundled
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {bundle.page_count}" in text
        assert f"{REF} ·" in text
    assert steps[-1][0] == steps[-1][1]


def test_the_bundle_embeds_its_fonts_sets_metadata_and_is_the_same_twice(
    case_and_attachments: tuple[dict[str, Any], dict[int, bytes]],
) -> None:
    case, attachments = case_and_attachments

    first = build_bundle(case, attachments, file_standard())
    second = build_bundle(case, attachments, file_standard())

    assert first.pdf == second.pdf
    reader = PdfReader(io.BytesIO(first.pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Case file {REF}"
    assert reader.metadata.author == "DC Bundle"
    assert reader.metadata.creation_date is not None
    fonts = 0
    for page in reader.pages:
        resources = page["/Resources"]
        pending = [resources]
        while pending:  # fonts of the page and of the attached pages laid on it
            current = pending.pop().get_object()
            for font in current.get("/Font", {}).values():
                descriptor = font.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font.get_object()["/BaseFont"]
                fonts += 1
            for xobject in current.get("/XObject", {}).values():
                if "/Resources" in xobject.get_object():
                    pending.append(xobject.get_object()["/Resources"])
    assert fonts >= len(reader.pages)
