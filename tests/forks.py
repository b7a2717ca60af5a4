"""Counting this process's forks (os.register_at_fork): the proof that a second process ran, or did not."""
from __future__ import annotations

import os


class Forks:
    count = 0

    @classmethod
    def seen(cls) -> None:
        cls.count += 1


os.register_at_fork(after_in_parent=Forks.seen)


def forks_during(action) -> tuple[object, int]:
    """What `action()` gives, and how many forks it made."""
    before = Forks.count
    value = action()
    return value, Forks.count - before
