"""What the File menu does: export, the plan as a PDF, printing, opening another data file.

Each command asks where (ui/files.py), then calls a service off the GUI thread
and says in the status bar what it wrote. The window never runs SQL: exports
are services.jsonio's, the plan report services.letters', backups services.safety's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resources.i18n import _, get_language, tr

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from ui.main_window import MainWindow

PLAN_STRATEGY = "avalanche"


def _done(window: MainWindow, message: str) -> None:
    window.statusBar().showMessage(message, 15000)


def export_data(window: MainWindow, what: str, out: Path | None = None) -> Path | None:
    """``what`` is "json" (everything, re-importable) or "csv" (the payments, for a spreadsheet)."""
    from services.jsonio import write_export, write_payments_csv
    from ui.files import ask_save_path
    from ui.ops import Op

    context = window.context
    if context is None:
        return None
    if out is None:
        if what == "json":
            out = ask_save_path(
                window,
                _("Export all data"),
                kind="export",
                day=context.today(),
                suffix="json",
                name_filter=_("JSON files (*.json)"),
            )
        else:
            out = ask_save_path(
                window,
                _("Export the payments"),
                kind="payments",
                day=context.today(),
                suffix="csv",
                name_filter=_("CSV files (*.csv)"),
            )
        if out is None:
            return None
    target = out

    def write(services: Any) -> Path:
        if what == "json":
            return write_export(services, target, progress=op.report)  # the bar fills as rows are written
        return write_payments_csv(services, target)

    op: Op[Path] = Op(
        window,
        context,
        write,
        on_success=lambda _written: _done(window, tr("Exported to {path}", path=str(target))),
        title=_("The export was not written"),
        progress=_("Exporting…"),
    )
    op.run_in_background()
    return out


def plan_budget(window: MainWindow) -> Decimal:
    """The monthly budget the plan page shows (the same figure, whether or not the page was opened)."""
    from ui.pages.plan import default_budget

    assert window.context is not None
    page = window.pages.get("plan")
    if page is not None and hasattr(page, "budget"):
        return Decimal(page.budget())
    return Decimal(default_budget(window.context.services))  # what the page starts at when opened


def _plan_pdf_bytes(services: Any, budget: Decimal, lang: str, as_of: Any) -> bytes:
    from documents.plan_report import render_plan_report
    from services.letters import plan_report

    report = plan_report(services, budget, PLAN_STRATEGY, lang, as_of)
    data = render_plan_report(report)
    assert data is not None
    return data


def _has_debts(window: MainWindow) -> bool:
    from ui.errors import show_error

    assert window.context is not None
    if window.context.services.list_debts(include_archived=False):
        return True
    show_error(_("Add a debt first: the plan is worked out from your debts."), window)
    return False


def save_plan_pdf(
    window: MainWindow, out: Path | None = None, then: Callable[[Path], None] | None = None
) -> Path | None:
    """The repayment plan (the plan page's budget) as a PDF in the window's language."""
    from fileio.atomic import atomic_write_bytes
    from ui.files import ask_save_path
    from ui.ops import Op

    context = window.context
    if context is None or not _has_debts(window):
        return None
    if out is None:
        out = ask_save_path(
            window,
            _("Save the repayment plan"),
            kind="plan",
            day=context.today(),
            suffix="pdf",
            name_filter=_("PDF files (*.pdf)"),
        )
        if out is None:
            return None
    budget, lang, as_of = plan_budget(window), get_language(), context.today()
    target = out

    def write(services: Any) -> Path:
        atomic_write_bytes(target, _plan_pdf_bytes(services, budget, lang, as_of))
        return target

    def written(path: Path) -> None:
        _done(window, tr("Saved {path}", path=str(path)))
        if then is not None:
            then(path)

    window.statusBar().showMessage(_("Making the PDF…"))
    Op(
        window,
        context,
        write,
        on_success=written,
        title=_("The plan was not saved"),
        progress=_("Making the PDF…"),
    ).run_in_background()
    return out


def ask_printer(parent: Any) -> QPrinter | None:
    """The system's print dialog; None when the person cancels."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def print_pdf(printer: Any, data: bytes, parent: Any = None) -> int:
    """Paint each page of the PDF ``data`` onto ``printer`` (QtPdf); returns the page count."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocument

    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    painter = QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            area = printer.pageLayout().paintRectPixels(printer.resolution())
            image = document.render(page, QSize(area.width(), area.height()))
            painter.drawImage(0, 0, image)
    finally:
        painter.end()
    return document.pageCount()


def can_rasterise_pdf() -> bool:
    """QtPdf (in some PySide6 builds, not all) paints a PDF's pages for the printer."""
    from importlib.util import find_spec

    return find_spec("PySide6.QtPdf") is not None


def open_to_print(window: MainWindow, path: Path) -> None:
    """Open the saved PDF in the system's viewer, which prints it as the person's printer expects."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    _done(window, tr("The repayment plan is saved as {path} and opened to print.", path=str(path)))


def print_current(window: MainWindow) -> None:
    """Ctrl+P: the letter being written on the Letters page, else the repayment plan.

    The plan goes through the print dialog when Qt can paint PDF pages; otherwise it is saved
    as a PDF and opened in the system's viewer to print from there.
    """
    from ui.ops import Op

    context = window.context
    if context is None:
        return
    letters = window.pages.get("letters")
    if window.current == "letters" and letters is not None and getattr(letters, "_draft", None) is not None:
        letters.print_letter()  # type: ignore[attr-defined]
        return
    if not _has_debts(window):
        return
    if not can_rasterise_pdf():
        save_plan_pdf(window, then=lambda path: open_to_print(window, path))
        return
    budget, lang, as_of = plan_budget(window), get_language(), context.today()

    def ready(data: bytes) -> None:
        window.statusBar().clearMessage()
        printer = ask_printer(window)
        if printer is not None:
            pages = print_pdf(printer, data, window)
            _done(window, tr("The repayment plan was sent to the printer ({pages} pages).", pages=pages))

    window.statusBar().showMessage(_("Making the PDF…"))
    Op(
        window,
        context,
        lambda services: _plan_pdf_bytes(services, budget, lang, as_of),
        on_success=ready,
        title=_("The plan was not printed"),
        progress=_("Making the PDF…"),
        cancellable=True,
    ).run_in_background()


def open_data_file(window: MainWindow, path: Path | None = None) -> bool:
    """Switch the window to another data file; the current one stays as it is. True when switched."""
    from services.dbpath import db_file
    from ui.files import ask_open_path
    from ui.open_problem import open_with_recovery

    context = window.context
    current = db_file(context.services.path) if context is not None else None
    if path is None:
        path = ask_open_path(
            window,
            _("Open a data file"),
            _("DebtKeeper data files (*.sqlite3 *.db)"),
            current.parent if current is not None else None,
        )
        if path is None:
            return False
    if current is not None and Path(path).resolve() == current.resolve():
        return False  # already open
    opened = open_with_recovery(Path(path), window)
    if opened is None:
        return False  # the person gave up on that file: the current one stays open
    from ui.app import use_opened

    use_opened(window, opened)
    _done(window, tr("Opened {path}", path=str(path)))
    return True
