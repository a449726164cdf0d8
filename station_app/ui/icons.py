"""Icons from one consistent set (Lucide, `resources/icons/README.md`), drawn in the colours
of the theme in use so they follow light, dark and high contrast.

Each icon is a 24x24 SVG drawn with `currentColor`; `icon(name)` renders it in the theme's
text colour (and its disabled colour for a disabled action) at the sizes Qt asks for, once
per theme.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPixmap
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

SIZES: Final = (16, 20, 24, 32)


@cache
def _svg(name: str) -> str:
    return resource_path(f"icons/{name}.svg").read_text(encoding="utf-8")


def _pixmap(svg: str, colour: str, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode("utf-8")))
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(ratio)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def _icon(name: str, theme: Theme, ratio: float) -> QIcon:
    svg = _svg(name)
    made = QIcon()
    for size in SIZES:
        made.addPixmap(_pixmap(svg, theme.text, size, ratio), QIcon.Mode.Normal)
        made.addPixmap(_pixmap(svg, theme.disabled_text, size, ratio), QIcon.Mode.Disabled)
    return made


def icon(name: str) -> QIcon:
    """The icon `name` (one of `ICONS`) in the theme in use."""
    if name not in ICONS:
        raise KeyError(f"no icon {name!r} in resources/icons (see ui/icons.py, ICONS)")
    screen = QGuiApplication.primaryScreen()
    ratio = screen.devicePixelRatio() if screen is not None else 1.0
    return _icon(name, current_theme(), ratio)
