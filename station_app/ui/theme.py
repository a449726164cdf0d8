"""The look: three themes (light, dark, high contrast), one type scale, one spacing system,
drawn by a proxy of the Fusion style rather than a style sheet.

Why no style sheet: Qt styles every widget under a sheet through `QStyleSheetStyle`, which
made adding the landing tab to the window cost about 290 ms at sign-in (the tabs are made
per officer, after the window is styled). A proxy style dresses each widget once, when Qt
polishes it, from its object name and its `state` property: the same vocabulary the sheet
had (`heading`, `sectionHeading`, `state="error"`…), at a few microseconds a widget.

What the style adds to Fusion:
- The palette of the theme in use (`Theme`): calm neutrals, blue for focus and selection,
  amber and red kept for urgency only; every state also has words (ui.md).
- The type scale (`TYPE_SCALE`): sizes are steps of the system's own font, so the user's
  large-font setting and Windows scaling still apply.
- A 2-pixel focus ring on every input, button and list in the theme's focus colour, and a
  red one on a field marked invalid (`set_invalid`).

"system" follows the operating system: its high-contrast preference first, then its dark
mode, and changes live when the system's setting does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOption

log = logging.getLogger(__name__)

THEME_SETTING = "appearance/theme"
"""The user's choice: "system" (the default), "light", "dark" or "high-contrast"."""

THEME_CHOICES: Final = ("system", "light", "dark", "high-contrast")
THEME_TITLES: Final = {
    "system": "Follow the &system",
    "light": "&Light",
    "dark": "&Dark",
    "high-contrast": "&High contrast",
}


@dataclass(frozen=True)
class Theme:
    """The colours of one theme. `warning_*` (amber) and `danger_*` (red) are for urgency only."""

    name: str
    window: str
    base: str
    alternate_base: str
    text: str
    muted: str
    button: str
    border: str
    highlight: str
    highlighted_text: str
    link: str
    focus: str
    error: str
    ok: str
    warning: str
    """Amber for words on the base colour (days left running short)."""
    warning_back: str
    warning_text: str
    danger_back: str
    danger_text: str
    info_back: str
    demo_back: str
    demo_text: str
    disabled_text: str

    @property
    def dark(self) -> bool:
        return QColor(self.window).lightness() < 128

    @cached_property
    def urgency_brushes(self) -> dict[str, tuple[QBrush, QBrush]]:
        """(background, text) of a cell that is due soon or overdue (the custody board)."""
        return {
            "soon": (QBrush(QColor(self.warning_back)), QBrush(QColor(self.warning_text))),
            "overdue": (QBrush(QColor(self.danger_back)), QBrush(QColor(self.danger_text))),
        }


LIGHT = Theme(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alternate_base="#f6f7f9",
    text="#1b1f24",
    muted="#57606a",
    button="#e9ecef",
    border="#b9c0c8",
    highlight="#2b6cb0",
    highlighted_text="#ffffff",
    link="#1f5fa8",
    focus="#2b6cb0",
    error="#a4262c",
    ok="#107c10",
    warning="#8a5a00",
    warning_back="#f6d58e",
    warning_text="#1a1a1a",
    danger_back="#e8a0a0",
    danger_text="#1a1a1a",
    info_back="#deecf9",
    demo_back="#fff4ce",
    demo_text="#5c4400",
    disabled_text="#8a929b",
)

DARK = Theme(
    name="dark",
    window="#1f2226",
    base="#17191c",
    alternate_base="#1d2024",
    text="#e6e8eb",
    muted="#a3abb4",
    button="#2c3036",
    border="#555c66",
    highlight="#3d7fc9",
    highlighted_text="#ffffff",
    link="#8cb8f0",
    focus="#6aa8f0",
    error="#ff9a9f",
    ok="#7ad67a",
    warning="#f0c060",
    warning_back="#8a6a12",
    warning_text="#fff6dc",
    danger_back="#8c2f2f",
    danger_text="#fff0f0",
    info_back="#1f3550",
    demo_back="#4d3d00",
    demo_text="#ffe9a6",
    disabled_text="#6d747d",
)

