"""Two bundles from one case read from the real server: the CPS's copy holds everything,
each page of a form not for disclosure under the "NOT FOR DISCLOSURE" band; the served copy
holds only what may go to the defence and the court, and no page of the MG3, MG6, MG6D, MG6E
or MG10 reaches it (CPS Disclosure Manual ch.8 8.2: the MG6D "will not be disclosed to the
defence"; the Home Office casefile guidance's non-disclosable banding; issue 11)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from station_app.documents.casefile_bundle import Bundle, build_bundle
from station_app.domain.roles import Role
from station_app.server.casefiles.rules import file_standard
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from tests.fixtures.live_server import LiveServer
from tests.fixtures.pdfs import pdf_of_pages

REF = "BND-26-0700"
# One invented word per form that must never be served: if any reaches a served page, the
# form's text did.
SECRETS = {
    "MG3": "Ravensworth",
    "MG6": "Marrowgate",
    "MG6D": "Quillfeather",
    "MG6E": "Thistlewood",
    "MG10": "Brackenbury",
}


@pytest.fixture
def case_and_attachments(live_server: LiveServer) -> tuple[dict[str, Any], dict[int, bytes]]:
    server = live_server
    server.create_user("dc-served", [Role.DETECTIVE], display_name="DC Served")
    with ApiSession(server.url, workstation="test") as session:
        session.token = server.token_for("dc-served")
        client = CasefilesClient(session)
        client.create(
            {
                "reference": REF,
                "file_type": "anticipated_not_guilty_plea",
                "suspects": [{"name": "Ivo Quent", "charges": [{"offence_code": "DMTH002"}]}],
            }
        )
        client.add_form(
            REF,
            "MG1",
            {
                "defendant_name": "Ivo Quent",
                "date_of_birth": "1988-04-05",
                "charges_summary": "Theft from the person",
                "remand_status": "Bail",
                "officer_in_case": "DC Served",
            },
        )
        client.add_form(
            REF,
            "MG3",
            {
                "offences": "Theft from the person",
                "evidence_summary": f"The informant {SECRETS['MG3']} says the phone was sold.\n"
                * 80,
                "decision_requested": "Charge",
                "officer_name": "DC Served",
            },
        )
        client.add_form(REF, "MG5", {"summary": "Seen on CCTV.", "officer_name": "DC Served"})
        client.add_form(
            REF,
            "MG6C",
            {"disclosure_officer": "DC Served"},
            items=[{"description": "Crime report"}, {"description": "999 call"}],
        )
        client.add_form(
            REF,
            "MG6D",
            {"disclosure_officer": "DC Served"},
            items=[
                {"description": f"Informant {SECRETS['MG6D']} contact log", "remarks": "CHIS"},
                {"description": "Observation post log", "remarks": "Site of the post"},
            ],
        )
        client.add_form(
            REF,
            "MG6C",
            {"disclosure_officer": "DC Served"},
            items=[{"description": "Door-to-door notes"}],
        )
        client.add_form(
            REF,
            "MG6E",
            {
                "disclosure_officer": "DC Served",
                "undermining_items": "MG6C 2, MG6D 1",
                "report": f"{SECRETS['MG6E']}: the caller's first description differs.",
            },
        )
        client.add_form(
            REF,
            "MG6",
            {
                "officer_name": "DC Served",
                "investigation_began": "2026-10-24",
                "information": f"The victim moved to {SECRETS['MG6']} Close; keep it from them.",
            },
        )
        client.add_form(
            REF,
            "MG10",
            {
                "officer_name": "DC Served",
                "dates_to_avoid": f"Nadia Brook: 1-5 December, in {SECRETS['MG10']} hospital",
            },
        )
        client.attach(REF, "EXHIBIT", "CCTV stills", pdf_of_pages("CCTV", 2), key=True)
        case = client.case(REF)
        attachments = {
            d["id"]: client.attachment(REF, d["id"])
            for d in case["documents"]
            if d["is_attachment"]
        }
    return case, attachments


def page_words(bundle: Bundle) -> list[str]:
    reader = PdfReader(io.BytesIO(bundle.pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def section_pages(bundle: Bundle) -> dict[int, str]:
    """Bundle page -> the form of the section it belongs to ("Index" for the index)."""
    starts = sorted([(e.page, e.form) for e in bundle.index] + [(2, "Index")])
    forms: dict[int, str] = {}
    for (page, form), (following, _next) in zip(
        starts, [*starts[1:], (bundle.page_count + 1, "")], strict=True
    ):
        forms.update({number: form for number in range(page, following)})
    return forms


def test_no_page_of_a_form_not_for_disclosure_reaches_the_served_copy(
    case_and_attachments: tuple[dict[str, Any], dict[int, bytes]],
) -> None:
    case, attachments = case_and_attachments
    standard = file_standard()

    served = build_bundle(case, attachments, standard, served=True)
    cps = build_bundle(case, attachments, standard)

    words = page_words(served)
    everything = " ".join(words)
    for form, secret in SECRETS.items():
        assert secret not in everything, f"text of the {form} reached the served copy"
        assert secret in " ".join(page_words(cps)), f"the {form} is missing from the CPS copy"
    assert {e.form for e in served.index} == {"MG1", "MG5", "MG6C", "EXHIBIT"}
    assert served.served and not cps.served
    assert "NOT FOR DISCLOSURE" not in everything
    # No form not for disclosure is named, but in the served note's fixed list.
    named = everything.replace(standard.served_note, "")
    assert not re.search(r"\bMG6D\b|\bMG6E\b|\bMG3\b|\bMG10\b", named), named
    # The served MG6C runs 1, 2, 3 with nothing missing (ch.7 7.2).
    mg6c = " ".join(w for p, w in enumerate(words, start=1) if section_pages(served)[p] == "MG6C")
    assert re.search(r"1 Crime report.*2 999 call.*3 Door-to-door notes", mg6c), mg6c
    reader = PdfReader(io.BytesIO(served.pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Case file {REF}: served copy"
    assert not any(secret in str(reader.metadata) for secret in SECRETS.values())
    assert "served on the defence" in words[0]


def test_the_cps_copy_bands_every_page_of_a_form_not_for_disclosure(
    case_and_attachments: tuple[dict[str, Any], dict[int, bytes]],
) -> None:
    case, attachments = case_and_attachments

    cps = build_bundle(case, attachments, file_standard())

    words = page_words(cps)
    forms = section_pages(cps)
    assert [e.form for e in cps.index].count("MG6C") == 2
    assert forms[cps.page_count] == "MG6E"  # the MG6E comes last, after the schedules
    banded = {p for p, text in enumerate(words, start=1) if "NOT FOR DISCLOSURE" in text}
    withheld = {p for p, form in forms.items() if form in SECRETS}
    assert withheld and withheld <= banded
    assert len([p for p in withheld if forms[p] == "MG3"]) >= 2  # a long form: every page
    assert banded - withheld == {2}  # and the index, which marks those entries
    assert "NOT FOR DISCLOSURE: MG6D" in words[1]
    assert "Reason for sensitivity" in " ".join(words[p - 1] for p in forms if forms[p] == "MG6D")


def test_the_mg6_mg10_and_certificate_print_every_field_from_the_one_definition() -> None:
    """Issue 11: every new form goes through domain.casefile_forms and prints in the bundle;
    the certificate is served (CPS guidance: part of the initial details), the MG6 and MG10
    only in the CPS's copy."""
    from station_app.documents.samples import bundle_case
    from station_app.domain.casefile_forms import FORM_FIELDS

    case, attachments = bundle_case()
    certificate = {
        "disclosure_officer": "DC Sam Okafor",
        "nothing_to_disclose": False,
        "material_to_disclose": "The 999 caller's first description (MG6C 2).",
        "signed_by": "DC Sam Okafor",
        "signed_on": "2026-11-20",
    }
    documents = [*case["documents"], {**case["documents"][-1], "id": 99, "sequence": 99}]
    documents[-1].update(form="SDC", title="SDC", data=certificate, is_attachment=False)
    case = {**case, "documents": documents}
    standard = file_standard()

    cps = " ".join(page_words(build_bundle(case, attachments, standard)))
    served = " ".join(page_words(build_bundle(case, attachments, standard, served=True)))

    for form in ("MG6", "MG10", "SDC"):
        for spec in FORM_FIELDS[form]:
            label = " ".join(spec.label.split()[:4])
            assert label in cps, (form, spec.label)
    assert "first description (MG6C 2)" in served
    assert "Streamlined Disclosure Certificate" in served
    assert "Case file information" not in served and "Witness non-availability" not in served
