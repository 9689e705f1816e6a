"""The command line over the same services the window uses.

The commands, flags and JSON fields are a contract (ARCHITECTURE.md): tests and
scripts rely on them. Exit status: 0 success, 2 bad input (one line on stderr
naming the problem), 1 anything else; ``remind`` exits 3 when nothing is due.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NoReturn

from documents.letters import LETTER_KINDS
from domain.debts import Method, RateUnit
from domain.strategies import Strategy

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2
EXIT_NOTHING_DUE = 3

METHODS = tuple(method.value for method in Method)
RATE_UNITS = tuple(unit.value for unit in RateUnit)
STRATEGIES = tuple(s.value for s in Strategy if s is not Strategy.MINIMUM_ONLY)  # a plan's choices
PAGES = (
    "dashboard",
    "debts",
    "payments",
    "plan",
    "overdue",
    "budget",
    "letters",
    "reminders",
    "settings",
    "guide",
)


class BadInput(Exception):
    """Bad command-line input: exit 2 with this one-line message."""


STDOUT = "-"  # as an output file: standard output (as an input file it is standard input)
DB_ENV = "DEBTKEEPER_DB"


class _Formatter(argparse.HelpFormatter):
    """argparse's layout, but a description or epilog keeps its lines: each is wrapped on its own, and a
    line that starts with spaces (an example command) is kept as it is."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        lines = text.splitlines()
        return "\n".join(line if line.startswith(" ") else fill(line, width, indent) for line in lines)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        text = argparse._("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message}
        raise BadInput(text.strip())


@contextlib.contextmanager
def argparse_language() -> Iterator[None]:
    """argparse's own words ("usage:", "options", "the following arguments are required") in the current
    language while the block runs: argparse looks them up through the ``_`` and ``ngettext`` of its module,
    at the moment it builds a parser or writes a message, so both happen inside the block."""
    from resources.i18n import get_language, translations

    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def gettext(message: str) -> str:
        return translations(get_language()).gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translations(get_language()).ngettext(singular, plural, n)

    argparse._, argparse.ngettext = gettext, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_in(argv: Sequence[str]) -> str | None:
    """The language a command line asks for with ``--lang`` (the last one given), before it is parsed:
    ``--help`` is answered as soon as argparse meets it, in the language chosen anywhere on the line."""
    from resources.i18n import LanguageError, normalize_language

    found = None
    for i, arg in enumerate(argv):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--lang=")
            else (argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        )
        if value is not None:
            with contextlib.suppress(LanguageError):
                found = normalize_language(value)
    return found


def parse_date(text: str) -> date:
    from resources.i18n import tr

    try:
        value = date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(tr("not a date (YYYY-MM-DD): {text}", text=repr(text))) from exc
    if not date(1970, 1, 1) <= value <= date(2200, 12, 31):
        raise argparse.ArgumentTypeError(tr("date out of range 1970-01-01..2200-12-31: {text}", text=text))
    return value


def parse_id(text: str) -> int:
    """A record id: a positive whole number SQLite can hold."""
    from resources.i18n import tr

    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(tr("not an id (a whole number): {text}", text=repr(text))) from exc
    if not 1 <= value <= 2**63 - 1:
        raise argparse.ArgumentTypeError(tr("no record has the id {text}", text=text))
    return value


def parse_lang(text: str) -> str:
    from resources.i18n import LanguageError, normalize_language, tr

    try:
        return normalize_language(text)
    except LanguageError as exc:
        raise argparse.ArgumentTypeError(
            tr("unknown language {text} (use zh_CN or en_US)", text=repr(text))
        ) from exc


def _lang_option(p: argparse.ArgumentParser) -> None:
    """``--lang`` on a command (and on a command that only groups actions: ``debt --lang zh --help``)."""
    from resources.i18n import _

    p.add_argument(
        "--lang",
        type=parse_lang,
        default=argparse.SUPPRESS,
        metavar="LANG",
        help=_("language of the output: zh_CN or en_US (zh, en for short)"),
    )


def _loan_terms(p: argparse.ArgumentParser) -> None:
    """The loan's own terms, the same for every calculator: amount, rate, term and instalment fee."""
    from resources.i18n import _

    p.add_argument("--principal", required=True, metavar="AMOUNT", help=_("the amount borrowed, e.g. 12000"))
    p.add_argument(
        "--rate",
        default="0",
        metavar="PERCENT",
        help=_("the interest rate in percent per --rate-unit (default: 0)"),
    )
    p.add_argument(
        "--rate-unit",
        choices=RATE_UNITS,
        default="year",
        help=_("what --rate is per: day, month or year (default: year)"),
    )
    p.add_argument("--months", type=int, required=True, metavar="N", help=_("the term in months"))
    p.add_argument(
        "--fee-rate",
        default="0",
        metavar="PERCENT",
        help=_("instalment fee in percent of the original principal per month (default: 0)"),
    )


def _common(p: argparse.ArgumentParser, as_of: bool = False, as_json: bool = False) -> None:
    from resources.i18n import _

    p.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=_("the database file (default: DEBTKEEPER_DB, else the per-user data folder)"),
    )
    _lang_option(p)
    p.add_argument(
        "--password-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help=_("a file holding the password of a protected database"),
    )
    if as_of:
        p.add_argument(
            "--as-of",
            type=parse_date,
            default=None,
            metavar="YYYY-MM-DD",
            help=_("compute as if today were this date (default: today), to reproduce a result"),
        )
    if as_json:
        p.add_argument("--json", action="store_true", help=_("print one JSON document instead of text"))


