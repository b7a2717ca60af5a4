"""CSV and TSV: one row per question, for spreadsheets and flashcard tools.

The first two columns are the prompt and its answer, so tools that import term/definition pairs
(Quizlet-style) can take the file as it is. Lists inside a cell are joined with " | ".
CSV starts with a UTF-8 byte order mark so Excel reads non-Latin text right (LibreOffice asks), and a
cell that a spreadsheet could evaluate gets a leading apostrophe (see cells.py). Spreadsheet users get
typed text without either problem from the xlsx export.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from ..question import BankMeta, Kind, Question
from .cells import formula_safe
from .common import clean, cloze_prompt, source_line, with_unit

COLUMNS = ("prompt", "answer", "kind", "choices", "accepted", "explanation", "source", "id", "template",
           "group", "tags")
SEPARATOR = " | "


def skip_reason(question: Question) -> str | None:
    return None


def values(q: Question) -> dict[str, str]:
    """The row's cells as plain text, before any spreadsheet guard (the xlsx export types them as text)."""
    prompt = cloze_prompt(q.cloze) if q.kind is Kind.cloze and q.cloze else q.prompt
    if q.kind is Kind.matching and q.pairs:
        answer = SEPARATOR.join(f"{pair.left} → {pair.right}" for pair in q.pairs)
    else:
        answer = SEPARATOR.join(q.answers) if isinstance(q.answer, tuple) else with_unit(q)
    cells = {
        "prompt": prompt, "answer": answer, "kind": q.kind.value, "choices": SEPARATOR.join(q.choices),
        "accepted": SEPARATOR.join(q.accepted), "explanation": q.explanation, "source": source_line(q),
        "id": q.id, "template": q.template, "group": q.group, "tags": " ".join(q.tags),
    }
    return {key: clean(value) for key, value in cells.items()}


def row(q: Question) -> dict[str, str]:
    return {key: formula_safe(value) for key, value in values(q).items()}


def _table(questions: Sequence[Question], dialect: str) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, dialect=dialect, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row(q) for q in questions)
    return buffer.getvalue()


def render_csv(questions: Sequence[Question], meta: BankMeta) -> bytes:
    return _table(questions, "excel").encode("utf-8-sig")


def render_tsv(questions: Sequence[Question], meta: BankMeta) -> bytes:
    return _table(questions, "excel-tab").encode("utf-8")
