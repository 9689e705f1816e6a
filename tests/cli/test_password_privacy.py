"""The password of a protected database stays in the process that was given it.

Programs DebtKeeper starts (notify-send, a file manager, a print dialog helper) inherit its environment;
the password from --password-file, the window or DEBTKEEPER_PASSWORD must never be in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import encryption

# Whether a child process inherits the password needs real processes: slow.
pytestmark = [
    pytest.mark.skipif(encryption.module() is None, reason="sqlcipher3 is not installed"),
    pytest.mark.slow,
]

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
SECRET = "correct horse 42"


def run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != encryption.PASSWORD_ENV}
    env.update({"DEBTKEEPER_LANG": "en_US", **(env_extra or {})})
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def protected(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("protected")
    plain = folder / "plain.sqlite3"
    result = run("--db", str(plain), "demo", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    return encryption.encrypt_copy(plain, folder / "protected.sqlite3", SECRET)


@pytest.fixture
def password_file(tmp_path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _fake_notify_send(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A notify-send on PATH that writes the environment it was started with to a file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "child-env.txt"
    fake = bin_dir / "notify-send"
    fake.write_text(f'#!/bin/sh\nenv > "{record}"\n', encoding="utf-8")
    fake.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}", "DISPLAY": ":99"}, record


def test_a_child_process_does_not_inherit_the_password_from_the_file(protected, password_file, tmp_path):
    env, record = _fake_notify_send(tmp_path)
    result = run(
        "--db",
        str(protected),
        "--password-file",
        str(password_file),
        "remind",
        "--notify",
        "--as-of",
        AS_OF,
        env_extra=env,
    )
    assert result.returncode == 0, result.stderr
    child_env = record.read_text(encoding="utf-8")
    assert "PATH=" in child_env  # the child ran and wrote its environment
    assert encryption.PASSWORD_ENV not in child_env
    assert SECRET not in child_env


def test_a_password_set_in_the_environment_is_used_but_not_passed_on(protected, tmp_path):
    env, record = _fake_notify_send(tmp_path)
    result = run(
        "--db",
        str(protected),
        "remind",
        "--notify",
        "--as-of",
        AS_OF,
        env_extra={**env, encryption.PASSWORD_ENV: SECRET},
    )
    assert result.returncode == 0, result.stderr  # it opened the protected file with it
    child_env = record.read_text(encoding="utf-8")
    assert "PATH=" in child_env
    assert encryption.PASSWORD_ENV not in child_env and SECRET not in child_env


def test_after_password_file_the_environment_holds_no_password(protected, password_file, capsys):
    import cli

    assert cli.main(["--db", str(protected), "--password-file", str(password_file), "debt", "list"]) == 0
    assert "京东白条" in capsys.readouterr().out
    assert encryption.PASSWORD_ENV not in os.environ
    assert all(SECRET not in value for value in os.environ.values())
    child = subprocess.run(["env"], capture_output=True, text=True, check=True)
    assert SECRET not in child.stdout and encryption.PASSWORD_ENV not in child.stdout
    assert encryption.password() == SECRET  # kept in this process, where it is needed


def test_the_environment_variable_is_taken_out_once_read(protected, monkeypatch, capsys):
    import cli

    monkeypatch.setenv(encryption.PASSWORD_ENV, SECRET)
    assert cli.main(["--db", str(protected), "debt", "list"]) == 0
    assert encryption.PASSWORD_ENV not in os.environ
    assert encryption.password() == SECRET


def test_a_password_file_wins_over_the_environment(protected, password_file, monkeypatch, capsys):
    import cli

    monkeypatch.setenv(encryption.PASSWORD_ENV, "not the password")
    assert cli.main(["--db", str(protected), "--password-file", str(password_file), "debt", "list"]) == 0
    assert encryption.PASSWORD_ENV not in os.environ and encryption.password() == SECRET


def test_the_window_password_stays_in_the_process():
    from services.safety import use_password

    use_password(SECRET)
    assert encryption.password() == SECRET
    assert encryption.PASSWORD_ENV not in os.environ
