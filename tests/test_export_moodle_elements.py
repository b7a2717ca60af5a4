"""Moodle XML holds each question to the element list Moodle's own exporter writes for its type.

The lists are read off Moodle 4.5's question/format/xml/format.php (writequestion, write_answer,
write_combined_feedback, write_hint) and qtype_ordering's questiontype.php (export_to_xml). A missing
element makes the importer invent a default; for ordering, a missing <shownumcorrect> makes it create
hints without text, which the database refuses (the import stops at the first ordering question).
Notation: "x?" optional, "x+" one or more, "x*" any number.
"""
from __future__ import annotations

import re

import pytest
from lxml import etree
from samples import sample_meta
from test_export_samples import all_questions

from quizgen.export import render
from quizgen.question import Kind

HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]
COMBINED = ["correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"]
TAIL = ["hint*", "tags?"]
QUESTION = {
    "category": ["category", "info", "idnumber"],
    "truefalse": HEAD + ["answer", "answer"] + TAIL,
    "multichoice": HEAD + ["single", "shuffleanswers", "answernumbering", "showstandardinstruction",
                           *COMBINED, "shownumcorrect?", "answer+"] + TAIL,
    "shortanswer": HEAD + ["usecase", "answer+"] + TAIL,
    "numerical": HEAD + ["answer+", "units?", "unitgradingtype", "unitpenalty", "showunits", "unitsleft",
                         "instructions"] + TAIL,
    "matching": HEAD + ["shuffleanswers", *COMBINED, "shownumcorrect?", "subquestion+"] + TAIL,
    "cloze": [tag for tag in HEAD if tag != "defaultgrade"] + TAIL,      # multianswer has no defaultgrade
    "ordering": HEAD + ["layouttype", "selecttype", "selectcount", "gradingtype", "showgrading",
                        "numberingstyle", *COMBINED, "shownumcorrect", "answer+"] + TAIL,
}
ANSWER = {"numerical": ["text", "feedback", "tolerance"], "ordering": ["text", "feedback?"]}
ANSWER_DEFAULT = ["text", "feedback"]
HINT = ["text", "shownumcorrect?", "clearwrong?", "options?"]
#: elements whose text Moodle reads with a format attribute (import_text_with_files)
FORMATTED = {"questiontext", "generalfeedback", "info", "instructions", "feedback", "subquestion", "hint",
             *COMBINED}


def matches(pattern: list[str], tags: list[str]) -> bool:
    regex = ""
    for token in pattern:
        name, mark = (token[:-1], token[-1]) if token[-1] in "?+*" else (token, "")
        regex += f"(?:{re.escape(name)} ){mark}"
    return re.fullmatch(regex, "".join(f"{tag} " for tag in tags)) is not None


def problems(root) -> list[str]:
    found = []
    for question in root.iterfind("question"):
        qtype = question.get("type")
        where = f"{qtype} {question.findtext('idnumber') or question.findtext('category/text')}"
        tags = [child.tag for child in question]
        if not matches(QUESTION[qtype], tags):
            found.append(f"{where}: {tags}")
        for answer in question.iterfind("answer"):
            children = [c.tag for c in answer]
            if not matches(ANSWER.get(qtype, ANSWER_DEFAULT), children) or not answer.get("fraction"):
                found.append(f"{where}: answer {[c.tag for c in answer]}")
        for sub in question.iterfind("subquestion"):
            if [c.tag for c in sub] != ["text", "answer"] or [c.tag for c in sub.find("answer")] != ["text"]:
                found.append(f"{where}: subquestion {[c.tag for c in sub]}")
        for hint in question.iterfind("hint"):
            if not matches(HINT, [c.tag for c in hint]):
                found.append(f"{where}: hint {[c.tag for c in hint]}")
        for element in question.iter(*FORMATTED):
            if element.get("format") is None or element.find("text") is None:
                found.append(f"{where}: <{element.tag}> without format or text")
    return found


def test_the_matcher_can_fail():
    assert matches(QUESTION["ordering"], QUESTION["ordering"][:-3] + ["answer", "answer", "tags"])
    missing = [tag for tag in QUESTION["ordering"] if tag != "shownumcorrect"][:-3] + ["answer"]
    assert not matches(QUESTION["ordering"], missing)
    assert not matches(QUESTION["truefalse"], HEAD + ["answer"])


def test_every_sample_question_type_has_moodles_element_list():
    root = etree.fromstring(render(all_questions(), sample_meta(), "moodle")[0])
    assert {q.get("type") for q in root.iterfind("question")} == set(QUESTION)
    assert problems(root) == []


def test_every_shipped_question_has_moodles_element_list(shipped):
    root = etree.fromstring(render(shipped.questions, shipped.meta, "moodle")[0])
    assert {q.get("type") for q in root.iterfind("question")} == set(QUESTION)
    assert problems(root) == []


def test_ordering_says_shownumcorrect_so_moodle_invents_no_empty_hints(shipped):
    root = etree.fromstring(render(shipped.questions, shipped.meta, "moodle")[0])
    orderings = root.findall("question[@type='ordering']")
    assert orderings and len(orderings) == sum(q.kind is Kind.ordering for q in shipped.questions)
    for question in orderings:
        assert question.findtext("shownumcorrect") == "1"
        assert int(question.findtext("selectcount")) == len(question.findall("answer")) >= 2
        assert [a.get("fraction") for a in question.iterfind("answer")] == [
            str(n) for n in range(1, len(question.findall("answer")) + 1)]


@pytest.fixture(scope="module")
def shipped():
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    return generate(load_bank(), seed=0)
