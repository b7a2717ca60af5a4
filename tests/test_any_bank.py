"""Any timeline bank, not only red lines: the invented second bank (its own vocabulary) builds every output,
and its questions pass the same checks as the shipped bank's: answers true, wrong options false, precision kept."""
from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from quizgen.bank.loader import load_bank
from quizgen.cli import cli
from quizgen.generate.distractors import Truth
from quizgen.generate.generator import generate
from quizgen.question import Kind

LOCKDOWN = Path(__file__).resolve().parent / "banks" / "lockdown"
MONTH = "(January|February|March|April|May|June|July|August|September|October|November|December)"
LABEL_SHAPES = {"day": rf"\d{{1,2}} {MONTH} \d{{4}}", "month": rf"{MONTH} \d{{4}}",
                "part_of_month": rf"(early|mid|late) {MONTH} \d{{4}}", "part_of_year": r"(early|mid|late) \d{4}",
                "season": r"(spring|summer|autumn) \d{4}", "year": r"\d{4}"}
DAY_LABEL = re.compile(rf"\b\d{{1,2}} {MONTH} \d{{4}}\b")


class Checked:
    """One bank, its questions and its truth index."""

    def __init__(self, path: Path | None):
        self.bank = load_bank(path)
        self.questions = generate(self.bank, seed=0).questions
        self.truth = Truth(self.bank)
        self.id_by_name = {e.name: e.id for e in self.bank.entities.values()}

    def of(self, template: str) -> list:
        return [q for q in self.questions if q.template == template]


@pytest.fixture(scope="module", params=["red_lines", "lockdown"])
def checked(request) -> Checked:
    return Checked(LOCKDOWN if request.param == "lockdown" else None)


def test_the_second_bank_is_invented_and_says_so():
    bank = load_bank(LOCKDOWN)
    assert "invented" in bank.info.title and "invented" in bank.info.description
    assert (LOCKDOWN / "source.txt").read_text(encoding="utf-8").startswith("INVENTED")
    red_lines = load_bank()
    assert not set(bank.vocabulary.actions) & set(red_lines.vocabulary.actions) - {"refused", "warned"}
    assert bank.vocabulary.words.restriction != red_lines.vocabulary.words.restriction


def test_every_kind_from_the_shared_templates(checked):
    assert {q.kind for q in checked.questions} == set(Kind)
    assert len({q.id for q in checked.questions}) == len(checked.questions)


def test_structure_and_no_date_more_precise_than_its_facts(checked):
    bank = checked.bank
    for q in checked.questions:
        assert len(set(q.choices)) == len(q.choices) and q.prompt and q.explanation and q.source.quote
        if q.kind in (Kind.multiple_choice, Kind.which_first, Kind.quote, Kind.true_false):
            assert q.answer in q.choices
        if q.kind is Kind.multiple_select:
            assert 0 < len(q.answers) < len(q.choices) and set(q.answers) <= set(q.choices)
        facts = [bank.events.get(f) or bank.quotes.get(f) for f in q.facts]
        day_level = any(f is not None and f.date.precision.value == "day" for f in facts)
        for text in (q.prompt, *q.choices, *q.answers):
            if DAY_LABEL.search(text.replace(f"as of {bank.info.as_of.label}", "")):
                assert day_level, (q.id, text)


def test_order_answers_follow_the_dates(checked):
    events = checked.bank.events
    for q in checked.of("order_decisions"):
        ordered = [events[f] for f in q.facts]
        assert all(a.date.before(b.date) for a, b in zip(ordered, ordered[1:]))
        assert list(q.answers) == [e.summary for e in ordered]
    for q in checked.of("which_first"):
        first, second = (events[f] for f in q.facts)
        assert first.date.before(second.date) and q.answer == first.summary


def test_who_answers_are_true_and_wrong_options_false(checked):
    bank, truth, ids = checked.bank, checked.truth, checked.id_by_name
    asked = checked.of("who_decided") + checked.of("who_said")
    assert asked
    for q in asked:
        event = bank.events[q.facts[0]]
        assert ids[q.answer] in event.actors
        for wrong in set(q.choices) - {q.answer}:
            assert ids[wrong] not in truth.true_actors(event), (q.prompt, wrong)
            assert bank.entities[ids[wrong]].kind == bank.entities[ids[q.answer]].kind
    for q in checked.of("match_decider"):
        events = [bank.events[f] for f in q.facts]
        for i, (pair, event) in enumerate(zip(q.pairs, events)):
            assert ids[pair.right] == event.actors[0]
            assert all(ids[other.right] not in truth.true_actors(event) for j, other in enumerate(q.pairs) if j != i)


def test_dates_keep_their_precision_and_wrong_dates_are_false(checked):
    for q in checked.of("when"):
        event = checked.bank.events[q.facts[0]]
        assert q.answer == event.date.label and q.answer not in q.prompt
        for choice in q.choices:
            assert re.fullmatch(LABEL_SHAPES[event.date.precision.value], choice), choice
        assert not (set(q.choices) - {q.answer}) & checked.truth.true_dates(event)
    for q in checked.of("true_false_when"):
        event = checked.bank.events[q.facts[0]]
        assert (event.date.label in q.prompt) == (q.answer == "True"), q.prompt


def test_true_false_who_swaps_make_false_statements(checked):
    summaries = {e.summary for e in checked.bank.events.values()}
    for q in checked.of("true_false_who"):
        event = checked.bank.events[q.facts[0]]
        if q.answer == "True":
            assert event.summary in q.prompt
        else:
            assert not any(s in q.prompt for s in summaries), q.prompt


