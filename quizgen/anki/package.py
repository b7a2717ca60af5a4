"""Writing the .apkg: genanki builds the collection (quizgen inserts the notes and cards in bulk), then
quizgen fixes what genanki leaves to the clock (note and note type mod times) and writes a
reproducible, deflated zip atomically. A big deck's collection is written by a second process while this
one makes its rows (writer.py); the steps both run are in collection.py."""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import QuizgenError
from ..gcpause import bulk
from ..output import check_writable, write_bytes
from ..question import BankMeta, Question
from .deck import Deck, build_decks
from .collection import (collection_ids, finish_collection, open_collection, shells_of, write_schema,
                         zip_collection)
from .modtimes import Previous, read_previous
from .rows import write_rows
from .tempdirs import temporary_folder

#: zip cannot store dates before 1980; earlier timestamps are raised to this
_ZIP_EPOCH = 315532800
#: nor after 2107: 2107-12-31 23:59:58 UTC, the last date a zip entry can hold (two-second steps)
ZIP_END = 4354819198


@dataclass(frozen=True)
class AnkiSummary:
    path: Path
    notes: int
    cards: int
    decks: tuple[str, ...]
    note_types: tuple[str, ...]
    size: int
    timestamp: int

    def __str__(self) -> str:
        return (f"wrote {self.path}: {self.notes} notes, {self.cards} cards in {len(self.decks)} decks, "
                f"{self.size} bytes")


def build_timestamp(timestamp: int | None = None) -> int:
    """The build time in whole seconds: `timestamp`, else SOURCE_DATE_EPOCH, else now."""
    if timestamp is None:
        env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if env:
            shown = env if len(env) <= 24 else f"{env[:20]}... ({len(env)} characters)"
            try:
                timestamp = int(env) if len(env) <= 24 else None
            except ValueError:
                timestamp = None
            if timestamp is None or not 0 <= timestamp <= ZIP_END:
                raise QuizgenError(f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to {ZIP_END} "
                                   f"(2107-12-31, the last date a zip file can hold), not {shown!r}")
        else:
            timestamp = int(time.time())
    if timestamp < 0:
        raise QuizgenError(f"timestamp must not be negative: {timestamp}")
    if timestamp > ZIP_END:
        shown = str(timestamp) if timestamp < 10 ** 24 else f"a {len(str(timestamp))}-digit number"
        raise QuizgenError(f"--timestamp {shown} is after {ZIP_END} (2107-12-31 23:59:58 UTC), "
                           "the last date a zip file can hold")
    return max(int(timestamp), _ZIP_EPOCH)


def fill_collection(db: sqlite3.Connection, decks: list[Deck], timestamp: int,
                    previous: Previous | None = None) -> tuple[int, int]:
    """genanki writes the schema, decks and note types; quizgen.anki.rows the notes and cards (with their
    mod times against the `previous` package)."""
    cursor = db.cursor()
    ids = collection_ids(timestamp)
    write_schema(cursor, shells_of(decks), timestamp, ids)
    return write_rows(cursor, decks, timestamp, ids, previous)


def _write_collection(db_path: Path, decks: list[Deck], previous, timestamp: int) -> tuple[int, int]:
    db = open_collection(db_path)
    try:
        notes, cards = fill_collection(db, decks, timestamp, previous)
        finish_collection(db, previous, timestamp)
    finally:
        db.close()
    return notes, cards


def _write_beside(db_path: Path, decks: list[Deck], previous: Previous, timestamp: int
                  ) -> tuple[int, int, bytes]:
    """What `_write_collection` and `zip_collection` do, the SQLite work and the deflating in a second process
    (quizgen.anki.writer) while this one makes the rows."""
    from .writer import CollectionWriter

    writer = CollectionWriter(db_path, shells_of(decks), timestamp)
    try:
        notes, cards = write_rows(writer, decks, timestamp, collection_ids(timestamp), previous)
        return notes, cards, writer.finish(previous.models)
    finally:
        writer.close()


@dataclass(frozen=True)
class RenderedApkg:
    """A package built in memory, not yet written."""

    data: bytes
    notes: int
    cards: int
    decks: tuple[str, ...]
    note_types: tuple[str, ...]
    timestamp: int


def render_apkg(questions: list[Question], meta: BankMeta, path: Path, *,
                timestamp: int | None = None, warn: Callable[[str], None] = lambda _: None) -> RenderedApkg:
    """Build the package bytes; `path` is read (if it exists) only to keep mod times monotonic, and
    `warn` hears when what is there cannot be read."""
    if not questions:
        raise QuizgenError("no questions to put in the Anki deck")
    from .writer import WRITER_FROM, second_core   # not at the top: `python -m quizgen.anki.writer` runs it as a script

    stamp = build_timestamp(timestamp)
    with bulk():   # from the previous deck's notes to the zip: a big deck's millions of objects hold no cycles
        previous = read_previous(Path(path))
        if previous.ignored:
            warn(previous.ignored)
        decks = build_decks(questions, meta)
        with temporary_folder() as tmp:
            db_path = Path(tmp) / "collection.anki2"
            try:
                if len(questions) >= WRITER_FROM and second_core():
                    notes, cards, data = _write_beside(db_path, decks, previous, stamp)
                else:
                    notes, cards = _write_collection(db_path, decks, previous, stamp)
                    data = zip_collection(db_path, stamp)
            except (OSError, sqlite3.OperationalError) as exc:   # a full or read-only TMPDIR
                why = getattr(exc, "strerror", None) or str(exc)
                raise QuizgenError(f"cannot build the deck in the scratch folder {tmp.parent} ({why}); "
                                   "free some space there or point TMPDIR elsewhere") from None
    note_types = sorted({note_type.name for deck in decks for note_type in deck.note_types})
    return RenderedApkg(data, notes, cards, tuple(d.name for d in decks), tuple(note_types), stamp)


def summary_of(rendered: RenderedApkg, path: Path, size: int) -> AnkiSummary:
    return AnkiSummary(Path(path), rendered.notes, rendered.cards, rendered.decks, rendered.note_types, size,
                       rendered.timestamp)


def write_apkg(questions: list[Question], meta: BankMeta, path: Path, *, timestamp: int | None = None,
               warn: Callable[[str], None] = lambda _: None) -> AnkiSummary:
    """Write `questions` as an Anki package at `path` (see quizgen.anki.modtimes for update rules)."""
    path = check_writable(Path(path))
    rendered = render_apkg(questions, meta, path, timestamp=timestamp, warn=warn)
    return summary_of(rendered, path, write_bytes(path, rendered.data))
