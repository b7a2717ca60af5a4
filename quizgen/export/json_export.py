"""JSON: every question with all its fields, for scripts and other tools (byte-identical per input)."""
from __future__ import annotations

import json
from typing import Sequence

from ..question import BankMeta, Question


def skip_reason(question: Question) -> str | None:
    return None


def render(questions: Sequence[Question], meta: BankMeta) -> bytes:
    data = {"bank": meta.id, "title": meta.title, "as_of": meta.as_of,
            "questions": [question.to_dict() for question in questions]}
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
