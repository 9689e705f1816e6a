"""Files written whole or not at all, readable by their owner only (0600).

Every write goes to a new temporary file in the folder of the final name
(created exclusively, mode 0600), is flushed to the disk (``fsync``) and then
renamed over the final name with ``os.replace``; the folder is synced after
the rename where the system allows it. So under the final name there is
always either the old file, untouched, or the complete new one. On any error or
exception the temporary file is removed; only a kill (SIGKILL, power loss) can
leave one behind, named ``.<final name>.<8 hex digits>.tmp``.

Three ways to write:

- ``with atomic_file(path) as f: f.write(...)`` and ``atomic_write_bytes(path, data)``;
- ``with atomic_path(path) as tmp:`` for libraries that want a file name to write
  into (ReportLab, SQLite's backup API): ``tmp`` exists, empty and private, and
  replaces ``path`` when the block ends without an exception.

A symbolic link is followed (the file it points to is replaced, the link
stays); a target that is not a regular file (``/dev/stdout``, a FIFO) is
written in place, as there is nothing to rename over.

Why each step: POSIX ``rename()`` replaces the name atomically; without an
``fsync`` of the file first, a power cut after the rename can leave the new
name pointing at empty blocks (the ext4 "zero-length file" problem); the
folder's own ``fsync`` makes the rename itself durable (SQLite does the same,
see "Atomic Commit In SQLite", section 9.2, sqlite.org/atomiccommit.html).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PRIVATE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".tmp"
_KEPT_NAME = 120  # characters of the final name kept in the temporary name (file names are <= 255 bytes)
# A temporary name this module makes for the final name NAME (for cleaning up after a kill).
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{8}\.tmp$")
# Files SQLite may keep beside a database it writes (removed with the temporary file).
_SQLITE_SIDE_FILES = ("-journal", "-wal", "-shm")

_CREATE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
)


def target_of(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces: a symbolic link is followed to the file it names."""
    given = Path(os.fspath(path))
    return Path(os.path.realpath(given)) if given.is_symlink() else given


def temp_name(final: Path) -> str:
    """A fresh temporary name for ``final`` (hidden, in the same folder, random)."""
    return f".{final.name[:_KEPT_NAME]}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


def temp_for(final_name: str, name: str) -> bool:
    """True when ``name`` is one of this module's temporary names for a file named ``final_name``."""
    match = TEMP_NAME.match(name)
    return match is not None and match["name"] == final_name[:_KEPT_NAME]


def _special(final: Path) -> bool:
    """True for an existing target that is not a regular file (a device, a FIFO); a folder is an error."""
    try:
        mode = os.stat(final).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(final))
    return not stat.S_ISREG(mode)


def _create(folder: Path, final: Path, fixed: str | None) -> tuple[int, Path]:
    """A new private file in ``folder`` (``fixed`` name, or a fresh temporary one), open for writing."""
    for _attempt in range(100):
        tmp = folder / (fixed or temp_name(final))
        try:
            fd = os.open(tmp, _CREATE_FLAGS, PRIVATE_MODE)
        except FileExistsError:
            if fixed is not None:
                raise
            continue
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, PRIVATE_MODE)  # the umask only takes bits away; say it exactly anyway
        except BaseException:
            os.close(fd)
            _remove(tmp)
            raise
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _remove(tmp: Path, *, with_sqlite_files: bool = False) -> None:
    with suppress(OSError):
        os.unlink(tmp)
    for side in _SQLITE_SIDE_FILES if with_sqlite_files else ():
        with suppress(OSError):
            os.unlink(str(tmp) + side)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no way to open a folder for this)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse to sync a folder; the rename stands
    finally:
        os.close(fd)


