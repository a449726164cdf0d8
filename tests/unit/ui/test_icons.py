"""Icons: drawn in the theme's colours, at the size and mode Qt asks for, when it asks."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QImage

from station_app.ui.icons import ICONS, icon
from station_app.ui.theme import current_theme


def inked(image: QImage) -> list[QColor]:
    """The colours of the pixels the icon drew (not transparent)."""
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]


def test_every_icon_draws_in_the_theme_text_colour_and_its_disabled_colour(qtbot) -> None:
    theme = current_theme()
    for name in sorted(ICONS):
        made = icon(name)
        assert not made.isNull(), name
        normal = inked(made.pixmap(QSize(24, 24)).toImage())
        disabled = inked(made.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage())
        assert normal and disabled, f"{name} drew nothing"
        assert {colour.name() for colour in normal} == {QColor(theme.text).name()}, name
        assert {colour.name() for colour in disabled} == {QColor(theme.disabled_text).name()}


def test_a_high_density_screen_gets_a_sharp_pixmap_not_a_stretched_one(qtbot) -> None:
    pixmap = icon("lock").pixmap(QSize(16, 16), 2.0)
    assert pixmap.size() == QSize(32, 32) and pixmap.devicePixelRatio() == 2.0
    assert len(inked(pixmap.toImage())) > 2 * len(inked(icon("lock").pixmap(16).toImage()))
