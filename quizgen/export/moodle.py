"""Moodle XML: every kind, one category per template group, feedback and tags on each question.

Moodle reads `questiontext` and friends as HTML, so plain text is HTML-escaped first and the XML
library then escapes that again as XML text (no CDATA, no string concatenation).

Each question carries the elements Moodle's own export writes for its type (question/format/xml/format.php
and qtype_ordering's export_to_xml), empty where quizgen has nothing to say: importers fill what is
missing with defaults, and the ordering importer's defaults (hints without text) fail to save.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Sequence

from ..question import BankMeta, Kind, Question
from .common import (
    SINGLE_CHOICE,
    by_group,
    category_path,
    clean,
    distractors,
    feedback_html,
    is_true,
    not_a_number,
    one_line,
    paragraphs,
    percent,
    question_name,
    to_html,
    unit_hint,
)

QTYPES = {
    Kind.multiple_choice: "multichoice", Kind.which_first: "multichoice", Kind.quote: "multichoice",
    Kind.multiple_select: "multichoice", Kind.true_false: "truefalse", Kind.matching: "matching",
    Kind.short_answer: "shortanswer", Kind.numeric: "numerical", Kind.cloze: "cloze", Kind.ordering: "ordering",
}

# characters that end or break an answer inside a cloze {…} marker; Moodle HTML-decodes the answer,
# so numeric character references carry them through
_CLOZE_ESCAPES = str.maketrans({"}": "&#125;", "~": "&#126;", "#": "&#35;", "\\": "&#92;", "{": "&#123;"})


def skip_reason(question: Question) -> str | None:
    return not_a_number(question, "Moodle")


def render(questions: Sequence[Question], meta: BankMeta) -> bytes:
    root = ET.Element("quiz")
    for group, members in by_group(questions):
        _category(root, meta, group)
        for question in members:
            _question(root, question)
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


def _category(root: ET.Element, meta: BankMeta, group: str) -> None:
    element = ET.SubElement(root, "question", type="category")
    _text(ET.SubElement(element, "category"), category_path(meta, group))
    _html_field(element, "info", "")
    _simple(element, "idnumber", "")


def _text(parent: ET.Element, value: str) -> ET.Element:
    ET.SubElement(parent, "text").text = clean(value)
    return parent


def _html_field(parent: ET.Element, tag: str, html: str) -> ET.Element:
    return _text(ET.SubElement(parent, tag, format="html"), html)


def _simple(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _answer(parent: ET.Element, fraction: str, text: str, fmt: str = "html", feedback: bool = True) -> ET.Element:
    """An answer as Moodle's write_answer writes it: text, then (empty) feedback."""
    answer = _text(ET.SubElement(parent, "answer", fraction=fraction, format=fmt), text)
    if feedback:
        _html_field(answer, "feedback", "")
    return answer


def _combined_feedback(element: ET.Element, shownumcorrect: bool = True) -> None:
    """Moodle's write_combined_feedback: the three overall feedbacks, then <shownumcorrect/> if set."""
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _html_field(element, tag, "")
    if shownumcorrect:
        ET.SubElement(element, "shownumcorrect")


def _question(root: ET.Element, q: Question) -> None:
    element = ET.SubElement(root, "question", type=QTYPES[q.kind])
    _text(ET.SubElement(element, "name"), one_line(question_name(q)))
    text = _cloze_html(q) if q.kind is Kind.cloze else paragraphs(q.prompt, unit_hint(q))
    _html_field(element, "questiontext", text)
    _html_field(element, "generalfeedback", feedback_html(q))
    if q.kind is not Kind.cloze:
        _simple(element, "defaultgrade", "1")
    _simple(element, "penalty", "1" if q.kind is Kind.true_false else "0.3333333")
    _simple(element, "hidden", "0")
    _simple(element, "idnumber", one_line(q.id))
    if q.kind in BODIES:        # a cloze question is all in its question text
        BODIES[q.kind](element, q)
    if q.tags:
        tags = ET.SubElement(element, "tags")
        for tag in q.tags:
            _text(ET.SubElement(tags, "tag"), tag)


