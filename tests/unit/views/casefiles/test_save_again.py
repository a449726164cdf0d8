"""Saving again after a failed save sends the same Idempotency-Key (issue 12): a form or an
attachment whose first save reached the server unseen is given back, not made twice. The
first save here fails inside the server (a 500); the second goes through."""

from __future__ import annotations

from station_app.domain.wire import API_PREFIX
from station_app.views.casefiles.view import CasefilesView
from tests.fixtures.pdfs import small_pdf
from tests.fixtures.station import open_tab, signed_in

WAIT = 20_000
REF = "SW-26-0142"
DOCUMENTS = f"{API_PREFIX}/casefiles/{REF}/documents"
ATTACHMENTS = f"{API_PREFIX}/casefiles/{REF}/attachments"


def opened_case(qtbot, make_station):
    shell = signed_in(qtbot, make_station, "detective")
    view = open_tab(qtbot, shell, "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 2, timeout=WAIT)
    view.select_case(REF)
    panel = view.case_panel
    qtbot.waitUntil(lambda: panel.case is not None and panel.case["reference"] == REF, timeout=WAIT)
    return panel


def documents(panel) -> int:
    return len(panel.client.case(REF)["documents"])


def test_a_new_form_saved_again_after_a_failure_goes_with_the_same_key(
    qtbot, make_station, live_server
) -> None:
    panel = opened_case(qtbot, make_station)
    before = documents(panel)
    panel.open_form("MG5", None)
    editor = panel.editor
    editor.form.field("summary").setPlainText("Seen on CCTV leaving by the fire door.")
    editor.form.field("officer_name").setText("DC Demo")
    live_server.faults.break_next("POST", DOCUMENTS)

    editor.save()
    qtbot.waitUntil(lambda: bool(editor.form.message.text()), timeout=WAIT)
    editor.save()
    qtbot.waitUntil(lambda: editor.document is not None, timeout=WAIT)

    keys = live_server.faults.keys_sent("POST", DOCUMENTS)
    assert len(keys) == 2 and keys[0] is not None and keys[0] == keys[1]
    assert documents(panel) == before + 1


def test_a_pdf_attached_again_after_a_failure_goes_with_the_same_key(
    qtbot, make_station, live_server, tmp_path
) -> None:
    panel = opened_case(qtbot, make_station)
    before = documents(panel)
    pdf = tmp_path / "fire-door.pdf"
    pdf.write_bytes(small_pdf("Fire door, rear of 4 Quillon Terrace"))
    bundle = panel.bundle
    live_server.faults.break_next("POST", ATTACHMENTS)

    bundle.attach(pdf, "Fire door photo")
    qtbot.waitUntil(lambda: len(live_server.faults.keys_sent("POST", ATTACHMENTS)) == 1)
    bundle.runner.wait_for_done()
    bundle.attach(pdf, "Fire door photo")
    qtbot.waitUntil(lambda: documents(panel) == before + 1, timeout=WAIT)
    bundle.attach(pdf, "Fire door photo, second copy")  # another attachment: a new key
    qtbot.waitUntil(lambda: documents(panel) == before + 2, timeout=WAIT)

    first, again, other = live_server.faults.keys_sent("POST", ATTACHMENTS)
    assert first is not None and first == again and other not in (None, first)


def test_a_new_case_opened_again_after_a_failure_goes_with_the_same_key(
    qtbot, make_station, live_server
) -> None:
    shell = signed_in(qtbot, make_station, "detective")
    view = open_tab(qtbot, shell, "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 2, timeout=WAIT)
    view.new_item()
    details = view.new_case.details
    details.form.field("reference").setText("SW-26-0777")
    cases = f"{API_PREFIX}/casefiles"
    live_server.faults.break_next("POST", cases)

    details.save()
    qtbot.waitUntil(lambda: bool(details.form.message.text()), timeout=WAIT)
    details.save()
    qtbot.waitUntil(lambda: details.case is not None, timeout=WAIT)

    first, again = live_server.faults.keys_sent("POST", cases)
    assert first is not None and first == again
    assert details.case["reference"] == "SW-26-0777"
