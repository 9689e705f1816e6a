"""Render the program's icon from its SVG into the PNG sizes desktops use, and .ico/.icns.

The outputs are committed; run this again only after changing the SVG:

    python packaging/make_icons.py

PNGs are rendered with rsvg-convert (Debian ``librsvg2-bin``) when it is there,
else with Qt's QSvgRenderer; the Windows .ico and macOS .icns are assembled
from those PNGs with Pillow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
APP_ID = "org.debtkeeper.DebtKeeper"
SVG = ICONS / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"  # the one drawing; PNGs come from it
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(size: int, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if shutil.which("rsvg-convert"):
        subprocess.run(
            ["rsvg-convert", "-w", str(size), "-h", str(size), str(SVG), "-o", str(out)], check=True
        )
        return
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons"])
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    if not image.save(str(out)):
        raise OSError(f"could not write {out}")


def main() -> int:
    for size in SIZES:
        render(size, png_path(size))
    from PIL import Image

    largest = Image.open(png_path(256))
    largest.save(ICONS / "debtkeeper.ico", sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    largest.save(ICONS / "debtkeeper.icns")
    for path in sorted(ICONS.rglob("*")):
        if path.is_file():
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
