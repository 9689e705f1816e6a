"""``debt show --json`` prints a debt's payments a batch at a time: the same text as printing the whole
document at once, whatever the batches (empty ones, one item, text to escape)."""

from __future__ import annotations

import json

import pytest

import cli


def _whole(document):
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


PAYMENT = {
    "id": 1,
    "date": "2026-02-15",
    "amount": "100.00",
    "fees": "0.00",
    "interest": "2.50",
    "principal": "97.50",
}


@pytest.mark.parametrize(
    "batches",
    [
        [],
        [[]],
        [[PAYMENT]],
        [[PAYMENT, {**PAYMENT, "id": 2}], [], [{**PAYMENT, "id": 3}]],
        [[{"id": 4, "note": '引号" 和 \\ 反斜杠', "nested": {"a": [1, 2]}}]],  # not flat: the general path
    ],
)
def test_the_streamed_document_is_the_whole_document(batches, capsys):
    document = {"id": 5, "name": "建行快贷", "payments": [], "status": "current", "apr": None}
    cli.print_json_rows(document, "payments", iter(batches))
    printed = capsys.readouterr().out
    expected = {**document, "payments": [item for batch in batches for item in batch]}
    assert printed == _whole(expected)
    assert json.loads(printed) == expected


def test_debt_show_json_lists_every_payment_as_stored(tmp_path):
    from services.app import Services
    from tests.cli.inprocess import run_cli

    db = tmp_path / "d.sqlite3"
    with Services.open(db) as svc:
        from datetime import date

        from services.demo import build_demo

        build_demo(svc, date(2026, 11, 23))
        debt_id = max(svc.list_debts(), key=lambda d: len(svc.list_payments(d.id))).id
        stored = svc.list_payments(debt_id)
    done = run_cli(["debt", "show", str(debt_id), "--json", "--as-of", "2026-11-23", "--db", str(db)])
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)["payments"]
    assert [(p["id"], p["date"], p["amount"], p["fees"], p["interest"], p["principal"]) for p in shown] == [
        (
            p.id,
            p.date.isoformat(),
            f"{p.amount:.2f}",
            f"{p.fees:.2f}",
            f"{p.interest:.2f}",
            f"{p.principal:.2f}",
        )
        for p in stored
    ]
    assert len(shown) > 1
