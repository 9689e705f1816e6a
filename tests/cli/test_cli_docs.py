"""docs/cli.md and the shell completion files are what the parser gives: every command is documented and
completes, and the hand-written part names every JSON document and exit status."""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("make_cli_docs", ROOT / "docs" / "make_cli_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()
PATHS = [path for path, _command in GEN.commands(GEN.parser()) if path]


def test_docs_and_completion_are_current():
    """Run `python docs/make_cli_docs.py` after changing the command line."""
    stale = [
        str(path.relative_to(ROOT))
        for path, text in GEN.outputs().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == []


def test_every_command_and_flag_is_in_docs_cli_md():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, command in GEN.commands(GEN.parser()):
        if path:
            assert f"### `debtkeeper {' '.join(path)}`" in text, path
        for action in command._actions:
            for option in action.option_strings:
                assert f"`{option}`" in text, (path, option)


def test_every_json_document_and_exit_status_is_described():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    hand_written = text.split(GEN.BEGIN)[0]
    with_json = [
        path
        for path, command in GEN.commands(GEN.parser())
        if any(
            a.option_strings == ["--json"] and isinstance(a, argparse._StoreTrueAction)
            for a in command._actions
        )
    ]
    assert len(with_json) >= 9
    for path in with_json:
        assert f"**`{' '.join(path)}" in hand_written, path
    for status in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert status in hand_written
    for variable in ("DEBTKEEPER_DB", "DEBTKEEPER_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        assert f"`{variable}`" in hand_written


def test_the_readme_points_to_docs_cli_md():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/cli.md)" in readme
    assert "shared notes" not in readme


def test_the_bash_completion_parses_and_completes_every_command():
    bash = ROOT / "resources" / "completion" / "debtkeeper.bash"
    assert subprocess.run(["bash", "-n", str(bash)], capture_output=True, check=False).returncode == 0
    script = bash.read_text(encoding="utf-8")
    for path in PATHS:
        assert f'"{"/".join(path)}")' in script, path

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{w}'" for w in words)
        run = subprocess.run(
            [
                "bash",
                "-c",
                f'source "{bash}"; COMP_WORDS=(debtkeeper {line}); '
                f'COMP_CWORD={len(words)}; _debtkeeper; printf "%s\\n" "${{COMPREPLY[@]}}"',
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return [w for w in run.stdout.splitlines() if w]

    top = {path[0] for path in PATHS}
    assert set(complete("")) == top
    assert complete("calc", "") == ["schedule", "apr"]
    assert complete("--db", "x.sqlite3", "letter", "1", "--kind", "") == [
        "negotiation",
        "hardship",
        "proposal",
        "complaint",
        "statement",
        "dispute",
    ]
    assert complete("plan", "--str") == ["--strategy"]
    assert complete("remind", "--lang", "") == ["zh_CN", "en_US", "zh", "en"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_completion_parses_and_completes():
    zsh = ROOT / "resources" / "completion" / "_debtkeeper"
    assert subprocess.run(["zsh", "-n", str(zsh)], capture_output=True, check=False).returncode == 0
    # zsh's completion helpers replaced by ones that print what would be offered.
    stubs = (
        '_describe() { local -a arr; arr=("${(@P)4}"); print -l -- "${arr[@]%%:*}"; }; '
        'compadd() { shift; print -l -- "$@"; }; _files() { print FILES; }; '
    )

    def complete(*words: str) -> list[str]:
        listed = " ".join(f"'{w}'" for w in words)
        script = (
            f'source "{zsh}" 2>/dev/null; {stubs} words=(debtkeeper {listed}); '
            f"CURRENT={len(words) + 1}; _debtkeeper"
        )
        run = subprocess.run(["zsh", "-f", "-c", script], capture_output=True, text=True, check=True)
        return run.stdout.split()

    assert complete("calc", "") == ["schedule", "apr"]
    assert complete("letter", "1", "--kind", "") == [
        "negotiation",
        "hardship",
        "proposal",
        "complaint",
        "statement",
        "dispute",
    ]
    assert complete("import", "") == ["FILES"]
    assert set(complete("")) == {path[0] for path in PATHS}


def test_the_zsh_completion_names_every_command():
    script = (ROOT / "resources" / "completion" / "_debtkeeper").read_text(encoding="utf-8")
    assert script.startswith("#compdef debtkeeper\n")
    for path in PATHS:
        assert f'("{"/".join(path)}")' in script, path
        assert f"'{path[-1]}:" in script, path  # offered, with its one-line description
