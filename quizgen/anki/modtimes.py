"""Modification times that make a re-import update the learner's notes, and only when needed.

Anki (desktop, AnkiDroid, AnkiMobile) replaces a note it already has (same GUID) only when the
incoming note's `mod` is newer than its own, in whole seconds; it keeps the package's `mod` when it
adds or updates a note. Note types follow the same rule with their own `mod`.

The rule, with T the build time (`--timestamp`, else SOURCE_DATE_EPOCH, else now) and P the package
being replaced at the destination, if there is one:

- a note that P does not have:            mod = T
- a note P has, with the same content:    mod = max(T, P's mod)
- a note P has, with different content:   mod = max(T, P's mod + 1)

So, build after build at one destination, a note's mod never goes back and goes strictly up
whenever its fields, tags or note type change: two builds in the same second, or a rebuild from
older bank content or with an older SOURCE_DATE_EPOCH, still update. With no P, mod is T: the
same inputs and T give the same bytes.

Why the previous package: a pure function of (content, T) cannot work. Builds X then Y within one
second need mod(Y) > mod(X); Y then X need the opposite; only the package that learners got last
knows which came first. (Sub-second stamps would need mods far in the future, which would then
beat every later edit the learner makes in Anki.)
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .tempdirs import temporary_folder

#: The package at the output path may be anything (a teacher's old deck, or a file someone left there), so it
#: is read under limits; past any of them it is ignored, with one line, and the deck is built as if new.
MAX_PACKAGE_BYTES = 256 << 20       # the .apkg on disk
MAX_COLLECTION_BYTES = 256 << 20    # collection.anki2 inflated (a 10,000-event deck's is about 20 MB)
MAX_RATIO = 100                     # inflated / compressed (quizgen's own collections deflate about 5:1)
MAX_MODELS_BYTES = 16 << 20         # the note types' JSON
MAX_SQL_SECONDS = 10.0              # for the two queries, whatever the schema makes them do
MAX_ROWS = 2_000_000                # notes
_READ_ERRORS = (OSError, EOFError, KeyError, ValueError, TypeError, AttributeError, RuntimeError,
                NotImplementedError, RecursionError, OverflowError, zipfile.BadZipFile, zlib.error, sqlite3.Error)


@dataclass
class Previous:
    """What the package being replaced holds: per note GUID and per note type id, (mod, content).
    `ignored` says why a file at the output path was not read (empty when it was, or when there was none)."""

    notes: dict[str, tuple[int, tuple]] = field(default_factory=dict)
    models: dict[str, tuple[int, str]] = field(default_factory=dict)
    ignored: str = ""

    def note_mod(self, guid: str, content: tuple, timestamp: int) -> int:
        """The mod of a note with this GUID and content (mid, fields, tags as stored), by the rule above."""
        return _mod(timestamp, self.notes.get(guid), content)


class Unreadable(Exception):
    """The previous package is past a limit or malformed; the message says which."""


def _model_content(model: dict) -> str:
    return json.dumps({k: v for k, v in model.items() if k not in ("mod", "usn")}, sort_keys=True)


def _tables(db: sqlite3.Connection) -> None:
    """`notes` and `col` must be plain tables: a view or a virtual table can compute rows without end."""
    kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name IN ('notes', 'col')").fetchall())
    for name in ("notes", "col"):
        if kinds.get(name) != "table":
            raise Unreadable(f"its collection has no '{name}' table" if name not in kinds
                             else f"its '{name}' is a {kinds[name]}, not a table")
    for name in ("notes", "col"):   # hidden 2 and 3: generated columns, computed on every read
        if any(row[-1] in (2, 3) for row in db.execute(f"PRAGMA table_xinfo({name})")):
            raise Unreadable(f"its '{name}' table has computed columns")


def _int(value) -> int:
    if type(value) is not int:
        raise Unreadable(f"a mod time is {type(value).__name__}, not a whole number")
    return value


def _read_db(db: sqlite3.Connection) -> Previous:
    _tables(db)
    (count,) = db.execute("SELECT count(*) FROM notes").fetchone()
    if count > MAX_ROWS:
        raise Unreadable(f"it has {count:,} notes (the most read is {MAX_ROWS:,})")
    notes = {}
    for guid, mod, mid, flds, tags in db.execute("SELECT guid, mod, mid, flds, tags FROM notes"):
        notes[str(guid)] = (_int(mod), (mid, flds, tags))
    row = db.execute("SELECT models FROM col WHERE length(models) <= ?", (MAX_MODELS_BYTES,)).fetchone()
    if row is None or not isinstance(row[0], str):
        raise Unreadable("its note types are missing or too big")
    models_json = json.loads(row[0])
    if not isinstance(models_json, dict) or not all(isinstance(m, dict) for m in models_json.values()):
        raise Unreadable("its note types are not a mapping of note types")
    models = {str(mid): (_int(m.get("mod", 0)), _model_content(m)) for mid, m in models_json.items()}
    return Previous(notes, models)


def _checked(file):
    info = os.fstat(file.fileno())
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("it is not a regular file")
    if info.st_size > MAX_PACKAGE_BYTES:
        raise Unreadable(f"it is {info.st_size >> 20} MiB (the most read is {MAX_PACKAGE_BYTES >> 20} MiB)")
    return file


def _extract(path: Path, target: Path) -> None:
    """Copy collection.anki2 out of the zip, counting what it inflates to instead of trusting the header."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))     # a FIFO must not block the open
    with open(fd, "rb") as file, zipfile.ZipFile(_checked(file)) as archive:
        entry = archive.getinfo("collection.anki2")
        limit = min(MAX_COLLECTION_BYTES, max(entry.compress_size, 1 << 16) * MAX_RATIO)
        if entry.file_size > limit:
            raise Unreadable(f"its collection inflates to {entry.file_size:,} bytes from {entry.compress_size:,}")
        written = 0
        with archive.open(entry) as source, open(target, "wb") as out:
            while chunk := source.read(1 << 20):
                written += len(chunk)
                if written > limit:
                    raise Unreadable(f"its collection inflates past {limit:,} bytes from {entry.compress_size:,}")
                out.write(chunk)