def _command(sub: Any, name: str, summary: str, example: str, more: str | None = None) -> Any:
    """A command: its one-line summary (in the list of commands and atop its own help), more words when it
    needs them, and an example."""
    from resources.i18n import _

    line = _(summary)
    description = line[:1].upper() + line[1:]
    if more:
        description += "\n" + _(more)
    return sub.add_parser(
        name,
        help=line,
        description=description,
        formatter_class=_Formatter,
        epilog=_("Example:") + "\n  " + example,
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, its help in the current language (``resources.i18n.set_language``; run
    inside ``argparse_language()`` for argparse's own words too)."""
    from resources.i18n import _
    from resources.version import program_version

    parser = _Parser(
        prog="debtkeeper",
        description=_(
            "DebtKeeper (债管家): get out of debt, offline. With no command, the desktop window opens."
        ),
        epilog=_(
            "Exit status: 0 success, 2 bad input (one line on stderr naming the problem), 1 anything "
            "else; 'remind' exits 3 when nothing is due. Run a command with --help for its flags."
        )
        + "\n"
        + _(
            "Window options (no command): --screenshot OUT.png [--page NAME] [--size WxH], "
            "--startup-time, --minimized"
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"debtkeeper {program_version()}",
        help=_("print the program's version and exit"),
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help=_("the database file (default: DEBTKEEPER_DB, else the per-user data folder)"),
    )
    parser.add_argument(
        "--lang",
        type=parse_lang,
        default=None,
        metavar="LANG",
        help=_("language of the output: zh_CN or en_US (zh, en for short)"),
    )
    parser.add_argument(
        "--password-file",
        type=Path,
        default=None,
        metavar="FILE",
        help=_("a file holding the password of a protected database (or DEBTKEEPER_PASSWORD)"),
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND", title=_("commands")
    )

    p = _command(
        sub,
        "demo",
        "fill an empty database with a realistic sample",
        "debtkeeper --db sample.sqlite3 demo --as-of 2026-11-23",
    )
    _common(p, as_of=True)

    calc = _command(
        sub,
        "calc",
        "calculators that need no database",
        "debtkeeper calc apr --principal 12000 --months 12 --fee-rate 0.6",
    )
    _lang_option(calc)
    csub = calc.add_subparsers(
        dest="calc_command", required=True, parser_class=_Parser, metavar="CALCULATOR", title=_("calculators")
    )
    p = _command(
        csub,
        "schedule",
        "one loan's schedule",
        "debtkeeper calc schedule --principal 12000 --rate 12 --months 12 --json",
        more="One loan's repayment schedule: what is due each period, split into principal, "
        "interest and fees.",
    )
    _common(p, as_of=True, as_json=True)
    _loan_terms(p)
    p.add_argument(
        "--method",
        choices=METHODS,
        default="equal-installment",
        metavar="METHOD",
        help=_("how it is repaid: {methods} (default: {default})").format(
            methods=", ".join(METHODS), default="equal-installment"
        ),
    )
    p.add_argument(
        "--start",
        type=parse_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day the money was lent (default: --as-of, else today)"),
    )
    p.add_argument(
        "--due-day",
        type=int,
        default=None,
        metavar="DAY",
        help=_("day of the month payments fall due, 1-31 (default: the start date's day)"),
    )
    p.add_argument(
        "--minimum-percent",
        default=None,
        metavar="PERCENT",
        help=_("revolving: pay the minimum (this percent of the balance + interest) every cycle"),
    )
    p.add_argument(
        "--minimum-floor",
        default="0",
        metavar="AMOUNT",
        help=_("revolving: the smallest minimum payment (default: 0)"),
    )
    p = _command(
        csub,
        "apr",
        "effective annual rate by IRR",
        "debtkeeper calc apr --principal 12000 --months 12 --fee-rate 0.6 --json",
        more="The true yearly cost of a loan: the internal rate of return of what you receive and "
        "what you repay, fees included, as a monthly rate, a simple APR (× 12) and a compound one.",
    )
    _common(p, as_json=True)
    _loan_terms(p)
    p.add_argument(
        "--upfront-fee",
        default="0",
        metavar="AMOUNT",
        help=_("taken off before the money reaches you, e.g. interest in advance (default: 0)"),
    )
    p.add_argument(
        "--payment", default=None, metavar="AMOUNT", help=_("a fixed monthly payment instead of a schedule")
    )
    p.add_argument(
        "--method",
        choices=METHODS,
        default=None,
        metavar="METHOD",
        help=_(
            "how it is repaid: {methods} (default: fee-installment with a fee rate, else equal-installment)"
        ).format(methods=", ".join(METHODS)),
    )

    debt = _command(sub, "debt", "add, list and show debts", "debtkeeper debt list --json")
    _lang_option(debt)
    dsub = debt.add_subparsers(
        dest="debt_command", required=True, parser_class=_Parser, metavar="ACTION", title=_("actions")
    )
    p = _command(
        dsub, "add", "add a debt from JSON (a file or - for stdin)", "debtkeeper debt add --json debt.json"
    )
    _common(p, as_json=False)
    p.add_argument(
        "--json",
        dest="json_file",
        required=True,
        metavar="FILE|-",
        help=_("a JSON file describing the debt, or - to read it from standard input"),
    )
    p = _command(dsub, "list", "every debt with its balance and days overdue", "debtkeeper debt list --json")
    _common(p, as_of=True, as_json=True)
    p = _command(dsub, "show", "one debt and its payments", "debtkeeper debt show 1 --json")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help=_("the debt's id (see 'debt list')"))

    pay = _command(
        sub, "payment", "record payments", "debtkeeper payment add 1 --amount 500 --date 2026-11-01"
    )
    _lang_option(pay)
    psub = pay.add_subparsers(
        dest="payment_command", required=True, parser_class=_Parser, metavar="ACTION", title=_("actions")
    )
    p = _command(
        psub,
        "add",
        "record a payment (split into fees, interest, then principal)",
        "debtkeeper payment add 1 --amount 500 --date 2026-11-01",
    )
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help=_("the debt paid (see 'debt list')"))
    p.add_argument("--amount", required=True, metavar="AMOUNT", help=_("the amount paid, e.g. 500"))
    p.add_argument(
        "--date",
        type=parse_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day it was paid (default: --as-of, else today)"),
    )
    p.add_argument("--note", default="", metavar="TEXT", help=_("a note kept with the payment"))

    p = _command(
        sub,
        "plan",
        "a repayment plan across all debts",
        "debtkeeper plan --budget 5000 --strategy avalanche --json",
    )
    _common(p, as_of=True, as_json=True)
    _plan_flags(p)

    p = _command(sub, "overdue", "what being overdue costs and triggers", "debtkeeper overdue 1 --json")
    _common(p, as_of=True, as_json=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help=_("the debt (see 'debt list')"))

    p = _command(
        sub,
        "guide",
        "your questions answered for your debts, and what to do next",
        "debtkeeper guide --lang zh_CN --pdf situation.pdf",
        more="The situation, answers to the common questions (户籍地 visits, lawsuits, credit "
        "report, crime, limitation, collection rules, negotiation, borrowing to repay) for your own "
        "debts, each marked law / typical / depends with its sources, and the next steps.",
    )
    _common(p, as_of=True, as_json=True)
    p.add_argument(
        "debt_id",
        type=parse_id,
        nargs="?",
        default=None,
        metavar="DEBT_ID",
        help=_("only this debt (see 'debt list'; default: every debt not archived)"),
    )
    p.add_argument(
        "--pdf",
        default=None,
        metavar="FILE.pdf",
        help=_('write the guide as a PDF ("Print my situation"); - for standard output'),
    )

    p = _command(
        sub,
        "letter",
        "a letter to a lender as PDF",
        "debtkeeper letter 1 --kind negotiation --lang zh --out letter.pdf",
    )
    _common(p, as_of=True)
    p.add_argument("debt_id", type=parse_id, metavar="DEBT_ID", help=_("the debt the letter is about"))
    p.add_argument(
        "--kind",
        choices=LETTER_KINDS,
        required=True,
        metavar="KIND",
        help=_("which letter: {kinds}").format(kinds=", ".join(LETTER_KINDS)),
    )
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help=_("where to write the PDF; - for standard output"),
    )
    p.add_argument(
        "--contacts",
        default=None,
        metavar="ID,ID,...",
        help=_("complaint: the logged contacts to cite (default: every one that broke a rule)"),
    )
    p.add_argument(
        "--cause",
        default=None,
        metavar="TEXT",
        help=_("what caused the hardship, in your words (a hardship letter needs it)"),
    )
    p.add_argument(
        "--income",
        default=None,
        metavar="AMOUNT",
        help=_(
            "your monthly income after tax, for this letter; 0 if you have none at present "
            "(default: the saved budget)"
        ),
    )
    p.add_argument(
        "--expenses",
        default=None,
        metavar="AMOUNT",
        help=_("your essential monthly expenses in total, for this letter (default: the saved budget)"),
    )
    for flag, what in (
        ("name", _("your name")),
        ("address", _("your postal address")),
        ("phone", _("your phone number")),
        ("id-number", _("your ID card number")),
        ("email", _("your e-mail address")),
        ("city", _("the city you write from")),
    ):
        p.add_argument(
            f"--{flag}",
            default=None,
            metavar="TEXT",
            help=_("{what} (default: as saved in settings)").format(what=what),
        )
    p.add_argument("--save-person", action="store_true", help=_("keep the details given as your settings"))
    p.add_argument("--show-id", action="store_true", help=_("print the full ID number (masked by default)"))
    p.add_argument("--no-warn", action="store_true", help=_("do not print the limitation-period warning"))

    p = _command(
        sub,
        "plan-pdf",
        "the repayment-plan report as PDF",
        "debtkeeper plan-pdf --budget 5000 --strategy avalanche --lang zh --out plan.pdf",
    )
    _common(p, as_of=True)
    _plan_flags(p)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help=_("where to write the PDF; - for standard output"),
    )

    p = _command(
        sub,
        "remind",
        "dues within a window; calendar export",
        "debtkeeper remind --within 7 --ics dues.ics",
        more="Payments due within a window, and any already overdue. Exit status 0 when something "
        "is due, 3 when nothing is.",
    )
    _common(p, as_of=True, as_json=True)
    p.add_argument(
        "--within", type=int, default=7, metavar="DAYS", help=_("how many days ahead to look (default: 7)")
    )
    p.add_argument(
        "--ics",
        type=Path,
        default=None,
        metavar="FILE.ics",
        help=_(
            "also write every coming due date to this calendar file; - for standard output "
            "(instead of the listing)"
        ),
    )
    p.add_argument("--notify", action="store_true", help=_("also show a desktop notification"))

    p = _command(
        sub,
        "export",
        "the whole database as JSON",
        "debtkeeper export --out all.json",
        more="The whole database as JSON, for 'import'. A damaged record is left out, with what "
        "belongs to it, and named on stderr; the file still imports, and the exit status is then 1.",
    )
    _common(p)
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.json",
        help=_("where to write the export; - for standard output"),
    )
    p.add_argument("--payments-csv", action="store_true", help=_("write the payments as CSV instead"))
    p = _command(
        sub,
        "import",
        "restore a JSON export into an empty database",
        "debtkeeper --db new.sqlite3 import all.json",
    )
    _common(p)
    p.add_argument("file", type=Path, metavar="FILE.json", help=_("a file written by 'export'"))
    p.add_argument(
        "--replace", action="store_true", help=_("replace a non-empty database (backs it up first)")
    )
    p = _command(sub, "backup", "a consistent copy of the database", "debtkeeper backup --out copy.sqlite3")
    _common(p)
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help=_("where to write the copy (default: the backups folder beside the database)"),
    )
    p.add_argument(
        "--verify", type=Path, default=None, metavar="FILE", help=_("check a backup, change nothing")
    )
    p.add_argument("--list", action="store_true", help=_("the automatic backups beside the database"))
    p.add_argument("--json", action="store_true", help=_("print one JSON document (--list, --verify)"))
    p = _command(
        sub,
        "encrypt",
        "write a password-protected copy of the database (SQLCipher)",
        "debtkeeper encrypt --out protected.sqlite3",
    )
    _common(p)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help=_("the new, encrypted file"))
    p.add_argument(
        "--delete-plaintext",
        action="store_true",
        help=_(
            "once the encrypted copy is checked to hold the same data, delete the unprotected "
            "file and its unencrypted backups"
        ),
    )
    p = _command(
        sub,
        "restore",
        "replace the database with a verified backup (backs it up first)",
        "debtkeeper restore backups/debtkeeper-2026-11-23.sqlite3",
    )
    _common(p)
    p.add_argument("file", type=Path, metavar="BACKUP_FILE", help=_("a backup written by 'backup'"))
    return parser


