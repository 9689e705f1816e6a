"""The progress dialog fills its bar when the work says how far it has come: an export from the File
menu and a restore from an export report from the worker thread."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from ui.ops import BAR_STEPS, Op


def _progress_dialogs() -> list[QProgressDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.objectName() == "opProgress" and w.isVisible()
    ]


def test_the_bar_is_busy_until_the_work_knows_its_total_then_fills(context, qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    steps = [threading.Event() for _ in range(3)]
    reached = [threading.Event() for _ in range(3)]

    def work(_services: Any) -> str:
        for n, (done, total) in enumerate([(5, None), (250, 1000), (999, 1000)]):
            op.report(done, total)
            reached[n].set()
            steps[n].wait(10)
        return "done"

    op: Op[str] = Op(host, context, work, progress="Importing…")
    op.run_in_background()
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5000)
    (dialog,) = _progress_dialogs()
    qtbot.waitUntil(reached[0].is_set, timeout=5000)
    qtbot.wait(50)
    assert (dialog.minimum(), dialog.maximum()) == (0, 0)  # busy: no total yet
    steps[0].set()
    qtbot.waitUntil(lambda: dialog.maximum() == BAR_STEPS and dialog.value() == 250, timeout=5000)
    steps[1].set()
    qtbot.waitUntil(lambda: dialog.value() == 999, timeout=5000)
    steps[2].set()
    qtbot.waitUntil(lambda: not op.running, timeout=5000)
    qtbot.waitUntil(lambda: not _progress_dialogs(), timeout=5000)


def test_export_from_the_file_menu_fills_the_bar_as_rows_are_written(window, qtbot, tmp_path, monkeypatch):
    import services.jsonio
    import ui.files
    from storage import transfer

    out = tmp_path / "export.json"
    monkeypatch.setattr(ui.files, "ask_save_path", lambda *_a, **_k: out)
    monkeypatch.setattr(services.jsonio, "BATCH", 1)  # one report a row
    release = threading.Event()
    read_batches = transfer.read_table_in_batches

    def slow_batches(*args: Any, **kwargs: Any) -> Any:
        for n, batch in enumerate(read_batches(*args, **kwargs)):
            yield batch
            if n == 1:
                release.wait(10)  # the export waits here until the bar has been seen

    monkeypatch.setattr(transfer, "read_table_in_batches", slow_batches)
    total = len(window.context.services.list_payments())
    window.act_export_json.trigger()
    qtbot.waitUntil(lambda: bool(_progress_dialogs()), timeout=5000)
    (dialog,) = _progress_dialogs()
    qtbot.waitUntil(lambda: dialog.maximum() == BAR_STEPS and dialog.value() > 0, timeout=5000)
    assert dialog.value() < BAR_STEPS and total > 2
    release.set()
    qtbot.waitUntil(lambda: str(out) in window.statusBar().currentMessage(), timeout=20000)
    assert out.read_bytes().startswith(b"{")
