"""A form editor sends the version its words were typed on (issue 12 #8): a draft restored
after someone else saved the form is refused (409) rather than laid over their work, and
the officer then decides, knowingly, to save theirs."""

from __future__ import annotations

from station_app.domain.roles import Role
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from station_app.views.casefiles.view import CasefilesView
from tests.fixtures.station import open_tab, signed_in

WAIT = 20_000
REF = "SW-26-0142"
MG5 = {"summary": "Seen on CCTV taking two bottles.", "officer_name": "DC Other"}


def summary_on_server(client: CasefilesClient, document_id: int) -> str:
    document = next(d for d in client.case(REF)["documents"] if d["id"] == document_id)
    return str(document["data"]["summary"])


def test_a_draft_typed_on_an_older_version_is_refused_not_laid_over_theirs(
    qtbot, make_station, live_server
) -> None:
    live_server.create_user("dc-other", [Role.DETECTIVE])
    session = ApiSession(live_server.url, workstation="other-ws")
    session.token = live_server.token_for("dc-other")
    other = CasefilesClient(session)
    document = other.add_form(REF, "MG5", MG5)
    shell = signed_in(qtbot, make_station, "detective")
    view = open_tab(qtbot, shell, "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 2, timeout=WAIT)
    view.select_case(REF)
    panel = view.case_panel
    qtbot.waitUntil(lambda: panel.case is not None and panel.case["reference"] == REF, timeout=WAIT)

    def open_mg5():
        opened = next(d for d in panel.case["documents"] if d["id"] == document["id"])
        panel.open_form("MG5", opened)
        return panel.editor

    mine = open_mg5()
    mine.form.field("summary").setPlainText("Mine: seen on CCTV taking three bottles.")
    with qtbot.waitSignal(mine.autosave.saved, timeout=WAIT):
        mine.autosave.save_now()
    # Another detective saves the form meanwhile; the case is read again and the form
    # reopened: the officer's draft comes back into an editor of the newer version.
    other.update_form(REF, document["id"], document["version"], "MG5", {**MG5, "summary": "Theirs"})
    panel.load(REF)
    qtbot.waitUntil(
        lambda: any(
            d["version"] == 2 for d in panel.case["documents"] if d["id"] == document["id"]
        ),
        timeout=WAIT,
    )
    reopened = open_mg5()
    qtbot.waitUntil(
        lambda: reopened.form.field("summary").toPlainText().startswith("Mine"), timeout=WAIT
    )

    reopened.save()
    qtbot.waitUntil(
        lambda: "Someone else changed this form" in reopened.form.message.text(), timeout=WAIT
    )
    assert summary_on_server(other, document["id"]) == "Theirs"
    assert reopened.form.field("summary").toPlainText().startswith("Mine")  # nothing lost

    reopened.save()  # told, the officer saves theirs over the newer version knowingly
    qtbot.waitUntil(
        lambda: summary_on_server(other, document["id"]).startswith("Mine"), timeout=WAIT
    )
    session.close()
