"""`encrypt`: the same minimum password as the window, and what stays readable afterwards.

After protecting, the old file and the backups taken before are still plain SQLite that anyone can read;
`encrypt` names them, and `--delete-plaintext` deletes them once the protected copy holds the same data.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from storage import encryption
from tests.cli.inprocess import run_cli

pytestmark = pytest.mark.skipif(encryption.module() is None, reason="sqlcipher3 is not installed")

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
SECRET = "correct horse 42"


def run(*args: str, lang: str = "en_US") -> subprocess.CompletedProcess[str]:
    return run_cli(args, env={"DEBTKEEPER_LANG": lang}, unset=(encryption.PASSWORD_ENV,))


def _password_file(folder: Path, secret: str) -> Path:
    path = folder / "password.txt"
    path.write_text(secret + "\n", encoding="utf-8")
    return path


def _export_hash(db: Path, secret: str | None = None) -> str:
    from services.app import Services
    from services.jsonio import export_database

    encryption.set_password(secret)
    try:
        with Services.open(db) as svc:
            return hashlib.sha256(export_database(svc)).hexdigest()
    finally:
        encryption.set_password(None)


@pytest.fixture
def plain(tmp_path) -> Path:
    db = tmp_path / "data" / "money.sqlite3"
    db.parent.mkdir()
    result = run("--db", str(db), "demo", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    result = run("--db", str(db), "backup")  # a plain backup in data/backups/
    assert result.returncode == 0, result.stderr
    return db


def _plain_backups(db: Path) -> list[Path]:
    return sorted(
        p for p in (db.parent / "backups").iterdir() if p.read_bytes()[:16] == encryption.SQLITE_MAGIC
    )


@pytest.mark.parametrize(("lang", "words"), [("en_US", "at least 4 characters"), ("zh_CN", "至少")])
def test_a_new_password_shorter_than_the_window_allows_is_refused(plain, tmp_path, lang, words):
    out = tmp_path / "protected.sqlite3"
    result = run(
        "--db",
        str(plain),
        "--password-file",
        str(_password_file(tmp_path, "abc")),
        "encrypt",
        "--out",
        str(out),
        lang=lang,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
    assert not out.exists()


def test_encrypt_names_the_files_that_stay_readable(plain, tmp_path):
    backups = _plain_backups(plain)
    assert backups
    out = tmp_path / "protected.sqlite3"
    result = run(
        "--db",
        str(plain),
        "--password-file",
        str(_password_file(tmp_path, SECRET)),
        "encrypt",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert encryption.is_encrypted(out)
    assert str(plain) in result.stdout
    assert all(str(b) in result.stdout for b in backups)
    assert "--delete-plaintext" in result.stdout and "Exports" in result.stdout
    assert plain.exists() and all(b.exists() for b in backups)  # nothing deleted without being asked


def test_delete_plaintext_removes_the_old_file_and_plain_backups_once_the_copy_checks(plain, tmp_path):
    before = _export_hash(plain)
    backups = _plain_backups(plain)
    out = tmp_path / "protected.sqlite3"
    result = run(
        "--db",
        str(plain),
        "--password-file",
        str(_password_file(tmp_path, SECRET)),
        "encrypt",
        "--out",
        str(out),
        "--delete-plaintext",
    )
    assert result.returncode == 0, result.stderr
    assert not plain.exists() and not any(b.exists() for b in backups)
    assert not any(plain.parent.glob("money.sqlite3-*"))  # no -wal or -shm left either
    assert str(plain) in result.stdout and all(str(b) in result.stdout for b in backups)
    assert _export_hash(out, SECRET) == before  # everything is in the protected copy


def test_delete_plaintext_is_refused_while_a_window_has_the_file_open(plain, tmp_path):
    from storage.lock import InstanceLock

    held = InstanceLock(plain).acquire()
    try:
        out = tmp_path / "protected.sqlite3"
        result = run(
            "--db",
            str(plain),
            "--password-file",
            str(_password_file(tmp_path, SECRET)),
            "encrypt",
            "--out",
            str(out),
            "--delete-plaintext",
        )
    finally:
        held.release()
    assert result.returncode == 2 and "already open" in result.stderr
    assert plain.exists() and not out.exists()
