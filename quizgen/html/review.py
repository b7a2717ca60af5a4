"""The review page for authors: every question with its answer, facts, template and the review's flags,
filterable by template and kind in the browser (`quizgen preview --html`)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from ..question import BankMeta, Question
from .page import render, source_line
from .views import key_and_answer

#: question id -> the review's flags for it, each (rule name, message) or a plain message
Flags = Mapping[str, Sequence[tuple[str, str] | str]]


@dataclass(frozen=True, slots=True)
class ReviewItem:
    number: int
    question: Question
    answer_label: str
    answer_lines: tuple[str, ...]
    flags: tuple[tuple[str, str], ...]


def _flags(found: Sequence[tuple[str, str] | str]) -> tuple[tuple[str, str], ...]:
    return tuple(("", flag) if isinstance(flag, str) else (str(flag[0]), str(flag[1])) for flag in found)


def render_review(meta: BankMeta, questions: Sequence[Question], flags: Flags | None = None,
                  title: str | None = None) -> str:
    """One page with every question; `flags` (from the question review) default to none."""
    flags = flags or {}
    items = []
    for number, q in enumerate(questions, 1):
        _, label, lines = key_and_answer(q)
        items.append(ReviewItem(number, q, label, lines, _flags(flags.get(q.id, ()))))
    templates = sorted(Counter(q.template for q in questions).items())
    kinds = sorted(Counter(q.kind for q in questions).items(), key=lambda kn: kn[0].value)
    return render("review.html.j2", ["base.css", "review.css"], "review.js", meta=meta,
                  title=title or f"Review: {meta.title or meta.id}", items=items, templates=templates, kinds=kinds,
                  flagged=sum(1 for item in items if item.flags), source=source_line(meta),
                  lang=meta.language or "en")
