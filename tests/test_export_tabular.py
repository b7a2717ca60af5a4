"""CSV, TSV and JSON exports, read back with the csv and json modules."""
from __future__ import annotations

import csv
import io
import json

from samples import HOSTILE, sample_meta, sample_questions
from test_export_samples import all_questions

from quizgen.export import render
from quizgen.question import Kind


def rows(fmt: str) -> list[dict[str, str]]:
    data = render(all_questions(), sample_meta(), fmt)[0]
    text = data.decode("utf-8-sig" if fmt == "csv" else "utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), dialect="excel" if fmt == "csv" else "excel-tab"))


def test_csv_has_one_row_per_question_with_prompt_and_answer_first():
    data = render(all_questions(), sample_meta(), "csv")[0]
    assert data.startswith("\ufeffprompt,answer,kind,".encode())
    table = rows("csv")
    assert [row["id"] for row in table] == [q.id for q in all_questions()]
    for q, row in zip(all_questions(), table):
        assert row["kind"] == q.kind.value
        assert row["explanation"] == q.explanation and q.source.quote in row["source"]
        if q.kind is Kind.cloze:
            assert row["prompt"] == "".join("_____" if p.hole else p.text for p in q.cloze)
            assert row["answer"] == " | ".join(p.text for p in q.cloze if p.hole)
        else:
            assert row["prompt"] == q.prompt
        if q.kind in (Kind.multiple_choice, Kind.which_first, Kind.quote, Kind.true_false, Kind.short_answer):
            assert row["answer"] == q.answer
        if q.kind in (Kind.ordering, Kind.multiple_select):
            assert row["answer"].split(" | ") == list(q.answers)
        if q.kind is Kind.matching:
            assert row["answer"].split(" | ") == [f"{p.left} → {p.right}" for p in q.pairs]
        if q.kind is Kind.numeric:
            answer = f"{q.answer} {q.unit_for(q.answer)}"     # "-12.5 km" starts with "-": guarded
            assert row["answer"] == ("'" + answer if answer.startswith("-") else answer)
        assert row["choices"] == " | ".join(q.choices) and row["accepted"] == " | ".join(q.accepted)


def test_hostile_and_special_text_survive_csv_and_tsv():
    hostile = next(q for q in sample_questions() if q.template == "hostile")
    for fmt in ("csv", "tsv"):
        row = next(row for row in rows(fmt) if row["id"] == hostile.id)
        assert row["prompt"] == hostile.prompt and row["answer"] == HOSTILE
        assert row["choices"].split(" | ")[0] == HOSTILE


def test_tsv_matches_csv_cell_for_cell_without_a_byte_order_mark():
    assert rows("tsv") == rows("csv")
    assert render(all_questions(), sample_meta(), "tsv")[0].startswith(b"prompt\tanswer\t")


def test_json_schema_answers_and_stable_bytes():
    data = render(all_questions(), sample_meta(), "json")[0]
    assert data == render(all_questions(), sample_meta(), "json")[0]
    assert data.endswith(b"}\n") and "Зеленський".encode() in data     # ensure_ascii=False
    parsed = json.loads(data)
    assert (parsed["bank"], parsed["as_of"]) == ("sample", "2024-05-31")
    assert json.dumps(parsed, sort_keys=True, ensure_ascii=False, indent=2) + "\n" == data.decode()
    for q, item in zip(all_questions(), parsed["questions"]):
        for key in ("id", "template", "kind", "prompt", "choices", "answer", "explanation", "facts", "tags"):
            assert key in item
        assert item["kind"] == q.kind.value and item["prompt"] == q.prompt
        assert item["source"]["title"] == q.source.title and item["source"]["quote"] == q.source.quote
        if q.kind in (Kind.ordering, Kind.multiple_select, Kind.cloze, Kind.matching):
            assert item["answer"] == list(q.answers)
        else:
            assert item["answer"] == q.answer
