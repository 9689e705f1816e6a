"""The command line behaves as people expect of tools they like: UTF-8 output wherever it goes, --version,
``-`` for standard output, a mistyped --db refused instead of an empty database made, DEBTKEEPER_DB for
scripts, and help and argparse's own messages in the person's language."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

import cli
from services.app import Services
from services.demo import build_demo

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 23)
CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("manners") / "d.sqlite3"
    with Services.open(db) as svc:
        build_demo(svc, AS_OF)
    return db


def run_bytes(
    args: list[str],
    env_extra: dict[str, str],
    stdout: object = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBTKEEPER_LANG", "PYTHONUTF8")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        timeout=120,
        check=False,
    )


# --- UTF-8 whatever the console, file or pipe -------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["cp936", "gbk"])
def test_chinese_and_yuan_amounts_reach_a_pipe_and_a_file_as_utf8(demo_db, tmp_path, encoding):
    """A Chinese Windows console's code page (GBK) has no '¥': output must not depend on it."""
    env = {"PYTHONIOENCODING": encoding, "LANG": "zh_CN.UTF-8"}
    args = ["--db", str(demo_db), "debt", "list", "--as-of", AS_OF.isoformat()]
    piped = run_bytes(args, env)
    assert piped.returncode == 0, piped.stderr
    text = piped.stdout.decode("utf-8")  # strict: any GBK byte sequence here would fail or garble
    assert "京东白条" in text and "¥" in text and "逾期" in text
    log = tmp_path / "remind.log"
    with log.open("wb") as fh:  # a scheduled `remind >> log`
        written = run_bytes(
            ["--db", str(demo_db), "remind", "--within", "30", "--as-of", AS_OF.isoformat()], env, stdout=fh
        )
    assert written.returncode == 0, written.stderr
    logged = log.read_bytes().decode("utf-8")
    assert "¥" in logged and "京东白条" in logged
    # Messages on stderr too: a bad amount, named in Chinese.
    bad = run_bytes(["--db", str(demo_db), "plan", "--budget", "¥五千"], env)
    assert bad.returncode == 2
    message = bad.stderr.decode("utf-8")
    assert "¥五千" in message and "--budget" in message and CJK.search(message.replace("¥五千", ""))


@pytest.mark.slow
def test_the_json_answer_is_utf8_in_a_gbk_pipe(demo_db):
    result = run_bytes(
        ["--db", str(demo_db), "debt", "list", "--json", "--as-of", AS_OF.isoformat()],
        {"PYTHONIOENCODING": "gbk"},
    )
    assert result.returncode == 0, result.stderr
    names = {d["name"] for d in json.loads(result.stdout.decode("utf-8"))}
    assert "京东白条 12期" in names


# --- --version ---------------------------------------------------------------------------------------


def test_version_is_the_one_in_pyproject(capsys):
    with (ROOT / "pyproject.toml").open("rb") as fh:
        version = tomllib.load(fh)["project"]["version"]
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"debtkeeper {version}\n"
    import main

    assert main.main(["--version"]) == 0  # not the window
    assert capsys.readouterr().out == f"debtkeeper {version}\n"


def test_version_without_pyproject_or_an_installed_copy_says_so(monkeypatch, tmp_path):
    from resources import version

    monkeypatch.setattr(version, "RESOURCES", tmp_path / "resources")
    version.program_version.cache_clear()
    try:
        assert version.program_version() == version.UNKNOWN
    finally:
        version.program_version.cache_clear()


# --- '-' means standard output -----------------------------------------------------------------------


def _stdout_of(capsysbinary, argv: list[str]) -> tuple[int, bytes, str]:
    code = cli.main(argv)
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode("utf-8")


