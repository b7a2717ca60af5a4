"""Writing outputs: check the destination first, then write atomically (temp file + rename)."""
from __future__ import annotations

import os
import re
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import QuizgenError

DEFAULT_FOLDER = Path("output")   # relative to where the command runs
STALE_SECONDS = 600   # a temporary file this old belongs to no running build


def safe_filename(name: str, fallback: str = "quiz") -> str:
    """A file name from a bank or deck name: no path separators, no dots at the start, no control characters."""
    cleaned = re.sub(r"[^\w\-.]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:100] or fallback


def check_writable(path: Path) -> Path:
    """Fail early, with a clear message, if `path` cannot be written."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise QuizgenError(f"output path is a folder, not a file: {path}")
    if not folder.is_dir():
        raise QuizgenError(f"output folder does not exist: {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise QuizgenError(f"output folder is not writable: {folder}")
    return path


def prepare_folder(folder: Path) -> Path:
    """Create an output folder (like output/) if needed, with a clear error if that fails."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuizgenError(f"cannot create output folder {folder}: {exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise QuizgenError(f"output folder is not writable: {folder}")
    return folder


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it over `path` only if the block succeeds."""
    path = check_writable(Path(path))
    for stale in path.parent.glob(f".{path.name}.*.part"):   # left by a build that was killed
        if time.time() - stale.stat().st_mtime > STALE_SECONDS:
            stale.unlink(missing_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(path: Path, data: bytes) -> int:
    """Write `data` atomically; returns the size written."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return len(data)
