"""The main window frame: menus, the tab strip, the lock screen and the status bar.

It knows nothing of any tab: `app.py` registers each view with `add_tab`. A view may offer
`refresh()`, `focus_search()`, `new_item()`, `on_signed_in()` and `on_signed_out()`; the
window calls whichever the current tab has (F5, Ctrl+F, Ctrl+N) and the shell calls the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app import __version__
from station_app.ui.status_bar import StationStatusBar

if TYPE_CHECKING:
    from station_app.ui.lock import LockScreen


class LazyTab(QWidget):
    """A tab page that makes its view on first use: when the tab is chosen, or when the
    shell needs every view once the services exist. A tab's module (and what it imports)
    then costs start-up nothing: the window paints first, the views follow."""

    def __init__(self, make_view: Callable[[], QWidget]) -> None:
        super().__init__()
        self._make_view: Callable[[], QWidget] | None = make_view
        self.made: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def view(self) -> QWidget:
        if self.made is None:
            assert self._make_view is not None
            self.made, self._make_view = self._make_view(), None
            self.layout().addWidget(self.made)
            self.setFocusProxy(self.made)
        return self.made


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    lock_requested = Signal()
    sync_requested = Signal()
    closing = Signal()

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Station")
        self.setAccessibleName("Station")
        self._settings = settings

        self.stack = QStackedWidget()
        self.starting_page = QWidget()
        self.starting_label = QLabel("Starting Station…")
        self.starting_label.setObjectName("startingLabel")
        # Centred by the style sheet: touching the Qt namespace here costs start-up 16 ms.
        starting_layout = QVBoxLayout(self.starting_page)
        starting_layout.addWidget(self.starting_label)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._tab_chosen)
        self._lock_screen: LockScreen | None = None
        for page in (self.starting_page, self.tabs):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.status = StationStatusBar(self)
        self.setStatusBar(self.status)
        self._build_menus()
        self.set_signed_in(False)
        self.resize(1200, 780)
        self._restore_geometry()

    # --- tabs -------------------------------------------------------------------------
    def add_tab(self, view: QWidget, title: str) -> None:
        self.add_lazy_tab(title, lambda: view)

    def add_lazy_tab(self, title: str, make_view: Callable[[], QWidget]) -> LazyTab:
        """Add a tab whose view is made when first needed (see `LazyTab`)."""
        page = LazyTab(make_view)
        index = self.tabs.addTab(page, title)
        self.tabs.setTabToolTip(index, title)
        return page

    def _tab_chosen(self, index: int) -> None:
        # Adding the first tab "chooses" it too, before the window shows: that one waits.
        if index >= 0 and self.isVisible():
            self._page(index).view()

    def _page(self, index: int) -> LazyTab:
        page = self.tabs.widget(index)
        assert isinstance(page, LazyTab)
        return page

    def views(self) -> list[QWidget]:
        """Every tab's view (making any not made yet)."""
        return [self._page(i).view() for i in range(self.tabs.count())]

    def current_view(self) -> QWidget | None:
        index = self.tabs.currentIndex()
        return self._page(index).view() if index >= 0 else None

    def show_view(self, view: QWidget) -> None:
        """Bring the tab holding `view` to the front."""
        for index in range(self.tabs.count()):
            if self._page(index).made is view:
                self.tabs.setCurrentIndex(index)
                return

    def _call_current(self, method: str) -> None:
        view = self.current_view()
        handler = getattr(view, method, None)
        if callable(handler):
            handler()

    # --- pages ------------------------------------------------------------------------
    def show_starting(self, text: str = "Starting Station…") -> None:
        self.starting_label.setText(text)
        self.stack.setCurrentWidget(self.starting_page)

    def show_tabs(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        page = self.tabs.currentWidget()  # the page, not its view: that may not exist yet
        if page is not None:
            page.setFocus()

    def show_lock(self, who: str) -> None:
        self.lock_screen.prepare(who)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.password.setFocus()
        self._set_work_actions_enabled(False)

    def unlock(self) -> None:
        self._set_work_actions_enabled(True)
        self.show_tabs()

    @property
    def lock_screen(self) -> LockScreen:
        """The lock screen page, made on first use (it is not needed to start)."""
        if self._lock_screen is None:
            from station_app.ui.lock import LockScreen

            self._lock_screen = LockScreen()
            self.stack.addWidget(self._lock_screen)
        return self._lock_screen

    @property
    def locked(self) -> bool:
        return self._lock_screen is not None and self.stack.currentWidget() is self._lock_screen

    def set_signed_in(self, signed_in: bool) -> None:
        self.sign_out_action.setEnabled(signed_in)
        self.lock_action.setEnabled(signed_in)
        self._set_work_actions_enabled(signed_in)

    def _set_work_actions_enabled(self, enabled: bool) -> None:
        for action in (self.refresh_action, self.find_action, self.new_action, self.sync_action):
            action.setEnabled(enabled)

    # --- menus ------------------------------------------------------------------------
    def _action(self, text: str, shortcut: str | QKeySequence.StandardKey | None, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            self._shortcuts.append((action, shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def install_shortcuts(self) -> None:
        """Give the actions their keys. Called just after the first paint: making key
        sequences builds Qt's key tables, which costs start-up 35 ms, and nobody can
        press a key before the window is there."""
        for action, shortcut in self._shortcuts:
            action.setShortcut(QKeySequence(shortcut))
        self._shortcuts.clear()

    def _build_menus(self) -> None:
        self._shortcuts: list[tuple[QAction, str | QKeySequence.StandardKey]] = []
        self.new_action = self._action("&New…", "Ctrl+N", lambda: self._call_current("new_item"))
        self.find_action = self._action(
            "&Find", "Ctrl+F", lambda: self._call_current("focus_search")
        )
        self.refresh_action = self._action("&Refresh", "F5", lambda: self._call_current("refresh"))
        self.sync_action = self._action(
            "Sync &reference data now", "Ctrl+Shift+R", self.sync_requested.emit
        )
        self.lock_action = self._action("&Lock Station", "Ctrl+L", self.lock_requested.emit)
        self.sign_out_action = self._action("Sign &out", None, self.sign_out_requested.emit)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.about_action = self._action("&About Station", None, self._show_about)

        station_menu = self.menuBar().addMenu("&Station")
        station_menu.addAction(self.new_action)
        station_menu.addSeparator()
        station_menu.addAction(self.lock_action)
        station_menu.addAction(self.sign_out_action)
        station_menu.addSeparator()
        station_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.refresh_action)
        view_menu.addAction(self.sync_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Station",
            f"Station {__version__}\n\nOne workstation for the front desk, the custody suite "
            "and case files.",
        )

    # --- window state -----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._settings is not None:
            self._settings.setValue("window/geometry", self.saveGeometry())
        self.closing.emit()
        super().closeEvent(event)