def test_quotes_numbers_and_cloze(checked):
    bank = checked.bank
    for q in checked.of("who_said_quote"):
        quote = bank.quotes[q.facts[0]]
        assert q.answer == bank.name(quote.speaker) and quote.text in q.prompt
    for q in checked.of("numbers"):
        number = bank.numbers[q.facts[0]]
        assert float(q.answer) == number.value and q.unit == number.unit
    for q in checked.of("months_between"):
        first, second = (bank.events[f] for f in q.facts)
        months = (second.date.start.year - first.date.start.year) * 12 + second.date.start.month - first.date.start.month
        assert q.answer == str(months) and months >= 1
    for q in checked.of("cloze_decisions"):
        assert [p.text for p in q.cloze if p.hole][0] == bank.events[q.facts[0]].date.label


def test_in_force_questions_read_the_status_meaning_from_the_bank():
    checked = Checked(LOCKDOWN)
    by_name = {r.name: r for r in checked.bank.restrictions.values()}
    asked = checked.of("in_force_as_of")
    assert asked
    for q in asked:
        assert q.prompt == "Which of these lockdown rules were still in force as of 12 June 2020?"
        assert set(q.answers) == {c for c in q.choices
                                  if checked.bank.vocabulary.status_class(by_name[c].status) == "holds"}
        assert "Closing the ferry terminal" not in q.choices      # "under review": neither in force nor ended


def _invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_the_second_bank_builds_every_output(tmp_path):
    out = tmp_path / "out"
    result = _invoke("build", "--bank", str(LOCKDOWN), "--out", str(out), "--timestamp", "1717200000")
    assert result.stderr.splitlines()[0].startswith("bank: ") and "banks/lockdown" in result.stderr.splitlines()[0]
    stem = "vellhaven_lockdown"
    names = {f"{stem}.apkg", f"{stem}-quiz.pdf", f"{stem}-answer-sheets.pdf", f"{stem}-answer-key.pdf",
             f"{stem}-answer-key.json", f"{stem}-timeline.pdf", f"{stem}-practice.html"}
    assert {p.name for p in out.iterdir()} == names
    questions = generate(load_bank(LOCKDOWN), seed=0).questions
    with zipfile.ZipFile(out / f"{stem}.apkg") as archive:
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        (notes,) = db.execute("select count(*) from notes").fetchone()
    finally:
        db.close()
    assert notes == len(questions)
    quiz_text = "".join(p.extract_text() for p in PdfReader(out / f"{stem}-quiz.pdf").pages)
    assert all(f"Version {v}" in quiz_text for v in "ABCD")
    key = json.loads((out / f"{stem}-answer-key.json").read_text(encoding="utf-8"))
    assert key["bank"] == stem
    assert len(PdfReader(out / f"{stem}-answer-sheets.pdf").pages) == 4
    timeline = " ".join(PdfReader(out / f"{stem}-timeline.pdf").pages[0].extract_text().split())
    assert "Lockdown rules: each change with its date and who decided" in timeline
    assert "red line" not in timeline.lower()
    for event in load_bank(LOCKDOWN).events.values():
        if event.effect != "none" and not event.date_inferred:
            assert event.date.label in timeline, event.id
    for fmt, ext in [("moodle", "xml"), ("gift", "gift"), ("qti", "zip"), ("csv", "csv"), ("tsv", "tsv"),
                     ("json", "json")]:
        path = tmp_path / f"export.{ext}"
        _invoke("export", "--bank", str(LOCKDOWN), "--format", fmt, "-o", str(path))
        assert path.stat().st_size > 1000, fmt
    exported = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert {q["id"] for q in exported["questions"]} == {q.id for q in questions}


def test_a_bank_with_nothing_to_draw_gets_no_handout_and_a_line_saying_why(tmp_path):
    bank = tmp_path / "bank"
    _invoke("new", str(bank))
    events = bank / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("    effect: imposed", ""), encoding="utf-8")
    result = _invoke("pdf", "--bank", str(bank), "--timeline", "-o", str(tmp_path / "x-quiz.pdf"))
    assert not (tmp_path / "x-timeline.pdf").exists()
    assert "no timeline handout: no event in this bank changes a rule on a date the source gives" in result.stderr
    assert (tmp_path / "x-quiz.pdf").exists()


def test_timeline_command_speaks_the_banks_words():
    table = _invoke("timeline", "--bank", str(LOCKDOWN), "--as-of").stdout
    assert table.startswith("Lockdown rules as of 12 June 2020")
    assert "still in effect" in table and "under review" in table
    rows = json.loads(_invoke("timeline", "--bank", str(LOCKDOWN), "--format", "json").stdout)
    lifted = next(r for r in rows if r["id"] == "council_lifts_gathering_ban")
    assert (lifted["action"], lifted["effect"], lifted["date_label"]) == ("lifted", "ended", "9 June 2020")


def test_handout_pdf_text(tmp_path):
    meta = generate(load_bank(LOCKDOWN)).meta
    from quizgen.pdf import timeline_pdf

    text = " ".join(PdfReader(io.BytesIO(timeline_pdf(meta).data)).pages[0].extract_text().split())
    assert "lockdown rules not lifted as of 12 June 2020" in text
    assert "facts as of 12 June 2020" in text and "the bank's date" not in text
    for word in ("imposed", "extended", "eased", "ended"):
        assert word in text
