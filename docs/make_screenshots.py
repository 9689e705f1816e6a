"""Screenshots of every page in both languages, on the demo database, for the documentation.

    python docs/make_screenshots.py [--out docs/screenshots] [--as-of 2026-11-23]

Builds the sample database in a temporary folder, then renders each page with
``main.py --screenshot`` (offscreen, 1280×800) into ``<out>/<lang>/<page>.png``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("dashboard", "debts", "payments", "plan", "overdue", "budget", "letters", "reminders", "settings")
LANGUAGES = ("zh_CN", "en_US")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--as-of", default=None, help="date the sample is built for (default today)")
    args = parser.parse_args(argv)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.sqlite3"
        env["DEBTKEEPER_CONFIG_DIR"] = folder  # leave the person's own window settings alone
        demo = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "demo"]
        if args.as_of:
            demo += ["--as-of", args.as_of]
        subprocess.run(demo, check=True, env=env, cwd=ROOT)
        for lang in LANGUAGES:
            for page in PAGES:
                out = args.out / lang / f"{page}.png"
                command = [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--screenshot", str(out),
                           "--page", page, "--lang", lang]
                subprocess.run(command, check=True, env=env, cwd=ROOT)
                print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
