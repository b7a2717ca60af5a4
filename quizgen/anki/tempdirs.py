"""Scratch folders for building and reading packages: `$TMPDIR/quizgen-anki-<pid>-<random>`.

A killed run (kill -9, a crash, a power cut) cannot remove its folder, so every run first removes the
folders whose owner process is gone; the process id in the name says whose it is. A folder of an older
quizgen (no process id in its name) is removed when it is a day old.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

from ..output import process_alive

PREFIX = "quizgen-anki-"
_OURS = re.compile(re.escape(PREFIX) + r"(?P<pid>\d+)-[A-Za-z0-9_]+")
UNKNOWN_OWNER_SECONDS = 24 * 3600


def remove_orphans(folder: Path | None = None) -> list[Path]:
    """Remove this user's scratch folders whose process is gone; returns what was removed."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX)]
    except OSError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_dir(follow_symlinks=False) or info.st_uid != os.geteuid():
            continue
        match = _OURS.fullmatch(entry.name)
        if match:
            orphan = int(match["pid"]) != os.getpid() and not process_alive(int(match["pid"]))
        else:
            orphan = time.time() - info.st_mtime > UNKNOWN_OWNER_SECONDS
        if orphan:
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


@cache
def _cleaned_once() -> None:
    remove_orphans()


@contextmanager
def temporary_folder() -> Iterator[Path]:
    """A new scratch folder, removed after the block; the first one of a run clears orphans first."""
    _cleaned_once()
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-") as tmp:
        yield Path(tmp)
