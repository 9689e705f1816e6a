"""A first use captured step by step, in both languages, for docs/journey/.

    python docs/make_journey.py [--out docs/journey] [--as-of 2026-11-23]

Starts the real window (offscreen, 1280×800) on a new empty database and goes
through what a new person does: the welcome, the debt editor with the JD
Baitiao preset, a refused amount, the debts list, a payment and its split, the
Baitiao arrears, the plan, the guide. Dialogs are drawn over the window they belong to.
Writes ``<out>/<lang>/NN-<step>.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LANGUAGES = ("zh_CN", "en_US")


def settle(until: Callable[[], bool] = lambda: True, seconds: float = 20.0) -> None:
    """Let the window lay itself out and background work finish (a script, so waiting is fine)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while True:
        for _ in range(5):
            QApplication.processEvents()
        if until() or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    QApplication.processEvents()


def save(pixmap, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)


def with_dialog(window, dialog):
    """The window, dimmed, with the dialog drawn in its middle, as a person sees it."""
    from PySide6.QtGui import QColor, QPainter

    settle()
    picture = window.grab()
    shown = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))
    x = (picture.width() - shown.width()) // 2
    y = max(0, (picture.height() - shown.height()) // 2)
    painter.drawPixmap(x, y, shown)
    painter.end()
    return picture


def journey(lang: str, out: Path, as_of: date, folder: Path) -> None:
    from domain.debts import DebtKind
    from resources.i18n import set_language
    from services.app import Services
    from ui.context import AppContext
    from ui.dialogs.debt_editor import DebtEditor, qdate
    from ui.dialogs.payment import PaymentDialog
    from ui.main_window import MainWindow
    from ui.qtlang import install_qt_translations

    set_language(lang)
    install_qt_translations(lang)
    services = Services.open(folder / f"journey-{lang}.sqlite3")
    context = AppContext(services, today=lambda: as_of)
    window = MainWindow()
    window.resize(1280, 800)
    window.attach(context)
    window.show()
    settle()
    step = iter(range(1, 100))

    def shot(name: str, pixmap=None) -> None:
        settle()
        save(pixmap if pixmap is not None else window.grab(), out / lang / f"{next(step):02d}-{name}.png")

    shot("welcome")

    editor = DebtEditor(context, None, window)
    editor.show()
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.JD_BAITIAO.value))
    editor.start_date.setDate(qdate(date(as_of.year, 3, 1)))
    editor.validate()
    shot("debt-editor-preset", with_dialog(window, editor))
    editor.principal.setText("-6000")
    editor.validate()
    shot("validation-message", with_dialog(window, editor))
    editor.principal.setText("6000")
    editor.overdue_check.setChecked(True)
    editor.overdue_since.setDate(qdate(as_of - timedelta(days=120)))
    if editor.validate():
        raise SystemExit("the Baitiao debt was refused")
    editor.accept()

    editor = DebtEditor(context, None, window)
    editor.kind.setCurrentIndex(editor.kind.findData(DebtKind.CREDIT_CARD.value))
    editor.principal.setText("12000")
    editor.start_date.setDate(qdate(date(as_of.year, 6, 1)))
    if editor.validate():
        raise SystemExit("the credit card was refused")
    editor.accept()
    debts = window.show_page("debts")
    debts.refresh()
    shot("debts-list")

    card = next(d for d in services.list_debts() if d.kind is DebtKind.CREDIT_CARD)
    payments = window.show_page("payments")
    dialog = PaymentDialog(context, services.list_debts(include_archived=False), card.id, None, window)
    dialog.show()
    shot("payment-dialog", with_dialog(window, dialog))
    dialog.accept()
    payments.refresh()
    payments._show_split(dialog.saved_id)
    shot("payment-split")

    baitiao = next(d for d in services.list_debts() if d.kind is DebtKind.JD_BAITIAO)
    overdue = window.show_page("overdue")
    overdue.show_debt(baitiao.id)
    shot("overdue-baitiao")

    plan = window.show_page("plan")
    settle(lambda: plan.result is not None and not plan.busy())
    shot("plan-chart")

    window.show_page("dashboard")
    window.pages["dashboard"].guide_button.click()  # "What should I do?": one click from the overview
    shot("guide")

    from ui.worker import wait_for_tasks

    wait_for_tasks()
    settle()
    window.detach()
    window.close()
    window.deleteLater()
    settle()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "journey")
    parser.add_argument("--as-of", default="2026-11-23", help="the day the journey happens")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    as_of = date.fromisoformat(args.as_of)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DEBTKEEPER_CONFIG_DIR"] = folder  # leave the person's own window settings alone
        from ui.app import make_application

        make_application()
        for lang in LANGUAGES:
            journey(lang, args.out, as_of, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