HIGH_CONTRAST = Theme(
    name="high-contrast",
    window="#000000",
    base="#000000",
    alternate_base="#000000",
    text="#ffffff",
    muted="#ffffff",
    button="#000000",
    border="#ffffff",
    highlight="#1aebff",
    highlighted_text="#000000",
    link="#ffff00",
    focus="#ffff00",
    error="#ff8c8c",
    ok="#3ff23f",
    warning="#ffff00",
    warning_back="#ffff00",
    warning_text="#000000",
    danger_back="#ff8c8c",
    danger_text="#000000",
    info_back="#000000",
    demo_back="#ffff00",
    demo_text="#000000",
    disabled_text="#c0c0c0",
)

THEMES: Final = {theme.name: theme for theme in (LIGHT, DARK, HIGH_CONTRAST)}

# --- type scale and spacing ---------------------------------------------------------------

TYPE_SCALE: Final = {
    "caption": 0.9,
    "body": 1.0,
    "board": 1.2,  # the custody board, legible from across the room
    "section": 1.2,
    "title": 1.35,
    "heading": 1.55,
}
"""Each step as a multiple of the system font's size (which carries the user's setting)."""

SPACE: Final = {"xs": 2, "s": 4, "m": 8, "l": 12, "xl": 16, "xxl": 24}
"""Spacing in device-independent pixels: gaps between a label and its field (s), fields (m),
groups (l), panels (xl) and page margins (xxl)."""

FOCUS_WIDTH = 2

# Object names dressed with a step of the type scale and weight (the old sheet's names).
_TEXT_ROLES: Final = {
    "heading": ("heading", QFont.Weight.DemiBold),
    "sectionHeading": ("section", QFont.Weight.DemiBold),
    "startingLabel": ("title", QFont.Weight.Normal),
    "statusDemo": ("body", QFont.Weight.DemiBold),
}


def scaled_font(base: QFont, step: str, weight: QFont.Weight | None = None) -> QFont:
    """`base` at a step of the type scale (`TYPE_SCALE`), optionally with a weight."""
    font = QFont(base)
    size = base.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * TYPE_SCALE[step])
    else:  # a font sized in pixels
        font.setPixelSize(max(1, round(base.pixelSize() * TYPE_SCALE[step])))
    if weight is not None:
        font.setWeight(weight)
    return font


# --- choosing the theme -------------------------------------------------------------------


def system_theme() -> Theme:
    """The theme the operating system asks for: high contrast, dark or light."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    if accessibility is not None:
        contrast = accessibility().contrastPreference()
        if contrast == Qt.ContrastPreference.HighContrast:
            return HIGH_CONTRAST
    if hints.colorScheme() == Qt.ColorScheme.Dark:
        return DARK
    return LIGHT


def resolve_theme(choice: str) -> Theme:
    """The theme for a user's choice (`THEME_CHOICES`); anything unknown follows the system."""
    return THEMES.get(choice) or system_theme()


def palette_of(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: theme.window,
        roles.WindowText: theme.text,
        roles.Base: theme.base,
        roles.AlternateBase: theme.alternate_base,
        roles.Text: theme.text,
        roles.Button: theme.button,
        roles.ButtonText: theme.text,
        roles.BrightText: theme.error,
        roles.Highlight: theme.highlight,
        roles.HighlightedText: theme.highlighted_text,
        roles.Link: theme.link,
        roles.LinkVisited: theme.link,
        roles.ToolTipBase: theme.base,
        roles.ToolTipText: theme.text,
        roles.PlaceholderText: theme.muted,
        roles.Mid: theme.border,
        roles.Midlight: theme.alternate_base,
        roles.Dark: theme.border,
        roles.Light: theme.base,
        roles.Shadow: "#000000",
        roles.Accent: theme.highlight,
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor(theme.disabled_text))
    return palette


# --- the style ----------------------------------------------------------------------------


