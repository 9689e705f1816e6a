"""Build the program with `make dist` in a temporary copy of this folder and use it as a person would.

The built folder is moved away from the copy it was built in, and the copy is deleted, so that
nothing of the source tree can be reached; each run has a clean environment (no virtual
environment, no Python variables, HOME in a temporary folder). Run by `make dist-test`; left
out of `make test` (marker `dist`).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.dist]

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
LEFT_OUT = {".git", ".venv", "dist", "build", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis",
            "tmp"}  # at the top of the folder


class Bundle:
    def __init__(self, folder: Path, home: Path) -> None:
        self.folder = folder
        self.program = folder / "debtkeeper"
        self.home = home
        self.db = home / "data.sqlite3"

    def env(self) -> dict[str, str]:
        return {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "QT_QPA_PLATFORM": "offscreen"}

    def run(self, *args: str, ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([str(self.program), *args], check=False, capture_output=True, text=True,
                                encoding="utf-8", env=self.env(), cwd=self.home, timeout=180)
        assert result.returncode in ok, f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Bundle:
    work = tmp_path_factory.mktemp("dist")
    copy = work / "source"
    shutil.copytree(ROOT, copy, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if n in LEFT_OUT and Path(folder) == ROOT
                                                  or n == "__pycache__"])
    (copy / ".venv").symlink_to(Path(sys.prefix))
    build = subprocess.run(["make", "dist"], check=False, cwd=copy, capture_output=True, text=True,
                           timeout=1800)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    installed = work / "installed" / "DebtKeeper"
    installed.parent.mkdir()
    shutil.move(copy / "dist" / "DebtKeeper", installed)
    shutil.rmtree(copy)  # nothing of the source tree is left to lean on
    home = work / "home"
    home.mkdir()
    made = Bundle(installed, home)
    made.snapshot = _snapshot(installed)  # type: ignore[attr-defined]
    return made


def test_bundle_stands_alone(bundle):
    assert os.access(bundle.program, os.X_OK)
    for path in bundle.folder.rglob("*"):
        if path.is_symlink():
            target = path.resolve()
            assert target.is_relative_to(bundle.folder), f"{path} points outside the program: {target}"
    assert not list(bundle.folder.rglob("*.po")), "catalogs are compiled at build time"


def test_bundle_carries_its_files(bundle):
    inside = bundle.folder / "_internal"
    names = {p.relative_to(inside).as_posix() for p in inside.rglob("*") if p.is_file()}
    for needed in ("resources/fonts/wqy-microhei.ttc", "resources/fonts/LICENSE-wqy-microhei.txt",
                   "resources/rules/legal.toml", "resources/letters/negotiation.toml",
                   "resources/locale/zh_CN/LC_MESSAGES/ui.mo", "storage/migrations/env.py",
                   "storage/migrations/script.py.mako", "storage/migrations/versions/0001_initial_schema.py",
                   "resources/icons/hicolor/256x256/apps/org.debtkeeper.DebtKeeper.png"):
        assert needed in names, needed
    for top in ("LICENSE", "THIRD_PARTY.md", "install-desktop.sh",
                "share/applications/org.debtkeeper.DebtKeeper.desktop",
                "share/metainfo/org.debtkeeper.DebtKeeper.metainfo.xml",
                "share/icons/hicolor/48x48/apps/org.debtkeeper.DebtKeeper.png",
                "share/icons/hicolor/scalable/apps/org.debtkeeper.DebtKeeper.svg"):
        assert (bundle.folder / top).is_file(), top


def test_version(bundle):
    result = bundle.run("--version")
    # The command-line contract (docs/cli.md): `--version` prints "debtkeeper X.Y.Z".
    assert result.stdout.strip() == f"debtkeeper {VERSION}"


def test_demo_then_the_debts_in_chinese_and_english(bundle):
    made = bundle.run("--db", str(bundle.db), "demo", "--as-of", "2026-11-23")
    assert "6" in made.stdout
    listed = bundle.run("--db", str(bundle.db), "--lang", "zh_CN", "debt", "list")
    assert "京东白条" in listed.stdout and "¥" in listed.stdout and "逾期" in listed.stdout
    english = bundle.run("--db", str(bundle.db), "--lang", "en_US", "debt", "list")
    assert "CN¥" in english.stdout  # Babel's English locale data is carried too
    import json

    debts = json.loads(bundle.run("--db", str(bundle.db), "debt", "list", "--json").stdout)
    assert len(debts) == 6


def test_chinese_letter_embeds_the_chinese_font(bundle):
    out = bundle.home / "letter.pdf"
    bundle.run("--db", str(bundle.db), "letter", "1", "--kind", "negotiation", "--lang", "zh_CN",
               "--out", str(out), "--as-of", "2026-11-23", "--name", "张三",
               "--address", "北京市朝阳区某路1号", "--phone", "13800000000", "--city", "北京", "--no-warn")
    assert out.read_bytes().startswith(b"%PDF")
    if not (shutil.which("pdffonts") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils is not installed here (.ci/run installs it)")
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    chinese = [line for line in fonts.splitlines() if "WenQuanYi" in line]
    assert chinese and all(" yes " in line for line in chinese), fonts  # embedded, subset
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "张三" in text and "京东" in text


def test_remind_writes_a_calendar(bundle):
    ics = bundle.home / "reminders.ics"
    bundle.run("--db", str(bundle.db), "remind", "--within", "30", "--as-of", "2026-11-23", "--ics", str(ics))
    text = ics.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR") and text.rstrip().endswith("END:VCALENDAR")
    from icalendar import Calendar

    events = Calendar.from_ical(text).walk("VEVENT")
    assert events and any("京东白条" in str(event["SUMMARY"]) for event in events)


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize(("page", "lang"), [("dashboard", "zh_CN"), ("plan", "en_US")])
def test_screenshot_of_a_page(bundle, page, lang, qapp):
    shot = bundle.home / f"{page}.png"
    bundle.run("--db", str(bundle.db), "--screenshot", str(shot), "--page", page, "--lang", lang)
    assert _png_size(shot) == (1280, 800)
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    colours = {image.pixel(x, y) for x in range(0, 1280, 7) for y in range(0, 800, 7)}
    assert len(colours) > 20, "the page looks empty"


def test_the_program_never_wrote_into_its_folder(bundle):
    after = _snapshot(bundle.folder)
    assert after == bundle.snapshot, sorted(set(after.items()) ^ set(bundle.snapshot.items()))[:10]


def test_bundled_desktop_files_pass_their_validators(bundle):
    share = bundle.folder / "share"
    entry = next((share / "applications").glob("*.desktop"))
    metainfo = next((share / "metainfo").glob("*.xml"))
    for tool, args in (("desktop-file-validate", [str(entry)]),
                       ("appstreamcli", ["validate", "--no-net", str(metainfo)])):
        if shutil.which(tool) is None:
            continue
        result = subprocess.run([tool, *args], check=False, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout + result.stderr


def test_install_desktop_from_the_bundle(bundle, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run(["sh", str(bundle.folder / "install-desktop.sh")], env=env, check=True,
                   capture_output=True, timeout=60)
    data = tmp_path / ".local" / "share"
    entry = (data / "applications" / "org.debtkeeper.DebtKeeper.desktop").read_text(encoding="utf-8")
    assert re.search(r'^Exec="' + re.escape(str(bundle.program)) + '"$', entry, re.MULTILINE), entry
    assert (data / "metainfo" / "org.debtkeeper.DebtKeeper.metainfo.xml").is_file()
    for size in (16, 32, 48, 256):
        icon = data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "org.debtkeeper.DebtKeeper.png"
        assert icon.is_file()
