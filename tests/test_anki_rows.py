"""quizgen inserts the notes and cards itself, in bulk: the rows must be exactly those genanki writes."""
import itertools
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st
from samples import sample_meta, sample_questions

from quizgen.anki.deck import build_decks
from quizgen.anki.ids import note_guid
from quizgen.anki.package import fill_collection
from quizgen.bank.loader import load_bank
from quizgen.generate.generator import generate

T = 1717200000


def _genanki_collection(decks) -> sqlite3.Connection:
    """The same decks written the plain genanki way: one genanki.Note per note, Note.write_to_db."""
    import genanki

    shells = []
    for deck in decks:
        shell = genanki.Deck(deck.id, deck.name, deck.description)
        for note in deck.notes():
            shell.add_note(genanki.Note(model=note.note_type.build(), fields=list(note.fields),
                                        tags=list(note.tags), guid=note.guid, due=note.due))
        shells.append(shell)
    db = sqlite3.connect(":memory:")
    genanki.Package(shells).write_to_db(db.cursor(), T, itertools.count(T * 1000))
    return db


def _tables(db: sqlite3.Connection) -> dict:
    return {table: db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in ("col", "notes", "cards")}


def _assert_same_rows(questions, meta):
    decks = build_decks(questions, meta)
    ours = sqlite3.connect(":memory:")
    notes, cards = fill_collection(ours, decks, T)
    theirs = _tables(_genanki_collection(decks))
    assert _tables(ours) == theirs
    assert (notes, cards) == (len(theirs["notes"]), len(theirs["cards"]))
    return theirs


def test_sample_questions_give_genankis_rows():
    rows = _assert_same_rows(sample_questions(), sample_meta())
    cloze_cards = [c for c in rows["cards"] if c[3] > 0]
    assert cloze_cards, "a cloze note with several deletions makes several cards"


def test_red_lines_questions_give_genankis_rows():
    result = generate(load_bank(), seed=3)
    rows = _assert_same_rows(result.questions, result.meta)
    assert len(rows["notes"]) == len(result.questions)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_note_guid_is_genankis_guid_for(question_id):
    from genanki import guid_for

    assert note_guid(question_id) == guid_for("quizgen", question_id)
