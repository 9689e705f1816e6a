"""The overdue view of one debt: where it stands, its timeline with sources, the cost ahead,
the legal checks, the limitation warning, and the log of collection contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
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

from resources.i18n import N_, _, get_language, tr
from services.overview import debt_rows
from ui import labels
from ui.charts import ChartView, line_chart
from ui.context import Changed
from ui.guide_link import WHAT_TO_DO, open_guide
from ui.models import WARNING_COLOUR, Column, RowsModel
from ui.pages.base import Page, name_tabs, note_label, strong, title_label

if TYPE_CHECKING:
    from ui.context import AppContext

CERTAINTY = {"law": N_("law"), "typical": N_("typical")}


def _overdue() -> Any:
    """The overdue service (imported when the page first needs it)."""
    from services import overdue

    return overdue


def _source(cited: Any) -> str:
    """The cited sources in the window's language."""
    return str(cited.source_text_for(get_language()))


def _certainty(cited: Any) -> str:
    return _(CERTAINTY.get(str(getattr(cited, "certainty", "")), N_("typical")))


def _status(event: Any) -> str:
    overdue = _overdue()
    return str(overdue.display_status(event))


EVENT_COLUMNS = (
    # A step that depends on the lender's choice has no date: its "When" says "possible from …".
    Column(N_("Date"), lambda e: _overdue().event_date(e), "date"),
    Column(N_("When"), lambda e: _overdue().event_when(e)),
    Column(N_("Status"), lambda e: _(_overdue().DISPLAY_STATUS[_status(e)]), warn=lambda e: e.stage),
    Column(N_("What happens"), lambda e: _overdue().event_text(e)),
    Column(N_("How sure"), lambda e: _certainty(e.cited)),
    Column(N_("Source"), lambda e: _source(e.cited)),
)
CHECK_COLUMNS = (
    Column(N_("Result"), lambda c: _("OK") if c.ok else _("Problem"), warn=lambda c: not c.ok),
    Column(N_("Check"), lambda c: _overdue().render(c.text, c.params)),
    Column(N_("Amount"), lambda c: c.amount, "money"),
    Column(N_("Source"), lambda c: _source(c.cited)),
)


def contact_columns(findings: dict[int, list[str]]) -> tuple[Column, ...]:
    return (
        Column(N_("When"), lambda c: c.when.date(), "date"),
        Column(N_("How"), lambda c: _(labels.CHANNEL_LABELS[c.channel])),
        Column(N_("Who"), lambda c: c.who),
        Column(N_("Whom they contacted"), lambda c: _(labels.TARGET_LABELS[c.target])),
        Column(N_("What was said"), lambda c: c.summary),
        Column(
            N_("Rules broken"),
            lambda c: "\n".join(findings.get(c.id, [])) or _("none found"),
            warn=lambda c: bool(findings.get(c.id)),
        ),
    )


def contact_findings(services: Any, debt_id: int) -> dict[int, list[str]]:
    """Which rules each recorded contact broke, from the overdue service's collection checks."""
    overdue = _overdue()
    if overdue is None:
        return {}
    result: dict[int, list[str]] = {}
    for check in overdue.collection_violations(services, debt_id):
        for v in check.violations:
            text = overdue.render(v.text, v.params)
            result.setdefault(check.entry.id, []).append(f"{text} — {_source(v.cited)}")
    return result


