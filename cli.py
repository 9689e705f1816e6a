"""The command line over the same services the window uses.

The commands, flags and JSON fields are a contract (ARCHITECTURE.md): tests and
scripts rely on them. Exit status: 0 success, 2 bad input (one line on stderr
naming the problem), 1 anything else; ``remind`` exits 3 when nothing is due.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_NOTHING_DUE = 3

METHODS = ("equal-installment", "equal-principal", "interest-only", "bullet", "fee-installment",
           "daily-interest", "revolving")
STRATEGIES = ("avalanche", "snowball", "custom", "triage")
LETTER_KINDS = ("negotiation", "hardship", "proposal", "complaint", "statement", "dispute")
PAGES = ("dashboard", "debts", "payments", "plan", "overdue", "budget", "letters", "reminders", "settings",
         "guide")


class BadInput(Exception):
    """Bad command-line input: exit 2 with this one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message}")


def parse_date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc
    if not date(1970, 1, 1) <= value <= date(2200, 12, 31):
        raise argparse.ArgumentTypeError(f"date out of range 1970-01-01..2200-12-31: {text}")
    return value


def parse_id(text: str) -> int:
    """A record id: a positive whole number SQLite can hold."""
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an id (a whole number): {text!r}") from exc
    if not 1 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(f"no record has the id {text}")
    return value


def parse_lang(text: str) -> str:
    from resources.i18n import LanguageError, normalize_language

    try:
        return normalize_language(text)
    except LanguageError as exc:
        raise argparse.ArgumentTypeError(f"unknown language {text!r} (use zh_CN or en_US)") from exc


