"""Signing in through the real dialog against the real server, the keyring, and sign-out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from station_app.domain.wire import API_PREFIX
from station_app.ui.sign_in_dialog import TOKEN_HINT_SETTING
from tests.fixtures.station import PASSWORD, sign_in


def files_containing(root: Path, secret: str) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            try:
                if secret.encode() in path.read_bytes():
                    found.append(path)
            except OSError:
                continue
    return found


def test_good_sign_in_shows_the_tabs_and_keeps_the_token_only_in_the_keyring(
    qtbot, make_station, memory_keyring, fresh_profile, tmp_path
):
    shell = make_station()
    sign_in(qtbot, shell, "custody", PASSWORD)

    qtbot.waitUntil(lambda: shell.window.stack.currentWidget() is shell.window.tabs)
    assert shell.dialog is None
    qtbot.waitUntil(lambda: "(" in shell.window.status.user_label.text())
    assert shell.window.status.user_label.text().startswith(shell.user.display_name)

    qtbot.waitUntil(lambda: bool(memory_keyring.secrets))  # kept on a worker
    saved = [value for (service, _key), value in memory_keyring.secrets.items()]
    assert len(saved) == 1 and shell.session.token in saved[0]
    shell.runner.wait_for_done()
    assert files_containing(tmp_path, shell.session.token) == []


def test_bad_sign_in_says_why_and_keeps_what_was_typed(qtbot, make_station, memory_keyring):
    shell = make_station()
    sign_in(qtbot, shell, "custody", "not-the-password")
    dialog = shell.dialog
    qtbot.waitUntil(dialog.message.isVisible)
    assert "user name or password" in dialog.message.text().lower()
    assert dialog.username.text() == "custody"
    assert dialog.password.text() == "not-the-password"
    assert dialog.focusWidget() is dialog.password
    assert shell.window.stack.currentWidget() is not shell.window.tabs
    assert memory_keyring.secrets == {}


def test_empty_user_name_is_caught_before_asking_the_server(qtbot, make_station):
    shell = make_station()
    dialog = shell.dialog
    qtbot.waitUntil(dialog.sign_in_button.isEnabled)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.message.text() == "Enter your user name."
    assert shell.session.token is None


def test_a_saved_token_skips_the_dialog_and_sign_out_clears_it(qtbot, make_station, memory_keyring):
    first = make_station()
    sign_in(qtbot, first, "detective", PASSWORD)
    qtbot.waitUntil(lambda: first.window.stack.currentWidget() is first.window.tabs)
    # The sign-in is kept (on a worker), then the next start is told one is saved.
    qtbot.waitUntil(lambda: first.settings.value(TOKEN_HINT_SETTING, False, type=bool))

    second = make_station()  # Station opened again within the token's life
    assert second.dialog is None
    assert second.window.stack.currentWidget() is second.window.tabs
    qtbot.waitUntil(lambda: second.user is not None)
    assert second.user.username == "detective"
    assert "detective" in second.user.roles  # the whole UserInfo, never a bare name

    second.window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: memory_keyring.secrets == {})
    assert second.dialog is not None and second.dialog.isVisible()
    assert second.dialog.username.text() == "detective"
    assert "signed out" in second.dialog.message.text()


def test_locks_after_idle_and_unlocks_only_with_the_password(qtbot, make_station):
    shell = make_station(idle_lock_minutes=0.005)  # 300 ms
    sign_in(qtbot, shell, "frontdesk", PASSWORD)
    qtbot.waitUntil(lambda: shell.window.locked, timeout=5000)
    assert not shell.window.tabs.isVisible()  # nothing of the work shows behind the lock
    assert not shell.window.refresh_action.isEnabled()

    lock = shell.window.lock_screen
    qtbot.keyClicks(lock.password, "wrong-password")
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert shell.window.locked
    assert "not right" in lock.message.text()

    lock.password.clear()
    qtbot.keyClicks(lock.password, PASSWORD)
    qtbot.keyClick(lock.password, Qt.Key.Key_Return)
    assert not shell.window.locked
    assert shell.window.tabs.isVisible()


def test_ctrl_l_locks_at_once(qtbot, make_station):
    shell = make_station()
    sign_in(qtbot, shell, "inspector", PASSWORD)
    qtbot.waitUntil(lambda: shell.window.stack.currentWidget() is shell.window.tabs)
    shell.window.activateWindow()
    shell.window.lock_action.trigger()
    assert shell.window.locked


def test_escape_with_something_typed_asks_before_quitting(qtbot, make_station, monkeypatch):
    shell = make_station()
    dialog = shell.dialog
    asked = []
    monkeypatch.setattr(dialog, "_confirm_quit", lambda: asked.append(True) or False)
    qtbot.keyClicks(dialog.username, "cust")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert asked == [True]
    assert dialog.isVisible()
    assert dialog.username.text() == "cust"


def test_who_is_signed_in_is_asked_once_at_most(qtbot, make_station, live_server):
    """The sign-in answer says who it is; a saved sign-in is confirmed with one /auth/me
    (no tab asks for itself any more)."""
    me = ("GET", f"{API_PREFIX}/auth/me")
    first = make_station()
    sign_in(qtbot, first, "custody", PASSWORD)
    qtbot.waitUntil(lambda: first.user is not None)
    for page in first.window.pages():
        if page.serves(first.user):
            first.window.open_tab(page.title)
    first.runner.wait_for_done()
    qtbot.wait(200)
    assert live_server.faults.count(*me) == 0

    second = make_station()  # the sign-in saved in the keyring
    qtbot.waitUntil(lambda: live_server.faults.count(*me) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: second.user is not None)
    for page in second.window.pages():
        if page.serves(second.user):
            second.window.open_tab(page.title)
    second.runner.wait_for_done()
    qtbot.wait(200)
    assert live_server.faults.count(*me) == 1


def test_a_core_system_that_stops_answering_shows_as_offline_soon(qtbot, make_station, live_server):
    """Issue 13: the status bar said "Online" for 40 s while the server was paused."""
    from station_app.ui.status_bar import Connection

    shell = make_station(health_seconds=0.3)
    sign_in(qtbot, shell, "frontdesk", PASSWORD)
    qtbot.waitUntil(lambda: shell.window.status.connection is Connection.ONLINE)
    live_server.faults.lose_answers("GET", f"{API_PREFIX}/health", count=50, hold_seconds=3.5)
    qtbot.waitUntil(lambda: shell.window.status.connection is Connection.OFFLINE, timeout=6_000)
    assert shell.window.status.connection_label.text().startswith("Offline")
    live_server.faults.clear()
