"""Start at login: the entry each system reads, written and removed in a temporary home."""

from __future__ import annotations

import configparser
import os
import plistlib
import stat

import pytest

from services import autostart

COMMAND = ["/opt/py 3/bin/python", "/home/li/debt keeper/main.py"]


@pytest.fixture
def env(tmp_path):
    return {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "APPDATA": str(tmp_path / "appdata"),
    }


def test_linux_desktop_entry_in_xdg_autostart(env, tmp_path):
    assert not autostart.is_enabled("linux", env)
    path = autostart.enable(COMMAND, "linux", env)
    assert path == tmp_path / "config" / "autostart" / "debtkeeper.desktop"
    assert autostart.is_enabled("linux", env)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == '"/opt/py 3/bin/python" "/home/li/debt keeper/main.py"'
    assert entry["Name[zh_CN]"] == "债管家"
    autostart.disable("linux", env)
    assert not autostart.is_enabled("linux", env) and not path.exists()
    autostart.disable("linux", env)  # turning off twice is fine


def test_linux_without_xdg_config_home_uses_dot_config(tmp_path):
    env = {"HOME": str(tmp_path)}
    expected = tmp_path / ".config" / "autostart" / "debtkeeper.desktop"
    assert autostart.enable(COMMAND, "linux", env) == expected


def test_windows_startup_folder_cmd(env, tmp_path):
    path = autostart.enable(["C:\\Python\\pythonw.exe", "C:\\DebtKeeper\\main.py"], "win32", env)
    assert path == (
        tmp_path
        / "appdata"
        / "Microsoft"
        / "Windows"
        / "Start Menu"
        / "Programs"
        / "Startup"
        / "debtkeeper.cmd"
    )
    text = path.read_bytes().decode("utf-8")
    assert '\r\nstart "" "C:\\Python\\pythonw.exe" "C:\\DebtKeeper\\main.py"\r\n' in text
    assert autostart.is_enabled("win32", env)
    autostart.disable("win32", env)
    assert not autostart.is_enabled("win32", env)


def test_macos_launch_agent(env, tmp_path):
    path = autostart.enable(COMMAND, "darwin", env)
    assert path == tmp_path / "home" / "Library" / "LaunchAgents" / "org.debtkeeper.DebtKeeper.plist"
    plist = plistlib.loads(path.read_bytes())
    assert plist["ProgramArguments"] == COMMAND and plist["RunAtLoad"] is True


def test_default_command_starts_this_copy():
    command = autostart.default_command()
    assert command[1].endswith("main.py")


def test_unwritable_place_is_a_user_error(tmp_path):
    blocker = tmp_path / "config"
    blocker.write_text("not a folder")
    from services.errors import UserError

    with pytest.raises(UserError):
        autostart.enable(COMMAND, "linux", {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(blocker)})


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_entry_is_private_and_replaced_whole(env, tmp_path):
    umask = os.umask(0o022)
    try:
        first = autostart.enable(COMMAND, "linux", env)
        second = autostart.enable([*COMMAND, "--lang", "zh_CN"], "linux", env)
    finally:
        os.umask(umask)
    assert first == second and stat.S_IMODE(second.stat().st_mode) == 0o600
    assert [p.name for p in second.parent.iterdir()] == [second.name]