def _common(p: argparse.ArgumentParser, as_of: bool = False, as_json: bool = False) -> None:
    p.add_argument("--db", type=Path, default=argparse.SUPPRESS, metavar="PATH",
                   help="the database file (default: the per-user data folder)")
    p.add_argument("--lang", type=parse_lang, default=argparse.SUPPRESS, metavar="LANG",
                   help="language of the output: zh_CN or en_US (zh, en for short)")
    p.add_argument("--password-file", type=Path, default=argparse.SUPPRESS, metavar="FILE",
                   help="a file holding the password of a protected database")
    if as_of:
        p.add_argument("--as-of", type=parse_date, default=None, metavar="YYYY-MM-DD",
                       help="compute as if today were this date (default: today), to reproduce a result")
    if as_json:
        p.add_argument("--json", action="store_true", help="print one JSON document instead of text")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="debtkeeper", description="DebtKeeper (债管家): get out of debt, offline. With no "
                     "command, the desktop window opens.",
                     epilog="Exit status: 0 success, 2 bad input (one line on stderr naming the problem), "
                     "1 anything else; 'remind' exits 3 when nothing is due. Run a command with --help "
                     "for its flags.")
    parser.add_argument("--db", type=Path, default=None, metavar="PATH",
                        help="the database file (default: the per-user data folder)")
    parser.add_argument("--lang", type=parse_lang, default=None, metavar="LANG",
                        help="language of the output: zh_CN or en_US (zh, en for short)")
    parser.add_argument("--password-file", type=Path, default=None, metavar="FILE",
                        help="a file holding the password of a protected database (or DEBTKEEPER_PASSWORD)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("demo", help="fill an empty database with a realistic sample")
    _common(p, as_of=True)

    calc = sub.add_parser("calc", help="calculators that need no database")
    csub = calc.add_subparsers(dest="calc_command", required=True, parser_class=_Parser)
    p = csub.add_parser("schedule", help="one loan's schedule", description="One loan's repayment schedule: "
                        "what is due each period, split into principal, interest and fees.")
    _common(p, as_of=True, as_json=True)
    p.add_argument("--principal", required=True, metavar="AMOUNT", help="the amount borrowed, e.g. 12000")
    p.add_argument("--rate", default="0", metavar="PERCENT",
                   help="the interest rate in percent per --rate-unit (default: 0)")
    p.add_argument("--rate-unit", choices=("day", "month", "year"), default="year",
                   help="what --rate is per: day, month or year (default: year)")
    p.add_argument("--months", type=int, required=True, metavar="N", help="the term in months")
    p.add_argument("--method", choices=METHODS, default="equal-installment", metavar="METHOD",
                   help="how it is repaid: " + ", ".join(METHODS) + " (default: equal-installment)")
    p.add_argument("--fee-rate", default="0", metavar="PERCENT",
                   help="instalment fee in percent of the original principal per month (default: 0)")
    p.add_argument("--start", type=parse_date, default=None, metavar="YYYY-MM-DD",
                   help="the day the money was lent (default: --as-of, else today)")
    p.add_argument("--due-day", type=int, default=None, metavar="DAY",
                   help="day of the month payments fall due, 1-31 (default: the start date's day)")
    p.add_argument("--minimum-percent", default=None, metavar="PERCENT",
                   help="revolving: pay the minimum (this percent of the balance + interest) every cycle")
    p.add_argument("--minimum-floor", default="0", metavar="AMOUNT",
                   help="revolving: the smallest minimum payment (default: 0)")
    p = csub.add_parser("apr", help="effective annual rate by IRR", description="The true yearly cost of a "
                        "loan: the internal rate of return of what you receive and what you repay, fees "
                        "included, as a monthly rate, a simple APR (× 12) and a compound one.")
    _common(p, as_json=True)
    p.add_argument("--principal", required=True, metavar="AMOUNT", help="the amount borrowed, e.g. 12000")
    p.add_argument("--months", type=int, required=True, metavar="N", help="the term in months")
    p.add_argument("--fee-rate", default="0", metavar="PERCENT",
                   help="instalment fee in percent of the original principal per month (default: 0)")
    p.add_argument("--upfront-fee", default="0", metavar="AMOUNT",
                   help="taken off before the money reaches you, e.g. interest in advance (default: 0)")
    p.add_argument("--payment", default=None, metavar="AMOUNT",
                   help="a fixed monthly payment instead of a schedule")
    p.add_argument("--rate", default="0", metavar="PERCENT",
                   help="the interest rate in percent per --rate-unit (default: 0)")
    p.add_argument("--rate-unit", choices=("day", "month", "year"), default="year",
                   help="what --rate is per: day, month or year (default: year)")
    p.add_argument("--method", choices=METHODS, default=None, metavar="METHOD",
                   help="how it is repaid: " + ", ".join(METHODS) + " (default: fee-installment with a fee "
                   "rate, else equal-installment)")

    debt = sub.add_parser("debt", help="add, list and show debts")
    dsub = debt.add_subparsers(dest="debt_command", required=True, parser_class=_Parser)
    p = dsub.add_parser("add", help="add a debt from JSON (a file or - for stdin)")
    _common(p, as_json=False)
    p.add_argument("--json", dest="json_file", required=True, metavar="FILE|-",
                   help="a JSON file describing the debt, or - to read it from standard input")
    p = dsub.add_parser("list", help="every debt with its balance and days overdue")
    _common(p, as_of=True, as_json=True)
    p = dsub.add_parser("show", help="one debt and its payments")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help="the debt's id (see 'debt list')")

    pay = sub.add_parser("payment", help="record payments")
    psub = pay.add_subparsers(dest="payment_command", required=True, parser_class=_Parser)
    p = psub.add_parser("add", help="record a payment (split into fees, interest, then principal)")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help="the debt paid (see 'debt list')")
    p.add_argument("--amount", required=True, metavar="AMOUNT", help="the amount paid, e.g. 500")
    p.add_argument("--date", type=parse_date, default=None, metavar="YYYY-MM-DD",
                   help="the day it was paid (default: --as-of, else today)")
    p.add_argument("--note", default="", help="a note kept with the payment")

    p = sub.add_parser("plan", help="a repayment plan across all debts")
    _common(p, as_of=True, as_json=True)
    _plan_flags(p)

    p = sub.add_parser("overdue", help="what being overdue costs and triggers")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help="the debt (see 'debt list')")

    p = sub.add_parser("guide", help="your questions answered for your debts, and what to do next",
                       description="The situation, answers to the common questions (户籍地 visits, lawsuits, "
                       "credit report, crime, limitation, collection rules, negotiation, borrowing to repay) "
                       "for your own debts, each marked law / typical / depends with its sources, and the "
                       "next steps.")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, nargs="?", default=None, metavar="DEBT_ID",
                   help="only this debt (see 'debt list'; default: every debt not archived)")
    p.add_argument("--pdf", default=None, metavar="FILE.pdf",
                   help="write the guide as a PDF (\"Print my situation\"); - for standard output")

    p = sub.add_parser("letter", help="a letter to a lender as PDF")
    _common(p, as_of=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help="the debt the letter is about")
    p.add_argument("--kind", choices=LETTER_KINDS, required=True, metavar="KIND",
                   help="which letter: " + ", ".join(LETTER_KINDS))
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--contacts", default=None, metavar="ID,ID,...",
                   help="complaint: the logged contacts to cite (default: every one that broke a rule)")
    p.add_argument("--cause", default=None, metavar="TEXT",
                   help="what caused the hardship, in your words (a hardship letter needs it)")
    p.add_argument("--income", default=None, metavar="AMOUNT",
                   help="your monthly income after tax, for this letter (default: the saved budget)")
    p.add_argument("--expenses", default=None, metavar="AMOUNT",
                   help="your essential monthly expenses in total, for this letter "
                        "(default: the saved budget)")
    for flag, what in (("name", "your name"), ("address", "your postal address"),
                       ("phone", "your phone number"), ("id-number", "your ID card number"),
                       ("email", "your e-mail address"), ("city", "the city you write from")):
        p.add_argument(f"--{flag}", default=None, metavar="TEXT",
                       help=f"{what} (default: as saved in settings)")
    p.add_argument("--save-person", action="store_true", help="keep the details given as your settings")
    p.add_argument("--show-id", action="store_true", help="print the full ID number (masked by default)")
    p.add_argument("--no-warn", action="store_true", help="do not print the limitation-period warning")

    p = sub.add_parser("plan-pdf", help="the repayment-plan report as PDF")
    _common(p, as_of=True)
    _plan_flags(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="where to write the PDF")

    p = sub.add_parser("remind", help="dues within a window; calendar export", description="Payments due "
                       "within a window, and any already overdue. Exit status 0 when something is due, 3 "
                       "when nothing is.")
    _common(p, as_of=True, as_json=True)
    p.add_argument("--within", type=int, default=7, metavar="DAYS",
                   help="how many days ahead to look (default: 7)")
    p.add_argument("--ics", type=Path, default=None, metavar="FILE.ics",
                   help="also write every coming due date to this calendar file")
    p.add_argument("--notify", action="store_true", help="also show a desktop notification")

    p = sub.add_parser("export", help="the whole database as JSON", description="The whole database as "
                       "JSON, for 'import'. A damaged record is left out, with what belongs to it, and named "
                       "on stderr; the file still imports, and the exit status is then 1.")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE.json", help="where to write the export")
    p.add_argument("--payments-csv", action="store_true", help="write the payments as CSV instead")
    p = sub.add_parser("import", help="restore a JSON export into an empty database")
    _common(p)
    p.add_argument("file", type=Path, metavar="FILE.json", help="a file written by 'export'")
    p.add_argument("--replace", action="store_true", help="replace a non-empty database (backs it up first)")
    p = sub.add_parser("backup", help="a consistent copy of the database")
    _common(p)
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help="where to write the copy (default: the backups folder beside the database)")
    p.add_argument("--verify", type=Path, default=None, metavar="FILE", help="check a backup, change nothing")
    p.add_argument("--list", action="store_true", help="the automatic backups beside the database")
    p.add_argument("--json", action="store_true", help="print one JSON document (--list, --verify)")
    p = sub.add_parser("encrypt", help="write a password-protected copy of the database (SQLCipher)")
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the new, encrypted file")
    p.add_argument("--delete-plaintext", action="store_true",
                   help="once the encrypted copy is checked to hold the same data, delete the unprotected "
                   "file and its unencrypted backups")
    p = sub.add_parser("restore", help="replace the database with a verified backup (backs it up first)")
    _common(p)
    p.add_argument("file", type=Path, metavar="BACKUP_FILE", help="a backup written by 'backup'")
    return parser


