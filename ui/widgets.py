"""Small widgets several pages share: the welcome panel for an empty database, and the desktop
conventions every window follows: mnemonics, a wheel that leaves unfocused fields alone, dates taken
as typed."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QObject,
    QPointF,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import _, tr
from ui.context import Changed
from ui.mnemonics import plain_text, with_mnemonic
from ui.pages.base import strong

if TYPE_CHECKING:
    from ui.context import AppContext


def load_demo(context: AppContext) -> None:
    """Fill the (empty) database with the sample debts, dated relative to today."""
    from services import demo

    builder: Any = (
        getattr(demo, "build_demo", None)
        or getattr(demo, "load_demo", None)
        or getattr(demo, "fill_demo", None)
    )
    if builder is None:
        raise RuntimeError("services.demo offers no demo builder")
    builder(context.services, context.today())
    context.broadcast(Changed.ALL)


class WelcomePanel(QWidget):
    """What a new person sees first: one clear step, and the demo one click away."""

    add_debt = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.context = context
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.heading = strong(QLabel(self), 1.6)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(640)
        self.text.setMinimumWidth(520)  # a wrapped label between stretches would shrink to a narrow column
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("welcomeAdd")
        self.add_button.setDefault(True)
        self.demo_button = QPushButton(self)
        self.demo_button.setObjectName("welcomeDemo")
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        layout.addWidget(self.heading)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addStretch(2)
        self.add_button.clicked.connect(self.add_debt.emit)
        self.demo_button.clicked.connect(self._demo)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_("Welcome to DebtKeeper"))
        self.text.setText(
            _(
                "Start by adding the debts you have: one for each card, Baitiao, Huabei, loan or "
                "money borrowed from family. DebtKeeper then shows what you owe, what is due "
                "next, "
                "what being late costs, and a plan to pay it all back. Everything stays on this "
                "computer."
            )
        )
        self.add_button.setText(_("Add my first debt (Ctrl+N)"))
        self.demo_button.setText(_("Try it with sample data"))

    def _demo(self) -> None:
        from ui.errors import show_exception

        try:
            load_demo(self.context)
        except Exception as exc:  # shown to the person: a UserError as a message, a bug as a crash report
            show_exception(exc, self)


# --- desktop conventions shared by every window and dialog -------------------------------------


def caption(label: QLabel, text: str, letter: str, field: QWidget) -> None:
    """A field's caption with a mnemonic that jumps to the field; the field is named after it."""
    label.setText(with_mnemonic(text, letter))
    label.setBuddy(field)
    field.setAccessibleName(plain_text(text))


