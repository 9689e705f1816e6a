"""The repayment plan as a PDF report: the engine's plans turned into the report's values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from domain.debts import Debt
from domain.ids import DebtId
from fileio.atomic import atomic_file
from resources.i18n import N_, format_percent, normalize_language, tr
from services.errors import UserError
from services.person import person_details

if TYPE_CHECKING:
    from services.app import Services


def debt_balances(svc: Services, as_of: date) -> dict[int, tuple[Debt, Decimal, int]]:
    """Each debt not archived, with its balance and days overdue (one read; damaged ones left out)."""
    return {
        DebtId(s.debt.id): (s.debt, Decimal(s.balance), int(s.days_overdue or 0))
        for s in svc.list_summaries(as_of, include_archived=False)
        if s.debt.id is not None
    }


STRATEGY_LABELS = {
    "avalanche": N_("Avalanche (highest rate first)"),
    "snowball": N_("Snowball (smallest balance first)"),
    "custom": N_("Your own order"),
    "triage": N_("Triage (most serious consequences first)"),
    "minimum_only": N_("Minimum payments only"),
    "minimum-only": N_("Minimum payments only"),
}
PLAN_ASSUMPTIONS = (
    (
        N_(
            "Interest is charged monthly on what is still owed, at each debt's rate; payments are made on the "
            "due day."
        ),
        N_("Your debts' terms as entered (typical / per your contract)"),
    ),
    (
        N_(
            "The monthly budget is what you set for repayments; money freed when a debt is paid off goes to "
            "the next debt in the strategy's order."
        ),
        N_("The plan you chose"),
    ),
    (N_("Payments go to fees first, then interest, then principal."), N_("Civil Code Art. 561")),
)


def _rate_text(debt: Debt, lang: str) -> str:
    from documents.letter_data import RATE_UNIT_LABELS

    return tr(RATE_UNIT_LABELS[debt.rate_unit.value], lang, rate=format_percent(debt.rate, lang, 2))


def plan_report_from_plans(
    plans: Any,
    chosen: str,
    debts: Sequence[Debt],
    balances: dict[int, Decimal],
    *,
    budget: Decimal,
    income: Decimal,
    expenses: Decimal,
    person: str,
    lang: str,
    as_of: date,
) -> Any:
    """The report's values from the engine's plans (a mapping strategy -> Plan)."""
    from documents.plan_report import PlanMonth, PlanReport, PlanResult, ReportDebt
    from resources.rules import product_presets

    lang = normalize_language(lang)

    def key_of(strategy: object) -> str:
        return str(getattr(strategy, "value", strategy))

    def result(plan: Any) -> PlanResult:
        return PlanResult(
            tr(STRATEGY_LABELS.get(key_of(plan.strategy), key_of(plan.strategy)), lang),
            plan.months,
            plan.payoff_date,
            plan.total_interest + getattr(plan, "total_fees", 0),
            plan.total_paid,
            tuple(m.remaining for m in plan.months_detail),
        )

    by_key = {key_of(k): v for k, v in dict(plans).items()}
    if chosen not in by_key:
        raise UserError(tr("No plan for the strategy {strategy}", strategy=chosen))
    plan = by_key[chosen]
    outcomes = {o.id: o for o in plan.debts}
    plan_debts = tuple(
        ReportDebt(
            d.id,
            d.name,
            d.lender,
            balances.get(d.id, Decimal("0")),  # type: ignore[arg-type]
            _rate_text(d, lang),
            outcomes[d.id].payoff_date if d.id in outcomes else None,
            (outcomes[d.id].interest + outcomes[d.id].fees) if d.id in outcomes else Decimal("0"),
        )
        for d in debts
        if d.id in outcomes
    )
    months = tuple(
        PlanMonth(m.month, m.date, tuple(m.payments), m.remaining, tuple(getattr(m, "balances", ())))
        for m in plan.months_detail
    )
    compared = tuple(
        result(by_key[k])
        for k in ("avalanche", "snowball", "custom", "triage", "minimum_only", "minimum-only")
        if k in by_key
    )
    presets = product_presets()
    assumptions = [(tr(text, lang), tr(source, lang)) for text, source in PLAN_ASSUMPTIONS]
    seen: set[str] = set()
    for d in debts:
        preset = presets.get(d.kind)
        if preset is None:
            continue
        for src in preset.sources:
            if src.key not in seen:
                seen.add(src.key)
                assumptions.append(
                    (
                        tr("{product}: {fact}", lang, product=preset.label(lang), fact=src.title_for(lang)),
                        tr(
                            "{where} (checked {date})",
                            lang,
                            where=src.where_for(lang) or src.title_for(lang),
                            date=src.checked,
                        ),
                    )
                )
    unpaid = getattr(plan, "unpaid_debts", ())
    note = ""
    if unpaid:
        note = tr(
            "With this budget some minimums go unpaid: {debts}. Missing them adds penalty interest and "
            "fees and can be reported to the credit bureau.",
            lang,
            debts=("、" if lang == "zh_CN" else ", ").join(o.name for o in unpaid),
        )
    return PlanReport(
        lang=lang,
        as_of=as_of,
        person=person,
        budget=budget,
        income=income,
        expenses=expenses,
        chosen=result(plan),
        debts=plan_debts,
        months=months,
        compared=compared,
        assumptions=tuple(assumptions),
        unpaid_note=note,
    )


def plan_report(
    svc: Services,
    budget: Decimal,
    strategy: str,
    lang: str,
    as_of: date,
    *,
    order: Sequence[int] | None = None,
) -> Any:
    """The repayment-plan report for a budget and strategy, from the engine's plans."""
    from services import planning

    if budget <= 0:
        raise UserError(tr("The budget must be more than zero."))
    plans, _comparisons = planning.compare_strategies(svc, budget, as_of, order=order)
    summaries = debt_balances(svc, as_of)
    debts = [d for d, _balance, _days in summaries.values()]
    balances = {debt_id: balance for debt_id, (_debt, balance, _days) in summaries.items()}
    b = svc.get_budget()
    person = person_details(svc).name
    return plan_report_from_plans(
        plans,
        strategy,
        debts,
        balances,
        budget=budget,
        income=b.income,
        expenses=b.essential_total,
        person=person,
        lang=lang,
        as_of=as_of,
    )


def write_plan_pdf(report: Any, out: Path | BinaryIO) -> None:
    """The plan report to ``out``: a path (written whole and private) or an open binary file."""
    from documents.plan_report import render_plan_report

    if not isinstance(out, str | PathLike):
        render_plan_report(report, out)
        return
    try:
        with atomic_file(out) as fh:
            render_plan_report(report, cast(BinaryIO, fh))
    except OSError as exc:
        raise UserError(
            tr("Cannot write {path}: {reason}", path=str(out), reason=exc.strerror or str(exc))
        ) from exc
