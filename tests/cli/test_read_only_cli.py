"""Commands on a database whose folder cannot be written: those that only read work, writes say why not.

Each case runs twice: with the folder truly unwritable (chmod, or chattr +i
as root; skipped where neither is possible), and with SQLite's refusal
simulated, which runs everywhere.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

import cli
from services.app import Services
from services.demo import build_demo
from tests.cli.inprocess import run_cli
from tests.storage.read_only import simulate_read_only_folder, unwritable

AS_OF = "2026-11-23"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    with Services.open(path) as svc:
        build_demo(svc, date.fromisoformat(AS_OF))
    return path


@pytest.fixture(params=["unwritable", "simulated"])
def locked_db(request, demo_file, tmp_path, monkeypatch):
    """The demo database in a folder nothing can be written to: (db, a writable folder, truly unwritable)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "d.sqlite3"
    shutil.copy(demo_file, db)
    out = tmp_path / "out"
    out.mkdir()
    if request.param == "simulated":
        simulate_read_only_folder(monkeypatch)
        yield db, out, False
    else:
        with unwritable(folder):
            yield db, out, True


def run(capsys, db: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--lang", "en_US", "--db", str(db), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def expected(demo_file, tmp_path_factory) -> dict[str, object]:
    """What the read commands print on the same database when it can be written."""
    copy = tmp_path_factory.mktemp("writable") / "d.sqlite3"
    shutil.copy(demo_file, copy)

    def listing(*args: str) -> object:
        done = run_cli(["--lang", "en_US", "--db", str(copy), *args])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return {
        "list": listing("debt", "list", "--json", "--as-of", AS_OF),
        "show": listing("debt", "show", "1", "--json", "--as-of", AS_OF),
    }


def test_read_commands_work(locked_db, expected, capsys):
    db, out, real = locked_db
    before = db.read_bytes()
    code, stdout, err = run(capsys, db, "debt", "list", "--json", "--as-of", AS_OF)
    assert (code, err) == (0, "") and json.loads(stdout) == expected["list"]
    code, stdout, err = run(capsys, db, "debt", "show", "1", "--json", "--as-of", AS_OF)
    assert code == 0 and json.loads(stdout) == expected["show"]
    code, stdout, _err = run(capsys, db, "overdue", "1", "--json", "--as-of", AS_OF)
    assert code == 0 and json.loads(stdout)
    code, stdout, _err = run(capsys, db, "plan", "--budget", "5000", "--json", "--as-of", AS_OF)
    assert code == 0 and json.loads(stdout)["strategy"] == "avalanche"
    code, _stdout, _err = run(capsys, db, "remind", "--within", "30", "--as-of", AS_OF)
    assert code in (0, 3)
    code, _stdout, err = run(capsys, db, "export", "--out", str(out / "all.json"))
    assert code == 0, err
    assert len(json.loads((out / "all.json").read_text(encoding="utf-8"))["debts"]) == 6
    code, _stdout, err = run(
        capsys,
        db,
        "letter",
        "1",
        "--kind",
        "hardship",
        "--name",
        "张三",
        "--no-warn",
        "--out",
        str(out / "letter.pdf"),
        "--as-of",
        AS_OF,
    )
    assert code == 0, err
    code, _stdout, err = run(
        capsys, db, "plan-pdf", "--budget", "5000", "--out", str(out / "plan.pdf"), "--as-of", AS_OF
    )
    assert code == 0, err
    assert (out / "letter.pdf").read_bytes()[:5] == (out / "plan.pdf").read_bytes()[:5] == b"%PDF-"
    assert db.read_bytes() == before
    if real:
        assert sorted(p.name for p in db.parent.iterdir()) == ["d.sqlite3"]


def test_backup_verify_reads_a_backup_in_a_read_only_folder(demo_file, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    backup = folder / "b.sqlite3"
    shutil.copy(demo_file, backup)
    with unwritable(folder):
        code, stdout, err = run(capsys, tmp_path / "d.sqlite3", "backup", "--verify", str(backup), "--json")
    assert code == 0, err
    assert json.loads(stdout)["debts"] == 6


@pytest.mark.parametrize(
    "args",
    [
        ("payment", "add", "1", "--amount", "10"),
        ("demo",),
        ("letter", "1", "--kind", "hardship", "--name", "张三", "--save-person", "--out", "{out}/l.pdf"),
        ("remind", "--ics", "{folder}/dues.ics"),
        ("import", "{out}/all.json", "--replace"),
    ],
)
def test_write_commands_fail_with_one_line_and_change_nothing(locked_db, capsys, args):
    db, out, real = locked_db
    if args[0] == "remind" and not real:
        pytest.skip("only a truly unwritable folder refuses the calendar file")
    (out / "all.json").write_text(json.dumps({"format": "debtkeeper", "version": 1}), encoding="utf-8")
    before = db.read_bytes()
    argv = [a.format(out=out, folder=db.parent) for a in args]
    code, _stdout, err = run(capsys, db, *argv)
    assert code == 2
    assert err.startswith("debtkeeper: ") and err.count("\n") == 1
    assert "permissions" in err or "Cannot write" in err
    assert db.read_bytes() == before
    if real:
        assert sorted(p.name for p in db.parent.iterdir()) == ["d.sqlite3"]
