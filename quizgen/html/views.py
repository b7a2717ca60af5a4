"""What the templates show for each question, and the key the page's script checks answers against.

Options keep their index in `Question.choices` as their value, so the key is a list of indexes that stays
right however the browser reshuffles the options on "Try again".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..question import SINGLE_CHOICE_KINDS, Kind, Question

_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

#: the instruction shown under each prompt
HINTS = {
    Kind.multiple_choice: "Choose one answer.",
    Kind.which_first: "Choose the earlier event.",
    Kind.quote: "Choose who said it.",
    Kind.true_false: "Choose True or False.",
    Kind.multiple_select: "Choose every right answer.",
    Kind.ordering: "Put the items in order, earliest first: drag them, or use the ↑ and ↓ buttons.",
    Kind.matching: "Choose the match for each item.",
    Kind.cloze: "Fill in the blanks.",
    Kind.short_answer: "Type your answer (capitals and accents do not matter).",
    Kind.numeric: "Type a number.",
}


@dataclass(frozen=True, slots=True)
class Item:
    """One question as the page shows it."""

    number: int
    question: Question
    key: dict
    answer_label: str
    answer_lines: tuple[str, ...]
    numeric_field: bool = False

    @property
    def kind(self) -> str:
        return self.question.kind.value

    @property
    def hint(self) -> str:
        return HINTS[self.question.kind]

    @property
    def control(self) -> str:
        """Which control the template draws: radio, checkbox, order, match, cloze or text."""
        kind = self.question.kind
        if kind in SINGLE_CHOICE_KINDS:
            return "radio"
        return {Kind.multiple_select: "checkbox", Kind.ordering: "order", Kind.matching: "match",
                Kind.cloze: "cloze"}.get(kind, "text")

    @property
    def holes(self) -> list[tuple[str, int]]:
        """Cloze parts as (text, blank number), blank number 0 for plain text."""
        parts, blank = [], 0
        for part in self.question.cloze:
            blank += bool(part.hole)
            parts.append((part.text, blank if part.hole else 0))
        return parts

    @property
    def blanks(self) -> int:
        return sum(1 for part in self.question.cloze if part.hole)


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def _index(question: Question, text: str) -> int:
    return question.choices.index(text)


def key_and_answer(q: Question) -> tuple[dict, str, tuple[str, ...]]:
    """The key for the script, and the answer as the feedback states it (label, lines)."""
    kind = q.kind
    if kind in SINGLE_CHOICE_KINDS:
        return {"k": kind.value, "a": _index(q, str(q.answer))}, "Answer", (str(q.answer),)
    if kind is Kind.multiple_select:
        return ({"k": kind.value, "a": sorted(_index(q, a) for a in q.answers)},
                "Answers" if len(q.answers) > 1 else "Answer", q.answers)
    if kind is Kind.ordering:
        return {"k": kind.value, "a": [_index(q, a) for a in q.answers]}, "Order", q.answers
    if kind is Kind.matching:
        return ({"k": kind.value, "a": [_index(q, p.right) for p in q.pairs]}, "Matches",
                tuple(f"{p.left} → {p.right}" for p in q.pairs))
    if kind is Kind.cloze:
        holes = [part.text for part in q.cloze if part.hole]
        return {"k": kind.value, "a": holes}, "Blanks" if len(holes) > 1 else "Blank", ("; ".join(holes),)
    if kind is Kind.numeric:
        answer = str(q.answer)
        return ({"k": kind.value, "a": answer, "n": is_number(answer)}, "Answer",
                (f"{answer} {q.unit}".strip(),))
    accepted = tuple(dict.fromkeys((str(q.answer), *q.accepted)))
    lines = (str(q.answer),) + ((f"also accepted: {', '.join(accepted[1:])}",) if len(accepted) > 1 else ())
    return {"k": kind.value, "a": list(accepted)}, "Answer", lines


def practice_items(questions: Sequence[Question]) -> list[Item]:
    items = []
    for number, q in enumerate(questions, 1):
        key, label, lines = key_and_answer(q)
        items.append(Item(number, q, key, label, lines,
                          numeric_field=q.kind is Kind.numeric and is_number(str(q.answer))))
    return items
