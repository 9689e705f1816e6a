"""Export and import a piece at a time: the same bytes and the same answers as a whole document, in
batches, all or nothing, with how far they have come."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services import exportformat, jsonio
from services.app import Services
from services.demo import build_demo
from services.errors import ValidationError
from services.exportformat import SeenIds, stream_document
from services.jsonio import dumps_document, export_database, import_database, write_export
from services.jsonstream import JsonReader, Streamed

AS_OF = date(2026, 11, 23)
# Notes a person may type: quotes, backslashes, line breaks, tabs, Chinese, an emoji, control characters.
NOTES = ['他说"下周还"', "C:\\账单\\", "第一行\n第二行", "\t缩进", "😀", "\x01\x1f", ""]


@pytest.fixture
def demo():
    """The demo with notes that need escaping, and a debt's printed instalment schedule."""
    with Services.open(":memory:") as scratch:
        build_demo(scratch, AS_OF)
        for n, note in enumerate(NOTES):
            scratch.add_payment(1 + n % 3, "1.00", AS_OF, note=note)
        document = json.loads(export_database(scratch))
    document["instalments"] = [
        {
            "id": period,
            "debt_id": 1,
            "period": period,
            "due_date": f"2026-0{period}-15",
            "amount": "1066.19",
            "principal": "1000.00",
            "interest": "66.19",
            "fee": "0.00",
        }
        for period in range(1, 6)
    ]
    with Services.open(":memory:") as svc:
        import_database(svc, dumps_document(document))
        yield svc


def _document(svc: Services) -> dict:
    return json.loads(export_database(svc))


# --- export ----------------------------------------------------------------------------------


