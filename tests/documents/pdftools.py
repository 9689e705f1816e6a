"""Reading a PDF back the way a person's viewer would: text, fonts, first-page image."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

FULL_WIDTH_CLOSING = "，；：！？”’》〉。、）"


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Text with line breaks and spaces removed, so a wrapped phrase is found whole."""
    return re.sub(r"\s+", "", text)


def fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, embedded "yes"/"no") for every font the PDF uses."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th field from the end
        rows.append((parts[0], parts[-5]))
    return rows


def lines_starting_with_closing_punctuation(path: Path) -> list[str]:
    return [
        line
        for line in pdf_text(path, layout=True).splitlines()
        if line.strip() and line.strip()[0] in FULL_WIDTH_CLOSING
    ]
