"""Screenshots of every page in both languages and two sizes, on the demo database, for the documentation.

    python docs/make_screenshots.py [--out docs/screenshots] [--as-of 2026-11-23] [--pages guide,plan]

Builds the sample database in a temporary folder, then renders each page with
``main.py --screenshot`` (offscreen) at 1280×800 into ``<out>/<lang>/<page>.png``
and at 1366×768 (a common laptop screen) into ``<out>/<lang>/1366x768/<page>.png``.
With ``--window`` it also opens the real window on an Xvfb display and captures
the screen into ``docs/window.png`` (needs Xvfb).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ui.pages import PAGE_KEYS as PAGES  # noqa: E402 (after the path is set; every page the window has)

LANGUAGES = ("zh_CN", "en_US")
# (size, sub-folder): the size the pages are designed for, and a common laptop screen.
SIZES = (("1280x800", ""), ("1366x768", "1366x768"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--as-of", default=None, help="date the sample is built for (default today)")
    parser.add_argument("--window", action="store_true", help="also capture the real window under Xvfb")
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to capture, by name (default: all)")
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = sorted(set(pages) - set(PAGES))
    if unknown:
        parser.error(f"unknown pages: {', '.join(unknown)}")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.sqlite3"
        env["DEBTKEEPER_CONFIG_DIR"] = folder  # leave the person's own window settings alone
        demo = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo"]
        if args.as_of:
            demo += ["--as-of", args.as_of]
        subprocess.run(demo, check=True, env=env, cwd=ROOT)
        for lang in LANGUAGES:
            for size, sub in SIZES:
                for page in pages:
                    out = args.out / lang / sub / f"{page}.png"
                    command = [
                        sys.executable,
                        str(ROOT / "main.py"),
                        "--db",
                        str(db),
                        "--screenshot",
                        str(out),
                        "--page",
                        page,
                        "--lang",
                        lang,
                        "--size",
                        size,
                    ]
                    subprocess.run(command, check=True, env=env, cwd=ROOT)
                    print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)
        if args.window:
            window_shot(db, ROOT / "docs" / "window.png", env)
    return 0


def window_shot(db: Path, out: Path, env: dict[str, str], display: str = ":97") -> None:
    """The real window (xcb, not offscreen) on a virtual X display, captured from the screen."""
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    x_env = {**env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    app = None
    try:
        time.sleep(1.0)
        app = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--lang", "zh_CN"], env=x_env, cwd=ROOT
        )
        time.sleep(6.0)  # the window opens, loads its data and settles
        grab = (
            "from PySide6.QtGui import QGuiApplication\n"
            "app = QGuiApplication([])\n"
            f"raise SystemExit(0 if app.primaryScreen().grabWindow(0).save({str(out)!r}) else 1)\n"
        )
        subprocess.run([sys.executable, "-c", grab], env=x_env, check=True)
        print(out.relative_to(ROOT))
    finally:
        if app is not None:
            app.terminate()
            app.wait(10)
        xvfb.terminate()
        xvfb.wait(10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