def _plan_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--budget", required=True, metavar="AMOUNT",
                   help="what you can pay towards all debts each month, e.g. 5000")
    p.add_argument("--strategy", choices=STRATEGIES, default="avalanche", metavar="STRATEGY",
                   help="avalanche (highest rate first: least interest), snowball (smallest balance first), "
                   "custom (your --order) or triage (a budget below the minimums: keep current the debts "
                   "whose missed payments harm most); default: avalanche")
    p.add_argument("--order", default=None, metavar="ID,ID,...",
                   help="custom strategy: the debt ids in the order to pay them off")


# What a terminal acts on instead of showing: C0 controls (ESC starts escape sequences, BEL rings, CR
# returns to the line start), DEL, C1 controls (U+009B is a one-character CSI), the bidirectional
# controls that show the text after them reversed or reordered (Unicode UAX #9), line and paragraph
# separators. Tab is left alone.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                              "\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")  # the rest
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


def terminal_safe(text: str) -> str:
    """``text`` as a terminal shows it written: control characters and bidirectional overrides escaped
    (``\\x1b``, ``\\r``, ``\\u202e``), line breaks too, everything else (Chinese, tabs) as it is.

    The one way the command line prints text that may hold what a person typed (names, notes, lenders,
    file names): stored values are never changed, only shown this way.
    """
    return _TERMINAL_UNSAFE.sub(_escape, text)


