"""Canvas QTI read the way Canvas's importer reads ids: the first run of digits in each ident.

Canvas's QTI conversion (qti_exporter, get_canvas_matches and the choice converters) does
`ident =~ /(\\d+)/` and uses that number as the answer or match id; two idents with the same first digit
run become one answer, and every matching item then points at the first option's text. These tests
apply that rule to every item and check that every right answer and every pair survives it.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from samples import SOURCE, sample_meta
from test_export_qti import NS, assessment_of, shown

from quizgen.export import render
from quizgen.question import Kind, Pair, Question, stable_id

FIRST_DIGITS = re.compile(r"(\d+)")


def canvas_id(ident: str) -> int | None:
    found = FIRST_DIGITS.search(ident)
    return int(found.group(1)) if found else None


def canvas_reading(item) -> dict:
    """What Canvas keeps of an item: {"ids_unique": bool, "right": [...], "pairs": [(left, right)]}."""
    options: list[tuple[int | None, str]] = []      # (canvas id, text) in document order, each ident once
    seen = set()
    for label in item.iterfind(".//q:response_label", NS):
        if label.get("ident") not in seen and label.find("q:material", NS) is not None:
            seen.add(label.get("ident"))
            options.append((canvas_id(label.get("ident")), shown(label.find("q:material/q:mattext", NS))))
    responses = [r.get("ident") for r in item.iterfind("q:presentation/q:response_lid", NS)]
    ids = [number for number, _ in options] + [canvas_id(r) for r in responses if len(responses) > 1]
    unique = None not in ids and len(set(ids)) == len(ids)

    def text_of(ident: str) -> str:     # Canvas's find: the first option with that id wins
        return next(text for number, text in options if number == canvas_id(ident))

    tests = [(v.get("respident"), v.text) for c in item.iterfind("q:resprocessing/q:respcondition", NS)
             if c.find("q:setvar", NS) is not None
             for v in c.iterfind(".//q:varequal", NS) if not _negated(v, c)]
    if len(responses) > 1:    # matching: one response_lid per left item
        lefts = {r.get("ident"): shown(r.find("q:material/q:mattext", NS))
                 for r in item.iterfind("q:presentation/q:response_lid", NS)}
        return {"ids_unique": unique, "pairs": [(lefts[left], text_of(ident)) for left, ident in tests]}
    return {"ids_unique": unique, "right": sorted(text_of(ident) for _, ident in tests)}


def _negated(element, stop) -> bool:
    parents = {child: parent for parent in stop.iter() for child in parent}
    while element is not stop:
        element = parents[element]
        if element.tag == f"{{{NS['q']}}}not":
            return True
    return False


def check_items(questions: list[Question], meta) -> int:
    data, kept, _ = render(questions, meta, "qti")
    _, _, assessment = assessment_of(data)
    items = {item.get("ident").removeprefix("quizgen_question_"): item
             for item in assessment.iterfind(".//q:item", NS)}
    checked = 0
    for q in kept:
        if q.kind in (Kind.short_answer, Kind.numeric):
            continue
        reading = canvas_reading(items[q.id])
        assert reading["ids_unique"], q.id
        if q.kind is Kind.matching:
            assert reading["pairs"] == [(p.left, p.right) for p in q.pairs], q.id
        else:
            assert reading["right"] == sorted(q.answers), q.id
        checked += 1
    return checked


def test_the_rule_catches_shared_digit_runs():
    from lxml import etree

    item = etree.fromstring(
        f'<item xmlns="{NS["q"]}"><presentation>'
        + "".join(f'<response_lid ident="response_{n}"><material><mattext texttype="text/plain">L{n}</mattext>'
                  f'</material><render_choice>'
                  + "".join(f'<response_label ident="quizgen_match_ab12_{k}"><material>'
                            f'<mattext texttype="text/plain">R{k}</mattext></material></response_label>'
                            for k in (0, 1))
                  + "</render_choice></response_lid>" for n in (7, 8))
        + '</presentation><resprocessing>'
        + "".join(f'<respcondition><conditionvar><varequal respident="response_{n}">quizgen_match_ab12_{k}'
                  f'</varequal></conditionvar><setvar>50</setvar></respcondition>' for n, k in ((7, 0), (8, 1)))
        + "</resprocessing></item>")
    reading = canvas_reading(item)
    assert not reading["ids_unique"] and reading["pairs"] == [("L7", "R0"), ("L8", "R0")]


def test_every_shipped_matching_and_choice_question_survives_canvas_ids(shipped):
    checked = check_items(shipped.questions, shipped.meta)
    matching = sum(q.kind is Kind.matching for q in shipped.questions)
    assert matching >= 1 and checked > matching


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12).map(
    lambda t: t.strip() or "x")


@st.composite
def generated_questions(draw) -> list[Question]:
    lefts = draw(st.lists(_text, min_size=2, max_size=8, unique=True))
    rights = draw(st.lists(_text, min_size=len(lefts), max_size=len(lefts) + 3, unique=True))
    pairs = tuple(Pair(left, right) for left, right in zip(lefts, rights))
    choices = draw(st.lists(_text, min_size=2, max_size=7, unique=True))
    ticked = tuple(draw(st.lists(st.sampled_from(choices), min_size=1, unique=True)))
    seed = draw(st.integers(0, 10**6))

    def make(kind: Kind, **kw) -> Question:
        return Question(id=stable_id("hyp", kind.value, (str(seed),)), bank="hyp", template=kind.value,
                        group="g", kind=kind, prompt="Which?", source=SOURCE, **kw)

    return [make(Kind.matching, answer=("x",), pairs=pairs, choices=tuple(rights)),
            make(Kind.multiple_choice, answer=choices[-1], choices=tuple(choices)),
            make(Kind.multiple_select, answer=ticked, choices=tuple(choices))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_questions())
def test_generated_questions_survive_canvas_ids(questions):
    assert check_items(questions, sample_meta()) == 3


@pytest.fixture(scope="module")
def shipped():
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    return generate(load_bank(), seed=0)
