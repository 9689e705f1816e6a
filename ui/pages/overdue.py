"""The overdue view of one debt: where it stands, its timeline with sources, the cost ahead,
the legal checks, the limitation warning, and the log of collection contacts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from resources.i18n import N_, _, tr
from services.overview import debt_rows
from ui import labels
from ui.charts import ChartView, line_chart
from ui.models import WARNING_COLOUR, Column, RowsModel
from ui.pages.base import Page, note_label, strong, title_label
from ui.pages.plan import field

if TYPE_CHECKING:
    from ui.context import AppContext

CERTAINTY = {"law": N_("law"), "typical": N_("typical")}
PROJECTION_DAYS = (0, 30, 60, 90, 120, 180, 270, 365)

EVENT_COLUMNS = (
    Column(N_("Date"), lambda e: field(e, "date"), "date"),
    Column(N_("Day"), lambda e: field(e, "day"), "int"),
    Column(N_("What happens"), lambda e: field(e, "text")),
    Column(N_("How sure"), lambda e: _(CERTAINTY.get(str(field(e, "certainty")), "typical"))),
    Column(N_("Source"), lambda e: field(e, "source")),
)
CHECK_COLUMNS = (
    Column(N_("Result"), lambda c: _("OK") if field(c, "ok") else _("Problem"), warn=lambda c: not field(c, "ok")),
    Column(N_("Check"), lambda c: field(c, "text")),
    Column(N_("Source"), lambda c: field(c, "source")),
)


def contact_columns(findings: dict[int, list[str]]) -> tuple[Column, ...]:
    return (
        Column(N_("When"), lambda c: c.when.date(), "date"),
        Column(N_("How"), lambda c: _(labels.CHANNEL_LABELS[c.channel])),
        Column(N_("Who"), lambda c: c.who),
        Column(N_("Whom they contacted"), lambda c: _(labels.TARGET_LABELS[c.target])),
        Column(N_("What was said"), lambda c: c.summary),
        Column(N_("Rules broken"), lambda c: "; ".join(findings.get(c.id, [])) or _("none found"),
               warn=lambda c: bool(findings.get(c.id))),
    )


def overdue_report(services: Any, debt_id: int, as_of: date) -> Any:
    """The overdue engine's report; None when this build has none."""
    try:
        from services import overdue
    except ImportError:
        return None
    return overdue.report(services, debt_id, as_of)


def contact_findings(services: Any, debt_id: int, contacts: list[Any]) -> dict[int, list[str]] | None:
    """Which rules each contact broke, from the overdue service's collection checks."""
    try:
        from services import overdue
    except ImportError:
        return None
    check: Any = getattr(overdue, "collection_checks", None) or getattr(overdue, "check_contacts", None)
    if check is None:
        return None
    result: dict[int, list[str]] = {}
    for finding in check(services, debt_id):
        contact_id = field(finding, "contact_id")
        text = field(finding, "text")
        source = field(finding, "source")
        result.setdefault(contact_id, []).append(f"{text} ({source})" if source else str(text))
    return result