def _state_colours(theme: Theme, state: str) -> tuple[str | None, str | None, bool]:
    """(text colour, background, bold) of a label in `state`."""
    match state:
        case "error" | "offline" | "server_error":
            return theme.error, None, True
        case "ok" | "online":
            return theme.ok, None, state == "ok"
        case "warning" | "soon":
            return theme.warning_text, theme.warning_back, False
        case "overdue":
            return theme.danger_text, theme.danger_back, True
        case "connecting":
            return theme.muted, None, False
        case _:  # "info", "" and anything new: the plain text colour
            return None, None, False


# Which widgets get a ring, by Qt class name: `QObject.inherits` asks Qt's meta-object, so
# the style need not import those classes (PySide6 makes every Python enum of a class when
# the class is first imported, about 0.2 ms an enum, and the sign-in window shows none of
# these item views, spin boxes or text editors: bench/startup.py).
_FIELDS: Final = ("QLineEdit", "QAbstractSpinBox", "QComboBox")
_BUTTONS: Final = ("QPushButton", "QToolButton")
_FRAMED: Final = ("QPlainTextEdit", "QTextEdit", "QAbstractItemView")
_BUTTON_PANELS: Final = (
    QStyle.PrimitiveElement.PE_PanelButtonCommand,
    QStyle.PrimitiveElement.PE_PanelButtonTool,
)


def _is_any(widget: QWidget, class_names: tuple[str, ...]) -> bool:
    return any(widget.inherits(name) for name in class_names)


