"""The person's own details, kept as settings: what a letter is signed with, and why they are
in hardship."""

from __future__ import annotations

from typing import TYPE_CHECKING

from documents.letter_data import Person

if TYPE_CHECKING:
    from services.app import Services

PERSON_KEYS = {
    "name": "person.name",
    "address": "person.address",
    "phone": "person.phone",
    "id_number": "person.id_number",
    "email": "person.email",
    "city": "person.city",
}
CAUSE_KEY = "person.hardship_cause"
EVIDENCE_KEY = "person.evidence"


def person_details(svc: Services) -> Person:
    """The person's own details as stored in settings ("" where not given)."""
    values = {field: str(svc.get_setting(key, "") or "") for field, key in PERSON_KEYS.items()}
    return Person(**values)


def save_person(svc: Services, person: Person, cause: str | None = None) -> None:
    """Keep the person's details (and, when given, the cause of their hardship) as settings, in one
    transaction."""
    with svc.unit():
        for field, key in PERSON_KEYS.items():
            svc.set_setting(key, getattr(person, field))
        if cause is not None:
            svc.set_setting(CAUSE_KEY, cause.strip())


def with_overrides(person: Person, **overrides: str | None) -> Person:
    from dataclasses import replace

    given = {k: v.strip() for k, v in overrides.items() if v is not None}
    return replace(person, **given)
