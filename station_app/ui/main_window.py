"""The main window frame: menus, the tab strip, the lock screen and the status bar.

It knows tabs only through `ui.tab.StationTab`: `app.py` adds a page per tab (its title
first, so the strip paints before any service exists; its factory once they do). A tab is
made when it is first shown while someone is signed in, and dropped at sign-out. The common
keys (Ctrl+N, Ctrl+F, F5, Ctrl+P) go to the current tab's action for that key; a tab's own
keys (F8 in Custody) are window actions enabled only while that tab is in front.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
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
from station_app.ui.tab import CommonKey, StationTab, TabAction, TabFactory, find_action

if TYPE_CHECKING:
    from station_app.services.auth import UserInfo
    from station_app.ui.lock import LockScreen
    from station_app.ui.palette import CommandPalette


class LazyTab(QWidget):
    """A tab page that makes its tab on first use, and drops it at sign-out. A tab's module
    (and what it imports) then costs start-up nothing: the window paints first."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self._factory: TabFactory | None = None
        self._serves: Callable[[UserInfo], bool] = lambda _user: True
        self.made: StationTab | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def attach(self, factory: TabFactory, serves: Callable[[UserInfo], bool] | None = None) -> None:
        """`serves`: whether an officer's roles use this tab at all (else it is not shown)."""
        self._factory = factory
        if serves is not None:
            self._serves = serves

    def serves(self, user: UserInfo) -> bool:
        return self._serves(user)

    def make(self, user: UserInfo) -> StationTab | None:
        """The tab, made now for `user` if it was not (None until the services exist)."""
        if self.made is None and self._factory is not None:
            tab = self._factory(user)
            page = tab.widget()
            self.made = tab
            layout = self.layout()
            assert layout is not None
            layout.addWidget(page)
            self.setFocusProxy(page)
        return self.made

    def drop(self) -> None:
        """Destroy the tab (after sign-out): its widgets, dialogs and previews go with it."""
        tab, self.made = self.made, None
        if tab is not None:
            page = tab.widget()
            from station_app.ui.forms import DraftAutosave

            for autosave in page.findChildren(DraftAutosave):
                autosave.flush()  # what was typed in the last moment is kept too
            page.hide()
            page.setParent(None)
            page.deleteLater()