class DesktopConventions(QObject):
    """Two habits of desktop programs, installed on the whole application.

    The mouse wheel changes a spin box, date, combo box or slider only when it has the focus:
    scrolling a long form must scroll the form (a turn of the wheel over the due day or the rate
    unit changed them). The wheel event goes to the scroll area around the field instead; such fields
    take the focus by click or Tab, not by wheel.
    Tables and lists do not trap Tab: it moves on to the next control; the arrow keys move inside.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.Polish:
            _polish(watched)
        elif kind == QEvent.Type.Wheel and _wheel_sensitive(watched):
            assert isinstance(watched, QWidget)
            if not watched.hasFocus():
                _scroll_instead(watched, event)  # type: ignore[arg-type]
                return True
        return super().eventFilter(watched, event)


def _polish(watched: QObject) -> None:
    if _wheel_sensitive(watched):
        assert isinstance(watched, QWidget)
        if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    elif isinstance(watched, QAbstractItemView):
        watched.setTabKeyNavigation(False)


def _scroll_instead(field: QWidget, event: QWheelEvent) -> None:
    """Hand the wheel to the scroll area around ``field`` (if any), which scrolls the form."""
    from PySide6.QtWidgets import QAbstractScrollArea

    area = field.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    event.accept()  # handled here: Qt does not hand it on a second time
    if area is None:
        return
    viewport = area.viewport()
    position = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
    forwarded = QWheelEvent(
        position,
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
    )
    QCoreApplication.sendEvent(viewport, forwarded)


def _wheel_sensitive(obj: QObject) -> bool:
    from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar

    return isinstance(obj, QAbstractSpinBox | QComboBox) or (
        isinstance(obj, QAbstractSlider) and not isinstance(obj, QScrollBar)
    )


_installed: list[DesktopConventions] = []


def install_desktop_conventions(app: QObject) -> DesktopConventions:
    """Install the filter on the whole application (once), and apply it to the widgets already made.

    The window's start installs it once the person can act (every event then passes through it, and
    Qt's Python types are made for each kind of object it sees: tens of milliseconds that would
    otherwise come before the first frame).
    """
    if not _installed:
        from PySide6.QtWidgets import QApplication

        _installed.append(DesktopConventions(app))
        app.installEventFilter(_installed[0])
        for widget in QApplication.allWidgets():
            _polish(widget)
    return _installed[0]


_DATE_TEXT = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})-(\d{1,2})|(\d{2})(\d{2}))\s*$")
_DATE_START = re.compile(r"^\s*\d{0,8}\s*$|^\s*\d{1,4}-\d{0,2}(-\d{0,2})?\s*$")


def typed_date(text: str) -> date | None:
    """The date in ``text`` as typed (2026-07-26, 2026-7-26 or 20260726); None if it is no date."""
    match = _DATE_TEXT.match(text)
    if match is None:
        return None
    year, month, day = match[1], match[2] or match[4], match[3] or match[5]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


class DateField(QDateEdit):
    """A date field that takes a typed date as typed.

    Qt's date edit quietly moves an impossible day to the month's last (31 November becomes the 30th)
    and ignores a whole date typed over the selection. Here the whole text is read as a date; a text
    that is no date (2026-02-30) is not silently changed into another: the field goes back to what it
    held before the edit, is marked, and says why (``refused`` carries the text).
    """

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setKeyboardTracking(True)
        self.setCorrectionMode(QDateEdit.CorrectionMode.CorrectToPreviousValue)
        self._before = self.date()
        self.problem = ""

    def set_day(self, day: date) -> None:
        self.setDate(QDate(day.year, day.month, day.day))

    def day(self) -> date:
        value = self.date()
        return date(value.year(), value.month(), value.day())

    def validate(self, text: str, pos: int) -> object:  # noqa: D102 (Qt's)
        if typed_date(text) is not None:
            return QValidator.State.Acceptable, text, pos
        if _DATE_START.match(text):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def dateTimeFromText(self, text: str) -> QDateTime:  # noqa: N802 (Qt name)
        typed = typed_date(text)
        if typed is None:
            return self.dateTime()
        return QDateTime(QDate(typed.year, typed.month, typed.day), QTime(0, 0))

    def fixup(self, text: str) -> str:  # noqa: D102 (no silent correction)
        return text

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt name)
        self._before = self.date()
        super().focusInEvent(event)
        if event.reason() in (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        ):
            self.lineEdit().selectAll()  # reached by keyboard: typing replaces the whole date

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt name)
        self.check_typed()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.matches(QKeySequence.StandardKey.SelectAll):
            self.lineEdit().selectAll()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.check_typed()
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 (Qt names)
        # Tab leaves the field, as in every other field (Qt's date edit would step through its parts;
        # the arrow keys still do).
        return QWidget.focusNextPrevChild(self, next)

    def check_typed(self) -> bool:
        """Mark the field when its text is no date; True when it holds a date."""
        text = self.text()
        if typed_date(text) is not None:
            self._mark("")
            return True
        self._mark(
            tr(
                "“{text}” is not a date: the field keeps {date}. Type it as 2026-07-26.",
                text=text,
                date=self._before.toString("yyyy-MM-dd"),
            )
        )
        self.setDate(self._before)
        self.refused.emit(text)
        return False

    def _mark(self, problem: str) -> None:
        self.problem = problem
        self.setToolTip(problem)
        self.setStyleSheet(f"QDateEdit {{ border: 2px solid {WARNING_BORDER}; }}" if problem else "")
        if problem:
            from PySide6.QtWidgets import QToolTip

            QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), problem, self)


WARNING_BORDER = "#b3261e"


def fit_to_screen(widget: QWidget, preferred: QSize) -> QSize:
    """Size ``widget`` to ``preferred``, or less on a screen too small for it (a 1024×768 laptop)."""
    from PySide6.QtGui import QGuiApplication

    screen = widget.screen() or QGuiApplication.primaryScreen()
    size = QSize(preferred)
    if screen is not None:
        room = screen.availableGeometry().size() - QSize(FRAME_ALLOWANCE, FRAME_ALLOWANCE)
        size = preferred.boundedTo(room)
    widget.resize(size)
    return size


# Room left for a window's frame and title bar when sizing it to the screen.
FRAME_ALLOWANCE = 40


def date_field(parent: QWidget, day: date, name: str = "") -> DateField:
    field = DateField(parent)
    if name:
        field.setObjectName(name)
    field.set_day(day)
    return field
