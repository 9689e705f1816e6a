"""The one way the program writes a file: whole or absent, private, the old file untouched on failure."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fileio.atomic import (
    atomic_copy,
    atomic_file,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    private_folder,
    temp_for,
)

ROOT = Path(__file__).resolve().parent.parent
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def wide_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@POSIX
def test_a_new_file_is_private_whatever_the_umask(tmp_path, wide_umask):
    out = atomic_write_bytes(tmp_path / "letter.pdf", b"%PDF-1.4 whole")
    assert out.read_bytes() == b"%PDF-1.4 whole" and _mode(out) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.pdf"]


@POSIX
def test_a_replaced_file_becomes_private_too(tmp_path, wide_umask):
    out = tmp_path / "plan.pdf"
    out.write_bytes(b"old")
    out.chmod(0o644)
    atomic_write_text(out, "新的")
    assert out.read_text(encoding="utf-8") == "新的" and _mode(out) == 0o600


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_part_way_leaves_the_old_file_and_nothing_else(tmp_path, failure):
    out = tmp_path / "export.json"
    out.write_bytes(b"the good old export")
    with pytest.raises(type(failure)), atomic_file(out) as fh:
        fh.write(b"half of the new one")
        raise failure
    assert out.read_bytes() == b"the good old export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]


def test_a_failed_sync_is_a_failure(tmp_path, monkeypatch):
    out = tmp_path / "due.ics"
    out.write_bytes(b"old calendar")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        atomic_write_bytes(out, b"new calendar")
    assert out.read_bytes() == b"old calendar" and [p.name for p in tmp_path.iterdir()] == ["due.ics"]


def test_a_library_writes_by_name_and_its_journal_goes_too(tmp_path):
    import sqlite3
    from contextlib import closing

    out = tmp_path / "copy.sqlite3"
    with atomic_path(out) as tmp:
        assert tmp.parent == tmp_path and tmp.exists() and tmp.stat().st_size == 0 and not out.exists()
        assert temp_for(out.name, tmp.name)
        with closing(sqlite3.connect(tmp)) as conn:
            conn.execute("CREATE TABLE t (x)")
            conn.commit()
    with closing(sqlite3.connect(out)) as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
    with pytest.raises(RuntimeError), atomic_path(tmp_path / "other.sqlite3") as tmp:
        Path(str(tmp) + "-journal").write_bytes(b"hot journal")
        raise RuntimeError("the library failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.sqlite3"]


def test_no_overwrite_refuses_an_existing_file_and_leaves_it(tmp_path):
    out = tmp_path / "protected.sqlite3"
    out.write_bytes(b"theirs")
    with pytest.raises(FileExistsError), atomic_path(out, overwrite=False) as tmp:
        tmp.write_bytes(b"ours")
    assert out.read_bytes() == b"theirs" and [p.name for p in tmp_path.iterdir()] == [out.name]
    fresh = tmp_path / "new.sqlite3"
    with atomic_path(fresh, overwrite=False) as tmp:
        tmp.write_bytes(b"ours")
    assert fresh.read_bytes() == b"ours" and len(list(tmp_path.iterdir())) == 2


def test_a_folder_as_the_target_is_an_error_before_anything_is_written(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write_bytes(tmp_path / "out", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and not any((tmp_path / "out").iterdir())


@POSIX
def test_a_symbolic_link_stays_and_the_file_it_names_is_replaced(tmp_path):
    real = tmp_path / "real.json"
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


@POSIX
def test_a_device_is_written_in_place(tmp_path):
    atomic_write_bytes("/dev/null", b"nothing to keep")
    with atomic_path("/dev/null") as tmp:  # a library that wants a name: a private temporary file
        tmp.write_bytes(b"x")


def test_a_copy_is_whole_and_private(tmp_path):
    source = tmp_path / "damaged.sqlite3"
    source.write_bytes(os.urandom(100_000))
    copy = atomic_copy(source, tmp_path / "aside.sqlite3")
    assert copy.read_bytes() == source.read_bytes()
    if os.name == "posix":
        assert _mode(copy) == 0o600


@POSIX
def test_only_folders_it_creates_are_made_private(tmp_path, wide_umask):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    private_folder(shared / "a" / "b")
    assert _mode(shared) == 0o1777
    assert _mode(shared / "a") == 0o700 and _mode(shared / "a" / "b") == 0o700


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_kill_while_writing_never_leaves_a_part_under_the_final_name(tmp_path):
    out = tmp_path / "big.bin"
    out.write_bytes(b"old and whole")
    writer = (
        "import sys, time\n"
        "from fileio.atomic import atomic_file\n"
        "with atomic_file(sys.argv[1]) as fh:\n"
        "    fh.write(b'x' * 100000); fh.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", writer, str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None and proc.stdout.readline() == "writing\n"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert out.read_bytes() == b"old and whole"
    left = [p.name for p in tmp_path.iterdir() if p != out]
    assert len(left) == 1 and temp_for(out.name, left[0])  # a dot-file a later start can recognise