def _multichoice(element: ET.Element, q: Question) -> None:
    single = q.kind in SINGLE_CHOICE
    _simple(element, "single", "true" if single else "false")
    _simple(element, "shuffleanswers", "true")
    _simple(element, "answernumbering", "abc")
    _simple(element, "showstandardinstruction", "1")
    _combined_feedback(element)
    right = set(q.answers)
    share = percent(len(right))
    for choice in q.choices:
        if single:
            fraction = "100" if choice in right else "0"
        else:   # a wrong tick cancels one right tick; Moodle never goes below zero
            fraction = share if choice in right else "-" + share
        _answer(element, fraction, to_html(choice))


def _truefalse(element: ET.Element, q: Question) -> None:
    truth = is_true(q)
    _answer(element, "100" if truth else "0", "true", "moodle_auto_format")
    _answer(element, "0" if truth else "100", "false", "moodle_auto_format")


def _matching(element: ET.Element, q: Question) -> None:
    _simple(element, "shuffleanswers", "true")
    _combined_feedback(element)
    for left, right in [(pair.left, pair.right) for pair in q.pairs] + [("", extra) for extra in distractors(q)]:
        sub = _text(ET.SubElement(element, "subquestion", format="html"), to_html(left))
        _text(ET.SubElement(sub, "answer"), right)    # the drop-down side is plain text in Moodle


def _shortanswer(element: ET.Element, q: Question) -> None:
    _simple(element, "usecase", "0")
    for text in dict.fromkeys(q.answers + q.accepted):
        _answer(element, "100", _no_wildcard(text), "moodle_auto_format")


def _no_wildcard(text: str) -> str:
    """Moodle short answers treat * as a wildcard; \\* is a literal asterisk."""
    return text.replace("*", "\\*")


def _numerical(element: ET.Element, q: Question) -> None:
    answer = _answer(element, "100", str(q.answer).strip(), "moodle_auto_format")
    _simple(answer, "tolerance", "0")
    _simple(element, "unitgradingtype", "0")
    _simple(element, "unitpenalty", "0.1000000")
    _simple(element, "showunits", "3")     # no unit field: the unit is named in the question text
    _simple(element, "unitsleft", "0")
    _html_field(element, "instructions", "")


def _cloze_html(q: Question) -> str:
    """The sentence as HTML with each hole as an embedded {1:SHORTANSWER:=…} marker."""
    html = []
    for part in q.cloze:
        if part.hole:
            html.append("{1:SHORTANSWER:=" + to_html(_no_wildcard(part.text)).translate(_CLOZE_ESCAPES) + "}")
        else:
            html.append(to_html(part.text).replace("{", "&#123;"))
    return "<p>" + "".join(html) + "</p>"


def _ordering(element: ET.Element, q: Question) -> None:
    """qtype_ordering's export_to_xml; without <shownumcorrect> its importer invents hints it cannot save."""
    _simple(element, "layouttype", "VERTICAL")
    _simple(element, "selecttype", "ALL")
    _simple(element, "selectcount", str(len(q.answers)))
    _simple(element, "gradingtype", "ABSOLUTE_POSITION")
    _simple(element, "showgrading", "SHOW")
    _simple(element, "numberingstyle", "none")
    _combined_feedback(element, shownumcorrect=False)
    _simple(element, "shownumcorrect", "1")
    for position, item in enumerate(q.answers, start=1):
        _answer(element, str(position), to_html(item), feedback=False)


BODIES = {
    Kind.multiple_choice: _multichoice, Kind.which_first: _multichoice, Kind.quote: _multichoice,
    Kind.multiple_select: _multichoice, Kind.true_false: _truefalse, Kind.matching: _matching,
    Kind.short_answer: _shortanswer, Kind.numeric: _numerical, Kind.ordering: _ordering,
}
