"""Attached PDFs (issue 12, #13): only a PDF that opens, without scripts, launch actions or
embedded files, and no larger than the server's cap; served back as a download named from
the case reference and document id, never from its title."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
import requests
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from station_app.domain.roles import Role
from tests.fixtures.live_server import LiveServer, assert_problem, bearer
from tests.fixtures.pdfs import small_pdf

REFERENCE = "TST-26-0142"


def open_case(server: LiveServer) -> dict[str, str]:
    server.create_user("dc-attach", [Role.DETECTIVE])
    headers = bearer(server.token_for("dc-attach"))
    created = requests.post(
        f"{server.api_url}/casefiles",
        json={"reference": REFERENCE, "file_type": "anticipated_guilty_plea"},
        headers=headers,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return headers


def attach(
    server: LiveServer, headers: dict[str, str], content: bytes, title: str = "PNC print"
) -> requests.Response:
    body = {
        "kind": "PREVIOUS_CONVICTIONS",
        "title": title,
        "content_base64": base64.b64encode(content).decode(),
    }
    return requests.post(
        f"{server.api_url}/casefiles/{REFERENCE}/attachments",
        json=body,
        headers=headers,
        timeout=10,
    )


def rewritten(build: Any) -> bytes:
    """A real PDF changed by `build(writer)`."""
    writer = PdfWriter(clone_from=io.BytesIO(small_pdf("Exhibit")))
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action(kind: str, **entries: str) -> Any:
    def build(writer: PdfWriter) -> None:
        action = DictionaryObject({NameObject("/S"): NameObject(f"/{kind}")})
        for key, value in entries.items():
            action[NameObject(f"/{key}")] = TextStringObject(value)
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return build


def document_javascript(writer: PdfWriter) -> None:
    """A script in the document's JavaScript name tree (run when the PDF opens)."""
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )


def link_with_javascript(writer: PdfWriter) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            ),
        }
    )
    writer.pages[0][NameObject("/Annots")] = writer._add_object(
        ArrayObject([writer._add_object(annotation)])
    )


def test_a_real_pdf_is_served_back_as_a_named_download(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    headers = open_case(server)
    content = small_pdf("No convictions")

    added = attach(server, headers, content, title='../../etc/passwd "quoted".pdf')
    document = added.json()
    served = requests.get(
        f"{server.api_url}/casefiles/{REFERENCE}/documents/{document['id']}/content",
        headers=headers,
        timeout=10,
    )

    assert added.status_code == 201, added.text
    assert served.status_code == 200
    assert served.content == content
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "no-store"
    assert served.headers["Content-Disposition"] == (
        f'attachment; filename="{REFERENCE}-document-{document["id"]}.pdf"'
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.7\n<script>alert(1)</script>", id="only the magic bytes"),
        pytest.param(b"%PDF-1.4\n" + b"\x00" * 400, id="no objects"),
        pytest.param(small_pdf("Cut")[:-300], id="cut short"),
    ],
)
def test_a_file_that_is_not_a_pdf_station_can_open_is_refused(
    live_server: LiveServer, content: bytes
) -> None:
    headers = open_case(live_server)

    problem = assert_problem(attach(live_server, headers, content), 422)

    assert problem["errors"] == [
        {
            "field": "content_base64",
            "message": "The attachment is not a PDF Station can open. Save or scan the "
            "document as PDF again and attach that copy.",
        }
    ]


ACTIVE = "The PDF has active content (scripts, actions that start programs, or files hidden inside)"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(document_javascript, id="document JavaScript"),
        pytest.param(open_action("JavaScript", JS="app.alert(1)"), id="JavaScript on opening"),
        pytest.param(open_action("Launch", F="cmd.exe"), id="launch a program"),
        pytest.param(open_action("SubmitForm", F="http://example.invalid/"), id="submit a form"),
        pytest.param(lambda w: w.add_attachment("run.exe", b"MZ\x90\x00"), id="an embedded file"),
        pytest.param(link_with_javascript, id="a link that runs JavaScript"),
    ],
)
def test_a_pdf_with_active_content_is_refused(live_server: LiveServer, build: Any) -> None:
    headers = open_case(live_server)

    problem = assert_problem(attach(live_server, headers, rewritten(build)), 422)

    assert [e["field"] for e in problem["errors"]] == ["content_base64"]
    assert problem["detail"].startswith(ACTIVE), problem["detail"]


def test_a_password_protected_pdf_is_refused(live_server: LiveServer) -> None:
    headers = open_case(live_server)

    def protect(writer: PdfWriter) -> None:
        writer.encrypt("secret", algorithm="AES-128")

    problem = assert_problem(attach(live_server, headers, rewritten(protect)), 422)

    assert problem["detail"].startswith("The PDF is protected by a password.")


@pytest.mark.server_settings(attachment_max_bytes=2_000)
def test_an_attachment_over_the_servers_cap_is_refused(live_server: LiveServer) -> None:
    headers = open_case(live_server)
    content = small_pdf("A long exhibit " * 200)
    assert len(content) > 2_000

    problem = assert_problem(attach(live_server, headers, content), 422)

    assert problem["errors"][0]["field"] == "content_base64"
    assert problem["detail"] == (
        "The attachment is larger than 2 KB, the most this server takes. Split it or "
        "reduce the scan quality, then attach it again."
    )


def test_a_plain_pdf_with_links_to_pages_is_accepted(live_server: LiveServer) -> None:
    """A GoTo opening action (Word sets one) is not active content."""
    headers = open_case(live_server)

    def go_to_first_page(writer: PdfWriter) -> None:
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject(
                        [writer.pages[0].indirect_reference, NameObject("/Fit")]
                    ),
                }
            )
        )

    response = attach(live_server, headers, rewritten(go_to_first_page))

    assert response.status_code == 201, response.text
