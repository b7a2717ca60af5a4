"""`quizgen new PATH`: a bank folder to start from, with one invented example of every record type."""
from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import QuizgenError
from .validation import display_path

SKELETON = Path(__file__).resolve().parent / "new_bank"


def create_bank(path: Path) -> list[str]:
    """Copy the skeleton to `path` (a new or empty folder) and say what to do next."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise QuizgenError(f"{path} already exists and is not an empty folder; pick a new path")
    try:
        shutil.copytree(SKELETON, path, dirs_exist_ok=True)
    except OSError as exc:
        raise QuizgenError(f"cannot create {path}: {exc.strerror or exc}") from None
    shown = display_path(path)
    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    return [f"created {shown}: {', '.join(files)}",
            f"next: edit the examples into your own facts, then: "
            f"quizgen check --bank {shown} --against {shown}/source.txt"]
