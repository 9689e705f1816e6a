"""Every file a command writes is private (0600) and whole: a failure part-way leaves the old file as it was.

Letters, plan reports and calendars hold the person's name, ID number, phone
and address; exports and backups hold everything. The failure is a full disk
reported when the new file is flushed (``fsync``), where a delayed write
reports it.
"""

from __future__ import annotations

import errno
import os
import stat
from datetime import date

import pytest

import cli
from services.app import Services
from services.demo import build_demo

AS_OF = date(2026, 11, 23)
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

WRITERS = {
    "letter": lambda out: [
        "letter",
        "1",
        "--kind",
        "hardship",
        "--lang",
        "en",
        "--name",
        "张三",
        "--id-number",
        "110101199003071234",
        "--as-of",
        AS_OF.isoformat(),
        "--out",
        out,
    ],
    "plan-pdf": lambda out: [
        "plan-pdf",
        "--budget",
        "6000",
        "--strategy",
        "avalanche",
        "--lang",
        "en",
        "--as-of",
        AS_OF.isoformat(),
        "--out",
        out,
    ],
    "export": lambda out: ["export", "--out", out],
    "payments-csv": lambda out: ["export", "--payments-csv", "--out", out],
    "ics": lambda out: ["remind", "--as-of", AS_OF.isoformat(), "--ics", out],
    "backup": lambda out: ["backup", "--out", out],
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "d.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


@pytest.fixture
def wide_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _run(db, argv):
    return cli.main(["--db", str(db), *argv])


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_the_file_is_private_even_when_it_replaces_a_readable_one(writer, demo_db, tmp_path, wide_umask):
    out = tmp_path / "out" / f"file.{writer}"
    out.parent.mkdir()
    out.write_bytes(b"an older file, readable by everyone")
    out.chmod(0o644)
    assert _run(demo_db, WRITERS[writer](str(out))) in (0, 3)  # remind: 3 when nothing is due
    assert out.read_bytes() != b"an older file, readable by everyone"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == [out.name]


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_full_disk_part_way_leaves_the_old_file_and_nothing_else(
    writer, demo_db, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out" / f"file.{writer}"
    out.parent.mkdir()
    out.write_bytes(b"the good old file")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert _run(demo_db, WRITERS[writer](str(out))) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err or "disk is full" in err, err
    assert out.read_bytes() == b"the good old file"
    assert [p.name for p in out.parent.iterdir()] == [out.name]
