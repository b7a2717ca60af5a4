"""No garbage collections during bulk work, and fewer in a whole `quizgen` command.

Loading a bank, generating its questions and writing them make millions of small objects and almost
no reference cycles. With CPython's default thresholds (a young collection every 700 new objects) a
100,000-event bank spent a fifth of its time in the collector, re-scanning the bank it had just
loaded. Collections a hundred times rarer still cost 2 s of a 100,000-event `quizgen anki` (0.6 s of
loading, about 1 s of generation in each process): every object that lives on is scanned once, however
rare the collections. Inside `bulk()` there are none; the collector is as it was after. The cycles left
for it then are few: 696 objects after loading a 100,000-event bank, 676 after generating its 332,035
questions (a template that builds cycles on purpose leaves them until `bulk()` ends, within the render
time budget). In a `quizgen` command what bulk work made is frozen when it ends (`settled`): the first
young collection after it would otherwise walk all of it (0.13 s after loading a 100,000-event bank,
0.55 s after generating its questions, 0.14 s after writing its deck, all in the main process).
A `quizgen` command runs with those thresholds from its start (`for_a_command`): its imports alone made
133 collections, 30 ms of a 0.27 s single quiz, re-scanning modules that live as long as the process.
For the same reason it ends without freeing them one by one (`end_command`).
"""
from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from typing import Iterator, NoReturn

_BULK = (100_000, 50, 100)


@contextmanager
def bulk() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        settled()
        if enabled:
            gc.enable()


_command = False


def for_a_command() -> None:
    """The bulk thresholds for the whole of a short-lived `quizgen` process (not for library callers)."""
    global _command
    _command = True
    gc.set_threshold(*_BULK)


def settled() -> None:
    """In a `quizgen` command, what is loaded now lives as long as the process: the collector need not walk it
    again. (A library caller's process lives on: there its garbage must stay collectable.)"""
    if _command:
        gc.freeze()


def end_command(code: object) -> NoReturn:
    """End a `quizgen` process with exit status `code` (as SystemExit takes it) without the interpreter's
    teardown, which freed every module's objects one by one: 10-13 ms of a 0.25 s single quiz. What teardown
    does that anyone can see still happens: exit handlers run, then standard output and error are flushed.
    With another thread running, or output that cannot be flushed, Python ends the process its own way."""
    import atexit
    import threading

    if threading.active_count() > 1:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        raise SystemExit(code) from None
    os._exit(code or 0)
