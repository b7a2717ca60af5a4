"""Every question of the shipped bank and of the invented second bank, exported in each format and read back."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import etree
from test_export_gift import read_gift
from test_export_moodle import QTYPE, check_answers
from test_export_qti import TYPES, assessment_of, metadata, right_answers

from quizgen.bank.loader import load_bank
from quizgen.export import render
from quizgen.generate.generator import generate
from quizgen.question import Kind


LOCKDOWN = Path(__file__).resolve().parent / "banks" / "lockdown"


@pytest.fixture(scope="module", params=["red_lines", "lockdown"])
def generated(request):
    """The shipped bank, and the invented second bank with its own vocabulary: both read back the same."""
    result = generate(load_bank(LOCKDOWN if request.param == "lockdown" else None), seed=0)
    assert {q.kind for q in result.questions} == set(Kind)
    return result


def test_moodle_xml_holds_every_question_with_its_right_answers(generated):
    data, kept, skipped = render(generated.questions, generated.meta, "moodle")
    assert not skipped
    by_id = {el.findtext("idnumber"): el for el in etree.fromstring(data).iterfind("question")}
    for q in kept:
        assert by_id[q.id].get("type") == QTYPE[q.kind]
        check_answers(by_id[q.id], q)


def test_gift_reads_back_to_the_same_prompts_and_answers(generated):
    data, kept, skipped = render(generated.questions, generated.meta, "gift")
    assert {kind for kind, _ in skipped} == {Kind.cloze, Kind.ordering}
    items = [item for item in read_gift(data.decode()) if "category" not in item]
    by_id = {item["comment"].split("[id:", 1)[1].split("]", 1)[0]: item for item in items}
    assert len(by_id) == len(kept)
    for q in kept:
        item = by_id[q.id]
        assert item["prompt"].startswith(q.prompt)
        right = item["right"]
        if q.kind is Kind.matching:
            assert [pair for pair in right if pair[0]] == [(p.left, p.right) for p in q.pairs]
        elif q.kind is Kind.true_false:
            assert right == (q.answer == q.choices[0])
        elif q.kind is Kind.numeric:
            assert right == float(q.answer)
        elif q.kind is Kind.short_answer:
            assert right == [text.replace("*", "\\*") for text in dict.fromkeys(q.answers + q.accepted)]
        else:
            assert right == list(q.answers)


def test_canvas_qti_items_score_the_right_answers(generated):
    data, kept, _ = render(generated.questions, generated.meta, "qti")
    items = assessment_of(data)[2].iterfind(".//{*}item")
    for q, item in zip(kept, items, strict=True):
        assert metadata(item)["question_type"] == TYPES[q.kind]
        expected = {Kind.matching: [(p.left, p.right) for p in q.pairs],
                    Kind.short_answer: list(dict.fromkeys(q.answers + q.accepted)),
                    Kind.numeric: [str(q.answer)] * 3}.get(q.kind, list(q.answers))
        assert right_answers(item, q.kind) == expected


def test_csv_and_json_have_one_entry_per_question(generated):
    questions = generated.questions
    rows = list(csv.DictReader(io.StringIO(render(questions, generated.meta, "csv")[0].decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == [q.id for q in questions]
    parsed = json.loads(render(questions, generated.meta, "json")[0])
    assert [item["id"] for item in parsed["questions"]] == [q.id for q in questions]
    assert parsed["bank"] == generated.meta.id
