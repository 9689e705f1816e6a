"""Collection conduct: which recorded contacts broke which rule.

The rules are data (resources/rules/collection.toml, each with its public source): contact hours,
call attempts a day per number, third parties (family, employer, the 户籍地 village
or community committee) never told of the debt, no threats or insults, no posing as
a court or the police, no false legal claims, no public exposure, no home visits
without consent, no pushing new loans. What binding law forbids for every lender
(threats, insults, posing as an official, telling others of the debt, public
exposure) is cited as law; industry guidelines as typical. For credit cards the
third-party rules are regulation (card Measures Art. 68) and are cited as such.
A lawsuit, court papers or a visit the person agreed to break no rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time

from domain.debts import ContactEntry, DebtKind
from domain.rules import Cited, ContactRule


@dataclass(frozen=True, slots=True)
class Violation:
    """One rule a contact broke: msgid + params, and the rule's citation."""

    rule: str
    text: str
    params: Mapping[str, str]
    cited: Cited


@dataclass(frozen=True, slots=True)
class ContactCheck:
    entry: ContactEntry
    violations: tuple[Violation, ...]

    @property
    def ok(self) -> bool:
        return not self.violations


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _in_quiet_hours(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # the quiet period runs over midnight


def check_contacts(
    entries: Sequence[ContactEntry], rules: Mapping[str, ContactRule], kind: DebtKind | None = None
) -> tuple[ContactCheck, ...]:
    """For each contact (in the order given), the rules it broke.

    ``kind`` is the debt's kind when all entries are about one debt: for a credit
    card the card Measures are cited where they apply.
    """

    def cite(rule: ContactRule) -> Cited:
        return rule.card_cited if kind is DebtKind.CREDIT_CARD and rule.card_cited else rule.cited

    quiet = rules["quiet_hours"]
    start, end = _hhmm(str(quiet.params["start"])), _hhmm(str(quiet.params["end"]))
    calls = rules["call_limit"]
    limit = int(calls.params["max_per_day"])
    # The (limit+1)th and later call attempts on one day to one number break the limit.
    over_limit: set[int] = set()
    per_day: dict[tuple[date, str], list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        if entry.channel.value in calls.channels:
            per_day[(entry.when.date(), entry.phone_number or entry.who)].append(index)
    for indexes in per_day.values():
        ordered = sorted(indexes, key=lambda i: entries[i].when)
        over_limit.update(ordered[limit:])

    checks = []
    for index, entry in enumerate(entries):
        found: list[Violation] = []
        if entry.channel.value in quiet.channels and _in_quiet_hours(entry.when.time(), start, end):
            found.append(
                Violation(
                    "quiet_hours",
                    quiet.text,
                    {"start": str(quiet.params["start"]), "end": str(quiet.params["end"])},
                    cite(quiet),
                )
            )
        if index in over_limit:
            found.append(Violation("call_limit", calls.text, {"limit": str(limit)}, cite(calls)))
        conduct = {c.value for c in entry.conduct}
        for key, rule in rules.items():
            if key in ("quiet_hours", "call_limit"):
                continue
            if entry.target.value in rule.targets or conduct & rule.conduct:
                found.append(Violation(key, rule.text, {}, cite(rule)))
        checks.append(ContactCheck(entry, tuple(found)))
    return tuple(checks)
