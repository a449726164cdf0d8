"""Signing out at a shared workstation: the next officer gets new tabs and sees nothing of
the last one; the keyring is never asked on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

import keyring
import shiboken6
from PySide6.QtWidgets import QApplication, QWidget

from station_app.services.auth import UserInfo
from station_app.ui.main_window import MainWindow
from station_app.ui.pdf_preview import PdfPreviewDialog
from station_app.ui.tab import CommonKey, TabAction
from station_app.views.casefiles.view import CasefilesView
from tests.fixtures.keyrings import MemoryKeyring
from tests.fixtures.station import WAIT, open_tab, sign_in, signed_in

OFFICER = UserInfo("pc1", "PC One", "101", "PC", "SW", "Southwark", ("front_desk",))


class NotesTab(QWidget):
    """The least a tab can be (ui.tab.StationTab), to watch the window drive one."""

    title = "Notes"

    def __init__(self, user: UserInfo, log: list[str]) -> None:
        super().__init__()
        self.log = log
        log.append(f"made for {user.username}")

    def widget(self) -> QWidget:
        return self

    def when_ready(self, callback: Callable[[], None]) -> None:
        callback()

    def tab_actions(self) -> list[TabAction]:
        return [TabAction("New note", lambda: self.log.append("new"), CommonKey.NEW)]

    def on_signed_in(self, user: UserInfo) -> None:
        self.log.append(f"signed in {user.username}")

    def on_signed_out(self) -> None:
        self.log.append("signed out")


def test_the_window_makes_a_tab_per_officer_and_destroys_it_at_sign_out(qtbot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    log: list[str] = []
    window.add_tab_page("Notes").attach(lambda user: NotesTab(user, log))
    window.show()
    assert window.current_tab() is None  # nobody signed in: no tab at all
    assert not window.new_action.isEnabled()

    window.tabs_signed_in(OFFICER)
    first = window.current_tab()
    assert isinstance(first, NotesTab)
    assert log == ["made for pc1", "signed in pc1"]
    assert window.new_action.isEnabled() and window.new_action.text() == "New note…"
    window.new_action.trigger()
    assert log[-1] == "new"

    window.tabs_signed_out()
    assert log[-1] == "signed out"
    assert window.current_tab() is None and not window.new_action.isEnabled()
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))  # destroyed, not hidden

    window.tabs_signed_in(OFFICER)
    assert window.current_tab() is not first


def test_the_next_officer_sees_nothing_of_the_last_ones_case_file(qtbot, make_station) -> None:
    shell = signed_in(qtbot, make_station, "detective")
    view = open_tab(qtbot, shell, "Case files", CasefilesView)
    qtbot.waitUntil(lambda: view.cases.rowCount() >= 2, timeout=WAIT)
    view.select_case("SW-26-0142")
    panel = view.case_panel
    qtbot.waitUntil(lambda: panel.case is not None, timeout=WAIT)
    panel.bundle.build()
    qtbot.waitUntil(lambda: panel.bundle.bundle is not None, timeout=WAIT)
    panel.bundle.show_preview()
    assert panel.bundle.preview is not None and panel.bundle.preview.isVisible()

    shell.window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: not shiboken6.isValid(view), timeout=WAIT)
    previews = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PdfPreviewDialog) and shiboken6.isValid(w) and w.isVisible()
    ]
    assert previews == []  # the detective's bundle went with the tab

    sign_in(qtbot, shell, "supervisor")  # who reads case files too
    again = open_tab(qtbot, shell, "Case files", CasefilesView)
    assert again is not view
    assert again.case_panel.case is None and again.case_panel.bundle.bundle is None
    assert not again.case_panel.bundle.preview_button.isEnabled()
    assert again.list_heading.text() == "Cases to review"  # the supervisor's own list


class ThreadNotingKeyring(MemoryKeyring):
    """Notes which thread asked: the keyring may be slow (Secret Service over D-Bus)."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: list[int] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.threads.append(threading.get_ident())
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.threads.append(threading.get_ident())
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.threads.append(threading.get_ident())
        super().delete_password(service, username)


def test_the_keyring_is_never_asked_on_the_ui_thread(qtbot, make_station) -> None:
    noting = ThreadNotingKeyring()
    keyring.set_keyring(noting)  # the memory_keyring fixture puts the old one back
    shell = signed_in(qtbot, make_station, "frontdesk")  # read at start, saved at sign-in
    qtbot.waitUntil(lambda: len(noting.secrets) == 1, timeout=WAIT)
    shell.window.sign_out_action.trigger()  # cleared at sign-out
    qtbot.waitUntil(lambda: noting.secrets == {}, timeout=WAIT)
    assert len(noting.threads) >= 3
    assert threading.get_ident() not in noting.threads


def test_each_role_lands_on_its_own_work_and_sees_only_the_tabs_it_uses(
    qtbot, make_station
) -> None:
    expected = {
        # People: every role searches and reads people (shared/docs/people.md).
        "frontdesk": ("Incidents", {"Incidents", "People", "Reference"}),
        # The custody officer reads reports, to arrest and book in from them (issue 10).
        "custody": ("Custody", {"Custody", "Incidents", "People", "Reference"}),
        "detective": ("Case files", {"Incidents", "Case files", "People", "Reference"}),
        "supervisor": ("Case files", {"Incidents", "Case files", "People", "Reference"}),
        "admin": ("Incidents", {"Incidents", "Custody", "People", "Reference"}),
    }
    shell = make_station()
    for username, (landing, shown) in expected.items():
        sign_in(qtbot, shell, username)
        qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
        tabs = shell.window.tabs
        visible = {tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)}
        assert visible == shown, username
        current = shell.window.current_tab()
        assert current is not None and current.title == landing, username
        shell.window.sign_out_action.trigger()
        qtbot.waitUntil(lambda: shell.dialog is not None and shell.dialog.isVisible())