def _query(db_path: Path) -> Previous:
    db = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    deadline = time.monotonic() + MAX_SQL_SECONDS
    db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)   # a true result stops the query
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_MODELS_BYTES)     # no value longer than this
        return _read_db(db)
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise Unreadable(f"reading its collection took over {MAX_SQL_SECONDS:g} s") from None
        raise
    finally:
        db.close()


def read_previous(path: Path) -> Previous:
    """The notes and note types of the .apkg at `path`; empty if there is none, and empty with `ignored`
    set if it cannot be read within the limits above."""
    path = Path(path)
    if not path.exists():
        return Previous()
    try:
        with temporary_folder() as tmp:
            db_path = Path(tmp) / "previous.anki2"
            _extract(path, db_path)
            return _query(db_path)
    except Unreadable as exc:
        why = str(exc)
    except MemoryError:
        why = "reading it ran out of memory"
    except _READ_ERRORS as exc:
        why = f"{type(exc).__name__}: {str(exc)[:120]}" if str(exc) else type(exc).__name__
    return Previous(ignored=f"{path} is not a deck quizgen can read ({why}); building the deck as new")


def _mod(timestamp: int, previous: tuple[int, object] | None, content: object) -> int:
    if previous is None:
        return timestamp
    old_mod, old_content = previous
    return max(timestamp, old_mod if old_content == content else old_mod + 1)


def apply_model_mod_times(db: sqlite3.Connection, previous: Previous, timestamp: int) -> None:
    """Set every note type's mod in a freshly written collection by the rule above (notes and cards get
    theirs as they are written: quizgen.anki.rows)."""
    models_json, = db.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for mid, model in models.items():
        model["mod"] = _mod(timestamp, previous.models.get(mid), _model_content(model))
    db.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))
