"""A big deck's collection written by a second process: this one makes the notes' rows (Python work) while the
other inserts them (SQLite's), then runs VACUUM and deflates the package.

The writer runs exactly the statements `_write_collection` runs, in the same order and chunks, on a connection
of its own, so the package has the same bytes. It is a fresh interpreter (`python -m quizgen.anki.writer`),
not a fork: a fork would map this process's hundreds of MiB of questions too. Messages go both ways as pickles
through its standard input and output; it stops at the end of its input, so it never outlives a killed parent.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..cores import usable_cores

#: notes from which a second core writes the collection. At 100,000 events (332,035 notes) the output stage took
#: 8.9-10.1 s against 10.3-10.8 s in one process (alternating); at 10,000 events (32,969 notes) 0.82-0.86 s
#: against 0.81-0.85 s: starting an interpreter costs what the inserts it takes over save
WRITER_FROM = 50_000


def _widen(pipe) -> None:
    """A pipe that holds a whole chunk of rows (1 MiB, Linux's usual most): with the default 64 KiB each chunk
    went over in turns of both processes, and this one waited 2.0 s of its 4.7 s of rows at 100,000 events
    (0.6 s of 3.2 s with it)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):      # not Linux, or a lower limit: the default pipe, only slower
        pass


def second_core() -> bool:
    """Whether this process may run on more than one core."""
    return usable_cores() > 1


class CollectionWriter:
    """This process's end: `executemany` sends a chunk of rows, `finish` waits for the package's bytes."""

    def __init__(self, db_path: Path, shells: list, timestamp: int):
        import quizgen

        env = dict(os.environ)
        package_root = str(Path(quizgen.__file__).resolve().parent.parent)    # the same quizgen, wherever it is
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen([sys.executable, "-m", "quizgen.anki.writer"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, env=env)
        _widen(self.process.stdin)
        self._send(("start", str(db_path), shells, timestamp))

    def _send(self, message: tuple) -> None:
        try:
            pickle.dump(message, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:     # the writer stopped early (a full scratch folder): what it said
            self._outcome()

    def executemany(self, statement: str, rows: list[tuple]) -> None:
        self._send(("rows", statement, rows))

    def finish(self, previous_models: dict) -> bytes:
        """The package's bytes, once the writer has finished the collection and zipped it."""
        self._send(("finish", previous_models))
        try:
            self.process.stdin.close()
        except BrokenPipeError:     # the writer is gone: _outcome says how
            pass
        return self._outcome()

    def _outcome(self) -> bytes:
        """What the writer answered: the package's bytes, or its error raised here."""
        try:
            outcome = pickle.load(self.process.stdout)
        except EOFError:
            outcome = ("error", f"it ended early (exit code {self.process.wait()})")
        self.process.wait()
        if outcome[0] == "ok":
            return outcome[1]
        if outcome[0] == "scratch":     # a full or read-only TMPDIR: raised as writing here would raise it
            raise sqlite3.OperationalError(outcome[1])
        raise RuntimeError(f"the collection writer failed: {outcome[1]}")

    def close(self) -> None:
        """Stop the writer if it is still running (an error or Ctrl-C here)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except BrokenPipeError:     # rows still buffered for a writer that is gone
                pass


def _serve(source, reply) -> None:
    """The writer's end: the statements `_write_collection` runs, as the messages come."""
    import gc

    from .collection import collection_ids, finish_collection, open_collection, write_schema, zip_collection
    from .modtimes import Previous

    gc.disable()     # rows and statements only: nothing here makes cycles
    db = cursor = None
    try:
        while True:
            message = pickle.load(source)
            if message[0] == "start":
                _, db_path, shells, timestamp = message
                db = open_collection(Path(db_path))
                cursor = db.cursor()
                write_schema(cursor, shells, timestamp, collection_ids(timestamp))
            elif message[0] == "rows":
                cursor.executemany(message[1], message[2])
            else:
                finish_collection(db, Previous(models=message[1]), timestamp)
                db.close()
                db = None
                outcome: tuple[str, Any] = ("ok", zip_collection(Path(db_path), timestamp))
                break
    except EOFError:        # the parent is gone before it said "finish": nobody to answer
        return
    except (OSError, sqlite3.OperationalError) as exc:
        outcome = ("scratch", getattr(exc, "strerror", None) or str(exc))
    except Exception as exc:        # a bug: its text goes back, not a traceback on the user's terminal
        outcome = ("error", f"{type(exc).__name__}: {exc}")
    finally:
        if db is not None:
            db.close()
    pickle.dump(outcome, reply, protocol=pickle.HIGHEST_PROTOCOL)
    reply.flush()


if __name__ == "__main__":
    try:
        _serve(sys.stdin.buffer, sys.stdout.buffer)
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)     # the parent is gone, or stopped us: nothing to report to