class StationStyle(QProxyStyle):
    """Fusion, dressed in a `Theme` (see the module)."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.theme = theme
        self._base_font = QFont(QApplication.font())

    # Qt calls polish(widget) once for each widget, and again after `set_state`.
    def polish(self, target: QWidget | QApplication | QPalette) -> None:  # type: ignore[override]
        super().polish(target)
        if isinstance(target, QWidget):
            self._dress(target)

    def _dress(self, widget: QWidget) -> None:
        name = widget.objectName()
        role = _TEXT_ROLES.get(name)
        if role is not None:
            widget.setFont(scaled_font(self._base_font, *role))
        if isinstance(widget, QLabel):
            self._dress_label(widget, name)
        elif name == "restoreBar":
            self._fill(widget, self.theme.info_back, None)

    def _dress_label(self, label: QLabel, name: str) -> None:
        theme = self.theme
        if name == "statusDemo":
            self._fill(label, theme.demo_back, theme.demo_text)
            label.setFrameShape(QFrame.Shape.Box)
            label.setMargin(SPACE["xs"])
            return
        if name == "startingLabel":
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._fill(label, None, theme.muted)
            return
        if name == "sectionHeading":
            label.setContentsMargins(0, SPACE["l"] - SPACE["xs"], 0, SPACE["xs"])
        state = label.property("state")
        if not isinstance(state, str):
            return
        text, back, bold = _state_colours(theme, state)
        self._fill(label, back, text)
        label.setMargin(SPACE["s"] if back else 0)
        font = label.font()
        if role := _TEXT_ROLES.get(name):
            font = scaled_font(self._base_font, *role)
        elif font.weight() != QFont.Weight.Normal or bold:
            font.setWeight(QFont.Weight.DemiBold if bold else QFont.Weight.Normal)
        label.setFont(font)

    @staticmethod
    def _fill(widget: QWidget, back: str | None, text: str | None) -> None:
        palette = widget.palette()
        default = QApplication.palette()
        roles = QPalette.ColorRole
        palette.setColor(roles.Window, QColor(back) if back else default.color(roles.Window))
        colour = QColor(text) if text else default.color(roles.WindowText)
        palette.setColor(roles.WindowText, colour)
        widget.setPalette(palette)
        widget.setAutoFillBackground(back is not None)

    # --- focus and invalid rings ------------------------------------------------------------

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if widget is None:
            return
        if element in (
            QStyle.PrimitiveElement.PE_FrameLineEdit,
            QStyle.PrimitiveElement.PE_PanelLineEdit,
        ) and _is_any(widget, _FIELDS):
            self._ring(painter, option.rect, widget)
        elif (
            element in _BUTTON_PANELS
            and option.state & QStyle.StateFlag.State_HasFocus
            and _is_any(widget, _BUTTONS)
        ):
            # Fusion marks a focused button only by a faint tint of its own, and never asks
            # for PE_FrameFocusRect for one: the ring is drawn over the button's panel.
            self._ring(painter, widget.rect(), widget, always=True)

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawControl(element, option, painter, widget)
        if (
            element == QStyle.ControlElement.CE_ShapedFrame
            and widget is not None
            and _is_any(widget, _FRAMED)
        ):
            self._ring(painter, widget.rect(), widget)

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawComplexControl(control, option, painter, widget)  # type: ignore[arg-type]
        # Fusion draws a combo box's and a spin box's (dates, times) frame here, not as a
        # line edit's frame: without this a date field had no focus or invalid ring.
        if widget is not None and (
            (control == QStyle.ComplexControl.CC_ComboBox and widget.inherits("QComboBox"))
            or (control == QStyle.ComplexControl.CC_SpinBox and widget.inherits("QAbstractSpinBox"))
        ):
            self._ring(painter, widget.rect(), widget)

    def _ring(
        self, painter: QPainter, rect: QRect, widget: QWidget, *, always: bool = False
    ) -> None:
        invalid = bool(widget.property("invalid"))
        focused = always or widget.hasFocus()
        if not (invalid or focused):
            return
        colour = self.theme.error if invalid and not focused else self.theme.focus
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(QColor(colour), FOCUS_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = FOCUS_WIDTH // 2
        painter.drawRect(rect.adjusted(half, half, -half, -half))
        if invalid and focused:  # both: the red ring inside the focus ring
            painter.setPen(QPen(QColor(self.theme.error), 1))
            inner = FOCUS_WIDTH + 1
            painter.drawRect(rect.adjusted(inner, inner, -inner - 1, -inner - 1))
        painter.restore()


# --- applying it ----------------------------------------------------------------------------


def current_theme() -> Theme:
    """The theme in use (light before `apply_theme`)."""
    style = QApplication.style() if QApplication.instance() is not None else None
    return style.theme if isinstance(style, StationStyle) else LIGHT


def apply_theme(app: QApplication, choice: str = "system") -> Theme:
    """Dress `app` in the theme for `choice`; widgets already shown are dressed again.
    While the choice is "system", the theme follows the system's setting as it changes."""
    keeper = app.findChild(_ThemeKeeper)
    if keeper is None:
        keeper = _ThemeKeeper(app)
    return keeper.choose(choice)


class _ThemeKeeper(QObject):
    """Holds the user's choice and the style, and follows the system while it is "system"."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = "system"
        self.style: StationStyle | None = None
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(self._system_changed)
        accessibility = getattr(hints, "accessibility", None)
        if accessibility is not None:
            accessibility().contrastPreferenceChanged.connect(self._system_changed)

    def choose(self, choice: str) -> Theme:
        self.choice = choice if choice in THEME_CHOICES else "system"
        theme = resolve_theme(self.choice)
        if self.style is not None and self.style.theme == theme:
            return theme
        self.style = StationStyle(theme)
        self.app.setPalette(palette_of(theme))
        self.app.setStyle(self.style)  # re-polishes every widget already made
        log.info("Theme: %s (%s chosen)", theme.name, self.choice)
        return theme

    def _system_changed(self, *_args: object) -> None:
        if self.choice == "system":
            self.choose("system")


def set_state(widget: QWidget, state: str) -> None:
    """Set the `state` a label is coloured by ("error", "info", "online", "soon"…)."""
    if widget.property("state") == state:
        return
    widget.setProperty("state", state)
    widget.style().polish(widget)  # the style dresses by state (StationStyle._dress)
    widget.update()


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark a field invalid (a red ring) or valid again."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.update()