class _TerminalSafeStream:
    """Standard output or error for the command line: everything written goes through ``terminal_safe``
    except the line breaks between lines. Bytes written to ``.buffer`` (``--out -``) pass unchanged."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write("\n".join(terminal_safe(line) for line in text.split("\n"))))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _json_text(document: Any) -> str:
    """JSON with non-ASCII text as it is (ensure_ascii=False) but every character a terminal would act on
    as a \\u escape: json.dumps escapes only U+0000-U+001F itself. The value read back is the same."""
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _warn(text: str) -> None:
    """A damaged row left out, one line on stderr (the answer on stdout stays what it was)."""
    print(one_line(f"debtkeeper: {text}"), file=sys.stderr)


def _open(args: argparse.Namespace, read_only_ok: bool = False) -> Any:
    """The services over ``--db``, telling the person on stderr of each damaged row they leave out."""
    from services.app import Services, resolve_db_path

    return Services.open(resolve_db_path(args), read_only_ok=read_only_ok, on_problem=_warn)


def print_json(document: Any) -> None:
    sys.stdout.write(_json_text(document))
    sys.stdout.write("\n")


# --- handlers ------------------------------------------------------------------
# Each takes the parsed arguments and returns an exit status. They call services/
# and format; they hold no money math and no SQL.


def _not_yet(args: argparse.Namespace) -> int:
    print(f"debtkeeper: '{args.command}' is not available in this build", file=sys.stderr)
    return EXIT_ERROR


def cmd_demo(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services.demo import build_demo

    as_of = args.as_of or date.today()
    with _open(args) as svc:
        count = build_demo(svc, as_of)
        print(tr("Sample database created: {count} debts as of {date} in {path}", count=count,
                 date=as_of.isoformat(), path=svc.path))
    return EXIT_OK


def _flag_amount(flag: str, text: str, allow_zero: bool = False) -> Any:
    from domain.money import MAX_AMOUNT, MoneyError, parse_amount
    from resources.i18n import tr

    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise BadInput(tr("{flag}: not an amount: {text}", flag=flag, text=text)) from exc
    if value < 0 or (value == 0 and not allow_zero):
        raise BadInput(tr("{flag}: must be more than 0", flag=flag) if not allow_zero
                       else tr("{flag}: cannot be negative", flag=flag))
    if value > MAX_AMOUNT:
        raise BadInput(tr("{flag}: too large", flag=flag))
    return value


def _flag_rate(flag: str, text: str, unit: str) -> Any:
    from domain.debts import RateUnit
    from domain.rates import RateError, check_rate, parse_rate
    from resources.i18n import tr

    try:
        rate = parse_rate(text, RateUnit(unit))
        check_rate(rate.percent, rate.unit)
    except RateError as exc:
        if text.strip().startswith("-"):
            raise BadInput(tr("{flag}: cannot be negative", flag=flag)) from exc
        raise BadInput(tr("{flag}: not a believable rate: {text}", flag=flag, text=text)) from exc
    return rate


def _flag_months(value: int) -> int:
    from domain.schedules import MAX_PERIODS
    from resources.i18n import tr

    if not 1 <= value <= MAX_PERIODS:
        raise BadInput(tr("{flag}: must be between 1 and {max}", flag="--months", max=MAX_PERIODS))
    return value


def cmd_calc(args: argparse.Namespace) -> int:
    from domain.apr import monthly_flows
    from domain.debts import Debt, DebtKind, Method, RateUnit
    from domain.schedules import MinimumPayment, ScheduleError, schedule_for
    from resources.i18n import format_money, format_percent, tr
    from services.planning import AprResult, apr_of, apr_to_json, schedule_to_json

    principal = _flag_amount("--principal", args.principal)
    months = _flag_months(args.months)
    fee_rate = _flag_rate("--fee-rate", args.fee_rate, "month")
    rate = _flag_rate("--rate", getattr(args, "rate", "0"), getattr(args, "rate_unit", "year"))
    if args.calc_command == "apr":
        upfront = _flag_amount("--upfront-fee", args.upfront_fee, allow_zero=True)
        if upfront >= principal:
            raise BadInput(tr("{flag}: must be less than the principal", flag="--upfront-fee"))
        schedule = None
        if args.payment is not None:
            payments = [_flag_amount("--payment", args.payment)] * months
        else:
            method = Method(args.method) if args.method else (
                Method.FEE_INSTALLMENT if fee_rate.percent > 0 else Method.EQUAL_INSTALLMENT)
            try:  # e.g. a principal under one fen
                schedule = schedule_for(Debt(name="", lender="", kind=DebtKind.OTHER, principal=principal,
                                             start_date=date(2000, 1, 1), method=method, months=months,
                                             rate=rate.percent, rate_unit=rate.unit,
                                             fee_rate=fee_rate.percent))
            except ScheduleError as exc:
                raise BadInput(str(exc)) from exc
            payments = []
        if schedule is not None:  # each payment in its month of the term (a bullet loan's at the end)
            rate_found = apr_of(monthly_flows(principal - upfront, schedule.rows))
        else:
            rate_found = apr_of([upfront - principal, *payments])
        result = AprResult(principal, months, fee_rate.percent, upfront, rate_found, schedule)
        if args.json:
            print_json(apr_to_json(result))
            return EXIT_OK
        print(tr("Monthly rate (IRR): {irr}", irr=format_percent(result.rate.irr_monthly, places=4)))
        print(tr("Annual rate, simple (IRR × 12): {apr}", apr=format_percent(result.rate.apr_simple)))
        print(tr("Annual rate, compound: {apr}", apr=format_percent(result.rate.apr_compound)))
        return EXIT_OK

    start = args.start or args.as_of or date.today()
    due_day = args.due_day if args.due_day is not None else start.day
    if not 1 <= due_day <= 31:
        raise BadInput(tr("{flag}: must be between 1 and {max}", flag="--due-day", max=31))
    minimum = None
    if args.minimum_percent is not None:
        percent = _flag_rate("--minimum-percent", args.minimum_percent, "month").percent
        if percent > 100:
            raise BadInput(tr("{flag}: must be between 1 and {max}", flag="--minimum-percent", max=100))
        floor = _flag_amount("--minimum-floor", args.minimum_floor, allow_zero=True)
        minimum = MinimumPayment(percent, floor)
    debt = Debt(name="", lender="", kind=DebtKind.OTHER, principal=principal, start_date=start,
                method=Method(args.method), months=months, rate=rate.percent, rate_unit=RateUnit(rate.unit),
                fee_rate=fee_rate.percent, due_day=due_day)
    try:
        schedule = schedule_for(debt, minimum=minimum)
    except ScheduleError as exc:
        raise BadInput(str(exc)) from exc
    if args.json:
        print_json(schedule_to_json(schedule))
        return EXIT_OK
    headers = (tr("Period"), tr("Due on"), tr("Amount due"), tr("Of which principal"),
               tr("Of which interest"), tr("Of which fees"), tr("Principal left"))
    print("\t".join(headers))
    for r in schedule.rows:
        print("\t".join((str(r.period), r.due_date.isoformat(), *(format_money(x) for x in (
            r.payment, r.principal, r.interest, r.fee, r.balance)))))
    print(tr("Total paid {paid}, interest {interest}, fees {fees}", paid=format_money(schedule.payment_total),
             interest=format_money(schedule.interest_total), fees=format_money(schedule.fee_total)))
    return EXIT_OK


def _read_input(name: str) -> bytes:
    from resources.i18n import tr
    from services.errors import UserError

    if name == "-":
        return sys.stdin.buffer.read()
    try:
        # Non-blocking: opening a pipe nobody writes to would wait forever. A regular file reads
        # the same either way; anything else (a device such as /dev/zero, a pipe, a folder) is
        # refused before a byte is read.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise UserError(tr("Cannot read {path}: {reason}", path=name,
                               reason=tr("not a regular file (a device, a pipe or a folder)")))
        with os.fdopen(fd, "rb") as fh:
            return fh.read()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UserError(tr("Cannot read {path}: {reason}", path=name, reason=reason)) from None


def cmd_debt(args: argparse.Namespace) -> int:
    from resources.i18n import format_money, tr
    from services.app import status_label
    from services.jsonio import read_debt_json, summary_to_json

    as_of = getattr(args, "as_of", None) or date.today()
    if args.debt_command == "add":
        data = read_debt_json(_read_input(args.json_file))
        with _open(args) as svc:
            print(svc.add_debt(data))
        return EXIT_OK
    with _open(args, read_only_ok=True) as svc:
        if args.debt_command == "list":
            summaries = svc.list_summaries(as_of)
            if args.json:
                print_json([summary_to_json(s) for s in summaries])
                return EXIT_OK
            if not summaries:
                print(tr("No debts yet: add one with 'debt add' or try 'demo'."))
            for s in summaries:
                print(terminal_safe(tr(
                    "{id}. {name} ({lender}): balance {balance}, {days} days overdue, {status}", id=s.debt.id,
                    name=s.debt.name, lender=s.debt.lender, balance=format_money(s.balance),
                    days=s.days_overdue, status=status_label(s.status))))
            return EXIT_OK
        summary = svc.debt_summary(args.debt_id, as_of)
        payments = svc.list_payments(args.debt_id)
    if args.json:
        print_json(summary_to_json(summary, payments))
        return EXIT_OK
    debt = summary.debt
    print(terminal_safe(tr("{id}. {name} ({lender}): balance {balance}, {days} days overdue, {status}",
                           id=debt.id, name=debt.name, lender=debt.lender,
                           balance=format_money(summary.balance), days=summary.days_overdue,
                           status=status_label(summary.status))))
    for p in payments:
        print(tr("  {date}  paid {amount}: fees {fees}, interest {interest}, principal {principal}",
                 date=p.date.isoformat(), amount=format_money(p.amount), fees=format_money(p.fees),
                 interest=format_money(p.interest), principal=format_money(p.principal)))
    return EXIT_OK


def cmd_payment(args: argparse.Namespace) -> int:
    from services.jsonio import payment_to_json

    on = args.date or args.as_of or date.today()
    with _open(args) as svc:
        payment_id = svc.add_payment(args.debt_id, args.amount, on, note=args.note)
        if args.json:
            payment = next(p for p in svc.list_payments(args.debt_id) if p.id == payment_id)
            print_json({"debt_id": payment.debt_id, **payment_to_json(payment)})
        else:
            print(payment_id)
    return EXIT_OK


def _plan_order(args: argparse.Namespace) -> list[int] | None:
    """The --order of a plan (ID,ID,...; a Chinese comma too); required by the custom strategy."""
    from resources.i18n import tr

    order = None
    if args.order:
        try:
            order = [int(x) for x in args.order.replace("，", ",").split(",") if x.strip()]
        except ValueError as exc:
            raise BadInput(tr("{flag}: not a list of debt ids: {text}", flag="--order",
                              text=args.order)) from exc
    if args.strategy == "custom" and not order:
        raise BadInput(tr("{flag}: a custom plan needs the order of debt ids", flag="--order"))
    return order


def cmd_plan(args: argparse.Namespace) -> int:
    from resources.i18n import format_date, format_money, tr
    from services.planning import make_plan, plan_notes, plan_to_json

    budget = _flag_amount("--budget", args.budget, allow_zero=True)
    order = _plan_order(args)
    as_of = args.as_of or date.today()
    with _open(args, read_only_ok=True) as svc:
        plan = make_plan(svc, budget, args.strategy, as_of, order=order)
    if args.json:
        print_json(plan_to_json(plan))
        for note in plan_notes(plan):
            print(terminal_safe(note), file=sys.stderr)
        return EXIT_OK
    if plan.payoff_date is not None:
        print(tr("{strategy}: debt-free in {months} months, on {date}", strategy=tr(plan.strategy.value),
                 months=plan.months, date=format_date(plan.payoff_date)))
    print(tr("Total paid {paid}, interest {interest}, fees {fees}", paid=format_money(plan.total_paid),
             interest=format_money(plan.total_interest), fees=format_money(plan.total_fees)))
    for d in plan.debts:
        if d.payoff_date is None:
            print(terminal_safe(tr("{name}: not paid off within the plan, interest {interest}", name=d.name,
                                   interest=format_money(d.interest))))
        else:
            print(terminal_safe(tr("{name}: paid off {when}, interest {interest}", name=d.name,
                                   when=format_date(d.payoff_date), interest=format_money(d.interest))))
    for note in plan_notes(plan):
        print(terminal_safe(note))
    return EXIT_OK


def cmd_overdue(args: argparse.Namespace) -> int:
    from services.overdue import build_report, collection_violations, report_json, report_lines

    as_of = args.as_of or date.today()
    lang = getattr(args, "lang", None)
    with _open(args, read_only_ok=True) as svc:
        report = build_report(svc, args.debt_id, as_of)
        violations = collection_violations(svc, args.debt_id)
    if args.json:
        print_json(report_json(report, lang, violations))
    else:
        print("\n".join(report_lines(report, lang, violations)))
    return EXIT_OK


def cmd_guide(args: argparse.Namespace) -> int:
    from resources.i18n import get_language
    from services import guide

    as_of = args.as_of or date.today()
    lang = get_language()
    with _open(args, read_only_ok=True) as svc:
        if args.pdf is not None:
            out = sys.stdout.buffer if args.pdf == "-" else Path(args.pdf)
            guide.write_guide_pdf(svc, as_of, lang, out, args.debt_id)
            if args.pdf != "-":
                print(args.pdf)
            return EXIT_OK
        found = guide.make_guide(svc, as_of, args.debt_id)
    if args.json:
        print_json(guide.guide_json(found, lang))
    else:
        print("\n".join(guide.guide_lines(found, lang)))
    return EXIT_OK


LETTER_FLAGS = {"income": "--income", "expenses": "--expenses", "cause": "--cause"}


def cmd_letter(args: argparse.Namespace) -> int:
    from resources.i18n import get_language, tr
    from services import letters

    as_of = args.as_of or date.today()
    contact_ids = None
    if args.contacts:
        try:
            contact_ids = [int(x) for x in args.contacts.split(",") if x.strip()]
        except ValueError as exc:
            raise BadInput(f"--contacts: not a list of ids: {args.contacts!r}") from exc
    given = {flag: None if text is None else _flag_amount(flag, text, allow_zero=True)
             for flag, text in (("--income", args.income), ("--expenses", args.expenses))}
    with _open(args, read_only_ok=not args.save_person) as svc:
        person = letters.with_overrides(letters.person_details(svc), name=args.name, address=args.address,
                                        phone=args.phone, id_number=args.id_number, email=args.email,
                                        city=args.city)
        if args.save_person:
            letters.save_person(svc, person, args.cause)
        budget = letters.budget_for_letter(svc, given["--income"], given["--expenses"])
        # Refused before anything is written, naming what is missing and the flag that gives it.
        missing = letters.missing_details(svc, args.kind, cause=args.cause, budget=budget)
        if missing:
            problem = letters.MissingDetails(missing).message
            raise BadInput(tr("letter: {problem} Give {flags}.", problem=problem,
                              flags=", ".join(LETTER_FLAGS[m] for m in missing)))
        warning = letters.letter_warning(svc, args.debt_id, args.kind, as_of)
        letter = letters.make_letter(svc, args.debt_id, args.kind, get_language(), as_of, person=person,
                                     contact_ids=contact_ids, cause=args.cause, mask_id=not args.show_id,
                                     budget=budget)
    letters.write_pdf(letter, args.out)
    if warning is not None and not args.no_warn:
        print(f"debtkeeper: {warning.text}", file=sys.stderr)
    print(str(args.out))
    return EXIT_OK


def cmd_plan_pdf(args: argparse.Namespace) -> int:
    from resources.i18n import get_language
    from services import letters

    # The same checks as 'plan': the report is that plan on paper.
    budget = _flag_amount("--budget", args.budget, allow_zero=True)
    order = _plan_order(args)
    with _open(args, read_only_ok=True) as svc:
        report = letters.plan_report(svc, budget, args.strategy, get_language(), args.as_of or date.today(),
                                     order=order)
    letters.write_plan_pdf(report, args.out)
    print(str(args.out))
    return EXIT_OK


def cmd_remind(args: argparse.Namespace) -> int:
    from domain.money import money_str
    from resources.i18n import tr
    from services import reminders

    as_of = args.as_of or date.today()
    if not 0 <= args.within <= 3660:
        raise BadInput(tr("--within must be 0 to 3660 days, not {days}", days=args.within))
    svc = _open(args, read_only_ok=True)
    try:
        dues = reminders.dues_within(svc, as_of, args.within)
        if args.ics is not None:
            count = reminders.export_ics(svc, args.ics, as_of)
            if not args.json:
                print(tr("Wrote {count} due dates to {path}", count=count, path=str(args.ics)))
    finally:
        svc.close()
    if args.json:
        print_json([{"debt_id": d.debt_id, "name": d.name, "due_date": d.due_date.isoformat(),
                     "amount": money_str(d.amount), "overdue": d.overdue} for d in dues])
    else:
        if not dues:
            print(tr("Nothing is due in the next {days} days.", days=args.within))
        for due in dues:
            print(terminal_safe(reminders.due_line(due, as_of)))
    if args.notify and dues:
        from services.notify import notify

        title, body = reminders.summary_text(dues, as_of)
        notify(title, body, stream=sys.stderr)  # stdout stays the listing (or the JSON)
    return EXIT_OK if dues else EXIT_NOTHING_DUE


def cmd_export(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services.errors import UserError
    from services.jsonio import write_export, write_payments_csv

    with _open(args, read_only_ok=True) as svc:
        try:
            write = write_payments_csv if args.payments_csv else write_export
            out = write(svc, args.out)
        except OSError as exc:
            raise UserError(tr("Cannot write {path}: {reason}", path=args.out,
                               reason=exc.strerror or str(exc))) from None
        left_out = svc.warnings
    print(tr("Exported to {path}", path=out))
    if left_out:
        # Everything readable was written and the file imports; a script must still notice the gap.
        _warn(tr("The export in {path} lacks what is named above. Restore a backup made before the damage "
                 "to get it back, or import this export into an empty database to go on without it.",
                 path=out))
        return EXIT_ERROR
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services.app import resolve_db_path
    from services.jsonio import import_database
    from services.safety import import_backup_path, lock

    data = _read_input(str(args.file))
    # Replacing everything under an open window would pull the data from under it: refused, as restore is.
    held = lock(resolve_db_path(args)) if args.replace else None
    try:
        with _open(args) as svc:
            backup = import_backup_path(svc)
            count = import_database(svc, data, replace=args.replace, backup_to=backup)
    finally:
        if held is not None:
            held.release()
    print(tr("Imported {count} debts from {path}", count=count, path=args.file))
    if args.replace and backup.exists():
        print(tr("The previous database was saved to {path}", path=backup))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services import safety
    from services.app import resolve_db_path


    if args.verify is not None:
        verified = safety.verify(args.verify)
        if args.json:
            print_json({"path": str(verified.path), "ok": True, "revision": verified.revision,
                        "debts": verified.debts, "payments": verified.payments})
        else:
            print(tr("The backup is good: {debts} debts, {payments} payments, schema {revision} ({path})",
                     debts=verified.debts, payments=verified.payments, revision=verified.revision,
                     path=verified.path))
        return EXIT_OK
    if args.list:
        return _list_backups(safety.list_backups(resolve_db_path(args)), args.json)
    with _open(args) as svc:
        out = safety.backup_now(svc, out=args.out)
    print(tr("Backup written to {path}", path=out))
    return EXIT_OK


def _list_backups(backups: list[Any], as_json: bool) -> int:
    from resources.i18n import tr

    if as_json:
        print_json([{"path": str(b.path), "taken": b.taken.isoformat(timespec="seconds"), "reason": b.reason,
                     "size": b.size} for b in backups])
    elif not backups:
        print(tr("There are no backups yet."))
    for b in [] if as_json else backups:
        print(f"{b.taken:%Y-%m-%d %H:%M:%S}  {b.reason:<13}  {max(1, b.size // 1024):>8} KiB  {b.path}")
    return EXIT_OK


def cmd_encrypt(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services.app import resolve_db_path
    from services.protection import encrypt_file

    done = encrypt_file(resolve_db_path(args), args.out, delete_plaintext=args.delete_plaintext)
    status = EXIT_OK
    if done.deletion is None:
        print(tr("Encrypted copy written to {path}. Open it with --db and --password-file; check it, then "
                 "delete the unprotected file yourself.", path=done.path))
        print(tr("These files are not protected: anyone who can read this disk can read them. Delete them "
                 "once you have checked the encrypted copy (--delete-plaintext does it after checking it):"))
        for path in done.unprotected:
            print(f"  {path}")
    else:
        print(tr("Encrypted copy written to {path} and checked: it holds the same data. Open it with --db "
                 "and --password-file.", path=done.path))
        print(tr("Deleted these unprotected files:"))
        for path in done.deletion.deleted:
            print(f"  {path}")
        for path, reason in done.deletion.failed:
            print(f"debtkeeper: {tr('Cannot delete {path}: {reason}', path=path, reason=reason)}",
                  file=sys.stderr)
            status = EXIT_ERROR
    print(tr("Exports (JSON, CSV), letters and plans you saved are not protected either: delete them "
             "yourself."))
    print(tr("Keep the password safe: a lost password cannot be recovered, and nobody can open the file "
             "without it."))
    return status


def cmd_restore(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services import safety
    from services.app import resolve_db_path


    verified, kept = safety.restore(resolve_db_path(args), args.file)
    print(tr("Restored {debts} debts and {payments} payments from {path}", debts=verified.debts,
             payments=verified.payments, path=verified.path))
    if kept is not None:
        print(tr("The previous database was saved to {path}", path=kept))
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": cmd_demo,
    "calc": cmd_calc,
    "debt": cmd_debt,
    "payment": cmd_payment,
    "plan": cmd_plan,
    "overdue": cmd_overdue,
    "guide": cmd_guide,
    "letter": cmd_letter,
    "plan-pdf": cmd_plan_pdf,
    "remind": cmd_remind,
    "export": cmd_export,
    "import": cmd_import,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "encrypt": cmd_encrypt,
}


def one_line(text: str) -> str:
    """The message on one line, whatever line breaks a file name or a message carries."""
    return " ".join(text.strip().splitlines())


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever it prints reaches the terminal through ``terminal_safe``."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafeStream(out), _TerminalSafeStream(err)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None = None) -> int:
    from resources.i18n import set_language, system_language
    from services.safety import take_password_from_environment

    take_password_from_environment()  # programs started from here must not inherit it
    try:
        args = build_parser().parse_args(argv)
    except BadInput as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_BAD_INPUT
    set_language(args.lang or system_language())
    from services.errors import UserError
    from services.notices import listening

    try:
        if args.password_file is not None:
            from services.safety import use_password_file

            use_password_file(args.password_file)
        with listening(lambda text: print(one_line(f"debtkeeper: {text}"), file=sys.stderr)):
            return HANDLERS[args.command](args)
    except (BadInput, UserError) as exc:
        from services.safety import way_forward

        hint = way_forward(exc, args.db) if isinstance(exc, UserError) else ""
        print(one_line(f"debtkeeper: {exc} {hint}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`... --json | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
