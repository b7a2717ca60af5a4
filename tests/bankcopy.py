"""Copy the shipped bank to a temporary folder and edit it, for tests of broken or extended banks."""
from __future__ import annotations

import shutil
from pathlib import Path

from quizgen.bank.loader import default_bank_path

ARTICLE = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "red-lines-elpais-2024-06.txt"


def require_article() -> Path:
    """The source article lives in ../shared beside the checkout; CI always has it, a laptop may not."""
    import os

    import pytest

    if not ARTICLE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the source article at {ARTICLE}")
        pytest.skip(f"no source article at {ARTICLE}")
    return ARTICLE


def copy_bank(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(default_bank_path(), target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str, last: bool = False) -> int:
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert found, f"{needle!r} not in {path}"
    return found[-1] if last else found[0]
