"""The notes and cards tables, written in bulk.

genanki's Note.write_to_db checks and inserts one row per statement, which for a big deck costs more
than everything else in the package. These are the rows it would write - same ids in the same
order, same columns, same cards per note (tests/test_anki_rows.py compares them with genanki's) -
inserted with one executemany per table. genanki still writes the schema, decks and note types.
"""
from __future__ import annotations

import re
from typing import Iterator

from .deck import Deck
from .models import NoteType
from .modtimes import Previous

_CLOZE_NAMES = (re.compile(r"{{[^}]*?cloze:(?:[^}]?:)*(.+?)}}"), re.compile("<%cloze:(.+?)%>"))
_CLOZE_NUMBER = re.compile(r"{{c(\d+)::.+?}}", re.DOTALL)


def _cloze_field_indexes(note_type: NoteType) -> tuple[int, ...]:
    """Which fields genanki scans for {{cN::...}}: those the front template shows with cloze:."""
    qfmt = note_type.front
    names = set(_CLOZE_NAMES[0].findall(qfmt) + _CLOZE_NAMES[1].findall(qfmt))
    return tuple(next((i for i, f in enumerate(note_type.fields) if f == name), -1) for name in names)


class _CardRule:
    """genanki's rule for which cards a note of one type gets, worked out once per note type."""

    def __init__(self, note_type: NoteType):
        self.model_id = note_type.id
        self.cloze = _cloze_field_indexes(note_type) if note_type.cloze else None
        self.required = None if note_type.cloze else [
            (card_ord, any if any_or_all == "any" else all, required)
            for card_ord, any_or_all, required in note_type.build()._req]

    def ords(self, fields: list[str]) -> Iterator[int]:
        """One card per cloze number (in genanki's set order), or per template whose required fields are set."""
        if self.cloze is not None:
            ords: set[int] = set()
            for index in self.cloze:
                value = fields[index] if index >= 0 else ""
                ords.update(int(m) - 1 for m in _CLOZE_NUMBER.findall(value) if int(m) > 0)
            return iter(ords)
        return [card_ord for card_ord, op, required in self.required if op([fields[i] for i in required])]


#: genanki's rows, with the columns that are the same for every note and card (usn -1, the rest 0 or empty)
#: written into the statement, so each row binds 7 or 6 values instead of 11 or 18 (about 10 % of the inserts' time)
_INSERT_NOTE = "INSERT INTO notes VALUES(?,?,?,?,-1,?,?,?,0,0,'')"
_INSERT_CARD = "INSERT INTO cards VALUES(?,?,?,?,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')"


def write_rows(cursor, decks: list[Deck], timestamp: int, ids: Iterator[int], previous: Previous | None = None,
               chunk: int = 2000) -> tuple[int, int]:
    """Insert every deck's notes and their cards, ids drawn from `ids` as genanki draws them, each with its
    mod by quizgen.anki.modtimes' rule against the `previous` package (none: all are new).

    Notes are made from the questions as they are inserted, a chunk at a time, so a big deck never
    holds all its field strings in memory twice."""
    timestamp = int(timestamp)
    earlier = previous if previous is not None and previous.notes else None
    rules: dict[int, _CardRule] = {}
    notes: list[tuple] = []
    cards: list[tuple] = []
    total_notes = total_cards = 0

    def flush() -> None:
        cursor.executemany(_INSERT_NOTE, notes)
        cursor.executemany(_INSERT_CARD, cards)
        notes.clear()
        cards.clear()

    for deck in decks:
        deck_id = deck.id
        for note_type, fields, tags, guid, due in deck.notes():
            rule = rules.get(id(note_type)) or rules.setdefault(id(note_type), _CardRule(note_type))
            note_id = next(ids)
            tag_text, flds = " " + " ".join(tags) + " ", "\x1f".join(fields)
            mod = timestamp if earlier is None else earlier.note_mod(guid, (rule.model_id, flds, tag_text), timestamp)
            notes.append((note_id, guid, rule.model_id, mod, tag_text, flds, fields[0]))
            for card_ord in rule.ords(fields):
                cards.append((next(ids), note_id, deck_id, card_ord, mod, due))
                total_cards += 1
            total_notes += 1
            if len(notes) >= chunk:
                flush()
    flush()
    return total_notes, total_cards
