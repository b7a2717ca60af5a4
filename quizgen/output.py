"""Writing outputs: check every destination first, write each file to a temporary beside it, and rename the
temporaries over the destinations only when all of them are complete.

So a full disk, a killed process or any other failure leaves the previous set of files as it was: never a
new quiz beside an old answer key. Only regular files are ever replaced (never a device, FIFO or socket),
a replaced file keeps its permissions (a teacher's `chmod 600` on a key stays), and a new one gets the
umask's. Temporaries are named after the process that writes them, so the next run removes those whose
owner is gone.
"""
from __future__ import annotations

import os
import re
import stat
import time
from pathlib import Path
from typing import Sequence

from .errors import QuizgenError

DEFAULT_FOLDER = Path("output")   # relative to where the command runs
STALE_SECONDS = 600   # a temporary file this old, whose owner is unknown, belongs to no running build
_PART = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]+\.part")


def safe_filename(name: str, fallback: str = "quiz") -> str:
    """A file name from a bank or deck name: no path separators, no dots at the start, no control characters."""
    cleaned = re.sub(r"[^\w\-.]+", "_", name, flags=re.UNICODE).strip("._")
    return cleaned[:100] or fallback


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (one of another user's counts as running)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2 ** 31
    return True


_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISSOCK, "a socket"))


def _require_regular(path: Path) -> os.stat_result | None:
    """The stat of the file `path` names (following links), None if there is none; refuses anything else."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):   # the folder checks say what is wrong
        return None
    except OSError as exc:
        raise QuizgenError(f"cannot check the output path: {exc.strerror or exc}", path) from None
    if stat.S_ISDIR(info.st_mode):
        raise QuizgenError(f"output path is a folder, not a file: {path}")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise QuizgenError(f"output path is {kind}, not a regular file; quizgen only replaces regular files", path)
    return info


def _folder_to_create(folder: Path) -> None:
    """Fail unless `folder` exists, or its nearest existing parent is a folder quizgen may create it in."""
    parent = folder
    while not parent.exists() and parent != parent.parent:
        if parent.is_symlink():
            raise QuizgenError(f"cannot create output folder {folder}: {parent} is a broken link")
        parent = parent.parent
    if not parent.is_dir():
        raise QuizgenError(f"cannot create output folder {folder}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise QuizgenError(f"output folder is not writable: {parent}")


def check_writable(path: Path, create_folder: bool = False) -> Path:
    """Fail early, with a clear message, if `path` cannot be written; with `create_folder`, its folder may
    be missing as long as it can be made (it is made only when the files are written)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    _require_regular(path)
    if create_folder and not folder.exists():
        _folder_to_create(folder)
        return path
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


def _make_folders(folders: Sequence[Path]) -> list[Path]:
    """Create the missing folders; returns those created, deepest last."""
    created: list[Path] = []
    for folder in folders:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        for path in reversed(missing):
            try:
                path.mkdir()
            except FileExistsError:
                continue
            except OSError as exc:
                _remove_folders(created)
                raise QuizgenError(f"cannot create output folder {path}: {exc.strerror or exc}") from None
            created.append(path)
    return created


def _remove_folders(created: list[Path]) -> None:
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            pass


def remove_stale_parts(folder: Path) -> None:
    """Delete temporaries a killed run left here: those whose process is gone, or old ones of unknown owner."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.endswith(".part")]
    except OSError:
        return
    for name in names:
        path = folder / name
        match = _PART.fullmatch(name)
        try:
            if match and int(match["pid"]) != os.getpid() and not process_alive(int(match["pid"])):
                path.unlink()
            elif not match and name.startswith(".") and time.time() - path.lstat().st_mtime > STALE_SECONDS:
                path.unlink()
        except OSError:
            pass


def _stage(path: Path, data: bytes) -> Path:
    """Write `data` to a new temporary beside `path`, with the permissions the file will keep."""
    existing = _require_regular(path)
    remove_stale_parts(path.parent)
    # os.urandom(4).hex() is secrets.token_hex(4) without importing secrets (hmac, base64: 1 ms of every start)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise QuizgenError(f"cannot write: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            if existing is not None:
                os.fchmod(out.fileno(), stat.S_IMODE(existing.st_mode))
                if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                    try:
                        os.fchown(out.fileno(), existing.st_uid, existing.st_gid)
                    except PermissionError:
                        pass
            out.write(data)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise QuizgenError(f"cannot write ({exc.strerror or exc}); no file of this run was replaced",
                               path) from None
        raise
    return tmp


def write_all(files: Sequence[tuple[Path, bytes]], *, create_folders: bool = False) -> list[int]:
    """Write every (path, data) as one set: all temporaries first, then the renames; on any failure the
    temporaries (and any folder made for them) are removed and every destination is as it was.
    Returns the sizes written."""
    files = [(Path(path), data) for path, data in files]
    for path, _ in files:
        check_writable(path, create_folder=create_folders)
    created = _make_folders(sorted({path.parent for path, _ in files})) if create_folders else []
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        _remove_folders(created)
        if isinstance(exc, OSError):
            raise QuizgenError(f"cannot write: {exc.strerror or exc}", exc.filename or "") from None
        raise
    return [len(data) for _, data in files]


def write_bytes(path: Path, data: bytes) -> int:
    """Write one file atomically; returns the size written."""
    return write_all([(path, data)])[0]
