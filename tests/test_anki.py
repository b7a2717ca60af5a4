"""The Anki renderer, checked by importing its packages into a real Anki collection."""
from __future__ import annotations

import html
import sqlite3
import tempfile
import zipfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import HOSTILE, sample_meta, sample_questions

from quizgen.anki import write_apkg
from quizgen.anki.ids import note_guid, stable_id
from quizgen.cli import cli
from quizgen.question import ClozePart, Kind

T0 = 1_717_200_000  # 1 June 2024
NOTE_TYPES = {"quizgen basic", "quizgen choice", "quizgen ordering", "quizgen matching", "quizgen cloze"}


def build(path: Path, questions=None, timestamp: int | None = T0):
    return write_apkg(questions or sample_questions(), sample_meta(), path, timestamp=timestamp)


@pytest.fixture
def col(tmp_path):
    from anki.collection import Collection

    collection = Collection(str(tmp_path / "collection.anki2"))
    yield collection
    collection.close()


def import_apkg(col, path: Path):
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def note_for(col, question):
    note_ids = col.db.list("select id from notes where guid = ?", note_guid(question.id))
    assert len(note_ids) == 1
    return col.get_note(note_ids[0])


class _Markup(HTMLParser):
    """The tags and the visible text of a rendered card (style sheets left out)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text: list[str] = []
        self._in_style = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return "".join(self.text)


def test_import_gives_expected_notes_cards_decks_note_types_and_tags(tmp_path, col):
    summary = build(tmp_path / "sample.apkg")
    log = import_apkg(col, summary.path)

    questions = sample_questions()
    assert len(log.new) == len(questions) == summary.notes == 11
    assert col.note_count() == 11
    assert col.card_count() == summary.cards == 12  # the cloze note has two deletions
    assert {"Sample", "Sample::Samples"} <= {d.name for d in col.decks.all_names_and_ids()}
    assert {c.did for c in map(col.get_card, col.find_cards(""))} == {col.decks.id_for_name("Sample::Samples")}
    message, ok = col.fix_integrity()
    assert ok and len(message.splitlines()) == 1, message
    assert NOTE_TYPES <= {m.name for m in col.models.all_names_and_ids()}
    assert set(col.tags.all()) == {"quizgen::sample", *(f"kind::{k.value}" for k in Kind)}
    description = col.decks.by_name("Sample")["desc"]
    for part in ("Sample bank: red lines", "From Leopard tanks to attacks on Russian soil", "31 May 2024"):
        assert part in description


def test_every_kind_renders_prompt_choices_answer_explanation_and_source(tmp_path, col):
    import_apkg(col, build(tmp_path / "sample.apkg").path)
    for q in sample_questions():
        cards = note_for(col, q).cards()
        assert len(cards) == max(1, len({p.hole for p in q.cloze if p.hole}))
        for card in cards:
            front, back = _Markup(card.question()), _Markup(card.answer())
            if q.kind is not Kind.cloze:
                assert q.prompt in front.visible and q.prompt in back.visible
            for choice in q.choices:
                assert choice in front.visible, (q.kind, choice)
            for answer in q.answers:
                if q.kind is Kind.matching:
                    assert all(p.left in back.visible and p.right in back.visible for p in q.pairs)
                else:
                    assert answer in back.visible, (q.kind, answer)
            assert q.explanation in back.visible
            assert q.source.title in back.visible and q.source.quote in back.visible
            assert q.source.title not in front.visible
        if q.kind in (Kind.multiple_choice, Kind.multiple_select, Kind.true_false, Kind.which_first, Kind.quote):
            back_html = cards[0].answer()
            for answer in q.answers:
                assert f'<li class="right">{html.escape(answer)} ' in back_html
            assert back_html.count('<li class="right">') == len(q.answers)
            assert 'class="right"' not in cards[0].question()
        if q.kind is Kind.numeric:
            assert f"{q.answer} {q.unit}" in _Markup(cards[0].answer()).visible
        if q.kind is Kind.short_answer:
            assert all(a in _Markup(cards[0].answer()).visible for a in q.accepted)


def test_cloze_cards_hide_one_deletion_each(tmp_path, col):
    import_apkg(col, build(tmp_path / "sample.apkg").path)
    q = next(q for q in sample_questions() if q.kind is Kind.cloze)
    first, second = sorted(note_for(col, q).cards(), key=lambda c: c.ord)
    assert "August 2023" not in _Markup(first.question()).visible
    assert "Joe Biden" in _Markup(first.question()).visible
    assert "Joe Biden" not in _Markup(second.question()).visible
    assert "August 2023" in _Markup(first.answer()).visible


def test_hostile_text_shows_as_text_not_markup(tmp_path, col):
    import_apkg(col, build(tmp_path / "sample.apkg").path)
    q = next(q for q in sample_questions() if q.template == "hostile")
    card = note_for(col, q).cards()[0]
    for markup in (card.question(), card.answer()):
        parsed = _Markup(markup)
        assert HOSTILE in parsed.visible
        assert "script" not in parsed.tags and "b" not in parsed.tags
        assert "<script>" not in markup and "<b>bold" not in markup


def test_cloze_syntax_in_text_stays_text(tmp_path, col):
    tricky = "a }} b :: c {{c9::d}}"
    q = replace(next(q for q in sample_questions() if q.kind is Kind.cloze),
                cloze=(ClozePart("Plain {{c1::not a hole}} & "), ClozePart(tricky, 1), ClozePart(" end.")))
    import_apkg(col, build(tmp_path / "cloze.apkg", [q]).path)
    cards = note_for(col, q).cards()
    assert len(cards) == 1
    front, back = _Markup(cards[0].question()), _Markup(cards[0].answer())
    assert "Plain {{c1::not a hole}} & " in front.visible and tricky not in front.visible
    assert f"Plain {{{{c1::not a hole}}}} & {tricky} end." in back.visible


def test_cloze_without_deletions_still_makes_a_card(tmp_path, col):
    q = replace(next(q for q in sample_questions() if q.kind is Kind.cloze), cloze=())
    import_apkg(col, build(tmp_path / "flat.apkg", [q]).path)
    card, = note_for(col, q).cards()
    assert q.prompt in _Markup(card.question()).visible
    assert "August 2023; Joe Biden" in _Markup(card.answer()).visible


def test_groups_become_subdecks_and_new_cards_come_in_study_order(tmp_path, col):
    base = sample_questions()
    plan = [("When", "2023-08"), ("Who decided", "2024-05-30"), ("When", "2022-08"),
            ("Who decided", "2023-01"), ("When", "")]
    questions = [replace(q, group=g, sort_key=k) for q, (g, k) in zip(base, plan)]
    import_apkg(col, build(tmp_path / "groups.apkg", questions).path)
    assert {"Sample::When", "Sample::Who decided"} <= {d.name for d in col.decks.all_names_and_ids()}
    cards = sorted(map(col.get_card, col.find_cards("")), key=lambda c: c.due)
    order = [(col.decks.name(c.did), c.note().guid) for c in cards]
    expected = [(f"Sample::{questions[i].group}", note_guid(questions[i].id)) for i in (2, 0, 4, 3, 1)]
    assert order == expected


def test_study_order_is_group_then_date_undated_last_then_as_given():
    """Many questions, three groups met in an order, equal dates and undated ones in each: the order is that of
    one stable sort by (group first met, undated, date)."""
    import random

    from quizgen.anki.deck import study_order

    rng = random.Random(5)
    base = sample_questions()
    questions = [replace(base[i % len(base)], id=f"q{i}", group=rng.choice(["B", "A", "C"]),
                         sort_key=rng.choice(["", "2023-01", "2022-08", "2024-05-30", "2023-01-15"]))
                 for i in range(300)]
    rank = {g: n for n, g in enumerate(dict.fromkeys(q.group for q in questions))}
    expected = sorted(questions, key=lambda q: (rank[q.group], q.sort_key == "", q.sort_key))
    assert [q.id for q in study_order(questions)] == [q.id for q in expected]


def test_reimport_after_rewording_updates_the_note_and_keeps_reviews(tmp_path, col):
    first = build(tmp_path / "v1.apkg")
    import_apkg(col, first.path)
    col.decks.select(col.decks.id_for_name("Sample::Samples"))
    reviewed = col.sched.getCard()
    col.sched.answerCard(reviewed, 3)
    reviewed.load()
    assert reviewed.reps == 1 and col.db.scalar("select count() from revlog") == 1

    questions = sample_questions()
    target = next(q for q in questions if note_guid(q.id) == reviewed.note().guid)
    reworded = replace(target, prompt=target.prompt + " (reworded)")
    questions[questions.index(target)] = reworded
    log = import_apkg(col, build(tmp_path / "v2.apkg", questions, timestamp=T0 + 3600).path)

    assert len(log.new) == 0 and len(log.updated) == 11  # a later build time refreshes every note
    assert col.note_count() == 11 and col.card_count() == 12
    assert note_for(col, reworded)["Prompt"] == html.escape(reworded.prompt)
    reviewed.load()
    assert reviewed.reps == 1 and reviewed.type != 0
    assert col.db.scalar("select count() from revlog where cid = ?", reviewed.id) == 1


def test_rebuild_within_the_same_second_still_updates(tmp_path, col):
    deck = tmp_path / "deck.apkg"
    questions = sample_questions()
    target = questions[0]
    reworded = [replace(target, prompt="Reworded: " + target.prompt), *questions[1:]]

    import_apkg(col, build(deck, questions).path)
    # without the previous package at the destination, same-second content changes cannot win
    assert len(import_apkg(col, build(tmp_path / "elsewhere.apkg", reworded).path).updated) == 0

    log = import_apkg(col, build(deck, reworded).path)
    assert len(log.updated) == 1 and col.note_count() == 11
    assert note_for(col, target)["Prompt"].startswith("Reworded: ")

    # going back to the older wording, still in the same second, updates again
    log = import_apkg(col, build(deck, questions).path)
    assert len(log.updated) == 1
    assert note_for(col, target)["Prompt"] == html.escape(target.prompt)
    # and an unchanged rebuild updates nothing
    assert len(import_apkg(col, build(deck, questions).path).updated) == 0


def test_older_timestamp_with_changed_content_still_updates(tmp_path, col):
    deck = tmp_path / "deck.apkg"
    questions = sample_questions()
    import_apkg(col, build(deck, questions).path)
    reworded = [replace(questions[1], explanation="A better explanation."), *questions[2:], questions[0]]
    log = import_apkg(col, build(deck, reworded, timestamp=T0 - 86400).path)
    assert len(log.updated) == 1
    assert note_for(col, questions[1])["Explanation"] == "A better explanation."


def test_same_inputs_and_source_date_epoch_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T0))
    a = build(tmp_path / "a.apkg", timestamp=None)
    b = build(tmp_path / "b.apkg", timestamp=None)
    again = build(tmp_path / "a.apkg", timestamp=None)
    assert a.timestamp == T0
    assert a.path.read_bytes() == b.path.read_bytes() == again.path.read_bytes()
    with zipfile.ZipFile(a.path) as archive:
        assert [i.filename for i in archive.infolist()] == ["collection.anki2", "media"]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in archive.infolist())
        assert {i.date_time for i in archive.infolist()} == {(2024, 6, 1, 0, 0, 0)}
        assert a.size < len(archive.read("collection.anki2"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(T0 + 1))
    assert build(tmp_path / "c.apkg", timestamp=None).path.read_bytes() != a.path.read_bytes()


def test_ids_are_stable_and_times_come_from_the_timestamp(tmp_path):
    # changing these ids would stop learners' decks from updating: they are pinned on purpose
    assert stable_id("model", "quizgen choice") == 1826583645
    assert stable_id("deck", "Sample::Samples") == 2122106258
    assert note_guid("0123456789abcdef") == "iQ<$zTPc=J"
    path = build(tmp_path / "deck.apkg").path
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "c.anki2"
        db_path.write_bytes(archive.read("collection.anki2"))
        db = sqlite3.connect(db_path)
        try:
            assert {m for (m,) in db.execute("select distinct mod from notes")} == {T0}
            assert {m for (m,) in db.execute("select distinct mod from cards")} == {T0}
            mids = {m for (m,) in db.execute("select distinct mid from notes")}
        finally:
            db.close()
    assert mids == {stable_id("model", name) for name in NOTE_TYPES}


def test_no_temporary_files_are_left_behind(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    build(out / "deck.apkg")
    build(out / "deck.apkg")
    assert list(scratch.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["deck.apkg"]


def test_tags_with_spaces_are_sanitised(tmp_path, col):
    q = replace(sample_questions()[0], tags=("actor::united states", "year::2023", " spaced  tag "))
    import_apkg(col, build(tmp_path / "tags.apkg", [q]).path)
    assert set(col.tags.all()) == {"actor::united_states", "year::2023", "spaced_tag"}


def test_cli_rejects_unknown_kinds_with_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["anki", "--kinds", "multiple_choice,essay", "-o", str(tmp_path / "x.apkg")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "bank: questions/red_lines\n" + result.stderr.splitlines()[1] + "\n"
    assert result.stderr.splitlines()[1].startswith("error: unknown question kind 'essay'")
    assert not (tmp_path / "x.apkg").exists()


def test_cli_builds_the_shipped_bank_and_real_anki_imports_it(tmp_path, col):
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    out = tmp_path / "deck.apkg"
    result = CliRunner().invoke(cli, ["anki", "-o", str(out), "--timestamp", str(T0)])
    assert result.exit_code == 0, result.output
    generated = generate(load_bank(), seed=0)
    questions = generated.questions
    extra_cloze_cards = sum(len([p for p in q.cloze if p.hole]) - 1 for q in questions if q.kind is Kind.cloze)
    import_apkg(col, out)
    assert col.note_count() == len(questions)
    assert col.card_count() == len(questions) + extra_cloze_cards
    assert f"{len(questions)} notes" in result.output
    decks = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Red lines", "Red lines::Who decided", "Red lines::When", "Red lines::Timeline"} <= decks
    tags = set(col.tags.all())
    assert {"quizgen::red_lines", "kind::multiple_choice", "actor::joe_biden", "year::2023"} <= tags
    who = next(q for q in questions if q.template == "who_decided")
    card = note_for(col, who).cards()[0]
    assert html.escape(who.prompt, quote=False) in card.question()
    assert who.answer in _Markup(card.answer()).visible
