"""What being overdue costs and triggers, day by day.

For one debt, its payments and an as-of date: how many days it is overdue, what
is in arrears, the penalty interest and late fees that accrued, the total due
now and on future dates, the escalation timeline (reminders, credit report,
risk class, collection, lawsuit, enforcement), the legal checks a person can
dispute with, and the limitation period. Every figure comes with the rule it
used (``RuleUse``) so the person sees why.

Day numbering (ARCHITECTURE.md): ``overdue_since`` is the first missed due
date; on ``overdue_since + N`` days the debt is N days overdue. Grace days are
counted in; paid within them, nothing is charged (容时容差), after them charges
count from the due date.

Rounding: charges accrue unrounded, day by day on the amounts outstanding;
penalty interest and late fees are each rounded half-up to the fen once, at the
date asked for, as a statement prints them. Arrears are already whole fen.
Texts are English msgids with ``{params}``, translated where shown.

The package holds one subject per module, each readable alone: ``types`` (the
values), ``charges`` (arrears, penalty interest and late fees), ``escalation``
(the timeline), ``legal`` (the checks), ``limitation`` (the limitation period)
and ``report`` (all of it for one debt and day).
"""

from __future__ import annotations

from domain.dates import add_months, add_years  # noqa: F401 (re-exported)
from domain.money import HUNDRED  # noqa: F401 (re-exported)
from domain.overdue._common import (  # noqa: F401
    annual_percent,
    daily_rate,
    next_due_date,
    penalty_daily_rate,
)
from domain.overdue.charges import (  # noqa: F401
    arrears,
    charges_on,
    project,
)
from domain.overdue.escalation import (  # noqa: F401
    card_overdrawn_principal,
    current_stage,
    next_serious,
    stage_for,
    timeline,
)
from domain.overdue.legal import (  # noqa: F401
    compared_annual_percent,
    contract_annual_percent,
    effective_annual_percent,
    legal_checks,
)
from domain.overdue.limitation import (  # noqa: F401
    last_due_date,
    limitation,
    limitation_explanation,
    restart_needs_question,
    restart_warning,
)
from domain.overdue.report import (  # noqa: F401
    cost_per_day,
    overdue_report,
)
from domain.overdue.types import (  # noqa: F401
    COMING,
    CURRENT,
    PAST,
    WARN_WINDOW_MONTHS,
    ArrearsRowLike,
    Charges,
    Event,
    Instalment,
    LegalCheck,
    Limitation,
    OverdueReport,
    OverdueRules,
    ProjectionPoint,
    RuleUse,
)

__all__ = [
    "ArrearsRowLike",
    "COMING",
    "CURRENT",
    "Charges",
    "Event",
    "HUNDRED",
    "Instalment",
    "LegalCheck",
    "Limitation",
    "OverdueReport",
    "OverdueRules",
    "PAST",
    "ProjectionPoint",
    "RuleUse",
    "WARN_WINDOW_MONTHS",
    "add_months",
    "add_years",
    "annual_percent",
    "arrears",
    "card_overdrawn_principal",
    "charges_on",
    "compared_annual_percent",
    "contract_annual_percent",
    "cost_per_day",
    "current_stage",
    "daily_rate",
    "effective_annual_percent",
    "last_due_date",
    "legal_checks",
    "limitation",
    "limitation_explanation",
    "next_due_date",
    "next_serious",
    "overdue_report",
    "penalty_daily_rate",
    "project",
    "restart_needs_question",
    "restart_warning",
    "stage_for",
    "timeline",
]
