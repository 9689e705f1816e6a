"""Use case "what should I do?": the guide for the person's debts, as text, JSON or a PDF.

Everything the guide needs (debts, payments, contact log, the person's overdue terms and the
steps they ticked) is read in one snapshot (``Services.reading``); the overdue engine and
``domain.guide`` work on it; this module translates and formats the result for the window,
the command line (``guide --json``) and the printed page ("Print my situation"). A ticked
step is one setting (``guide.done.<step>``), so ticking it is one write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from domain.debts import ContactEntry, Debt, DebtStatus, Payment
from domain.guide import Answer, DebtFacts, Guide, GuideStep, Line, OtherRules, Percent, build_guide
from domain.overdue import limitation_explanation
from resources.i18n import N_, format_date, format_money, format_percent, get_language, normalize_language, tr
from resources.rules import collection_rules, escalation_rules, guide_rules, legal_rules
from services import overdue
from services.errors import NotFoundError, UserError
from services.term_store import read_all_terms
from storage import rows
from storage.models import PaymentRow, SettingRow

if TYPE_CHECKING:
    from services.app import Services

SETTING_DONE_PREFIX = "guide.done."
CERTAINTY_LABELS = {"law": N_("Law"), "typical": N_("Typical"), "depends": N_("Depends")}
CERTAINTY_HELP = {
    "law": N_("A statute, judicial interpretation or regulation says this."),
    "typical": N_("Practice, an industry guideline or an assumption: commonly so, not certain."),
    "depends": N_("It depends on the lender's or a court's choice."),
}


# --- one snapshot of what the guide reads ------------------------------------------------------------


@dataclass(frozen=True)
class _Snapshot:
    """The debts, payments, contacts and settings of one read, with the reads the overdue engine makes."""

    debts: tuple[Debt, ...]
    payments: tuple[Payment, ...]
    contacts: tuple[ContactEntry, ...]
    settings: Mapping[str, str]
    terms: Mapping[int, Mapping[str, object]]

    def get_debt(self, debt_id: int) -> Debt:
        found = next((d for d in self.debts if d.id == debt_id), None)
        if found is None:
            raise NotFoundError(tr("There is no debt with id {id}.", id=debt_id))
        return found

    def list_debts(self, include_archived: bool = True) -> list[Debt]:
        return [d for d in self.debts if include_archived or d.status is not DebtStatus.ARCHIVED]

    def list_payments(self, debt_id: int | None = None) -> list[Payment]:
        return [p for p in self.payments if debt_id is None or p.debt_id == debt_id]

    def list_contacts(self, debt_id: int | None = None) -> list[ContactEntry]:
        return [c for c in self.contacts if debt_id is None or c.debt_id == debt_id]

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        return self.settings.get(key, default)

    def get_term_overrides(self, debt_id: int) -> dict[str, object]:
        return dict(self.terms.get(debt_id, {}))


def _read(svc: Services) -> _Snapshot:
    with svc.reading() as s:
        conn = s.connection()
        debts = svc.readable(rows.read_debts(conn))
        payments = svc.readable(
            rows.read_payments(conn, rows.raw_select(PaymentRow).order_by(PaymentRow.date, PaymentRow.id))
        )
        contacts = svc.readable(rows.read_contacts(conn))
        mine = SettingRow.key.startswith(SETTING_DONE_PREFIX)
        settings = {str(v["key"]): str(v["value"]) for v in svc.readable(rows.read_settings(conn, mine))}
        terms = read_all_terms(s)
    return _Snapshot(tuple(debts), tuple(payments), tuple(contacts), settings, terms)


def _facts(snap: _Snapshot, debt: Debt, as_of: date) -> DebtFacts:
    from services.summaries import summarize

    assert debt.id is not None
    payments = snap.list_payments(debt.id)
    late = overdue.late_charges(
        debt, [(p.date, p.amount) for p in payments], overdue.term_overrides(snap, debt.id)
    )
    summary = summarize(debt, payments, as_of, late)  # the one status every page shows
    report = overdue.build_report(snap, debt.id, as_of)
    checks = overdue.collection_violations(snap, debt.id)
    return DebtFacts(debt, summary.standing.value, summary.balance, report, checks)


def other_rules() -> OtherRules:
    from domain.debts import DebtKind
    from services.planning import repayment_rules

    return OtherRules(
        escalation_rules(),
        legal_rules(),
        collection_rules(),
        repayment_rules().max_term_for(DebtKind.CREDIT_CARD),
    )


def make_guide(svc: Services, as_of: date, debt_id: int | None = None) -> Guide:
    """The guide for every debt not archived, or for one debt (NotFoundError naming it when unknown)."""
    snap = _read(svc)
    chosen = [snap.get_debt(debt_id)] if debt_id is not None else snap.list_debts(include_archived=False)
    facts = [_facts(snap, d, as_of) for d in chosen]
    explain = {
        f.id: tuple(
            Line(text, params, engine=True) for text, params in limitation_explanation(f.report.limitation)
        )
        for f in facts
    }
    done = {
        key.removeprefix(SETTING_DONE_PREFIX)
        for key, value in snap.settings.items()
        if key.startswith(SETTING_DONE_PREFIX) and value == "1"
    }
    return build_guide(facts, as_of, guide_rules(), other_rules(), done=done, explain=explain)


def step_keys() -> tuple[str, ...]:
    return tuple(s.key for s in guide_rules().steps)


def set_step_done(svc: Services, key: str, done: bool) -> None:
    """Tick (or untick) a step; it stays as it is until changed. One write."""
    if key not in step_keys():
        raise UserError(tr("There is no step called {key}.", key=key))
    svc.set_setting(f"{SETTING_DONE_PREFIX}{key}", "1" if done else "0")


# --- words ----------------------------------------------------------------------------------------------


def _joined(items: Sequence[object], lang: str) -> str:
    zh = lang.startswith("zh")
    if items and all(isinstance(i, Line) for i in items):
        return ("；" if zh else "; ").join(render_line(i, lang) for i in items)  # type: ignore[arg-type]
    return ("、" if zh else ", ").join(str(i) for i in items)


def _param(value: object, lang: str) -> str:
    if isinstance(value, Line):
        return render_line(value, lang)
    if isinstance(value, Percent):
        return format_percent(value.value, lang, 2)
    if isinstance(value, Decimal):
        return format_money(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, tuple | list):
        return _joined(value, lang)
    return str(value)


def render_line(line: Line, lang: str | None = None) -> str:
    """One sentence of the guide, translated and with its figures formatted for ``lang``."""
    lang = normalize_language(lang or get_language())
    if line.engine:
        return overdue.render(line.text, {k: str(v) for k, v in line.params.items()}, lang)
    return tr(line.text, lang, **{k: _param(v, lang) for k, v in line.params.items()})


def answer_text(answer: Answer, lang: str | None = None) -> str:
    return "\n".join(render_line(line, lang) for line in answer.lines)


def sources_of(sources: Sequence[Any], lang: str | None = None) -> list[str]:
    lang = normalize_language(lang or get_language())
    return [s.text_for(lang) for s in sources]


def certainty_label(certainty: str, lang: str | None = None) -> str:
    return tr(CERTAINTY_LABELS[certainty], lang)


def certainty_help(certainty: str, lang: str | None = None) -> str:
    return tr(CERTAINTY_HELP[certainty], lang)


def when_label(when: str, lang: str | None = None) -> str:
    return tr(guide_rules().when_words[when], lang)


def question_text(answer: Answer, lang: str | None = None) -> str:
    return tr(answer.question, lang)


def situation_text(guide: Guide, lang: str | None = None) -> str:
    lang = normalize_language(lang or get_language())
    return ("" if lang == "zh_CN" else " ").join(render_line(line, lang) for line in guide.situation)


def step_source(step: GuideStep, lang: str | None = None) -> str:
    return ("；" if (lang or get_language()).startswith("zh") else "; ").join(sources_of(step.sources, lang))


def guide_json(guide: Guide, lang: str | None = None) -> dict[str, object]:
    """The ``guide --json`` document (ARCHITECTURE.md), with added fields after the contract's."""
    lang = normalize_language(lang or get_language())
    return {
        "as_of": guide.as_of.isoformat(),
        "debts": list(guide.debt_ids),
        "answers": [
            {
                "topic": a.topic,
                "question": question_text(a, lang),
                "answer": answer_text(a, lang),
                "certainty": a.certainty,
                "sources": sources_of(a.sources, lang),
                "debt_ids": list(a.debt_ids),
            }
            for a in guide.answers
        ],
        "steps": [
            {
                "order": s.order,
                "when": s.when,
                "action": render_line(s.action, lang),
                "why": render_line(s.why, lang),
                "source": step_source(s, lang),
                # Added fields.
                "key": s.key,
                "done": s.done,
                "certainty": s.certainty,
            }
            for s in guide.steps
        ],
        # Added fields.
        "situation": situation_text(guide, lang),
        "lang": lang,
    }


