"""xlsx export read back with openpyxl and, where LibreOffice is installed, opened and saved by it.

The point of the format: text stays text. From CSV, spreadsheets turn "True" into a boolean, "February
2022" into a date and "=..." into a formula; here every cell must come back as the same string.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from samples import sample_meta, sample_questions
from test_export_samples import all_questions

from quizgen.export import render
from quizgen.export.csv_export import COLUMNS, values
from quizgen.question import Kind

TRICKY = ["True", "FALSE", "February 2022", "2022-02-24", "1/2", "007", "1e5", "=1+1", "=HYPERLINK(\"x\")",
          "-1 *IMPORTDATA(\"http://x\")", "+1", "@SUM(A1)", "\tTab", "50%", "  spaced  ", "line\nbreak"]


def tricky_questions():
    base = next(q for q in sample_questions() if q.kind is Kind.multiple_choice)
    return [replace(base, id=f"tricky{i}", prompt=text, answer=text, choices=(text, "other"), explanation=text,
                    group=text) for i, text in enumerate(TRICKY)]


def questions():
    return all_questions() + tricky_questions()


def rows_of(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def check_text_cells(data: bytes, kept) -> None:
    rows = rows_of(data)
    assert [c.value for c in rows[0]] == list(COLUMNS)
    assert len(rows) == len(kept) + 1
    for q, row in zip(kept, rows[1:]):
        expected = values(q)
        for name, cell in zip(COLUMNS, row):
            if expected[name]:
                assert cell.data_type == "s" and cell.value == expected[name], (name, q.id, cell.value)
            else:
                assert cell.value is None, (name, q.id, cell.value)


def test_every_cell_is_a_string_with_the_exact_text():
    data, kept, skipped = render(questions(), sample_meta(), "xlsx")
    assert not skipped
    check_text_cells(data, kept)


def test_every_shipped_question_round_trips_as_text():
    from quizgen.bank.loader import load_bank
    from quizgen.generate.generator import generate

    shipped = generate(load_bank(), seed=0)
    data, kept, _ = render(shipped.questions, shipped.meta, "xlsx")
    assert len(kept) == len(shipped.questions) > 150
    check_text_cells(data, kept)
    answers = [row[1].value for row in rows_of(data)[1:]]
    true_false = sum(q.kind is Kind.true_false for q in kept)
    assert true_false > 20 and answers.count("True") + answers.count("False") == true_false
    assert "February 2022" in answers


def test_header_is_bold_and_frozen_columns_sized_long_text_wrapped():
    sheet = load_workbook(io.BytesIO(render(questions(), sample_meta(), "xlsx")[0])).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["A"].width == 60 and sheet.column_dimensions["C"].width == 16
    assert sheet["A2"].alignment.wrap_text and not sheet["C2"].alignment.wrap_text


def test_same_input_gives_the_same_bytes():
    assert render(questions(), sample_meta(), "xlsx")[0] == render(questions(), sample_meta(), "xlsx")[0]


def test_a_cell_over_excels_limit_is_skipped_with_a_reason():
    base = sample_questions()[0]
    data, kept, skipped = render([base, replace(base, id="long", explanation="x" * 40000)], sample_meta(), "xlsx")
    assert [q.id for q in kept] == [base.id]
    assert skipped == {(Kind.multiple_choice, "a cell would be longer than Excel's 32,767 characters"): 1}


def libreoffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice is not installed")
    return found


def test_libreoffice_opens_and_saves_it_with_every_cell_still_text(tmp_path: Path):
    office = libreoffice()
    data, kept, _ = render(questions(), sample_meta(), "xlsx")
    source = tmp_path / "in" / "quiz.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    out = tmp_path / "out"
    done = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                           "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    converted = out / "quiz.xlsx"
    assert converted.exists(), done.stdout + done.stderr
    check_text_cells(converted.read_bytes(), kept)
