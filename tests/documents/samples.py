"""Letter facts a person in debt might have: the same figures in every letter test."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from documents.letter_data import (
    ChargeLine,
    ContactLine,
    DebtLine,
    LetterFacts,
    LetterOffer,
    Person,
    ScheduleLine,
)
from domain.debts import (
    Budget,
    ContactChannel,
    ContactTarget,
    Debt,
    DebtKind,
    Lender,
    Method,
    RateUnit,
)

AS_OF = date(2026, 11, 23)
PERSON = Person(
    name="李明",
    address="北京市朝阳区建国路88号3单元502室",
    phone="138-0013-8000",
    id_number="110101199001011234",
    city="北京",
)
CARD = Debt(
    name="招行信用卡",
    lender="招商银行信用卡中心",
    kind=DebtKind.CREDIT_CARD,
    principal=Decimal("48000.00"),
    start_date=date(2025, 6, 5),
    method=Method.REVOLVING,
    months=12,
    rate=Decimal("0.05"),
    rate_unit=RateUnit.DAY,
    overdue_since=date(2026, 7, 25),
    overdue_amount=Decimal("6800.00"),
    id=3,
)
LAPSED = Debt(
    name="旧信用卡",
    lender="某银行信用卡中心",
    kind=DebtKind.CREDIT_CARD,
    principal=Decimal("8000.00"),
    start_date=date(2019, 1, 5),
    method=Method.REVOLVING,
    months=12,
    overdue_since=date(2019, 6, 5),
    overdue_amount=Decimal("8000.00"),
    id=9,
)
PRIVATE = Debt(
    name="向张伟借款",
    lender="张伟",
    kind=DebtKind.PRIVATE_LOAN,
    principal=Decimal("30000.00"),
    start_date=date(2025, 3, 1),
    method=Method.BULLET,
    months=24,
    rate=Decimal("24"),
    rate_unit=RateUnit.YEAR,
    received_amount=Decimal("27000.00"),
    id=7,
)
BUDGET = Budget(
    income=Decimal("6500.00"),
    expenses={
        "Rent": Decimal("2200.00"),
        "Food": Decimal("1500.00"),
        "Transport": Decimal("300.00"),
        "Utilities and phone": Decimal("250.00"),
    },
)
DEBTS = (
    DebtLine(
        "招行信用卡",
        "招商银行",
        Decimal("51234.56"),
        Decimal("5123.46"),
        121,
        Decimal("1041.38"),
        Decimal("0.4628"),
    ),
    DebtLine(
        "京东白条",
        "京东金融",
        Decimal("12000.00"),
        Decimal("1060.00"),
        0,
        Decimal("243.91"),
        Decimal("0.1084"),
    ),
    DebtLine(
        "向张伟借款", "张伟", Decimal("47468.00"), Decimal("0.00"), 0, Decimal("964.71"), Decimal("0.4288")
    ),
)
OFFER = LetterOffer(
    monthly=Decimal("1041.38"),
    start=date(2026, 12, 15),
    months=50,
    total=Decimal("52069.00"),
    end=date(2031, 1, 15),
    share=Decimal("0.4628"),
    surplus=Decimal("2250.00"),
)


def schedule(n: int = 50) -> tuple[ScheduleLine, ...]:
    rows = []
    balance = Decimal("51234.56")
    for k in range(1, n + 1):
        pay = Decimal("1041.38") if k < n else balance
        balance -= pay
        rows.append(ScheduleLine(k, date(2026 + (11 + k - 1) // 12, (11 + k - 1) % 12 + 1, 15), pay, balance))
    return tuple(rows)


CONTACTS = (
    ContactLine(
        datetime(2026, 10, 12, 23, 40),
        ContactChannel.PHONE,
        ContactTarget.DEBTOR,
        "自称法务部王专员",
        "深夜来电，称三天内不还款就上门并通知派出所抓人。",
        ("22:00至次日08:00未经同意联系", "虚构或夸大法律后果"),
    ),
    ContactLine(
        datetime(2026, 10, 20, 10, 5),
        ContactChannel.PHONE,
        ContactTarget.HOMETOWN,
        "催收员",
        "打电话到户籍地村委会，告知本人欠款并要求转告家人。",
        ("向与债务无关的第三人催收并透露债务",),
    ),
)
CHARGES = (
    ChargeLine(
        "年利率24.00%超过12.40%的上限（2025年3月1日一年期LPR 3.10%的4倍）：超过上限的利息法院不予支持"
        "（最高法民间借贷规定第二十五条）。",
        Decimal("5400.00"),
    ),
    ChargeLine(
        "¥30,000.00中只有¥27,000.00实际到账：预先扣除的利息（砍头息）不应偿还（民法典第六百七十条）。",
        Decimal("3000.00"),
    ),
)


def facts(debt: Debt = CARD, **changes: object) -> LetterFacts:
    base = LetterFacts(
        person=PERSON,
        debt=debt,
        as_of=AS_OF,
        balance=Decimal("51234.56"),
        lender=Lender(
            name="招商银行信用卡中心",
            kind=DebtKind.CREDIT_CARD,
            address="上海市浦东新区陆家嘴环路1088号",
            account_number="6225888812345678",
        ),
        days_overdue=121,
        overdue_amount=Decimal("6800.00"),
        penalty_interest=Decimal("1632.40"),
        late_fees=Decimal("340.00"),
        paid_total=Decimal("9600.00"),
        budget=BUDGET,
        debts=DEBTS,
        offer=OFFER,
        schedule=schedule(),
        cause="2026年3月本人所在公司裁员，本人失业四个月，7月重新就业后收入下降约40%。",
        contacts=CONTACTS,
        charges=CHARGES,
        lpr=Decimal("3.10"),
        cap=Decimal("12.40"),
        reference="DK-0003-20261123-N",
    )
    from dataclasses import replace

    if debt.kind == DebtKind.PRIVATE_LOAN:
        lender = Lender(name=debt.lender, kind=debt.kind, address="北京市海淀区学院路15号")
        base = replace(
            base,
            lender=lender,
            days_overdue=0,
            penalty_interest=Decimal("0"),
            late_fees=Decimal("0"),
            reference="DK-0007-20261123-D",
        )
    return replace(base, **changes)  # type: ignore[arg-type]


def plan_report(lang: str = "zh_CN", debts: int = 3, months: int = 24):
    """A plan over ``debts`` debts and ``months`` months, paid down evenly (for layout, not for money)."""
    from documents.plan_report import PlanMonth, PlanReport, PlanResult, ReportDebt

    plan_debts = tuple(
        ReportDebt(
            i + 1,
            f"债务{i + 1}" if lang == "zh_CN" else f"Debt {i + 1}",
            f"贷方{i + 1}",
            Decimal(1200 * months) + i,
            "18.00%",
            date(2026 + (11 + months) // 12, (11 + months) % 12 + 1, 15),
            Decimal("123.45") * (i + 1),
        )
        for i in range(debts)
    )
    rows = []
    balances = {d.id: d.balance for d in plan_debts}
    for m in range(1, months + 1):
        pays = []
        for d in plan_debts:
            pay = min(Decimal(1200), balances[d.id]) if m < months else balances[d.id]
            balances[d.id] -= pay
            pays.append((d.id, pay))
        rows.append(
            PlanMonth(
                m,
                date(2026 + (11 + m - 1) // 12, (11 + m - 1) % 12 + 1, 15),
                tuple(pays),
                sum(balances.values(), Decimal(0)),
                tuple(balances.items()),
            )
        )
    remaining = tuple(r.remaining for r in rows)
    chosen = PlanResult(
        "雪崩法" if lang == "zh_CN" else "Avalanche",
        months,
        rows[-1].date,
        Decimal("2345.67"),
        Decimal("98765.43"),
        remaining,
    )
    other = PlanResult(
        "雪球法" if lang == "zh_CN" else "Snowball",
        months + 2,
        rows[-1].date,
        Decimal("2789.01"),
        Decimal("99208.77"),
        remaining + (Decimal(500), Decimal(0)),
    )
    return PlanReport(
        lang=lang,
        as_of=AS_OF,
        person=PERSON.name,
        budget=Decimal("2250.00"),
        income=Decimal("6500.00"),
        expenses=Decimal("4250.00"),
        chosen=chosen,
        debts=plan_debts,
        months=tuple(rows),
        compared=(chosen, other),
        assumptions=(
            ("信用卡违约金按合同，通常为最低还款额未还部分的5%", "银发〔2020〕327号"),
            ("一年期LPR 3.0%（2025-05-20起）", "中国人民银行公告"),
        ),
    )


SETTINGS = {
    "person.name": PERSON.name,
    "person.address": PERSON.address,
    "person.phone": PERSON.phone,
    "person.id_number": PERSON.id_number,
    "person.city": PERSON.city,
}


def open_services(
    path, debts=(CARD, PRIVATE), contacts=(), payments=(), *, settings=None, budget=BUDGET, lenders=()
):
    """A real database at ``path`` holding the letter tests' debts with their own ids (CARD 3,
    PRIVATE 7, LAPSED 9), contacts, payments, lenders, the person's details and budget."""
    from dataclasses import replace

    from services.app import Services
    from services.debtjson import debt_to_json

    svc = Services.open(path)
    fillers = []
    for debt in sorted(debts, key=lambda d: d.id):
        while (new := svc.add_debt(debt_to_json(replace(debt, id=None), with_id=False))) < debt.id:
            fillers.append(new)  # an id below the sample's: taken, then given back below
        assert new == debt.id
    for filler in fillers:
        svc.remove_debt(filler)
    for entry in contacts:
        svc.add_contact(replace(entry, id=None))
    for payment in payments:
        svc.add_payment(payment.debt_id, payment.amount, payment.date, payment.note)
    for lender in lenders:
        svc.add_lender(lender)
    for key, value in (SETTINGS if settings is None else settings).items():
        svc.set_setting(key, value)
    if budget is not None:
        svc.set_budget(budget)
    return svc