def _wrap_text_column(view: QTableView, text: int, source: int) -> None:
    """The long text column takes the room and wraps; the source column keeps a fixed width."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(text, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(source, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(source, 280)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setWordWrap(False)


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
    #: the changes that concern this page
    listens_to: ClassVar[Changed] = Changed.DEBTS | Changed.PAYMENTS | Changed.CONTACTS | Changed.SETTINGS

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
        self.guide_button = QPushButton(self)
        self.guide_button.setObjectName("openGuide")
        self.guide_button.clicked.connect(lambda: open_guide(self.context, self.debt_id()))
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.debt)
        top.addWidget(self.guide_button)
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
        _wrap_text_column(self.events_view, 3, 5)
        timeline_tab = QWidget(self.tabs)
        timeline_layout = QVBoxLayout(timeline_tab)
        timeline_layout.setContentsMargins(0, 0, 0, 0)
        self.events_view.setParent(timeline_tab)
        timeline_layout.addWidget(self.events_view, 1)
        self.legend = note_label(timeline_tab)
        self.legend.setObjectName("timelineLegend")
        timeline_layout.addWidget(self.legend)
        self.event_detail = note_label(timeline_tab)
        self.event_detail.setObjectName("eventDetail")
        self.event_detail.setMinimumHeight(48)
        timeline_layout.addWidget(self.event_detail)
        self.events_view.selectionModel().selectionChanged.connect(lambda *_a: self._show_event())
        self.cost_chart = ChartView(self.tabs)
        self.cost_chart.setObjectName("costChart")
        self.checks = RowsModel(CHECK_COLUMNS, self)
        self.checks_view = _table(self.checks, self.tabs, "legalChecksTable")
        _wrap_text_column(self.checks_view, 1, 3)
        # A handful of checks and no detail panel: each is shown whole, wrapped over the lines it needs.
        self.checks_view.setWordWrap(True)
        self.checks_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
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
        _wrap_text_column(self.contacts_view, 5, 4)
        contacts_layout.addWidget(self.contacts_view, 1)
        self.contact_detail = note_label(contacts_tab)
        self.contact_detail.setObjectName("contactDetail")
        contacts_layout.addWidget(self.contact_detail)
        self.contacts_view.selectionModel().selectionChanged.connect(lambda *_a: self._show_contact())
        self.contacts_note = note_label(contacts_tab)
        contacts_layout.addWidget(self.contacts_note)
        for w in (timeline_tab, self.cost_chart, self.checks_view, contacts_tab):
            self.tabs.addTab(w, "")
        outer.addWidget(self.tabs, 1)

        self.debt.currentIndexChanged.connect(lambda _i: self._load())
        self.log_button.clicked.connect(self.log_contact)
        self.delete_contact_button.clicked.connect(self.delete_contact)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Overdue: what it costs and what comes next"))
        self.guide_button.setText(_(WHAT_TO_DO))
        for caption, text in zip(
            self.figure_captions,
            (
                _("Days overdue"),
                _("Stage"),
                _("Overdue principal"),
                _("Penalty interest"),
                _("Late fees"),
                _("Total due now"),
            ),
            strict=True,
        ):
            caption.setText(text)
        overdue = _overdue()
        self.legend.setText(_(overdue.TIMELINE_LEGEND) if overdue else "")
        self.tabs.setTabText(0, _("Timeline"))
        self.tabs.setTabText(1, _("Cost if unpaid"))
        self.tabs.setTabText(2, _("Legal checks"))
        self.tabs.setTabText(3, _("Collection contacts"))
        name_tabs(self.tabs, _("Details of the debt"))
        self.log_button.setText(_("Log a call or message…"))
        self.delete_contact_button.setText(_("Delete…"))
        self.contacts_note.setText(
            _(
                "Keep a record of every collection call, message and visit: when, "
                "who, what "
                "they said. Lenders and collectors must not threaten you, pose as "
                "officials or "
                "tell your family, employer or neighbours about your debt."
            )
        )
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
            text = (
                r.debt.name
                if r.days_overdue <= 0
                else tr("{name} — {days} days overdue", name=r.debt.name, days=r.days_overdue)
            )
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
        overdue = _overdue()
        self.report = overdue.build_report(services, debt_id, today) if (overdue and debt_id) else None
        contacts = services.list_contacts(debt_id) if debt_id is not None else []
        contacts.sort(key=lambda c: c.when, reverse=True)
        self.findings.clear()
        if debt_id is not None:
            self.findings.update(contact_findings(services, debt_id))
        self.contacts.set_rows(contacts)
        broken = next((i for i, c in enumerate(contacts) if self.findings.get(c.id)), None)
        if broken is not None:
            self.contacts_view.selectRow(broken)
        self._show_contact()
        self.log_button.setEnabled(debt_id is not None)
        if self.report is None:
            for value in self.figures:
                value.setText("—")
            self.events.set_rows([])
            self.checks.set_rows([])
            self.cost_chart.reset()
            self.limitation.setText(
                _("The overdue timeline is not available in this version yet.")
                if debt_id is not None
                else _("No debts yet.")
            )
            return
        r = self.report
        values = (
            str(r.days_overdue),
            overdue.stage_text(r.stage),
            labels.money(r.overdue_principal),
            labels.money(r.penalty_interest),
            labels.money(r.late_fees),
            labels.money(r.total_due),
        )
        for label, text in zip(self.figures, values, strict=True):
            label.setText(text)
        self.events.set_rows(list(r.events))
        upcoming = next((i for i, e in enumerate(r.events) if e.stage), None)
        if upcoming is None:
            upcoming = next((i for i, e in enumerate(r.events) if e.status == "coming"), None)
        if upcoming is not None:
            self.events_view.selectRow(upcoming)
        self._show_event()
        self.checks.set_rows([c for c in r.legal_checks if c.applies])
        lim = r.limitation
        if lim.expired:
            text = tr(
                "The limitation period ended on {date}. A payment or a written promise to pay now can "
                "give up that defence (SPC limitation rules Art. 19).",
                date=labels.day(lim.ends),
            )
        else:
            text = tr(
                "The limitation period (3 years, Civil Code Art. 188) runs until {date}. A payment, a "
                "repayment plan or a written promise to pay starts it again (SPC limitation rules "
                "Art. 14).",
                date=labels.day(lim.ends),
            )
        self.limitation.setStyleSheet(f"color: {WARNING_COLOUR.name()};" if lim.expired else "")
        self.limitation.setText(text)
        points: list[tuple[float, Any]] = [(0.0, r.total_due)]
        points += [(float((p.on - today).days), p.total_due) for p in r.projection]
        line_chart(
            self.cost_chart,
            _("What you would owe if nothing is paid"),
            _("Days from today"),
            _("Total due (yuan)"),
            [(_("Total due"), points)],
        )

    def _show_contact(self) -> None:
        rows = self.contacts_view.selectionModel().selectedRows()
        if not rows:
            self.contact_detail.setText("")
            return
        c = self.contacts.row_at(rows[0].row())
        found = self.findings.get(c.id, [])
        lines = [f"{labels.day(c.when.date())} {c.who}: {c.summary}"]
        lines += [tr("Broke: {rule}", rule=f) for f in found] or [_("No rule broken in what was recorded.")]
        self.contact_detail.setText("\n".join(lines))

    def _show_event(self) -> None:
        rows = self.events_view.selectionModel().selectedRows()
        if not rows:
            self.event_detail.setText(_("Select a step to read it in full with its source."))
            return
        e = self.events.row_at(rows[0].row())
        self.event_detail.setText(
            tr(
                "{text}\nSource ({certainty}): {source}",
                text=f"{_overdue().event_when(e)}: {_overdue().event_text(e)}",
                certainty=_certainty(e.cited),
                source=_source(e.cited),
            )
        )

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
        answer = QMessageBox.question(
            self,
            _("Please confirm"),
            _("Delete this contact record? You can undo this with Ctrl+Z."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes and contact.id is not None:
            from ui.undo import RemoveContact, undo_stack

            removed = self.context.services.remove_contact(contact.id)
            undo_stack(self.context).push(
                RemoveContact(self.context, _("Delete contact record"), contact.id, removed)
            )
            self.context.broadcast(Changed.CONTACTS)
