"""Draw Station's icon (a blue police-station lamp on a rounded tile) as resources/station.ico
and resources/station.png. Original artwork, drawn here with Pillow; run it again to redraw.

    .venv/bin/python installer/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = 256
NAVY = (17, 40, 82, 255)
BLUE = (46, 110, 220, 255)
WHITE = (255, 255, 255, 255)


def draw(size: int = SIZE) -> Image.Image:
    """The icon at `size` pixels: a navy tile, a white lamp with a blue glass, a plinth."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = size / 16
    pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(3 * unit), fill=NAVY)
    # Lamp cap, glass and base, as on a station's blue lamp.
    pen.rectangle((5 * unit, 2.5 * unit, 11 * unit, 3.5 * unit), fill=WHITE)
    pen.rectangle((5.5 * unit, 3.5 * unit, 10.5 * unit, 10 * unit), fill=WHITE)
    pen.rectangle((6.3 * unit, 4.3 * unit, 9.7 * unit, 9.2 * unit), fill=BLUE)
    pen.line((8 * unit, 4.3 * unit, 8 * unit, 9.2 * unit), fill=WHITE, width=max(1, int(unit / 2)))
    pen.rectangle((4.5 * unit, 10 * unit, 11.5 * unit, 11 * unit), fill=WHITE)
    # The building's steps below the lamp.
    pen.rectangle((3 * unit, 12 * unit, 13 * unit, 13 * unit), fill=WHITE)
    pen.rectangle((2 * unit, 13.5 * unit, 14 * unit, 14.3 * unit), fill=WHITE)
    return image


def main() -> None:
    resources = ROOT / "resources"
    icon = draw()
    icon.save(resources / "station.png")
    icon.save(resources / "station.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (256, 256)])
    print(f"wrote {resources / 'station.ico'} and {resources / 'station.png'}")


if __name__ == "__main__":
    main()
