"""How many cores this process may run on: the generation workers, the Anki collection writer and the process
that works ahead of `quizgen pdf` and `build` each start only with a second one."""
from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system has one), at least 1."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