def _table(model: RowsModel, parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class OverduePage(Page):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.report: Any = None
        self.findings: dict[int, list[str]] = {}
        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.title = title_label(self)
        self.debt = QComboBox(self)
        self.debt.setObjectName("overdueDebt")
        self.debt.setMinimumWidth(300)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.debt)
        outer.addLayout(top)

        figures = QGridLayout()
        self.figure_captions: list[QLabel] = []
        self.figures: list[QLabel] = []
        for i in range(6):
            caption = QLabel(self)
            value = strong(QLabel(self), 1.2)
            figures.addWidget(caption, 0, i)
            figures.addWidget(value, 1, i)
            self.figure_captions.append(caption)
            self.figures.append(value)
        outer.addLayout(figures)
        self.limitation = note_label(self)
        self.limitation.setObjectName("limitationWarning")
        outer.addWidget(self.limitation)

        self.tabs = QTabWidget(self)
        self.events = RowsModel(EVENT_COLUMNS, self)
        self.events_view = _table(self.events, self.tabs, "timelineTable")
        self.events_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.cost_chart = ChartView(self.tabs)
        self.cost_chart.setObjectName("costChart")
        self.checks = RowsModel(CHECK_COLUMNS, self)
        self.checks_view = _table(self.checks, self.tabs, "legalChecksTable")
        self.checks_view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        contacts_tab = QWidget(self.tabs)
        contacts_layout = QVBoxLayout(contacts_tab)
        buttons = QHBoxLayout()
        self.log_button = QPushButton(contacts_tab)
        self.log_button.setObjectName("logContact")
        self.delete_contact_button = QPushButton(contacts_tab)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.delete_contact_button)
        buttons.addStretch(1)
        contacts_layout.addLayout(buttons)
        self.contacts = RowsModel(contact_columns(self.findings), self)
        self.contacts_view = _table(self.contacts, contacts_tab, "contactTable")
        self.contacts_view.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        contacts_layout.addWidget(self.contacts_view)
        self.contacts_note = note_label(contacts_tab)
        contacts_layout.addWidget(self.contacts_note)
        for w in (self.events_view, self.cost_chart, self.checks_view, contacts_tab):
            self.tabs.addTab(w, "")
        outer.addWidget(self.tabs, 1)

        self.debt.currentIndexChanged.connect(lambda _i: self._load())
        self.log_button.clicked.connect(self.log_contact)
        self.delete_contact_button.clicked.connect(self.delete_contact)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Overdue: what it costs and what comes next"))
        for caption, text in zip(self.figure_captions,
                                 (_("Days overdue"), _("Stage"), _("Overdue principal"), _("Penalty interest"),
                                  _("Late fees"), _("Total due now")), strict=True):
            caption.setText(text)
        self.tabs.setTabText(0, _("Timeline"))
        self.tabs.setTabText(1, _("Cost if unpaid"))
        self.tabs.setTabText(2, _("Legal checks"))
        self.tabs.setTabText(3, _("Collection contacts"))
        self.log_button.setText(_("Log a call or message…"))
        self.delete_contact_button.setText(_("Delete…"))
        self.contacts_note.setText(_("Keep a record of every collection call, message and visit: when, who, what "
                                     "they said. Lenders and collectors must not threaten you, pose as officials or "
                                     "tell your family, employer or neighbours about your debt."))
        for model in (self.events, self.checks, self.contacts):
            model.retranslate()

    def refresh(self) -> None:
        super().refresh()
        current = self.debt.currentData()
        rows = debt_rows(self.context.services, self.context.today(), include_archived=False)
        rows.sort(key=lambda r: (-r.days_overdue, r.debt.name))
        self.debt.blockSignals(True)
        self.debt.clear()
        for r in rows:
            text = r.debt.name if r.days_overdue <= 0 else tr("{name} — {days} days overdue", name=r.debt.name,
                                                               days=r.days_overdue)
            self.debt.addItem(text, r.debt.id)
        if current is not None and self.debt.findData(current) >= 0:
            self.debt.setCurrentIndex(self.debt.findData(current))
        self.debt.blockSignals(False)
        self._load()

    def show_debt(self, debt_id: int | None) -> None:
        if self._stale:
            self.refresh()
        index = self.debt.findData(debt_id)
        if index >= 0:
            self.debt.setCurrentIndex(index)

    def debt_id(self) -> int | None:
        value = self.debt.currentData()
        return None if value is None else int(value)

    def _load(self) -> None:
        debt_id = self.debt_id()
        services = self.context.services
        today = self.context.today()
        self.report = overdue_report(services, debt_id, today) if debt_id is not None else None
        contacts = services.list_contacts(debt_id) if debt_id is not None else []
        contacts.sort(key=lambda c: c.when, reverse=True)
        self.findings.clear()
        found = contact_findings(services, debt_id, contacts) if debt_id is not None else None
        if found:
            self.findings.update(found)
        self.contacts.set_rows(contacts)
        self.log_button.setEnabled(debt_id is not None)
        if self.report is None:
            for value in self.figures:
                value.setText("—")
            self.events.set_rows([])
            self.checks.set_rows([])
            self.cost_chart.reset()
            self.limitation.setText(_("The overdue timeline is not available in this version yet.")
                                    if debt_id is not None else _("No debts yet."))
            return
        r = self.report
        values = (str(field(r, "days_overdue")), str(field(r, "stage") or "—"),
                  labels.money(field(r, "overdue_principal")), labels.money(field(r, "penalty_interest")),
                  labels.money(field(r, "late_fees")), labels.money(field(r, "total_due")))
        for label, text in zip(self.figures, values, strict=True):
            label.setText(text)
        self.events.set_rows(list(field(r, "events") or []))
        self.checks.set_rows(list(field(r, "legal_checks") or []))
        ends = field(r, "limitation_ends")
        if ends is None:
            self.limitation.setText("")
        else:
            self.limitation.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
            self.limitation.setText(tr("The limitation period (3 years, Civil Code Art. 188) runs until {date}. "
                                       "A payment, a repayment plan or a written promise to pay starts it again "
                                       "(SPC limitation rules Art. 14).", date=labels.day(ends)))
        self._projection(debt_id, today)

    def _projection(self, debt_id: int | None, today: date) -> None:
        """Total due if nothing is paid, from the overdue engine at dates ahead."""
        if debt_id is None:
            return
        projection = field(self.report, "projection")
        points: list[tuple[float, Any]] = []
        if projection:
            for p in projection:
                points.append((float((field(p, "date") - today).days), field(p, "total_due")))
        else:
            for days in PROJECTION_DAYS:
                report = overdue_report(self.context.services, debt_id, today + timedelta(days=days))
                points.append((float(days), field(report, "total_due")))
        line_chart(self.cost_chart, _("What you would owe if nothing is paid"), _("Days from today"),
                   _("Total due (yuan)"), [(_("Total due"), points)])

    def log_contact(self) -> None:
        from ui.dialogs.contact import ContactDialog

        dialog = ContactDialog(self.context, self.debt_id(), self)
        if dialog.exec():
            self._load()

    def delete_contact(self) -> None:
        rows = self.contacts_view.selectionModel().selectedRows()
        if not rows:
            return
        contact = self.contacts.row_at(rows[0].row())
        answer = QMessageBox.question(self, _("Please confirm"), _("Delete this contact record?"),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes and contact.id is not None:
            self.context.services.remove_contact(contact.id)
            self.context.notify("contacts")
