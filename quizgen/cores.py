"""How many cores this process may run on, and whether it may fork: the generation workers, the second bank
reader, the Anki collection writer and the process that works ahead of `quizgen pdf` and `build` each start only
with a second core."""
from __future__ import annotations

import os
import sys


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the system has one), at least 1."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Fork is Linux's (macOS's system libraries are not safe in a forked child), worth it only with two cores,
    and safe only with one thread (a lock another thread holds would stay held in the child)."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    import threading

    return usable_cores() >= 2 and threading.active_count() == 1