def _publish(tmp: Path, final: Path, overwrite: bool) -> None:
    """Give the complete temporary file its final name (never over an existing file unless ``overwrite``)."""
    if overwrite:
        os.replace(tmp, final)
        return
    try:
        os.link(tmp, final)  # fails if ``final`` exists: no window between a check and the rename
    except FileExistsError:
        raise
    except (OSError, NotImplementedError):  # a file system without hard links
        if os.path.lexists(final):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(final)) from None
        os.replace(tmp, final)
        return
    os.unlink(tmp)


def replace_file(source: Path, target: Path) -> None:
    """Rename a complete file over ``target`` (same folder) and make the rename durable."""
    _sync_file(Path(source))
    os.replace(source, target)
    sync_folder(Path(target).parent)


@contextmanager
def atomic_file(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
    overwrite: bool = True,
) -> Iterator[IO[Any]]:
    """An open file whose contents replace ``path`` when the block ends without an exception.

    ``mode`` is ``"wb"`` or ``"w"`` (text, with ``encoding``). With
    ``overwrite=False`` an existing ``path`` is an error (``FileExistsError``).
    """
    if mode not in ("wb", "w", "wt"):
        raise ValueError(f"atomic_file writes a new file: mode {mode!r}")
    final = target_of(path)
    if _special(final):
        with open(final, mode, encoding=encoding, newline=newline) as fh:
            yield fh
        return
    fd, tmp = _create(final.parent, final, None)
    try:
        try:
            fh = os.fdopen(fd, mode, encoding=encoding, newline=newline)
        except BaseException:
            os.close(fd)
            raise
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, final, overwrite)
    except BaseException:
        _remove(tmp)
        raise
    sync_folder(final.parent)


@contextmanager
def atomic_path(
    path: str | os.PathLike[str], *, overwrite: bool = True, fixed_name: str | None = None
) -> Iterator[Path]:
    """A new empty private file to write into by name; it replaces ``path`` when the block ends well.

    For libraries that open the file themselves (ReportLab, SQLite): whatever
    they leave in the file is synced and renamed over ``path``; on an
    exception it is removed (with any journal SQLite left beside it).
    ``fixed_name``: the temporary file's name instead of a random one (it must
    not exist).
    """
    final = target_of(path)
    if _special(final):
        with _through_temp_folder(final) as tmp:
            yield tmp
        return
    fd, tmp = _create(final.parent, final, fixed_name)
    os.close(fd)
    try:
        yield tmp
        _sync_file(tmp)
        _publish(tmp, final, overwrite)
    except BaseException:
        _remove(tmp, with_sqlite_files=True)
        raise
    sync_folder(final.parent)


@contextmanager
def _through_temp_folder(final: Path) -> Iterator[Path]:
    """A device or FIFO as the target of a library that wants a file name: write a private
    temporary file, then copy it there."""
    folder = Path(tempfile.mkdtemp(prefix="debtkeeper-out-"))
    try:
        fd, tmp = _create(folder, final, "out")
        os.close(fd)
        yield tmp
        with open(tmp, "rb") as src, open(final, "wb") as dst:
            shutil.copyfileobj(src, dst)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` whole or not at all (0600); returns ``path``."""
    with atomic_file(path, "wb", overwrite=overwrite) as fh:
        fh.write(data)
    return Path(os.fspath(path))


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` whole or not at all (0600); returns ``path``."""
    with atomic_file(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(os.fspath(path))


def atomic_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Copy the bytes of ``source`` to ``target`` whole or not at all (0600)."""
    with open(source, "rb") as src, atomic_file(target, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return Path(os.fspath(target))


def private_folder(folder: str | os.PathLike[str]) -> Path:
    """Make ``folder`` and any missing parents, each created 0700; a folder that exists keeps its mode.

    Only folders this call creates are made private: an existing one may be
    shared on purpose (``/tmp`` is 1777), and changing it is not ours to do.
    """
    path = Path(os.fspath(folder))
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made by someone else meanwhile: not ours
        with suppress(OSError):
            os.chmod(created, FOLDER_MODE)  # mkdir's mode passes through the umask
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(path))
    return path
