"""The first screen written by a second process (``ui.snapshot``): the same texts the window reads itself,
never shown when the file changed after they were read, and never written for a file the quick read declines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from resources.i18n import set_language
from services.app import Services
from services.first_screen import open_first_screen
from tests.ui.conftest import TODAY
from ui import snapshot
from ui.app import make_application
from ui.context import AppContext
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent.parent


def screen(window: MainWindow) -> dict:
    """What the person sees of the overview and the banner: every label, and every table cell with its
    alignment and colour."""
    page = window.pages["dashboard"]
    from PySide6.QtWidgets import QLabel, QTableView

    labels = [label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(window)]
    tables = {}
    for view in page.findChildren(QTableView):
        model = view.model()
        cells = []
        for row in range(model.rowCount()):
            for col in range(model.columnCount()):
                index = model.index(row, col)
                brush = model.data(index, Qt.ItemDataRole.ForegroundRole)
                cells.append(
                    (
                        model.data(index, Qt.ItemDataRole.DisplayRole),
                        model.data(index, Qt.ItemDataRole.TextAlignmentRole),
                        model.data(index, Qt.ItemDataRole.ToolTipRole),
                        None if brush is None else brush.color().name(),
                    )
                )
        tables[view.objectName()] = cells
    return {
        "labels": labels,
        "tables": tables,
        "banner": window.banner.lines(),
        "body": page.stack.currentWidget() is page.body,
    }


@pytest.fixture
def windows(qtbot):
    make_application()
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.detach()


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_the_written_first_screen_is_what_the_window_reads_itself(demo_db, windows, lang):
    set_language(lang)
    texts = snapshot.first_screen_texts(demo_db, today=TODAY)
    assert texts is not None
    texts = json.loads(json.dumps(texts))  # as it comes through the pipe
    written = windows()
    written.attach(AppContext(None, today=lambda: TODAY), preview=True, written=texts)
    written.show()
    itself = windows()
    itself.attach(AppContext(open_first_screen(demo_db), today=lambda: TODAY), preview=True)
    itself.show()
    seen = screen(written)
    assert seen == screen(itself)
    assert seen["banner"] and any("¥" in text for text in seen["labels"])
    assert seen["tables"]["overdueTable"]  # the demo has overdue debts: their rows are there
    # The data file opened in full: the page and the banner read the figures themselves, and agree.
    svc = Services.open(demo_db)
    written.promote(svc)
    assert not written.previewing and written.pages["dashboard"].data is not None
    after = screen(written)
    # The page is as it was; the reminders started, and with no tray the ones missed meanwhile show above it.
    assert {k: v for k, v in after.items() if k != "banner"} == {
        k: v for k, v in seen.items() if k != "banner"
    }
    assert written.pages["dashboard"].selected_overdue() is not None  # rows behind the cells again


def test_a_file_the_quick_read_declines_gets_no_texts(demo_db):
    os.chmod(demo_db, 0o644)  # others could read it: the normal opening tells the person first
    assert snapshot.first_screen_texts(demo_db) is None


def test_a_file_with_a_damaged_payment_gets_no_texts(demo_db):
    import sqlite3
    from contextlib import closing

    assert snapshot.first_screen_texts(demo_db) is not None
    with closing(sqlite3.connect(demo_db)) as conn:  # found by the look beside the reads
        conn.execute("UPDATE payments SET amount = -1 WHERE id = (SELECT max(id) FROM payments)")
        conn.commit()
    assert snapshot.first_screen_texts(demo_db) is None


CHILD = r"""
import json, select, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from resources.i18n import set_language
from ui import snapshot
set_language("en_US")
db = Path(sys.argv[2])
pending = snapshot.start(["--db", str(db)])
assert pending is not None
if sys.argv[3] == "write-after-read":
    select.select([pending._fd], [], [], 60)  # the child has written its texts
    from services.app import Services
    with Services.open(db) as svc:
        svc.set_setting("test.note", "changed")
texts = pending.take(db, timeout=60)
print(json.dumps({"texts": texts, "expected": snapshot.first_screen_texts(db), "peak": pending.child_peak_mb}))
"""


def _run_script(script: str, db: Path, *more: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter, given the tree, the data file, "plain" and ``more``; it must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), str(db), *more],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    return result


def _run_child(db: Path, mode: str) -> dict:
    return json.loads(_run_script(CHILD, db, mode).stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not snapshot.can_fork(), reason="the second process is started only where it can fork")
def test_the_second_process_writes_the_texts_the_window_would(demo_db):
    out = _run_child(demo_db, "plain")
    assert out["texts"] is not None
    assert out["texts"] == json.loads(json.dumps(out["expected"]))
    assert out["peak"] > 0


@pytest.mark.skipif(not snapshot.can_fork(), reason="the second process is started only where it can fork")
def test_texts_read_before_the_file_was_written_are_not_shown(demo_db):
    out = _run_child(demo_db, "write-after-read")
    assert out["texts"] is None  # the window reads the first screen itself


def test_the_file_marks_change_with_every_write(demo_db):
    before = snapshot.file_marks(demo_db)
    assert snapshot.file_marks(demo_db) == before
    assert open_first_screen(demo_db) is not None  # a read writes nothing
    assert snapshot.file_marks(demo_db) == before
    with Services.open(demo_db) as svc:
        svc.set_setting("test.note", "changed")
    assert snapshot.file_marks(demo_db) != before


def test_a_pending_child_that_is_not_wanted_is_stopped(demo_db):
    if not snapshot.can_fork():
        pytest.skip("the second process is started only where it can fork")
    script = CHILD.split("pending = snapshot.start", maxsplit=1)[0] + (
        "pending = snapshot.start(['--db', str(db)])\n"
        "pid = pending.pid\n"
        "pending.discard()\n"
        "import os\n"
        "try:\n"
        "    os.kill(pid, 0)\n"
        "    print('alive')\n"
        "except ProcessLookupError:\n"
        "    print('gone')\n"
    )
    result = _run_script(script, demo_db, "plain")
    assert result.stdout.strip() == "gone"


@pytest.mark.skipif(not snapshot.can_fork(), reason="the second process is started only where it can fork")
@pytest.mark.parametrize(
    "argv",
    [["--screenshot", "x.png"], ["--minimized"], ["--page", "debts"], ["--lang", "klingon"]],
    ids=["a screenshot", "a quiet start", "another first page", "arguments the window refuses"],
)
def test_no_texts_are_written_for_a_start_that_does_not_show_them(demo_db, tmp_path, argv):
    script = CHILD.split("db = Path", maxsplit=1)[0] + (
        "argv = sys.argv[4:]\n"
        "pending = snapshot.start(argv + ['--db', sys.argv[2]])\n"
        "print(json.dumps({'texts': pending.take(Path(sys.argv[2]), timeout=60)}))\n"
    )
    result = _run_script(script, demo_db, "plain", *argv, cwd=tmp_path)
    assert json.loads(result.stdout.strip().splitlines()[-1])["texts"] is None
    assert "klingon" not in result.stderr  # the window says what is wrong, once; the child says nothing
