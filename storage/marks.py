"""What changes when anything is written to a data file, to tell whether two reads saw the same file."""

from __future__ import annotations

import os
from pathlib import Path


def file_marks(target: Path) -> list[list[int]]:
    """Size, time and inode of the file and of its write-ahead log and journal (0s for one that is not
    there or empty). A reader's ``-shm`` is left out."""
    marks = []
    for name in (target, Path(f"{target}-wal"), Path(f"{target}-journal")):
        try:
            st = os.stat(name)
        except OSError:
            marks.append([0, 0, 0])
            continue
        if st.st_size == 0 and name != target:
            marks.append([0, 0, 0])  # an empty log holds nothing (a reader of a WAL file makes one)
            continue
        marks.append([st.st_size, st.st_mtime_ns, st.st_ino])
    return marks