def _plan_flags(p: argparse.ArgumentParser) -> None:
    from resources.i18n import _

    p.add_argument(
        "--budget",
        required=True,
        metavar="AMOUNT",
        help=_("what you can pay towards all debts each month, e.g. 5000"),
    )
    p.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default="avalanche",
        metavar="STRATEGY",
        help=_(
            "avalanche (highest rate first: least interest), snowball (smallest balance "
            "first), custom (your --order) or triage (a budget below the minimums: keep "
            "current the debts whose missed payments harm most); default: avalanche"
        ),
    )
    p.add_argument(
        "--order",
        default=None,
        metavar="ID,ID,...",
        help=_("custom strategy: the debt ids in the order to pay them off"),
    )


# What a terminal acts on instead of showing: C0 controls (ESC starts escape sequences, BEL rings, CR
# returns to the line start), DEL, C1 controls (U+009B is a one-character CSI), the bidirectional
# controls that show the text after them reversed or reordered (Unicode UAX #9), line and paragraph
# separators. Tab is left alone.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)
# The same, but for the line breaks between lines: one pass over whatever is written.
_BETWEEN_LINES_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]"
)
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
        return int(self._stream.write(_BETWEEN_LINES_UNSAFE.sub(_escape, text)))

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


class ProgressLine:
    """How far an export or import has come, on one line of a terminal rewritten in place.

    Called as ``progress(done, total)`` from the work. Nothing is shown when standard error is not a
    terminal (scripts, CI, pipes: their output stays what the contract says), nor for work done
    within ``delay`` seconds; the line is cleared when the work ends (``close``).
    """

    def __init__(
        self,
        text: str,
        stream: Any = None,
        delay: float = 1.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self._text = text  # "Importing… {percent}%"
        self._stream = stream if stream is not None else sys.stderr
        self._delay = delay
        self._clock = clock or time.monotonic
        self._started = self._clock()
        self._last = ""
        isatty = getattr(self._stream, "isatty", None)
        self.on = bool(isatty and isatty())

    def __call__(self, done: int, total: int | None) -> None:
        if not self.on or self._clock() - self._started < self._delay:
            return
        from resources.i18n import tr

        if total:
            line = tr(self._text, percent=min(100, 100 * done // total))
        else:
            line = tr("{done} done", done=f"{done:,}")
        if line != self._last:
            self._write("\r" + line.ljust(len(self._last)))
            self._last = line

    def close(self) -> None:
        if self._last:
            self._write("\r" + " " * len(self._last) + "\r")
            self._last = ""

    def _write(self, text: str) -> None:
        # Past the terminal-safe layer, which would show the carriage return as "\r".
        self._stream.flush()
        raw = getattr(self._stream, "buffer", None)
        if raw is None:
            self._stream.write(text)
        else:
            raw.write(text.encode(getattr(self._stream, "encoding", None) or "utf-8", "replace"))
            raw.flush()


@contextlib.contextmanager
def progress_line(text: str) -> Iterator[ProgressLine]:
    line = ProgressLine(text)
    try:
        yield line
    finally:
        line.close()


def _open(args: argparse.Namespace, read_only_ok: bool = False) -> Any:
    """The services over ``--db``, telling the person on stderr of each damaged row they leave out."""
    from services.app import Services, resolve_db_path

    return Services.open(resolve_db_path(args), read_only_ok=read_only_ok, on_problem=_warn)


def print_json(document: Any) -> None:
    sys.stdout.write(_json_text(document))
    sys.stdout.write("\n")


_ROWS_HERE = "\ue000rows\ue000"  # a private-use placeholder no value holds


def _member_items(batch: list[Any]) -> str:
    """The items of a list that is a top-level member, as ``_json_text`` writes them (each on its
    lines, one level deeper than a list dumped on its own). Flat objects of text and whole numbers
    (a payment) are written here directly: json's indenting encoder is pure Python. Each key is
    written once for the items that share the same keys in the same order."""
    lines = []
    keys: tuple[Any, ...] = ()
    prefixes: list[str] = []
    for item in batch:
        if not isinstance(item, dict):
            return _json_text(batch)[1:-2].replace("\n", "\n  ")
        if tuple(item) != keys:
            keys = tuple(item)
            prefixes = [f"      {encode_basestring(k)}: " for k in keys]
        members = []
        for prefix, value in zip(prefixes, item.values(), strict=True):
            if type(value) is str:
                members.append(prefix + encode_basestring(value))
            elif type(value) is int:
                members.append(prefix + str(value))
            else:  # anything else (a number with decimals, a list…): json's own encoder
                return _json_text(batch)[1:-2].replace("\n", "\n  ")
        lines.append("\n    {\n" + ",\n".join(members) + "\n    }")
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", ",".join(lines))


def print_json_rows(document: dict[str, Any], key: str, batches: Iterable[list[Any]]) -> None:
    """``print_json`` of ``document`` with ``document[key]``, a list, taken from ``batches`` as they
    come (100,000 payments are printed without all being held at once); the same text."""
    head, tail = _json_text({**document, key: _ROWS_HERE}).split(json.dumps(_ROWS_HERE, ensure_ascii=False))
    sys.stdout.write(head)
    opened = False
    for batch in batches:
        if not batch:
            continue
        sys.stdout.write(("," if opened else "[") + _member_items(batch))
        opened = True
    sys.stdout.write("\n  ]" if opened else "[]")
    sys.stdout.write(tail)
    sys.stdout.write("\n")


def is_stdout(path: object) -> bool:
    """``-`` as an output file: standard output."""
    return path is not None and str(path) == STDOUT


def write_stdout_bytes(data: bytes) -> None:
    """A whole file (a PDF, an export, a calendar) to standard output, unchanged."""
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _rendered(write: Callable[[Any], None]) -> bytes:
    """What ``write`` writes to a file object, made whole in memory first: a failure sends nothing."""
    import io

    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


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
        print(
            tr(
                "Sample database created: {count} debts as of {date} in {path}",
                count=count,
                date=as_of.isoformat(),
                path=svc.path,
            )
        )
    return EXIT_OK


def _flag_amount(flag: str, text: str, allow_zero: bool = False) -> Any:
    from domain.money import MAX_AMOUNT, MoneyError, parse_amount
    from resources.i18n import tr

    try:
        value = parse_amount(text)
    except MoneyError as exc:
        raise BadInput(tr("{flag}: not an amount: {text}", flag=flag, text=text)) from exc
    if value < 0 or (value == 0 and not allow_zero):
        raise BadInput(
            tr("{flag}: must be more than 0", flag=flag)
            if not allow_zero
            else tr("{flag}: cannot be negative", flag=flag)
        )
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
    from services.errors import domain_message
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
            method = (
                Method(args.method)
                if args.method
                else (Method.FEE_INSTALLMENT if fee_rate.percent > 0 else Method.EQUAL_INSTALLMENT)
            )
            try:  # e.g. a principal under one fen
                schedule = schedule_for(
                    Debt(
                        name="",
                        lender="",
                        kind=DebtKind.OTHER,
                        principal=principal,
                        start_date=date(2000, 1, 1),
                        method=method,
                        months=months,
                        rate=rate.percent,
                        rate_unit=rate.unit,
                        fee_rate=fee_rate.percent,
                    )
                )
            except ScheduleError as exc:
                raise BadInput(domain_message(exc)) from exc
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
    debt = Debt(
        name="",
        lender="",
        kind=DebtKind.OTHER,
        principal=principal,
        start_date=start,
        method=Method(args.method),
        months=months,
        rate=rate.percent,
        rate_unit=RateUnit(rate.unit),
        fee_rate=fee_rate.percent,
        due_day=due_day,
    )
    try:
        schedule = schedule_for(debt, minimum=minimum)
    except ScheduleError as exc:
        raise BadInput(domain_message(exc)) from exc
    if args.json:
        print_json(schedule_to_json(schedule))
        return EXIT_OK
    headers = (
        tr("Period"),
        tr("Due on"),
        tr("Amount due"),
        tr("Of which principal"),
        tr("Of which interest"),
        tr("Of which fees"),
        tr("Principal left"),
    )
    print("\t".join(headers))
    for r in schedule.rows:
        print(
            "\t".join(
                (
                    str(r.period),
                    r.due_date.isoformat(),
                    *(format_money(x) for x in (r.payment, r.principal, r.interest, r.fee, r.balance)),
                )
            )
        )
    print(
        tr(
            "Total paid {paid}, interest {interest}, fees {fees}",
            paid=format_money(schedule.payment_total),
            interest=format_money(schedule.interest_total),
            fees=format_money(schedule.fee_total),
        )
    )
    return EXIT_OK


def _read_input(name: str) -> bytes:
    with _open_input(name) as fh:
        return fh.read()


def _open_input(name: str) -> Any:
    """An input file opened for reading (``-``: standard input, read whole), as a binary file."""
    import io

    from resources.i18n import tr
    from services.errors import UserError

    if name == "-":
        return io.BytesIO(sys.stdin.buffer.read())
    try:
        # Non-blocking: opening a pipe nobody writes to would wait forever. A regular file reads
        # the same either way; anything else (a device such as /dev/zero, a pipe, a folder) is
        # refused before a byte is read.
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise UserError(
                tr(
                    "Cannot read {path}: {reason}",
                    path=name,
                    reason=tr("not a regular file (a device, a pipe or a folder)"),
                )
            )
        return os.fdopen(fd, "rb")
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
                print(
                    terminal_safe(
                        tr(
                            "{id}. {name} ({lender}): balance {balance}, {days} days overdue, {status}",
                            id=s.debt.id,
                            name=s.debt.name,
                            lender=s.debt.lender,
                            balance=format_money(s.balance),
                            days=s.days_overdue,
                            status=status_label(s.status),
                        )
                    )
                )
            return EXIT_OK
        with svc.unit(writes=False):  # the debt and its payments from one snapshot
            summary = svc.debt_summary(args.debt_id, as_of)
            if args.json:  # printed a batch at a time as they are read
                document = summary_to_json(summary, [])
                print_json_rows(document, "payments", svc.payment_json_batches(args.debt_id))
                return EXIT_OK
            payments = svc.list_payments(args.debt_id)
    debt = summary.debt
    print(
        terminal_safe(
            tr(
                "{id}. {name} ({lender}): balance {balance}, {days} days overdue, {status}",
                id=debt.id,
                name=debt.name,
                lender=debt.lender,
                balance=format_money(summary.balance),
                days=summary.days_overdue,
                status=status_label(summary.status),
            )
        )
    )
    for p in payments:
        print(
            tr(
                "  {date}  paid {amount}: fees {fees}, interest {interest}, principal {principal}",
                date=p.date.isoformat(),
                amount=format_money(p.amount),
                fees=format_money(p.fees),
                interest=format_money(p.interest),
                principal=format_money(p.principal),
            )
        )
    return EXIT_OK


def cmd_payment(args: argparse.Namespace) -> int:
    from services.jsonio import payment_to_json

    on = args.date or args.as_of or date.today()
    with _open(args) as svc:
        with svc.unit():  # recorded and read back in one transaction
            payment_id = svc.add_payment(args.debt_id, args.amount, on, note=args.note)
            payment = svc.get_payment(payment_id)
        if args.json:
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
            raise BadInput(
                tr("{flag}: not a list of debt ids: {text}", flag="--order", text=args.order)
            ) from exc
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
        print(
            tr(
                "{strategy}: debt-free in {months} months, on {date}",
                strategy=tr(plan.strategy.value),
                months=plan.months,
                date=format_date(plan.payoff_date),
            )
        )
    print(
        tr(
            "Total paid {paid}, interest {interest}, fees {fees}",
            paid=format_money(plan.total_paid),
            interest=format_money(plan.total_interest),
            fees=format_money(plan.total_fees),
        )
    )
    for d in plan.debts:
        if d.payoff_date is None:
            print(
                terminal_safe(
                    tr(
                        "{name}: not paid off within the plan, interest {interest}",
                        name=d.name,
                        interest=format_money(d.interest),
                    )
                )
            )
        else:
            print(
                terminal_safe(
                    tr(
                        "{name}: paid off {when}, interest {interest}",
                        name=d.name,
                        when=format_date(d.payoff_date),
                        interest=format_money(d.interest),
                    )
                )
            )
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
    given = {
        flag: None if text is None else _flag_amount(flag, text, allow_zero=True)
        for flag, text in (("--income", args.income), ("--expenses", args.expenses))
    }
    with _open(args, read_only_ok=not args.save_person) as svc:
        person = letters.with_overrides(
            letters.person_details(svc),
            name=args.name,
            address=args.address,
            phone=args.phone,
            id_number=args.id_number,
            email=args.email,
            city=args.city,
        )
        if args.save_person:
            letters.save_person(svc, person, args.cause)
        budget = letters.budget_for_letter(svc, given["--income"], given["--expenses"])
        # Refused before anything is written, naming what is missing and the flag that gives it.
        income_given = given["--income"] is not None  # --income 0: no income at present, said so
        missing = letters.missing_details(
            svc, args.kind, cause=args.cause, budget=budget, income_given=income_given
        )
        if missing:
            problem = letters.MissingDetails(missing).message
            raise BadInput(
                tr(
                    "letter: {problem} Give {flags}.",
                    problem=problem,
                    flags=", ".join(LETTER_FLAGS[m] for m in missing),
                )
            )
        warning = letters.letter_warning(svc, args.debt_id, args.kind, as_of)
        letter = letters.make_letter(
            svc,
            args.debt_id,
            args.kind,
            get_language(),
            as_of,
            person=person,
            contact_ids=contact_ids,
            cause=args.cause,
            mask_id=not args.show_id,
            budget=budget,
            income_given=income_given,
        )
    if is_stdout(args.out):
        write_stdout_bytes(_rendered(lambda fh: letters.write_pdf(letter, fh)))
    else:
        letters.write_pdf(letter, args.out)
    if warning is not None and not args.no_warn:
        print(f"debtkeeper: {warning.text}", file=sys.stderr)
    if not is_stdout(args.out):
        print(str(args.out))
    return EXIT_OK


def cmd_plan_pdf(args: argparse.Namespace) -> int:
    from resources.i18n import get_language
    from services import letters

    # The same checks as 'plan': the report is that plan on paper.
    budget = _flag_amount("--budget", args.budget, allow_zero=True)
    order = _plan_order(args)
    with _open(args, read_only_ok=True) as svc:
        report = letters.plan_report(
            svc, budget, args.strategy, get_language(), args.as_of or date.today(), order=order
        )
    if is_stdout(args.out):
        write_stdout_bytes(_rendered(lambda fh: letters.write_plan_pdf(report, fh)))
        return EXIT_OK
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
    to_stdout = is_stdout(args.ics)
    if to_stdout and args.json:
        raise BadInput(
            tr("{flag}: the calendar and --json cannot both go to standard output", flag="--ics -")
        )
    svc = _open(args, read_only_ok=True)
    try:
        dues = reminders.dues_within(svc, as_of, args.within)
        if to_stdout:
            sys.stdout.flush()
            reminders.export_ics(svc, sys.stdout.buffer, as_of)
        elif args.ics is not None:
            count = reminders.export_ics(svc, args.ics, as_of)
            if not args.json:
                print(tr("Wrote {count} due dates to {path}", count=count, path=str(args.ics)))
    finally:
        svc.close()
    if to_stdout:
        pass  # standard output is the calendar; the exit status still says whether something is due
    elif args.json:
        print_json(
            [
                {
                    "debt_id": d.debt_id,
                    "name": d.name,
                    "due_date": d.due_date.isoformat(),
                    "amount": money_str(d.amount),
                    "overdue": d.overdue,
                }
                for d in dues
            ]
        )
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
    from resources.i18n import N_, tr
    from services.errors import UserError
    from services.jsonio import export_database, payments_csv, write_export, write_payments_csv

    with _open(args, read_only_ok=True) as svc, progress_line(N_("Exporting… {percent}%")) as progress:
        try:
            if is_stdout(args.out):
                if args.payments_csv:
                    write_stdout_bytes(payments_csv(svc))
                else:
                    write_stdout_bytes(export_database(svc, progress))
                out = args.out
            elif args.payments_csv:
                out = write_payments_csv(svc, args.out)
            else:
                out = write_export(svc, args.out, progress)
        except OSError as exc:
            raise UserError(
                tr("Cannot write {path}: {reason}", path=args.out, reason=exc.strerror or str(exc))
            ) from None
        left_out = svc.warnings
    if not is_stdout(out):
        print(tr("Exported to {path}", path=out))
    if left_out:
        # Everything readable was written and the file imports; a script must still notice the gap.
        _warn(
            tr(
                "The export in {path} lacks what is named above. Restore a backup made before the damage "
                "to get it back, or import this export into an empty database to go on without it.",
                path=out,
            )
        )
        return EXIT_ERROR
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from resources.i18n import N_, tr
    from services.app import resolve_db_path
    from services.jsonio import import_database
    from services.safety import import_backup_path, lock

    # Read as it is imported: a file of 1,000,000 payments is never held in memory whole.
    with _open_input(str(args.file)) as source:
        # Replacing everything under an open window would pull the data from under it: refused, as restore is.
        held = lock(resolve_db_path(args)) if args.replace else None
        try:
            with _open(args) as svc, progress_line(N_("Importing… {percent}%")) as progress:
                backup = import_backup_path(svc)
                count = import_database(
                    svc, source, replace=args.replace, backup_to=backup, progress=progress
                )
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
            print_json(
                {
                    "path": str(verified.path),
                    "ok": True,
                    "revision": verified.revision,
                    "debts": verified.debts,
                    "payments": verified.payments,
                }
            )
        else:
            print(
                tr(
                    "The backup is good: {debts} debts, {payments} payments, schema {revision} ({path})",
                    debts=verified.debts,
                    payments=verified.payments,
                    revision=verified.revision,
                    path=verified.path,
                )
            )
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
        print_json(
            [
                {
                    "path": str(b.path),
                    "taken": b.taken.isoformat(timespec="seconds"),
                    "reason": b.reason,
                    "size": b.size,
                }
                for b in backups
            ]
        )
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
        print(
            tr(
                "Encrypted copy written to {path}. Open it with --db and --password-file; check it, then "
                "delete the unprotected file yourself.",
                path=done.path,
            )
        )
        print(
            tr(
                "These files are not protected: anyone who can read this disk can read them. Delete them "
                "once you have checked the encrypted copy (--delete-plaintext does it after checking it):"
            )
        )
        for path in done.unprotected:
            print(f"  {path}")
    else:
        print(
            tr(
                "Encrypted copy written to {path} and checked: it holds the same data. Open it with --db "
                "and --password-file.",
                path=done.path,
            )
        )
        print(tr("Deleted these unprotected files:"))
        for path in done.deletion.deleted:
            print(f"  {path}")
        for path, reason in done.deletion.failed:
            print(
                f"debtkeeper: {tr('Cannot delete {path}: {reason}', path=path, reason=reason)}",
                file=sys.stderr,
            )
            status = EXIT_ERROR
    print(
        tr("Exports (JSON, CSV), letters and plans you saved are not protected either: delete them yourself.")
    )
    print(
        tr(
            "Keep the password safe: a lost password cannot be recovered, and nobody can open the file "
            "without it."
        )
    )
    return status


def cmd_restore(args: argparse.Namespace) -> int:
    from resources.i18n import tr
    from services import safety
    from services.app import resolve_db_path

    verified, kept = safety.restore(resolve_db_path(args), args.file)
    print(
        tr(
            "Restored {debts} debts and {payments} payments from {path}",
            debts=verified.debts,
            payments=verified.payments,
            path=verified.path,
        )
    )
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


def _utf8(stream: Any) -> None:
    """Write UTF-8 whatever the console, file or pipe: a Windows code page (GBK has no '¥'), or
    PYTHONIOENCODING, would otherwise fail on the first amount or Chinese name, or garble a log."""
    encoding = str(getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding != "utf8" and reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):  # a stream that cannot change keeps what it has
            reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; whatever it prints reaches the terminal as UTF-8 through ``terminal_safe``."""
    out, err = sys.stdout, sys.stderr
    _utf8(out)
    _utf8(err)
    sys.stdout, sys.stderr = _TerminalSafeStream(out), _TerminalSafeStream(err)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None = None) -> int:
    from resources.i18n import set_language, system_language
    from services.safety import take_password_from_environment

    take_password_from_environment()  # programs started from here must not inherit it
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(language_in(argv) or system_language())  # --help is answered while parsing
    try:
        with argparse_language():
            args = build_parser().parse_args(argv)
    except BadInput as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help and --version have been printed
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    set_language(args.lang or system_language())
    from services.dbpath import chosen_db_path, folder_problem
    from services.errors import UserError
    from services.notices import listening

    flag, args.db = args.db, chosen_db_path(args.db)
    try:
        problem = None if args.command == "calc" else folder_problem(args.db, flag)
        if problem is not None:
            raise BadInput(problem)
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
