"""The legal checks a person can dispute with: rate caps, charges, interest deducted up front, penalties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.apr import debt_apr
from domain.debts import N_, Debt, Method
from domain.money import HUNDRED, ZERO, round_fen
from domain.overdue._common import _money, _pct, annual_percent, daily_rate, penalty_daily_rate
from domain.overdue.limitation import last_due_date
from domain.overdue.types import ArrearsRowLike, Charges, LegalCheck, OverdueRules

# --- legal checks ------------------------------------------------------------------------


def _cap_percent(
    debt: Debt, rules: OverdueRules, as_of: date
) -> tuple[Decimal | None, str, Mapping[str, str]]:
    """4 x the one-year LPR that governs this contract, and how it was chosen."""
    legal = rules.legal
    multiple = legal.rules["private_rate_cap"].decimal("lpr_multiple")
    new_from = date.fromisoformat(str(legal.rules["old_private_lines"].params["new_rules_from"]))
    when = debt.start_date if debt.start_date >= new_from else as_of
    lpr = rules.lpr.at(when)
    if lpr is None:
        return None, "", {}
    basis = "contract" if when == debt.start_date else "transition"
    return (
        multiple * lpr.one_year,
        basis,
        {
            "lpr": _pct(lpr.one_year),
            "lpr_date": lpr.effective.isoformat(),
            "multiple": str(multiple),
            "when": when.isoformat(),
        },
    )


def contract_annual_percent(debt: Debt, rules: OverdueRules) -> Decimal:
    """Nominal annual cost: interest plus monthly fees (on the original principal), over what was received."""
    yearly = annual_percent(debt.rate, debt.rate_unit, rules.legal) + debt.fee_rate * 12
    if debt.received_amount is not None and 0 < debt.received_amount < debt.principal:
        yearly = yearly * debt.principal / debt.received_amount
    return yearly


def effective_annual_percent(debt: Debt, rows: Sequence[ArrearsRowLike] | None = None) -> Decimal | None:
    """The true annual rate by IRR (monthly IRR × 12, PBOC 〔2021〕3号): the debt's one effective
    rate (``domain.apr.debt_apr``), the same figure every page and letter shows.

    None when there is no schedule to read or no rate balances the flows.
    """
    return debt_apr(debt, rows)


def compared_annual_percent(
    debt: Debt, rules: OverdueRules, rows: Sequence[ArrearsRowLike] | None = None
) -> tuple[Decimal, Decimal, Decimal, str]:
    """(compared, nominal, effective, basis) for the 4 × LPR check.

    The effective rate by IRR is compared: it counts fees and when each sum is paid. Interest
    paid in one sum at the end is discounted by the IRR below the agreed simple rate, so where
    the nominal rate on what was received is higher, that is compared instead (the court reads
    the agreed rate). ``basis`` says which: "effective" or "nominal".
    """
    nominal = contract_annual_percent(debt, rules)
    effective = effective_annual_percent(debt, rows)
    if effective is None:
        return nominal, nominal, nominal, "nominal"
    if nominal > effective:
        return nominal, nominal, effective, "nominal"
    return effective, nominal, effective, "effective"


def _principal_as_received(debt: Debt) -> Debt:
    """The debt as a court reads it when interest was deducted in advance (砍头息): the principal is
    what was received (Civil Code Art. 670; SPC private-lending provisions Art. 26), so the deduction
    is disputed once, as principal, and the agreed rate applies to what was received."""
    if debt.received_amount is not None and 0 < debt.received_amount < debt.principal:
        return replace(debt, principal=debt.received_amount, received_amount=None)
    return debt


def _outstanding_periods(
    debt: Debt, rows: Sequence[ArrearsRowLike] | None, start: date, end: date
) -> list[tuple[date, date, Decimal]]:
    """(from, to, principal outstanding) between ``start`` and ``end``, by the schedule's principal."""
    if rows is None:
        from domain.schedules import schedule_for

        try:
            rows = schedule_for(debt).rows
        except (ValueError, ArithmeticError):
            rows = ()
    periods: list[tuple[date, date, Decimal]] = []
    outstanding, since = debt.principal, start
    for row in sorted(rows, key=lambda r: r.due_date):
        to = min(row.due_date, end)
        if to > since:
            periods.append((since, to, outstanding))
        since = max(since, row.due_date)
        outstanding -= row.principal
        if since >= end or outstanding <= 0:
            break
    if since < end and outstanding > 0:
        periods.append((since, end, outstanding))
    return periods


