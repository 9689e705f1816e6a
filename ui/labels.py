"""Names the window shows for codes (kinds, methods, statuses) and value formatting.

Amounts and dates always go through resources.i18n (Babel); this module only
picks the right label for an enum value in the current language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from domain.debts import (
    ContactChannel,
    ContactConduct,
    ContactTarget,
    DebtKind,
    DebtStatus,
    Method,
    RateUnit,
)
from resources.i18n import N_, _, format_date, format_money, format_percent, get_language

METHOD_LABELS = {
    Method.EQUAL_INSTALLMENT: N_("Equal instalments"),
    Method.EQUAL_PRINCIPAL: N_("Equal principal"),
    Method.INTEREST_ONLY: N_("Interest only, principal at the end"),
    Method.BULLET: N_("Everything at maturity"),
    Method.FEE_INSTALLMENT: N_("Instalments with a monthly fee"),
    Method.DAILY_INTEREST: N_("Daily interest"),
    Method.REVOLVING: N_("Revolving balance"),
}

STATUS_LABELS = {
    DebtStatus.ACTIVE: N_("Active"),
    DebtStatus.OVERDUE: N_("Overdue"),
    DebtStatus.NEGOTIATING: N_("Negotiating"),
    DebtStatus.SETTLED: N_("Settled"),
    DebtStatus.ARCHIVED: N_("Archived"),
}

RATE_UNIT_LABELS = {
    RateUnit.DAY: N_("per day"),
    RateUnit.MONTH: N_("per month"),
    RateUnit.YEAR: N_("per year"),
}

CHANNEL_LABELS = {
    ContactChannel.PHONE: N_("Phone call"),
    ContactChannel.SMS: N_("Text message"),
    ContactChannel.WECHAT: N_("WeChat"),
    ContactChannel.LETTER: N_("Letter"),
    ContactChannel.VISIT: N_("Visit"),
    ContactChannel.EMAIL: N_("Email"),
    ContactChannel.OTHER: N_("Other"),
}

TARGET_LABELS = {
    ContactTarget.DEBTOR: N_("Me"),
    ContactTarget.GUARANTOR: N_("My guarantor"),
    ContactTarget.FAMILY: N_("My family"),
    ContactTarget.EMPLOYER: N_("My employer"),
    ContactTarget.HOMETOWN: N_("My home village or community"),
    ContactTarget.FRIEND: N_("A friend"),
    ContactTarget.OTHER: N_("Someone else"),
}

CONDUCT_LABELS = {
    ContactConduct.THREAT: N_("Threatened violence or harm"),
    ContactConduct.INSULT: N_("Insulted me"),
    ContactConduct.POSED_AS_AUTHORITY: N_("Pretended to be a court, police or law firm"),
    ContactConduct.FALSE_LEGAL_CLAIM: N_("Exaggerated legal consequences"),
    ContactConduct.DISCLOSED_DEBT: N_("Told someone else about my debt"),
    ContactConduct.PUBLIC_EXPOSURE: N_("Exposed me publicly"),
    ContactConduct.HOME_VISIT_UNCONSENTED: N_("Came to my home without agreement"),
    ContactConduct.PUSHED_NEW_LOAN: N_("Pushed me to borrow to repay"),
}


def kind_label(kind: DebtKind) -> str:
    from resources.rules import product_presets

    preset = product_presets().get(kind)
    if preset is None:
        return _("Other")
    return preset.label(get_language())


def method_label(method: Method) -> str:
    return _(METHOD_LABELS[method])


def status_label(status: DebtStatus) -> str:
    return _(STATUS_LABELS[status])


def money(amount: Decimal | None) -> str:
    return "—" if amount is None else format_money(amount)


def day(value: date | None) -> str:
    return "—" if value is None else format_date(value)


def percent(value: Decimal | None) -> str:
    return "—" if value is None else format_percent(value)


def rate_text(rate: Decimal, unit: RateUnit) -> str:
    return f"{format_percent(rate, places=4 if unit is RateUnit.DAY else 2)} {_(RATE_UNIT_LABELS[unit])}"