def test_export_to_standard_output_is_the_file(demo_db, tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "all.json"
    assert cli.main(["--db", str(demo_db), "export", "--out", str(out)]) == 0
    capsysbinary.readouterr()
    code, data, _err = _stdout_of(capsysbinary, ["--db", str(demo_db), "export", "--out", "-"])
    assert code == 0 and data == out.read_bytes()
    csv = tmp_path / "payments.csv"
    assert cli.main(["--db", str(demo_db), "export", "--payments-csv", "--out", str(csv)]) == 0
    capsysbinary.readouterr()
    code, data, _err = _stdout_of(
        capsysbinary, ["--db", str(demo_db), "export", "--payments-csv", "--out", "-"]
    )
    assert code == 0 and data == csv.read_bytes() and b"amount" in data
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    "argv",
    [
        [
            "letter",
            "1",
            "--kind",
            "hardship",
            "--lang",
            "zh",
            "--name",
            "张三",
            "--cause",
            "失业",
            "--income",
            "6000",
            "--expenses",
            "3000",
            "--no-warn",
        ],
        ["plan-pdf", "--budget", "6000", "--strategy", "avalanche", "--lang", "zh"],
    ],
)
def test_a_pdf_to_standard_output_is_the_whole_pdf_and_nothing_else(
    demo_db, tmp_path, capsysbinary, monkeypatch, argv
):
    monkeypatch.chdir(tmp_path)
    code, data, err = _stdout_of(
        capsysbinary, ["--db", str(demo_db), *argv, "--as-of", AS_OF.isoformat(), "--out", "-"]
    )
    assert code == 0, err
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert not (tmp_path / "-").exists()
    pdf = tmp_path / "piped.pdf"
    pdf.write_bytes(data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "债" in text or "还款" in text  # the Chinese document, readable


def test_the_calendar_to_standard_output(demo_db, tmp_path, capsysbinary):
    out = tmp_path / "dues.ics"
    base = ["--db", str(demo_db), "remind", "--as-of", AS_OF.isoformat(), "--lang", "en"]
    assert cli.main([*base, "--ics", str(out)]) == 0
    capsysbinary.readouterr()
    code, data, _err = _stdout_of(capsysbinary, [*base, "--ics", "-"])
    assert code == 0
    assert data == out.read_bytes()  # the whole calendar, no listing mixed in
    assert Calendar.from_ical(data).walk("VEVENT")
    code, data, err = _stdout_of(capsysbinary, [*base, "--ics", "-", "--json"])
    assert code == 2 and data == b"" and "--ics -" in err and "--json" in err


# --- which database -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv", [["debt", "list"], ["demo"], ["backup"], ["export", "--out", "x.json"], ["remind"]]
)
def test_a_db_whose_folder_does_not_exist_is_refused_and_nothing_is_made(tmp_path, capsys, argv, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "typo" / "deeper"
    code = cli.main(["--db", str(missing / "d.sqlite3"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(missing) in err and "--db" in err
    assert not (tmp_path / "typo").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_db_named_in_the_environment_is_checked_the_same_way(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DEBTKEEPER_DB", str(tmp_path / "nowhere" / "d.sqlite3"))
    assert cli.main(["debt", "list"]) == 2
    err = capsys.readouterr().err
    assert "DEBTKEEPER_DB" in err and str(tmp_path / "nowhere") in err
    assert not (tmp_path / "nowhere").exists()


def test_calculators_need_no_database_folder(capsys):
    code = cli.main(
        [
            "--db",
            "/nonexistent/folder/d.sqlite3",
            "calc",
            "apr",
            "--principal",
            "1200",
            "--months",
            "12",
            "--json",
        ]
    )
    assert code == 0, capsys.readouterr().err


def test_the_default_data_folder_is_made_on_first_start(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DEBTKEEPER_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # platformdirs' per-user data folder
    from storage.db import default_db_path

    assert default_db_path().is_relative_to(tmp_path / "xdg")
    assert cli.main(["demo", "--as-of", AS_OF.isoformat()]) == 0, capsys.readouterr().err
    assert default_db_path().is_file()


def test_debtkeeper_db_names_the_data_file_and_the_flag_wins(tmp_path, capsys, monkeypatch):
    named = tmp_path / "scripts.sqlite3"
    monkeypatch.setenv("DEBTKEEPER_DB", str(named))
    assert cli.main(["demo", "--as-of", AS_OF.isoformat()]) == 0
    capsys.readouterr()
    assert named.is_file()
    assert cli.main(["debt", "list", "--json", "--as-of", AS_OF.isoformat()]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 6
    other = tmp_path / "other.sqlite3"
    assert cli.main(["--db", str(other), "debt", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # --db wins: a new, empty database
    assert other.is_file()


@pytest.mark.slow
def test_the_window_opens_the_database_named_in_the_environment(tmp_path):
    named = tmp_path / "window.sqlite3"
    env = {**os.environ, "DEBTKEEPER_DB": str(named), "QT_QPA_PLATFORM": "offscreen"}
    started = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--startup-time"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert named.is_file()
    env["DEBTKEEPER_DB"] = str(tmp_path / "missing" / "window.sqlite3")
    refused = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--startup-time"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 2
    assert str(tmp_path / "missing") in refused.stderr and not (tmp_path / "missing").exists()


# --- help in the person's language ------------------------------------------------------------------


def _help(capsys, *argv: str) -> str:
    assert cli.main([*argv, "--help"]) == 0
    return capsys.readouterr().out


def test_help_and_argparse_words_in_chinese_with_lang(capsys):
    text = _help(capsys, "plan", "--lang", "zh_CN")
    for words in (
        "用法：",
        "选项",
        "显示此帮助信息并退出",
        "覆盖所有债务的还款计划",
        "示例：",
        "您每月能用于还所有债务的金额",
    ):
        assert words in text, words
    assert "usage:" not in text and "show this help message" not in text
    assert "  debtkeeper plan --budget 5000" in text  # the example, as typed
    top = _help(capsys, "--lang", "zh")
    assert "命令" in top and "显示程序版本并退出" in top and "退出状态" in top
    positional = _help(capsys, "debt", "show", "--lang", "zh")
    assert "位置参数" in positional and "债务编号" in positional


def test_argparse_errors_in_chinese(capsys):
    assert cli.main(["plan", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err == "debtkeeper plan：错误：缺少以下必需的参数：--budget\n"
    assert cli.main(["plan", "--budget", "1", "--strategy", "greedy", "--lang", "zh"]) == 2
    assert "无效的选择：'greedy'" in capsys.readouterr().err
    assert cli.main(["plan", "--lang", "en"]) == 2
    assert capsys.readouterr().err == (
        "debtkeeper plan: error: the following arguments are required: --budget\n"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins over LANG
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),  # and LC_MESSAGES too
        ({"LANG": "zh_TW.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"DEBTKEEPER_LANG": "zh_CN", "LANG": "C"}, "zh"),
    ],
)
def test_the_language_rule(monkeypatch, capsys, env, expected):
    for name in ("DEBTKEEPER_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    text = _help(capsys, "remind")
    assert ("用法：" in text) == (expected == "zh") and ("usage:" in text) == (expected == "en")
    # --lang wins over all of it.
    other = "en" if expected == "zh" else "zh"
    assert ("用法：" in _help(capsys, "remind", "--lang", other)) == (other == "zh")


def test_every_command_has_a_one_line_description_and_an_example():
    from resources.i18n import set_language

    set_language("en_US")
    with cli.argparse_language():
        parser = cli.build_parser()
    seen = []
    for path, command in _commands(parser):
        help_text = command.format_help()
        assert command.description and "\n" not in command.description.split("\n")[0], path
        example = command.epilog.split("\n")
        assert example[0] == "Example:", path
        assert example[1].startswith("  debtkeeper ") and " ".join(path) in example[1], path
        assert "Example:" in help_text
        seen.append(" ".join(path))
    assert {
        "demo",
        "calc schedule",
        "calc apr",
        "debt add",
        "debt list",
        "debt show",
        "payment add",
        "plan",
        "overdue",
        "guide",
        "letter",
        "plan-pdf",
        "remind",
        "export",
        "import",
        "backup",
        "encrypt",
        "restore",
    } <= set(seen)


def _commands(parser, path=()):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*path, name), sub
                yield from _commands(sub, (*path, name))


def test_the_catalog_keeps_argparse_placeholders():
    from babel.messages.pofile import read_po

    from resources import LOCALE

    pattern = re.compile(r"%\([a-z_]+\)[sr]|%[sr]")
    with (LOCALE / "zh_CN" / "LC_MESSAGES" / "cli.po").open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id:
            assert sorted(pattern.findall(message.id)) == sorted(pattern.findall(message.string)), message.id
            if "%" not in message.id:
                assert "%" not in message.string, message.id  # argparse would read it as a placeholder


# --- the calendar's memory ----------------------------------------------------------------------------


def test_what_calendars_were_sent_stays_on_this_computer(demo_db, tmp_path, capsys):
    """Not in an export (export → import → export keeps its bytes), and kept by `import --replace`: the
    calendars still hold those events."""
    from services.reminders import SETTING_CALENDAR

    db = tmp_path / "copy.sqlite3"
    out, again = tmp_path / "a.json", tmp_path / "b.json"
    assert cli.main(["--db", str(demo_db), "export", "--out", str(out)]) == 0
    assert cli.main(["--db", str(db), "import", str(out)]) == 0
    assert (
        cli.main(["--db", str(db), "remind", "--as-of", AS_OF.isoformat(), "--ics", str(tmp_path / "c.ics")])
        == 0
    )
    with Services.open(db) as svc:
        sent = svc.get_setting(SETTING_CALENDAR)
    assert sent and "debt-1-" in sent
    assert cli.main(["--db", str(db), "export", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    assert SETTING_CALENDAR not in json.loads(again.read_text(encoding="utf-8"))["settings"]
    assert cli.main(["--db", str(db), "import", str(out), "--replace"]) == 0, capsys.readouterr().err
    with Services.open(db) as svc:
        assert svc.get_setting(SETTING_CALENDAR) == sent


@pytest.mark.parametrize("command", ["debt", "payment", "calc"])
def test_lang_after_a_command_that_groups_actions(command, capsys):
    # `debt --lang zh --help` is help in Chinese, as `--lang zh debt --help` is
    assert cli.main([command, "--lang", "zh", "--help"]) == 0
    assert capsys.readouterr().out.startswith("用法：debtkeeper " + command)