def _over_line(
    periods: Sequence[tuple[date, date, Decimal]],
    yearly: Decimal,
    line_on: Mapping[str, Decimal],
    new_from: date,
    per_year: int,
) -> Decimal:
    """Interest above the line, period by period on the principal outstanding: before ``new_from``
    the old line (``line_on["old"]``), from it on the new one (``line_on["new"]``)."""
    total = ZERO
    for since, to, outstanding in periods:
        for part_from, part_to, line in (
            (since, min(to, new_from), line_on["old"]),
            (max(since, new_from), to, line_on["new"]),
        ):
            days = (part_to - part_from).days
            if days > 0 and yearly > line:
                total += (yearly - line) / HUNDRED * outstanding * days / per_year
    return round_fen(total)


def legal_checks(
    debt: Debt,
    charges: Charges,
    as_of: date,
    rules: OverdueRules,
    maturity: date | None = None,
    *,
    rows: Sequence[ArrearsRowLike] | None = None,
) -> tuple[LegalCheck, ...]:
    """What the person can dispute: each check with its article, and the amount over the line."""
    legal = rules.legal
    per_year, per_month = legal.day_count()
    checks: list[LegalCheck] = []
    cap, basis, cap_params = _cap_percent(debt, rules, as_of)

    # 1. The contract rate against 4 x LPR (private lending); the principal is what was received.
    rule = legal.rules["private_rate_cap"]
    as_lent = _principal_as_received(debt)
    cap_rows = rows if as_lent is debt else None
    # The figures shown are the debt's own (the same effective rate as every other page); the rate
    # compared is the agreed one on what was received when interest was deducted in advance.
    _, nominal, effective, rate_basis = compared_annual_percent(debt, rules, rows)
    yearly, _, _, as_lent_basis = compared_annual_percent(as_lent, rules, cap_rows)
    rate_basis = "as_received" if as_lent is not debt else as_lent_basis
    figures = {"nominal": _pct(nominal), "effective": _pct(effective), "basis": rate_basis}
    old_lines = legal.rules["old_private_lines"]
    new_from = date.fromisoformat(str(old_lines.params["new_rules_from"]))
    old_line = old_lines.decimal("supported_percent")
    end = min(as_of, maturity or last_due_date(debt))
    all_old = debt.start_date < new_from and end <= new_from
    if all_old and rule.applies(debt.kind):
        # Interest that ran wholly before 2020-08-20 follows the 2015 provisions (Art. 31): no LPR.
        periods = _outstanding_periods(as_lent, cap_rows, debt.start_date, end)
        over = _over_line(periods, yearly, {"old": old_line, "new": old_line}, new_from, per_year)
        text = N_(
            "The contract was made, and its interest ran, before 2020-08-20, so the 2015 private-lending "
            "provisions apply (SPC private-lending provisions Art. 31; 法释〔2015〕18号 Art. 26): up to 24% "
            "a year is supported, 24%–36% cannot be reclaimed once paid, above 36% is void. Compared: "
            "{basis}, {rate} a year (effective by IRR with fees {effective}, nominal {nominal}). Above the "
            "24% line so far: about {amount}."
        )
        params = {
            "rate": _pct(yearly),
            "cap": _pct(old_line),
            "amount": _money(over),
            **figures,
            "void": _pct(old_lines.decimal("void_percent")),
        }
        checks.append(
            LegalCheck(
                "rate_cap",
                yearly <= old_line,
                True,
                text,
                params,
                old_lines.cited,
                over if yearly > old_line else ZERO,
            )
        )
    elif cap is None:
        checks.append(
            LegalCheck(
                "rate_cap",
                True,
                False,
                N_("No LPR is known for {date}: the rate ceiling cannot be checked."),
                {"date": debt.start_date.isoformat()},
                rule.cited,
            )
        )
    elif rule.applies(debt.kind):
        # Interest above the cap on the principal outstanding (what was received, less principal
        # due since), from the contract date up to today or the end of the term (after it, the
        # overdue-cap check covers the charges). Before 2020-08-20 the old 24% line applies.
        periods = _outstanding_periods(as_lent, cap_rows, debt.start_date, end)
        over = _over_line(periods, yearly, {"old": old_line, "new": cap}, new_from, per_year)
        params = {"rate": _pct(yearly), "cap": _pct(cap), "amount": _money(over), **figures, **cap_params}
        if yearly > cap:
            text = N_(
                "Effective rate {effective} a year (by IRR, fees included), nominal {nominal} a year. "
                "Compared with the cap: {basis}, {rate} a year, above the cap of {cap} ({multiple} × the "
                "one-year LPR of {lpr} on {when}): interest above the cap is not supported by courts (SPC "
                "private-lending provisions Art. 25). So far that is about {amount} you can dispute."
            )
        else:
            text = N_(
                "Effective rate {effective} a year (by IRR, fees included), nominal {nominal} a year. "
                "Compared with the cap: {basis}, {rate} a year, within the cap of {cap} ({multiple} × the "
                "one-year LPR of {lpr} on {when}; SPC private-lending provisions Art. 25)."
            )
        if basis == "transition":
            text = N_(
                "The contract predates 2020-08-20: interest up to 2020-08-19 is judged by the old 24% "
                "line, interest after it by {multiple} × the LPR when suing ({lpr} on {when}, cap {cap}); "
                "compared: {basis}, {rate} a year (effective by IRR with fees {effective}, nominal "
                "{nominal}; SPC private-lending provisions Art. 31)."
            )
        checks.append(
            LegalCheck("rate_cap", over == 0 and yearly <= cap, True, text, params, rule.cited, over)
        )
    else:
        checks.append(
            LegalCheck(
                "rate_cap",
                True,
                False,
                N_(
                    "The {multiple} × LPR cap ({cap}) binds private lenders only, not licensed lenders "
                    "such as banks, consumer-finance and small-loan companies (SPC private-lending "
                    "provisions Art. 1; reply 法释〔2020〕27号). For comparison, your effective rate is "
                    "{effective} a year (by IRR, fees included; nominal {nominal} a year)."
                ),
                {"rate": _pct(yearly), "cap": _pct(cap), **figures, **cap_params},
                rule.cited,
            )
        )

    # 2. Overdue interest + 违约金 + fees together against the same cap.
    rule = legal.rules["private_overdue_cap"]
    pen_rate, _ = penalty_daily_rate(debt, rules)
    overdue_yearly = (
        pen_rate * per_year * HUNDRED
        + debt.late_fee_rate_per_day * per_year
        + rules.terms.cycle_fee_percent * 12
    )
    if cap is not None and rule.applies(debt.kind):
        # The cap applies to the base the overdue interest accrues on (the contract's penalty base).
        base = charges.overdue_principal
        if rules.terms.penalty_base == "principal_and_interest":
            base += charges.overdue_interest
        allowed = round_fen(base * cap / HUNDRED * charges.days_overdue / per_year)
        over = max(ZERO, charges.charges - allowed)
        ok = overdue_yearly <= cap and over == 0
        text = (
            N_(
                "Overdue interest, 违约金 and fees together come to {rate} a year, within the cap of {cap} "
                "(SPC private-lending provisions Art. 29)."
            )
            if ok
            else N_(
                "Overdue interest, 违约金 and fees together come to {rate} a year, above the cap of {cap}: "
                "the part above it is not supported (SPC private-lending provisions Art. 29). So far "
                "{amount} of the {charges} charged is above the cap."
            )
        )
        checks.append(
            LegalCheck(
                "overdue_cap",
                ok,
                True,
                text,
                {
                    "rate": _pct(overdue_yearly),
                    "cap": _pct(cap),
                    "amount": _money(over),
                    "charges": _money(charges.charges),
                },
                rule.cited,
                over,
            )
        )
    elif cap is not None:
        checks.append(
            LegalCheck(
                "overdue_cap",
                True,
                False,
                N_(
                    "Overdue charges on this debt come to {rate} a year. The combined cap of {cap} binds "
                    "private lenders only; for licensed lenders see the 24% line courts use and the "
                    "excessive-charges check."
                ),
                {"rate": _pct(overdue_yearly), "cap": _pct(cap)},
                rule.cited,
            )
        )

    # 3. Interest taken in advance (砍头息).
    rule = legal.rules["advance_interest"]
    if debt.received_amount is not None and debt.received_amount < debt.principal:
        gap = debt.principal - debt.received_amount
        checks.append(
            LegalCheck(
                "advance_interest",
                False,
                True,
                N_(
                    "Only {received} of {principal} reached you: interest taken in advance (砍头息) is "
                    "not owed and the principal is what you received (Civil Code Art. 670; SPC "
                    "private-lending provisions Art. 26). "
                    "You can dispute {amount} of principal and the interest charged on it."
                ),
                {
                    "received": _money(debt.received_amount),
                    "principal": _money(debt.principal),
                    "amount": _money(gap),
                },
                rule.cited,
                gap,
            )
        )
    else:
        checks.append(
            LegalCheck(
                "advance_interest",
                True,
                True,
                N_(
                    "No interest taken in advance is recorded. If less than the loan amount reached you, "
                    "enter what you received: the principal is only what you received (Civil Code Art. 670)."
                ),
                {},
                rule.cited,
            )
        )

    # 4. An excessive 违约金: charges more than 30% above the lender's loss.
    rule = legal.rules["excessive_penalty"]
    if rule.applies(debt.kind):
        margin = rule.decimal("over_loss_percent")
        loss_daily = daily_rate(debt.rate, debt.rate_unit, legal) + debt.fee_rate / HUNDRED / per_month
        loss_basis = "contract"
        if loss_daily == 0:
            lpr = rules.lpr.at(debt.overdue_since or as_of)
            loss_daily = lpr.one_year / HUNDRED / per_year if lpr else ZERO
            loss_basis = "lpr"
        surcharge = legal.rules["penalty_surcharge"]
        financial = surcharge.applies(debt.kind)
        if financial:
            # A financial loan's penalty may be its rate plus 30%-50% (银发〔2003〕251号 item 3); the
            # lender's loss is never counted above the line courts use (法发〔2017〕22号 Art. 2).
            margin = surcharge.decimal("max_percent")
            line_daily = legal.rules["financial_line"].decimal("percent") / HUNDRED / per_year
            if loss_daily > line_daily:
                loss_daily, loss_basis = line_daily, "financial_line"
        charge_daily = (
            pen_rate
            + debt.late_fee_rate_per_day / HUNDRED
            + rules.terms.cycle_fee_percent / HUNDRED / per_month
        )
        limit = loss_daily * (1 + margin / HUNDRED)
        terms_excessive = charge_daily > limit and charge_daily > 0
        # Art. 585 reduces a 违约金 actually claimed: without charges yet, the terms are only a warning.
        excessive = terms_excessive and charges.charges > 0
        over = round_fen(charges.charges * (charge_daily - limit) / charge_daily) if excessive else ZERO
        params = {
            "charge": _pct(charge_daily * HUNDRED * per_year),
            "loss": _pct(loss_daily * HUNDRED * per_year),
            "margin": _pct(margin),
            "amount": _money(over),
            "basis": loss_basis,
        }
        text = (
            (
                N_(
                    "Late charges of {charge} a year are more than {margin} above the contract's own rate "
                    "({loss} a year, {basis}), the most a financial loan's penalty usually adds: you can ask "
                    "to reduce them (Civil Code Art. 585; 法发〔2017〕22号 Art. 2). So far about {amount} is "
                    "above that line."
                )
                if excessive
                else N_(
                    "If charged, late charges of {charge} a year would be more than {margin} above the "
                    "contract's own rate ({loss} a year, {basis}), the most a financial loan's penalty "
                    "usually adds: you could then ask to reduce them (Civil Code Art. 585)."
                )
                if terms_excessive
                else N_(
                    "Late charges of {charge} a year are within {margin} above the contract's own rate "
                    "({loss} a year, {basis}): a penalty of the contract rate plus 30%–50% is the norm for "
                    "financial loans (PBOC 银发〔2003〕251号 item 3), not an excess in itself."
                )
            )
            if financial
            else N_(
                "Late charges of {charge} a year are more than {margin} above the lender's likely loss "
                "({loss} a year, {basis}): you can ask to reduce them (Civil Code Art. 585; "
                "2023 contract interpretation Art. 65). So far about {amount} is above that line."
            )
            if excessive
            else N_(
                "If charged, late charges of {charge} a year would be more than {margin} above the lender's "
                "likely loss ({loss} a year, {basis}): you could then ask to reduce them (Civil Code "
                "Art. 585; 2023 contract interpretation Art. 65)."
            )
            if terms_excessive
            else N_(
                "Late charges of {charge} a year are not more than {margin} above the lender's likely loss "
                "({loss} a year, {basis}; Civil Code Art. 585, 2023 contract interpretation Art. 65)."
            )
        )
        cited = surcharge.cited if financial else rule.cited
        checks.append(LegalCheck("excessive_penalty", not excessive, True, text, params, cited, over))

    # 5. Licensed lenders: the 24% a year line courts commonly apply to all charges together.
    line_rule = legal.rules["financial_line"]
    if line_rule.applies(debt.kind):
        line = line_rule.decimal("percent")
        # Compared to the hundredth of a percent shown: an annuity's rounded payments put its IRR a
        # hair above its own rate.
        yearly_shown = yearly.quantize(Decimal("0.01"))
        card_rule = legal.rules["financial_line_card"]
        cited = card_rule.cited if card_rule.applies(debt.kind) else line_rule.cited
        periods = _outstanding_periods(as_lent, cap_rows, debt.start_date, end)
        contract_over = (
            _over_line(periods, yearly_shown, {"old": line, "new": line}, new_from, per_year)
            if debt.method is not Method.REVOLVING
            else ZERO
        )
        base = charges.overdue_principal
        if rules.terms.penalty_base == "principal_and_interest":
            base += charges.overdue_interest
        if debt.method is Method.REVOLVING:
            # A card's interest runs on the whole balance, so the line is measured on it too.
            base = max(base, debt.principal)
        allowed = round_fen(base * line / HUNDRED * charges.days_overdue / per_year)
        overdue_over = max(ZERO, charges.charges - allowed)
        total_over = contract_over + overdue_over
        within = total_over == 0 and yearly_shown <= line and overdue_yearly <= line
        params = {
            "line": _pct(line),
            "rate": _pct(yearly),
            "overdue": _pct(overdue_yearly),
            "amount": _money(total_over),
            **figures,
        }
        text = (
            N_(
                "Courts commonly reduce, when a borrower asks, the interest, compound interest, penalty "
                "interest, 违约金 and other charges of a loan from a licensed lender above {line} a year in "
                "total (SPC 法发〔2017〕22号 Art. 2; for cards also the bank-card provisions Art. 2). This "
                "debt is within it: {rate} a year under the contract ({basis}), {overdue} a year in overdue "
                "charges."
            )
            if within
            else N_(
                "Courts commonly reduce, when a borrower asks, the interest, compound interest, penalty "
                "interest, 违约金 and other charges of a loan from a licensed lender above {line} a year in "
                "total (SPC 法发〔2017〕22号 Art. 2; for cards also the bank-card provisions Art. 2). This "
                "debt: {rate} a year under the contract ({basis}), {overdue} a year in overdue charges. "
                "About {amount} so far is above that line: you can dispute it."
            )
        )
        checks.append(LegalCheck("financial_line", within, True, text, params, cited, total_over))

    # 6. Cards: the cardholder may ask the court to reduce interest, compound interest, 违约金 and fees.
    rule = legal.rules["card_reduce"]
    if rule.applies(debt.kind):
        checks.append(
            LegalCheck(
                "card_reduce",
                True,
                True,
                N_(
                    "In court you may ask to reduce the total of interest, compound interest, 违约金 and "
                    "instalment "
                    "fees as too high ({amount} in late charges so far; SPC bank-card provisions Art. 2)."
                ),
                {"amount": _money(charges.charges)},
                rule.cited,
                charges.charges,
            )
        )
    return tuple(checks)
