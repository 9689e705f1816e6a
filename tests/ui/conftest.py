"""Window tests run on a real database: the demo sample, built once and copied per test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ui import qtfix as _qtfix  # noqa: F401  (as the window does before any Qt signal is emitted)

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from services.app import Services
    from services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    svc = Services.open(path)
    try:
        build_demo(svc, TODAY)
    finally:
        svc.close()
    return path


@pytest.fixture(autouse=True)
def _window_prefs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Window preferences go to a temp folder; dialogs that would block answer at once."""
    from PySide6.QtWidgets import QMessageBox

    import ui.errors

    monkeypatch.setenv("DEBTKEEPER_CONFIG_DIR", str(tmp_path / "config"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(ui.errors, "_present", lambda box: shown.append((box.objectName(), box.text())))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)

    def no_modal_prompt(*_args, **_kwargs):
        raise AssertionError("a test opened a modal input dialog; it would wait forever offscreen")

    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", no_modal_prompt)
    ui.errors.shown = shown  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _no_reminder_checks_after_the_test():
    """A window a test leaves behind must not check reminders during later tests (its pages are gone)."""
    yield
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    app = QApplication.instance()
    for widget in app.topLevelWidgets() if app is not None else []:
        if isinstance(widget, MainWindow):
            if widget.tray is not None:
                widget.tray.scheduler.stop()
            widget.context = None  # the reminders it would start on the next event are not started


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def services(demo_db: Path):
    from services.app import Services

    svc = Services.open(demo_db)
    yield svc
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    svc.close()


@pytest.fixture
def empty_services(tmp_path: Path):
    from services.app import Services

    svc = Services.open(tmp_path / "empty.sqlite3")
    yield svc
    svc.close()


@pytest.fixture
def context(services, qtbot):
    from ui.context import AppContext

    return AppContext(services, today=lambda: TODAY)


@pytest.fixture
def window(context, qtbot):
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    w = MainWindow()
    qtbot.addWidget(w)
    w.attach(context)
    w.show()
    yield w
    from ui.worker import wait_for_tasks

    wait_for_tasks()
    w.context = None  # the services fixture closes the database
