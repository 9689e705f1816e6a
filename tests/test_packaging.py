"""The installable program's parts that can be checked without building it (make dist).

The desktop entry and AppStream metainfo pass their validators; the icons exist in the usual
sizes; the built program reads compiled catalogs and never writes into its own folder; the
licences are there; the window names itself to the desktop. Building and running the whole
program is tests/dist/test_bundle.py (make dist-test).
"""

from __future__ import annotations

import gettext
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "org.debtkeeper.DebtKeeper"
SHARE = ROOT / "packaging" / "linux" / "share"
DESKTOP = SHARE / "applications" / f"{APP_ID}.desktop"
METAINFO = SHARE / "metainfo" / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "resources" / "icons" / "hicolor"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _validator(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed here (.ci/run installs it)")
    return path


def test_desktop_entry_passes_desktop_file_validate():
    tool = _validator("desktop-file-validate")
    result = subprocess.run([tool, str(DESKTOP)], check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_metainfo_passes_appstreamcli_validate():
    tool = _validator("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_desktop_entry_is_refused_by_the_validator(tmp_path):
    """The validator test above can fail: the same file without its Type key does."""
    tool = _validator("desktop-file-validate")
    broken = tmp_path / f"{APP_ID}.desktop"
    broken.write_text(DESKTOP.read_text(encoding="utf-8").replace("Type=Application\n", ""), encoding="utf-8")
    assert subprocess.run([tool, str(broken)], check=False, capture_output=True, timeout=60).returncode != 0


def test_desktop_entry_metainfo_and_program_agree():
    entry = DESKTOP.read_text(encoding="utf-8")
    meta = METAINFO.read_text(encoding="utf-8")
    assert f"Icon={APP_ID}\n" in entry
    assert f"<id>{APP_ID}</id>" in meta
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in meta
    assert f"<project_license>{PYPROJECT['project']['license']['text']}</project_license>" in meta
    releases = re.findall(r'<release version="([^"]+)"', meta)
    assert releases and releases[0] == PYPROJECT["project"]["version"], "newest release first, as pyproject"
    from resources import APP_ID as program_id

    assert program_id == APP_ID


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 22, 24, 32, 48, 64, 128, 256])
def test_icon_png_in_each_usual_size(size):
    png = ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert _png_size(png) == (size, size)


def test_icon_svg_and_platform_icons():
    svg = (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and 'viewBox="0 0 256 256"' in svg
    assert (ROOT / "resources" / "icons" / "debtkeeper.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (ROOT / "resources" / "icons" / "debtkeeper.icns").read_bytes()[:4] == b"icns"


def test_window_names_itself_to_the_desktop(qapp):
    from resources.i18n import set_language
    from ui.app import make_application

    set_language("zh_CN")
    app = make_application()
    assert app.desktopFileName() == APP_ID
    assert app.applicationDisplayName() == "债管家"
    sizes = {(s.width(), s.height()) for s in app.windowIcon().availableSizes()}
    assert {(16, 16), (32, 32), (256, 256)} <= sizes


def _catalog_copy(tmp_path: Path, keep: str) -> Path:
    """resources/locale copied with only the .po or only compiled .mo files."""
    from resources import LOCALE
    from resources.i18n import compile_po

    folder = tmp_path / "locale"
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        target = folder / po.relative_to(LOCALE)
        target.parent.mkdir(parents=True, exist_ok=True)
        if keep == "po":
            shutil.copyfile(po, target)
        else:
            target.with_suffix(".mo").write_bytes(compile_po(po))
    return folder


def _fresh_translations(monkeypatch, folder: Path) -> gettext.NullTranslations:
    from resources import i18n

    monkeypatch.setattr(i18n, "LOCALE", folder)
    monkeypatch.setattr(i18n, "_translations", {})
    return i18n.translations("zh_CN")


def test_built_program_reads_compiled_catalogs_without_their_po(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    folder = _catalog_copy(tmp_path, keep="mo")
    catalog = _fresh_translations(monkeypatch, folder)
    assert catalog.gettext("DebtKeeper") == "债管家"
    assert not list(folder.rglob("*.po"))


def test_built_program_never_writes_a_catalog_into_its_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    folder = _catalog_copy(tmp_path, keep="po")
    catalog = _fresh_translations(monkeypatch, folder)
    assert catalog.gettext("DebtKeeper") == "债管家"
    assert not list(folder.rglob("*.mo")), "a built program wrote a .mo into its own folder"


def test_source_tree_still_caches_the_compiled_catalog(tmp_path, monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    folder = _catalog_copy(tmp_path, keep="po")
    _fresh_translations(monkeypatch, folder)  # loads zh_CN only
    chinese = folder / "zh_CN" / "LC_MESSAGES"
    assert {p.stem for p in chinese.glob("*.mo")} == {p.stem for p in chinese.glob("*.po")}


def test_autostart_of_the_built_program_starts_the_program_itself(monkeypatch, tmp_path):
    from services import autostart

    program = tmp_path / "DebtKeeper" / "debtkeeper"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    assert autostart.default_command() == [str(program), "--minimized"]


def test_licences_are_at_the_root_and_listed():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"]["text"] == "GPL-3.0-or-later"
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    assert "END OF TERMS AND CONDITIONS" in licence  # the full text, not a pointer to it
    third = (ROOT / "THIRD_PARTY.md").read_text(encoding="utf-8").lower()
    for requirement in PYPROJECT["project"]["dependencies"]:
        name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower()
        assert name.split("-")[0] in third, f"{name} is not listed in THIRD_PARTY.md"
    assert "lgpl" in third and "wenquanyi" in third and "license-wqy-microhei.txt" in third
    assert (ROOT / "resources" / "fonts" / "LICENSE-wqy-microhei.txt").is_file()


def test_window_and_command_line_scripts_for_pip():
    project = PYPROJECT["project"]
    assert project["scripts"]["debtkeeper"] == "main:main"
    assert list(project["gui-scripts"].values()) == ["main:main"]
    # Windows file names ignore case: the window's script must not share the command line's name.
    assert {n.lower() for n in project["gui-scripts"]}.isdisjoint(n.lower() for n in project["scripts"])


def test_build_folders_are_ignored_by_git():
    ignored = set((ROOT / ".gitignore").read_text(encoding="utf-8").split())
    assert {"/dist/", "/build/"} <= ignored  # at the top only: tests/dist/ is a test folder


def test_make_test_leaves_out_the_bundle_build():
    addopts = PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"]
    assert "-m 'not dist'" in addopts
    markers = PYPROJECT["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("dist:") for m in markers) and any(m.startswith("slow:") for m in markers)
