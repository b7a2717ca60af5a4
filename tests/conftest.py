"""Shared fixtures. Tests import the installed `quizgen` package; the helpers beside this file (samples.py,
bankcopy.py) are on the path because pytest puts the folder of its root conftest there."""
from __future__ import annotations

from pathlib import Path

import pytest
from bankcopy import copy_bank, require_article
from samples import sample_meta, sample_questions


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped red-lines bank, for tests that break or extend it."""
    return copy_bank(tmp_path)


@pytest.fixture
def article() -> Path:
    """The source article from ../shared/seeds (skipped on a laptop without it, a failure in CI)."""
    return require_article()


@pytest.fixture
def samples():
    """Hand-made questions of every kind with hostile text, and their bank metadata."""
    return sample_questions(), sample_meta()
