"""CSV and TSV: one row per question, for spreadsheets and flashcard tools.

The first two columns are the prompt and its answer, so tools that import term/definition pairs
(Quizlet-style) can take the file as it is. Lists inside a cell are joined with " | ".
CSV starts with a UTF-8 byte order mark so spreadsheet programs read non-Latin text right, and a cell
that a spreadsheet would run as a formula gets a leading apostrophe.
"""
from __future__ import annotations

import csv
import io
import re
from typing import Sequence

from ..question import BankMeta, Kind, Question
from .common import clean, cloze_prompt, source_line, with_unit

COLUMNS = ("prompt", "answer", "kind", "choices", "accepted", "explanation", "source", "id", "template",
           "group", "tags")
SEPARATOR = " | "


def skip_reason(question: Question) -> str | None:
    return None


def row(q: Question) -> dict[str, str]:
    prompt = cloze_prompt(q.cloze) if q.kind is Kind.cloze and q.cloze else q.prompt
    if q.kind is Kind.matching and q.pairs:
        answer = SEPARATOR.join(f"{pair.left} → {pair.right}" for pair in q.pairs)
    else:
        answer = SEPARATOR.join(q.answers) if isinstance(q.answer, tuple) else with_unit(q)
    values = {
        "prompt": prompt, "answer": answer, "kind": q.kind.value, "choices": SEPARATOR.join(q.choices),
        "accepted": SEPARATOR.join(q.accepted), "explanation": q.explanation, "source": source_line(q),
        "id": q.id, "template": q.template, "group": q.group, "tags": " ".join(q.tags),
    }
    return {key: spreadsheet_safe(clean(value)) for key, value in values.items()}


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: shared banks are untrusted (OWASP CSV injection)."""
    if cell[:1] not in ("=", "+", "-", "@", "\t", "\r") or _NEGATIVE_NUMBER.fullmatch(cell):
        return cell
    return f"'{cell}"


_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?(?: [^=+\-@|!]*)?")   # "-12.5 km" is data, not a formula


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
