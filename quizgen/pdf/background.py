"""Work in a second process while this one lays out pages: the answer key of a big class set, and (for `quizgen pdf`
and `quizgen build`) loading and generating the bank while this process imports reportlab and reads the fonts.

Only where it is safe (Linux's fork, two usable cores, one thread: can_fork) and pays (core_free, for the
start-up work); the result is the same either way: callers do the work in this process when `Ahead.start`
returns None.
"""
from __future__ import annotations

import os
import pickle
import sys
from typing import Any, Callable, Iterator

from ..cores import can_fork, usable_cores

#: questions (versions x questions per version) from which the key is laid out in a second process
PARALLEL_FROM = 200
#: ... and from which it is when a core is idle (see core_free): `quizgen build`'s four versions of 20
PARALLEL_WHEN_IDLE_FROM = 60


def worth_a_process(questions: int) -> bool:
    """Is laying out `questions` answers worth a second process? A big key always is, a smaller one only when a
    core is idle: for `build`'s 80 questions the child spent 110 ms of CPU on 64 ms of layout (the fork, pages
    copied on write, the result pickled), which pays on an idle core and not on a busy one."""
    return questions >= PARALLEL_FROM or (questions >= PARALLEL_WHEN_IDLE_FROM and core_free())


def in_background(function: Callable[..., Any], *args: Any, big: bool) -> Later:
    """`function(*args)` in a forked process while this one works on, when the job is big enough to pay for
    the fork and the fork is there (see can_fork); in this process, now, otherwise. The same bytes either way.
    Even on a busy machine a big job pays: two processes get more turns than one."""
    ahead = Ahead.start(_once, function, args) if big else None
    if ahead is None:
        return Later(None, function(*args))
    return Later(ahead, None)


def _once(function: Callable[..., Any], args: tuple) -> Iterator[Any]:
    yield function(*args)


class Later:
    """A result now or from a forked process; `close()` ends and reaps the process if `result()` was never asked."""

    def __init__(self, ahead: Ahead | None, value: Any):
        self._ahead = ahead
        self._value = value

    def result(self) -> Any:
        if self._ahead is not None:
            with self._ahead:
                self._value = self._ahead.next()
            self._ahead = None
        return self._value

    def close(self) -> None:
        if self._ahead is not None:
            self._ahead.close()

    def __enter__(self) -> Later:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def die_with_parent(parent: int) -> None:
    """In the forked child: end as soon as the process that forked it is gone, even by kill -9, instead of
    working on for nobody. Linux kills it (PR_SET_PDEATHSIG); elsewhere a thread
    watches the parent id."""
    import ctypes
    import signal
    import threading
    import time

    try:
        if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL) != 0:    # 1: PR_SET_PDEATHSIG
            raise OSError(ctypes.get_errno(), "prctl failed")
    except (OSError, AttributeError):
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:      # it died before the signal was asked for
        os._exit(1)


def core_free() -> bool:
    """Is a core idle right now? Other runnable tasks (from /proc/loadavg, this instant, not an average) fewer
    than the cores beside this process's own. For start-up work, a few tenths of a second: on a machine busy
    with other work the second process mostly takes turns with the first, and the fork and the copies cost
    about what they save."""
    try:
        with open("/proc/loadavg", encoding="ascii") as loadavg:
            runnable = int(loadavg.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return runnable - 1 < usable_cores()


class Ahead:
    """A generator run in a forked child; its values come back in order through a pipe, with `next()`.

    An exception in the child is raised again by `next()` in its place in the order: a QuizgenError with the
    same problems, anything else as itself when it pickles (RuntimeError otherwise), with the child's traceback
    as a note. `close()` (or leaving the `with` block) kills the child if it still runs and always reaps it.
    """

    def __init__(self, pid: int, pipe):
        self._pid = pid
        self._pipe = pipe
        self._status: int | None = None

    @classmethod
    def start(cls, work: Callable[..., Iterator[Any]], *args: Any) -> Ahead | None:
        if not can_fork():
            return None
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:    # the child: never returns, never runs the parent's exit handlers or flushes its buffers
            try:
                os.close(read)
                die_with_parent(parent)
                with os.fdopen(write, "wb") as out:
                    _run(work, args, out)
            finally:
                os._exit(0)
        os.close(write)
        return cls(pid, os.fdopen(read, "rb"))

    def next(self) -> Any:
        try:
            kind, value = pickle.load(self._pipe)
        except EOFError:
            self.close()
            raise RuntimeError(f"the worker process ended before its work was done (wait status {self._status})")
        if kind == "error":
            exception, where = value
            exception.add_note(f"raised in the worker process:\n{where}")
            raise exception
        return value

    def close(self) -> None:
        if self._status is None:
            import signal

            self._pipe.close()
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._status = os.waitpid(self._pid, 0)[1]

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *_) -> None:
        self.close()


def _run(work: Callable[..., Iterator[Any]], args: tuple, out) -> None:
    """In the child: send each value the generator yields, then its exception if it raises one."""
    try:
        for value in work(*args):
            pickle.dump(("value", value), out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
    except Exception as exc:
        import traceback

        where = "".join(traceback.format_exception(exc))
        try:
            message = pickle.dumps(("error", (exc, where)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            message = pickle.dumps(("error", (RuntimeError(f"{type(exc).__name__}: {exc}"), where)))
        out.write(message)
        out.flush()