class MainWindow(QMainWindow):
    sign_out_requested = Signal()
    lock_requested = Signal()
    sync_requested = Signal()
    theme_chosen = Signal(str)
    """The officer chose a theme in View > Appearance ("system", "light", "dark", …)."""
    closing = Signal()

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Station")
        self.setAccessibleName("Station")
        self._settings = settings
        self._user: UserInfo | None = None
        self.landing: Callable[[UserInfo], str] | None = None
        """The title of the tab an officer lands on at sign-in: their own work."""

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
        self._own_actions: list[QAction] = []
        self.quit_warning: Callable[[], str] | None = None
        """Says why quitting now would leave something behind ("" when nothing would)."""
        self.quit_question: QMessageBox | None = None
        self.command_palette: CommandPalette | None = None
        self._quit_confirmed = False
        self._build_menus()
        self.set_signed_in(False)
        self.resize(1200, 780)
        self._restore_geometry()

    # --- tabs -------------------------------------------------------------------------
    def add_tab_page(self, title: str, icon: str = "") -> LazyTab:
        """A page for a tab, shown by its title until its factory is attached; its icon
        (a name in `ui.icons`) comes with the others, after the first paint."""
        page = LazyTab(title)
        index = self.tabs.addTab(page, title)
        self.tabs.setTabToolTip(index, title)
        if icon:
            self._icons.append((page, icon))
        return page

    def pages(self) -> list[LazyTab]:
        pages = []
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            assert isinstance(page, LazyTab)
            pages.append(page)
        return pages

    def page(self, title: str) -> LazyTab:
        return next(page for page in self.pages() if page.title == title)

    def made_tabs(self) -> list[StationTab]:
        return [page.made for page in self.pages() if page.made is not None]

    def current_tab(self) -> StationTab | None:
        page = self.tabs.currentWidget()
        return page.made if isinstance(page, LazyTab) else None

    def open_tab(self, title: str) -> StationTab:
        """Bring the tab called `title` to the front, making it if needed."""
        page = self.page(title)
        self.tabs.setCurrentWidget(page)
        tab = self._make(page)
        assert tab is not None, f"the {title} tab is made only for an officer who uses it"
        return tab

    def _make(self, page: LazyTab) -> StationTab | None:
        if self._user is None or not page.serves(self._user):
            return None  # tabs exist only for a signed-in officer whose roles use them
        first = page.made is None
        tab = page.make(self._user)
        if tab is not None and first:
            tab.on_signed_in(self._user)
            if page is self.tabs.currentWidget():
                self._update_tab_actions()
        return tab

    def _tab_chosen(self, index: int) -> None:
        # Adding the first tab "chooses" it too, before the window shows: that one waits.
        page = self.tabs.widget(index)
        if isinstance(page, LazyTab) and self.isVisible():
            self._make(page)
        self._update_tab_actions()

    @property
    def user(self) -> UserInfo | None:
        """The officer the tabs are made for (None when nobody is signed in)."""
        return self._user

    def tabs_signed_in(self, user: UserInfo) -> None:
        """The officer is known: only the tabs their roles use are shown, they land on their
        own work, and that tab is made for them (the others when first shown)."""
        self._user = user
        pages = self.pages()
        for index, page in enumerate(pages):
            self.tabs.setTabVisible(index, page.serves(user))
        shown = [page for page in pages if page.serves(user)]
        landing = self.landing(user) if self.landing is not None else ""
        chosen = next((page for page in shown if page.title == landing), None)
        if chosen is None and shown and self.tabs.currentWidget() not in shown:
            chosen = shown[0]
        if chosen is not None:
            self.tabs.blockSignals(True)  # made below, once, for this officer
            self.tabs.setCurrentWidget(chosen)
            self.tabs.blockSignals(False)
        current = self.tabs.currentWidget()
        if isinstance(current, LazyTab):
            self._make(current)
        self._update_tab_actions()

    def tabs_signed_out(self) -> None:
        """Every tab is told, then destroyed: the next officer gets new ones."""
        self._user = None
        for page in self.pages():
            if page.made is not None:
                page.made.on_signed_out()
            page.drop()
        self._update_tab_actions()

    # --- the common keys and a tab's own actions ------------------------------------------
    def current_actions(self) -> Sequence[TabAction]:
        tab = self.current_tab()
        return tab.tab_actions() if tab is not None and self._user is not None else ()

    def trigger(self, key: CommonKey) -> None:
        action = find_action(self.current_actions(), key)
        if action is not None:
            action.trigger()

    def _update_tab_actions(self) -> None:
        """Point the common keys at the tab in front, and give it its own keys."""
        for old in self._own_actions:
            self.removeAction(old)
            old.deleteLater()
        self._own_actions = []
        actions = self.current_actions() if not self.locked else ()
        for key, window_action, plain in (
            (CommonKey.NEW, self.new_action, "&New…"),
            (CommonKey.PRINT, self.print_action, "&Print…"),
            (CommonKey.FIND, self.find_action, "&Find"),
            (CommonKey.REFRESH, self.refresh_action, "&Refresh"),
        ):
            tab_action = find_action(actions, key)
            window_action.setEnabled(tab_action is not None)
            window_action.setText(
                f"{tab_action.name}…"
                if tab_action
                and key
                in (
                    CommonKey.NEW,
                    CommonKey.PRINT,
                )
                else plain
            )
        for tab_action in actions:
            if tab_action.shortcut and tab_action.common is None:
                own = QAction(tab_action.name, self)
                own.setShortcut(QKeySequence(tab_action.shortcut))
                own.triggered.connect(tab_action.trigger)
                self.addAction(own)
                self._own_actions.append(own)

    def own_action(self, name: str) -> QAction | None:
        """The window action of the tab in front called `name` (for menus and tests)."""
        return next((a for a in self._own_actions if a.text() == name), None)

    # --- pages ------------------------------------------------------------------------
    def show_starting(self, text: str = "Starting Station…") -> None:
        self.starting_label.setText(text)
        self.stack.setCurrentWidget(self.starting_page)

    def show_tabs(self) -> None:
        self.stack.setCurrentWidget(self.tabs)
        page = self.tabs.currentWidget()  # the page, not its tab: that may not exist yet
        if page is not None:
            page.setFocus()

    def show_lock(self, who: str, *, idle: bool) -> None:
        self.lock_screen.prepare(who, idle=idle)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.password.setFocus()
        self._set_work_actions_enabled(False)

    def unlock(self) -> None:
        self.show_tabs()
        self._set_work_actions_enabled(True)

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
        self.sync_action.setEnabled(enabled)
        self.palette_action.setEnabled(enabled)
        if enabled:
            self._update_tab_actions()
            return
        for action in (self.refresh_action, self.find_action, self.new_action, self.print_action):
            action.setEnabled(False)
        for own in self._own_actions:
            own.setEnabled(False)

    # --- menus ------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[[], object],
    ) -> QAction:
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

    def install_icons(self) -> None:
        """Icons on the menus and tabs, in the theme in use. Called after the first paint
        (drawing them loads the SVG renderer) and again when the theme changes."""
        from station_app.ui.icons import icon

        for owner, name in self._icons:
            if isinstance(owner, QAction):
                owner.setIcon(icon(name))
            else:
                index = self.tabs.indexOf(owner)
                if index >= 0:
                    self.tabs.setTabIcon(index, icon(name))

    def set_theme_choice(self, choice: str) -> None:
        """Tick the theme in View > Appearance (the saved choice, at start-up)."""
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == choice)

    def _build_menus(self) -> None:
        from station_app.ui.theme import THEME_CHOICES, THEME_TITLES

        self._shortcuts: list[tuple[QAction, str | QKeySequence.StandardKey]] = []

        def common(key: CommonKey) -> Callable[[], None]:
            return lambda: self.trigger(key)

        self.new_action = self._action("&New…", CommonKey.NEW.value, common(CommonKey.NEW))
        self.print_action = self._action("&Print…", CommonKey.PRINT.value, common(CommonKey.PRINT))
        self.find_action = self._action("&Find", CommonKey.FIND.value, common(CommonKey.FIND))
        self.refresh_action = self._action(
            "&Refresh", CommonKey.REFRESH.value, common(CommonKey.REFRESH)
        )
        self.sync_action = self._action(
            "Sync &reference data now", "Ctrl+Shift+R", self.sync_requested.emit
        )
        self.palette_action = self._action("&Command palette…", "Ctrl+K", self.open_palette)
        self.lock_action = self._action("&Lock Station", "Ctrl+L", self.lock_requested.emit)
        self.sign_out_action = self._action("Sign &out", None, self.sign_out_requested.emit)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.about_action = self._action("&About Station", None, self._show_about)
        self._icons: list[tuple[QAction | QWidget, str]] = [
            (self.new_action, "file-plus"),
            (self.print_action, "printer"),
            (self.find_action, "search"),
            (self.refresh_action, "refresh-cw"),
            (self.sync_action, "download"),
            (self.palette_action, "command"),
            (self.lock_action, "lock"),
            (self.sign_out_action, "log-out"),
            (self.quit_action, "x"),
            (self.about_action, "circle-help"),
        ]

        station_menu = self.menuBar().addMenu("&Station")
        station_menu.addAction(self.new_action)
        station_menu.addAction(self.print_action)
        station_menu.addSeparator()
        station_menu.addAction(self.lock_action)
        station_menu.addAction(self.sign_out_action)
        station_menu.addSeparator()
        station_menu.addAction(self.quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.palette_action)
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.refresh_action)
        view_menu.addAction(self.sync_action)
        view_menu.addSeparator()
        appearance = view_menu.addMenu("&Appearance")
        self.theme_actions = QActionGroup(self)
        for choice in THEME_CHOICES:
            action = appearance.addAction(THEME_TITLES[choice])
            action.setCheckable(True)
            action.setData(choice)
            action.setChecked(choice == "system")
            self.theme_actions.addAction(action)
        self.theme_actions.triggered.connect(lambda action: self.theme_chosen.emit(action.data()))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def open_palette(self) -> None:
        """Ctrl+K: every action the officer may take here, by name, with its key."""
        from station_app.ui.palette import Command, CommandPalette

        if self._user is None or self.locked:
            return
        tab = self.current_tab()
        where = tab.title if tab is not None else ""
        commands = [
            Command(
                action.name,
                action.trigger,
                action.common.value if action.common else action.shortcut,
                where,
            )
            for action in self.current_actions()
        ]
        for action in (self.sync_action, self.lock_action, self.sign_out_action, self.about_action):
            if action.isEnabled():
                name = action.text().replace("&", "").rstrip("…")
                keys = action.shortcut().toString()
                commands.append(Command(name, action.trigger, keys, "Station"))
        self.command_palette = CommandPalette(commands, self)
        self.command_palette.finished.connect(lambda _r: setattr(self, "command_palette", None))
        self.command_palette.open()
        self.command_palette.search.setFocus()

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Station",
            f"Station {__version__}\n\nOne workstation for the front desk, the custody suite "
            "and case files.",
        )

    def _ask_before_quitting(self, warning: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("quitQuestion")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Quit Station?")
        box.setText(warning)
        quit_anyway = box.addButton("&Quit anyway", QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton("&Keep Station open", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)  # Enter keeps Station open
        box.setEscapeButton(stay)

        def answered(_result: int) -> None:
            self.quit_question = None
            if box.clickedButton() is quit_anyway:
                self._quit_confirmed = True
                self.close()

        box.finished.connect(answered)
        self.quit_question = box
        box.open()

    # --- window state -----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self._settings is None:
            return
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def closeEvent(self, event: QCloseEvent) -> None:
        warning = self.quit_warning() if self.quit_warning and not self._quit_confirmed else ""
        if warning:
            event.ignore()
            self._ask_before_quitting(warning)
            return
        if self._settings is not None:
            self._settings.setValue("window/geometry", self.saveGeometry())
        self.closing.emit()
        super().closeEvent(event)