def test_the_streamed_export_is_the_documents_canonical_bytes(demo):
    data = export_database(demo)
    document = json.loads(data)
    assert len(document["payments"]) > len(NOTES) and document["instalments"]
    # What json.dumps makes of the whole document at once (sorted keys, indent 2, UTF-8, final newline).
    assert data == dumps_document(document)
    assert data == (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def test_an_export_read_a_few_rows_at_a_time_is_the_same(demo, monkeypatch):
    whole = export_database(demo)
    monkeypatch.setattr(jsonio, "BATCH", 2)
    assert export_database(demo) == whole


def test_empty_long_tables_are_written_as_empty_lists():
    with Services.open(":memory:") as svc:
        data = export_database(svc)
    assert b'"payments": [],\n' in data and b'"instalments": [],\n' in data
    assert data == dumps_document(json.loads(data))


def test_the_written_file_is_the_same_bytes_and_private(demo, tmp_path):
    out = write_export(demo, tmp_path / "all.json")
    assert out.read_bytes() == export_database(demo)
    assert out.stat().st_mode & 0o077 == 0


def test_export_says_how_far_it_has_come(demo, monkeypatch):
    monkeypatch.setattr(jsonio, "BATCH", 10)
    document = _document(demo)
    rows = len(document["instalments"]) + len(document["payments"])
    seen: list[tuple[int, int | None]] = []
    export_database(demo, progress=lambda done, total: seen.append((done, total)))
    assert {total for _done, total in seen} == {rows}
    done = [d for d, _total in seen]
    assert done == sorted(done) and done[-1] == rows
    assert len(seen) >= rows // 10  # one report a batch


# --- import ----------------------------------------------------------------------------------


def test_import_round_trips_through_a_file_and_through_bytes(demo, tmp_path):
    data = export_database(demo)
    path = tmp_path / "all.json"
    path.write_bytes(data)
    for source in (path, data, io.BytesIO(data)):
        with Services.open(":memory:") as other:
            assert import_database(other, source) == len(demo.list_debts())
            assert export_database(other) == data


def test_the_long_sections_reach_the_database_a_batch_at_a_time(demo, monkeypatch):
    monkeypatch.setattr(exportformat, "BATCH", 4)
    document = _document(demo)
    batches: list[tuple[str, int]] = []
    rest = stream_document(
        io.BytesIO(export_database(demo)),
        lambda model, values: batches.append((model.__tablename__, len(values))),
    )
    assert all(size <= 4 for _table, size in batches)
    for table in ("instalments", "payments"):
        assert sum(size for name, size in batches if name == table) == len(document[table])
        assert not any(model.__tablename__ == table for model, _values in rest)  # none held back
    assert sum(1 for model, _values in rest if model.__tablename__ == "debts") == len(document["debts"])


def test_a_bad_row_near_the_end_changes_nothing_and_is_named(demo, monkeypatch):
    monkeypatch.setattr(exportformat, "BATCH", 3)  # rows before it were written, and are undone
    document = _document(demo)
    last = len(document["payments"]) - 1
    document["payments"][last]["amount"] = "lots"
    data = json.dumps(document).encode()
    with Services.open(":memory:") as target:
        with pytest.raises(ValidationError) as info:
            import_database(target, data)
        assert f"payments[{last}].amount: not an amount" in info.value.message
        assert target.is_empty()
    before = export_database(demo)
    with pytest.raises(ValidationError):
        import_database(demo, data, replace=True)
    assert export_database(demo) == before


def test_problems_are_listed_in_the_documents_order_whatever_is_read_first(demo):
    document = _document(demo)
    document["payments"][0]["date"] = "soon"
    document["contacts"][0]["when"] = "yesterday"
    document["budget"]["income"] = "-1"
    document["settings"]["x"] = 5
    with Services.open(":memory:") as target, pytest.raises(ValidationError) as info:
        import_database(target, dumps_document(document))
    # The file holds budget and contacts first (sorted keys); the message lists what is wrong in
    # the order the document's sections are checked, as when the file was read whole.
    wheres = [error.field for error in info.value.errors]
    assert wheres == ["payments[0].date", "contacts[0].when", "budget.income", "settings.x"]


def test_a_truncated_file_is_reported_where_json_loads_reports_it(demo):
    data = export_database(demo)
    cut = data[: int(len(data) * 0.9)]
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(cut)
    with Services.open(":memory:") as target, pytest.raises(ValidationError) as info:
        import_database(target, cut)
    assert f"line {expected.value.lineno}, column {expected.value.colno}" in info.value.message
    assert "not valid JSON" in info.value.message


def test_members_in_another_order_import_the_same(demo):
    document = _document(demo)
    # Payments and instalments before the debts they belong to: the file is read twice.
    order = ["payments", "instalments", "version", "format", "settings", "reminders", "lenders", "debts"]
    shuffled = {key: document[key] for key in order} | document
    data = json.dumps(shuffled, ensure_ascii=False).encode()
    assert data.index(b'"payments"') < data.index(b'"debts"')
    with Services.open(":memory:") as target:
        import_database(target, data)
        assert export_database(target) == export_database(demo)


def test_a_member_given_twice_is_refused():
    data = b'{"format": "debtkeeper", "version": 1, "payments": [], "payments": []}'
    with Services.open(":memory:") as target, pytest.raises(ValidationError) as info:
        import_database(target, data)
    assert "file.payments: is given more than once" in info.value.message


def test_a_file_whose_splits_differ_keeps_them(demo):
    # A file written by hand (or from a damaged database) with splits recording would not give: kept.
    document = _document(demo)
    payment = next(p for p in document["payments"] if Decimal(p["interest"]) > 0)
    payment["interest"] = "0.00"
    payment["principal"] = str(Decimal(payment["amount"]) - Decimal(payment["fees"]))
    data = dumps_document(document)
    with Services.open(":memory:") as target:
        import_database(target, data)
        assert export_database(target) == data


def test_import_says_how_far_it_has_come(demo):
    data = export_database(demo)
    seen: list[tuple[int, int | None]] = []
    with Services.open(":memory:") as target:
        import_database(target, data, progress=lambda done, total: seen.append((done, total)))
    assert seen and {total for _done, total in seen} == {1000}
    done = [d for d, _total in seen]
    assert done == sorted(done) and done[-1] == 1000


# --- the pieces ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=30,
)


def _read(data: bytes, chunk: int, streamed=("a", "b")) -> object:
    reader = JsonReader(io.BytesIO(data), json.JSONDecoder(), chunk=chunk)
    if reader.peek() != "{":
        return reader.whole()
    return {k: list(v) if isinstance(v, Streamed) else v for k, v in reader.members(streamed)}


def _outcome(read) -> object:
    try:
        return ("value", read())
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.lineno, exc.colno)
    except UnicodeDecodeError:
        return ("not text",)


@settings(max_examples=200)
@given(
    document=st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), json_values, max_size=4) | json_values,
    indent=st.sampled_from([None, 0, 2]),
    chunk=st.integers(1, 40),
    cut=st.integers(0, 10_000),
    junk=st.sampled_from([b"", b"x", b",", b"]", b"\xff", b"}", b" 1", b'"']),
)
def test_the_reader_agrees_with_json_loads_on_whole_cut_and_spoilt_documents(
    document, indent, chunk, cut, junk
):
    data = json.dumps(document, indent=indent, ensure_ascii=False).encode()
    for text in (data, data[:cut], data[:cut] + junk + data[cut:]):
        assert _outcome(lambda text=text: _read(text, chunk)) == _outcome(lambda text=text: json.loads(text))


@given(st.lists(st.integers(1, 50), max_size=60))
def test_seen_ids_answer_as_a_set_does(ids):
    seen, expected = SeenIds(), set()
    for value in ids:
        assert (value in seen) == (value in expected)
        seen.add(value)
        expected.add(value)
    assert all(value in seen for value in expected) and 0 not in seen and 51 not in seen
