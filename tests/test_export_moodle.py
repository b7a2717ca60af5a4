"""Moodle XML export, read back with lxml the way Moodle reads it."""
from __future__ import annotations

import html
import re

import pytest
from lxml import etree
from lxml import html as lxml_html
from samples import HOSTILE, sample_meta, sample_questions
from test_export_samples import all_questions, special_questions

from quizgen.export import render
from quizgen.question import Kind, Question

QTYPE = {Kind.multiple_choice: "multichoice", Kind.which_first: "multichoice", Kind.quote: "multichoice",
         Kind.multiple_select: "multichoice", Kind.true_false: "truefalse", Kind.matching: "matching",
         Kind.short_answer: "shortanswer", Kind.numeric: "numerical", Kind.cloze: "cloze",
         Kind.ordering: "ordering"}

# Moodle's own cloze answer pattern (qtype_multianswer): an answer ends at an unescaped ~ # or },
# is HTML-decoded, then \} and \# are unescaped
CLOZE_MARKER = re.compile(r"\{1:SHORTANSWER:=(.+?)(?<!\\)(?<!&)(?<!&amp;)\}", re.S)


def html_text(fragment: str) -> str:
    """What a browser shows for an HTML fragment."""
    return lxml_html.fragment_fromstring(fragment, create_parent="div").text_content() if fragment else ""


def moodle_cloze_answer(raw: str) -> str:
    return html.unescape(raw).replace("\\}", "}").replace("\\#", "#")


@pytest.fixture(scope="module")
def parsed():
    data, kept, skipped = render(all_questions(), sample_meta(), "moodle")
    assert not skipped and len(kept) == len(all_questions())
    root = etree.fromstring(data)
    by_id = {el.findtext("idnumber"): el for el in root.iterfind("question") if el.get("type") != "category"}
    return root, by_id


def answers(element) -> list[tuple[float, str]]:
    return [(float(a.get("fraction")), a.findtext("text") or "") for a in element.iterfind("answer")]


def right_texts(element) -> list[str]:
    return [html_text(text) for fraction, text in answers(element) if fraction > 0]


def check_answers(element, q: Question) -> None:
    kind = q.kind
    if kind in (Kind.multiple_choice, Kind.which_first, Kind.quote):
        assert element.findtext("single") == "true"
        assert right_texts(element) == [q.answer]
        assert [html_text(text) for _, text in answers(element)] == list(q.choices)
    elif kind is Kind.multiple_select:
        assert element.findtext("single") == "false"
        assert right_texts(element) == list(q.answers)
        assert sum(f for f, _ in answers(element) if f > 0) == pytest.approx(100, abs=0.001)
        assert all(f < 0 for f, text in answers(element) if html_text(text) not in q.answers)
    elif kind is Kind.true_false:
        assert [text for f, text in answers(element) if f == 100] == [str(q.answer).lower()]
    elif kind is Kind.ordering:
        ranked = sorted(answers(element))
        assert [f for f, _ in ranked] == list(range(1, len(q.answers) + 1))
        assert [html_text(text) for _, text in ranked] == list(q.answers)
    elif kind is Kind.matching:
        subs = [(html_text(sub.findtext("text") or ""), sub.findtext("answer/text"))
                for sub in element.iterfind("subquestion")]
        assert [s for s in subs if s[0]] == [(p.left, p.right) for p in q.pairs]
        assert sorted(right for _, right in subs) == sorted(q.choices)
    elif kind is Kind.short_answer:
        assert [text for f, text in answers(element) if f == 100] == list(dict.fromkeys(q.answers + q.accepted))
    elif kind is Kind.numeric:
        (answer,) = element.iterfind("answer")
        assert float(answer.findtext("text")) == float(q.answer) and answer.findtext("tolerance") == "0"
    elif kind is Kind.cloze:
        text = element.findtext("questiontext/text")
        holes = [moodle_cloze_answer(m.group(1)) for m in CLOZE_MARKER.finditer(text)]
        assert holes == [part.text.replace("*", "\\*") for part in q.cloze if part.hole]
        shown = CLOZE_MARKER.sub(lambda m: html.escape(moodle_cloze_answer(m.group(1)).replace("\\*", "*")), text)
        assert html_text(shown) == "".join(part.text for part in q.cloze)


@pytest.mark.parametrize("q", all_questions(), ids=lambda q: q.template)
def test_each_question_reads_back_with_its_type_text_answers_and_feedback(parsed, q):
    _, by_id = parsed
    element = by_id[q.id]
    assert element.get("type") == QTYPE[q.kind]
    if q.kind is not Kind.cloze:
        assert html_text(element.findtext("questiontext/text")).startswith(q.prompt)
    feedback = html_text(element.findtext("generalfeedback/text"))
    assert q.explanation in feedback and q.source.quote in feedback
    assert [t.text for t in element.iterfind("tags/tag/text")] == list(q.tags)
    assert element.find("questiontext").get("format") == "html"
    check_answers(element, q)


def test_hostile_text_is_escaped_twice_and_round_trips(parsed):
    root, by_id = parsed
    hostile = next(q for q in sample_questions() if q.template == "hostile")
    element = by_id[hostile.id]
    raw = element.findtext("questiontext/text")
    assert "<script>" not in raw and "&lt;script&gt;" in raw   # HTML-escaped inside the XML text
    assert html_text(raw) == hostile.prompt
    assert right_texts(element) == [HOSTILE]
    assert b"&amp;lt;script&amp;gt;" in etree.tostring(element)  # and XML-escaped again in the file


def test_numeric_question_names_its_unit_when_the_prompt_does_not(parsed):
    _, by_id = parsed
    numeric = next(q for q in special_questions() if q.kind is Kind.numeric)
    assert html_text(by_id[numeric.id].findtext("questiontext/text")).endswith("(in km)")


def test_one_category_per_group_before_its_questions(parsed):
    root, _ = parsed
    sequence = [(el.get("type"), el.findtext("category/text")) for el in root.iterfind("question")]
    categories = [path for qtype, path in sequence if qtype == "category"]
    assert categories == ["$course$/top/Sample bank: red lines/Samples",
                          "$course$/top/Sample bank: red lines/Specials // odd"]
    assert sequence[0][0] == "category" and sequence[1 + len(sample_questions())][0] == "category"


def test_output_is_byte_identical_for_the_same_input():
    first = render(all_questions(), sample_meta(), "moodle")[0]
    assert first == render(all_questions(), sample_meta(), "moodle")[0]
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
