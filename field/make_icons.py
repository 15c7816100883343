"""Draw the field app's home-screen icons (run once; the PNGs are committed).

    .venv/bin/python field/make_icons.py

A white building with columns (the project's bank icon) on the navbar's navy, full
bleed: Android masks the maskable one to its own shape, iOS rounds the corners itself.
"""

from pathlib import Path

from PIL import Image, ImageDraw

NAVY = (31, 58, 104)  # --brand in static/css/site.css
WHITE = (255, 255, 255)
GOLD = (246, 196, 69)
FOLDER = Path(__file__).resolve().parent / "static" / "field" / "icons"


def draw(size: int, symbol: float) -> Image.Image:
    """An icon ``size`` pixels square whose building spans ``symbol`` of its width."""
    scale = 4  # drawn large, then reduced: smooth edges without anti-aliasing in ImageDraw
    big = size * scale
    image = Image.new("RGB", (big, big), NAVY)
    pen = ImageDraw.Draw(image)
    width = big * symbol
    left = (big - width) / 2
    top = (big - width * 0.92) / 2
    unit = width / 20
    # roof, architrave, four columns, two steps
    pen.polygon([(left, top + 5 * unit), (left + width / 2, top), (left + width, top + 5 * unit)], fill=WHITE)
    pen.ellipse(
        [left + width / 2 - 1.1 * unit, top + 2.2 * unit, left + width / 2 + 1.1 * unit, top + 4.4 * unit], fill=GOLD
    )
    pen.rectangle([left + unit, top + 5.6 * unit, left + width - unit, top + 7 * unit], fill=WHITE)
    for index in range(4):
        x = left + 2.5 * unit + index * 4.3 * unit
        pen.rectangle([x, top + 7.6 * unit, x + 2.2 * unit, top + 15 * unit], fill=WHITE)
    pen.rectangle([left + unit, top + 15.6 * unit, left + width - unit, top + 16.8 * unit], fill=WHITE)
    pen.rectangle([left, top + 17.4 * unit, left + width, top + 18.4 * unit], fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, size, symbol in [
        ("icon-192.png", 192, 0.62),
        ("icon-512.png", 512, 0.62),
        # The maskable icon keeps the building inside the central safe circle (80%).
        ("maskable-512.png", 512, 0.5),
        ("apple-touch-icon.png", 180, 0.62),
    ]:
        draw(size, symbol).save(FOLDER / name, optimize=True)


if __name__ == "__main__":
    main()