def guide_lines(guide: Guide, lang: str | None = None) -> list[str]:
    """The guide as plain lines for the terminal."""
    lang = normalize_language(lang or get_language())
    lines = [
        tr("Your situation on {date}", lang, date=format_date(guide.as_of, lang)),
        situation_text(guide, lang),
        "",
    ]
    for a in guide.answers:
        lines.append(f"{question_text(a, lang)} [{certainty_label(a.certainty, lang)}]")
        lines += [f"  {text}" for text in answer_text(a, lang).split("\n")]
        lines.append(
            "  "
            + tr(
                "Sources: {sources}",
                lang,
                sources=("；" if lang == "zh_CN" else "; ").join(sources_of(a.sources, lang)),
            )
        )
        lines.append("")
    lines.append(tr("What to do next", lang))
    for s in guide.steps:
        mark = "[x]" if s.done else "[ ]"
        colon = "：" if lang == "zh_CN" else ": "
        lines.append(f"{mark} {s.order}. {when_label(s.when, lang)}{colon}{render_line(s.action, lang)}")
        lines.append(f"      {render_line(s.why, lang)} ({step_source(s, lang)})")
    return lines


# --- the printed page ---------------------------------------------------------------------------------------


def guide_report(guide: Guide, lang: str) -> Any:
    """The guide as the plain values the PDF lays out, in ``lang``."""
    from documents.guide_report import GuideAnswer, GuideReport, GuideStepLine

    lang = normalize_language(lang)
    cited: list[Any] = []

    def refs(sources: Sequence[Any]) -> tuple[int, ...]:
        for source in sources:
            if source not in cited:
                cited.append(source)
        return tuple(cited.index(s) + 1 for s in sources)

    answers = tuple(
        GuideAnswer(
            question_text(a, lang), certainty_label(a.certainty, lang), answer_text(a, lang), refs(a.sources)
        )
        for a in guide.answers
    )
    steps = tuple(
        GuideStepLine(
            s.order,
            when_label(s.when, lang),
            render_line(s.action, lang),
            render_line(s.why, lang),
            refs(s.sources),
            s.done,
        )
        for s in guide.steps
    )
    return GuideReport(
        lang, guide.as_of, situation_text(guide, lang), answers, steps, tuple(sources_of(cited, lang))
    )


def write_guide_pdf(
    svc: Services, as_of: date, lang: str, out: Path | BinaryIO, debt_id: int | None = None
) -> None:
    """ "Print my situation": the guide as a PDF in ``lang``, written whole and private (0600)."""
    from documents.guide_report import render_guide

    report = guide_report(make_guide(svc, as_of, debt_id), lang)
    try:
        render_guide(report, out)
    except OSError as exc:
        raise UserError(
            tr("Cannot write {path}: {reason}", path=str(out), reason=exc.strerror or str(exc))
        ) from exc
