"""Start the window: the application object, font, language, main window."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def _parse(argv: list[str]) -> argparse.Namespace:
    from cli import PAGES, parse_lang

    p = argparse.ArgumentParser(prog="debtkeeper")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--lang", type=parse_lang, default=None)
    p.add_argument("--screenshot", type=Path, default=None)
    p.add_argument("--page", choices=PAGES, default="dashboard")
    p.add_argument("--startup-time", action="store_true")
    return p.parse_args(argv)


def load_cjk_font() -> str:
    """Register the shipped CJK font and return its family name."""
    from PySide6.QtGui import QFontDatabase

    from resources import CJK_FONT, CJK_FONT_FAMILY

    font_id = QFontDatabase.addApplicationFont(str(CJK_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else CJK_FONT_FAMILY


def run_window(argv: list[str], process_start: float | None = None) -> int:
    start = process_start if process_start is not None else time.perf_counter()
    args = _parse(argv)
    import os

    if (args.screenshot or args.startup_time) and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from resources.i18n import _, set_language, system_language

    set_language(args.lang or system_language())
    app = QApplication.instance() or QApplication(sys.argv[:1])
    family = load_cjk_font()
    font = QFont(family)
    font.setPointSize(10)
    app.setFont(font)
    window = QMainWindow()
    window.setWindowTitle(_("DebtKeeper"))
    window.setCentralWidget(QLabel(_("DebtKeeper")))
    window.resize(1280, 800)
    if args.screenshot:
        window.show()
        app.processEvents()
        window.grab().save(str(args.screenshot))
        return 0
    window.show()
    if args.startup_time:
        app.processEvents()
        ms = (time.perf_counter() - start) * 1000
        print(json.dumps({"first_paint_ms": round(ms, 1), "data_shown_ms": round(ms, 1)}))
        return 0
    return app.exec()
