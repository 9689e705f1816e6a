"""Protecting a database writes its encrypted copy under a temporary name and checks it before naming it.

Killed part-way, ``encrypt`` used to leave an incomplete file under the final
name that ``backup --verify`` called good (or a 0-byte file that then opened as
an empty, unencrypted database). The copy must open with the password and hold
every row of the source before it gets its name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from services.app import Services
from storage import encryption

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(encryption.module() is None, reason="sqlcipher3 is not installed")
SECRET = "correct horse"

# Runs in a child process: SQLCipher's export is made to wait, so the kill lands while it is under way.
CHILD = r"""
import sys, time
import sqlcipher3.dbapi2 as cipher

real_connect = cipher.connect


class Waiting:
    def __init__(self, conn):
        object.__setattr__(self, "_conn", conn)

    def execute(self, sql, *args):
        if "sqlcipher_export" in sql:
            print("exporting", flush=True)
            time.sleep(120)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def __setattr__(self, name, value):
        setattr(self._conn, name, value)


cipher.connect = lambda *a, **k: Waiting(real_connect(*a, **k))
how, db, out, password_file = sys.argv[1:5]
if how == "command":
    import cli
    cli.main(["--db", db, "--password-file", password_file, "encrypt", "--out", out])
else:
    from pathlib import Path
    from services.protection import write_protected_copy
    write_protected_copy(Path(db), open(password_file, encoding="utf-8").read().strip())
"""


def _database(path: Path, payments: int = 40) -> Path:
    with Services.open(path) as svc:
        debt = svc.add_debt(
            {
                "name": "Card",
                "lender": "Bank",
                "kind": "credit_card",
                "principal": "5000.00",
                "start_date": "2026-01-15",
                "method": "revolving",
                "months": 12,
            }
        )
        for i in range(payments):
            svc.add_payment(debt, "10.00", date(2026, 2, 1) + timedelta(days=i))
    return path


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "main.py",
            "backup",
            "--verify",
            str(path),
            "--password-file",
            str(path.parent / "password.txt"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "DEBTKEEPER_LANG": "en_US"},
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
@pytest.mark.parametrize("how", ["command", "window"])
def test_killed_while_encrypting_the_final_name_never_exists_incomplete(how, tmp_path):
    db = _database(tmp_path / "d.sqlite3")
    (tmp_path / "password.txt").write_text(SECRET + "\n", encoding="utf-8")
    out = tmp_path / "protected.sqlite3" if how == "command" else tmp_path / "d.sqlite3.protecting"
    password = tmp_path / "password.txt"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, how, str(db), str(out), str(password)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "DEBTKEEPER_LANG": "en_US"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    _out, err = proc.communicate(timeout=60)
    assert line == "exporting\n", err
    assert not out.exists()  # neither a 0-byte file nor a part of the copy under the final name
    assert _verify(out).returncode == 2
    # The next try writes the whole copy, which checks out.
    if how == "command":
        done = subprocess.run(
            [
                sys.executable,
                "main.py",
                "--db",
                str(db),
                "--password-file",
                str(tmp_path / "password.txt"),
                "encrypt",
                "--out",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        checked = _verify(out)
        assert checked.returncode == 0 and "40 payments" in checked.stdout, checked.stdout + checked.stderr


def test_a_copy_missing_rows_is_refused_and_not_kept(tmp_path, monkeypatch):
    cipher = encryption.module()
    assert cipher is not None
    db = _database(tmp_path / "d.sqlite3")
    real_connect = cipher.connect

    class Lossy:
        """An export that loses the payments (as a cut-short or faulty copy would)."""

        def __init__(self, conn):
            object.__setattr__(self, "_conn", conn)

        def execute(self, sql, *args):
            result = self._conn.execute(sql, *args)
            if "sqlcipher_export" in sql:
                was_open = self._conn.in_transaction
                self._conn.execute("DELETE FROM encrypted.payments")
                if not was_open and self._conn.in_transaction:
                    self._conn.commit()
            return result

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def __setattr__(self, name, value):
            setattr(self._conn, name, value)

    monkeypatch.setattr(cipher, "connect", lambda *a, **k: Lossy(real_connect(*a, **k)))
    out = tmp_path / "protected.sqlite3"
    with pytest.raises(encryption.EncryptionError, match="did not pass its check"):
        encryption.encrypt_copy(db, out, SECRET)
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if not p.name.startswith("d.sqlite3")]  # no temporary file
