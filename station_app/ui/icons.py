"""Icons from one consistent set (Lucide, `resources/icons/README.md`), drawn in the colours
of the theme in use so they follow light, dark and high contrast.

Each icon is a 24x24 SVG drawn with `currentColor`; `icon(name)` renders it in the theme's
text colour (and its disabled colour for a disabled action) at the sizes Qt asks for, when
it first asks, once per theme.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from station_app.resource_files import resource_path
from station_app.ui.theme import Theme, current_theme

ICONS: Final = frozenset(
    {
        "book-open",
        "circle-alert",
        "circle-check",
        "circle-help",
        "clipboard-check",
        "clipboard-list",
        "clock",
        "command",
        "door-closed",
        "door-open",
        "download",
        "eye",
        "file-plus",
        "file-text",
        "files",
        "folder-open",
        "gavel",
        "list-checks",
        "lock",
        "log-out",
        "printer",
        "refresh-cw",
        "save",
        "scale",
        "search",
        "send",
        "shield-alert",
        "sun-moon",
        "triangle-alert",
        "user-plus",
        "user-round",
        "users",
        "wifi",
        "wifi-off",
        "x",
    }
)


@cache
def _svg(name: str) -> str:
    return resource_path(f"icons/{name}.svg").read_text(encoding="utf-8")


class _ThemedIconEngine(QIconEngine):
    """Draws one SVG in a theme's colours, at the size and mode Qt asks for, when it asks.

    Rendering every size in both modes up front cost about 2 ms an icon on the UI thread at
    start-up, for pixmaps a menu that is never opened would show; each pixmap is now drawn on
    first use and kept (`bench/startup.py`)."""

    def __init__(self, svg: str, theme: Theme) -> None:
        super().__init__()
        self._svg = svg
        self._theme = theme
        self._renderers: dict[bool, QSvgRenderer] = {}
        self._pixmaps: dict[tuple[int, int, bool], QPixmap] = {}

    def _renderer(self, disabled: bool) -> QSvgRenderer:
        renderer = self._renderers.get(disabled)
        if renderer is None:
            colour = self._theme.disabled_text if disabled else self._theme.text
            svg = self._svg.replace("currentColor", colour).encode("utf-8")
            renderer = self._renderers[disabled] = QSvgRenderer(QByteArray(svg))
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        size = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        pixmap = self.pixmap(size, mode, state)
        pixmap.setDevicePixelRatio(ratio)
        painter.drawPixmap(rect, pixmap)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        disabled = mode == QIcon.Mode.Disabled
        key = (size.width(), size.height(), disabled)
        made = self._pixmaps.get(key)
        if made is None:
            made = QPixmap(size)
            made.fill(Qt.GlobalColor.transparent)
            painter = QPainter(made)
            self._renderer(disabled).render(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
            self._pixmaps[key] = made
        return QPixmap(made)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        made = self.pixmap(
            QSize(round(size.width() * scale), round(size.height() * scale)), mode, state
        )
        made.setDevicePixelRatio(scale)
        return made

    def isNull(self) -> bool:
        return not self._renderer(False).isValid()

    def clone(self) -> QIconEngine:
        return _ThemedIconEngine(self._svg, self._theme)


@cache
def _icon(name: str, theme: Theme) -> QIcon:
    return QIcon(_ThemedIconEngine(_svg(name), theme))


def icon(name: str) -> QIcon:
    """The icon `name` (one of `ICONS`) in the theme in use."""
    if name not in ICONS:
        raise KeyError(f"no icon {name!r} in resources/icons (see ui/icons.py, ICONS)")
    return _icon(name, current_theme())
