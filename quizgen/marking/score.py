"""What a read sheet says: the student number, each answer, the score, and what a person must check.

Scoring: a single-choice question (multiple choice, true/false, which came first, quote) earns 1 point
when exactly the right bubble is filled; a multiple-select question earns 1 point when exactly the right
set of boxes is filled (no partial credit). Blank earns 0. An unclear question earns nothing and is listed
for a person to check, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..classset.answer_key import KeyVersion
from ..classset.sheet_layout import SheetLayout
from .bubbles import Reader, State, state_of

UNCLEAR = "?"


@dataclass
class SheetResult:
    file: str
    page: int
    version: str = ""
    student: str = ""
    score: int | None = None
    max_score: int | None = None
    answers: dict[int, str] = field(default_factory=dict)   # question number -> letters read, "" blank, "?"
    problems: list[str] = field(default_factory=list)
    readable: bool = True

    @property
    def status(self) -> str:
        if not self.readable:
            return "unreadable"
        return "check" if self.problems else "ok"


def _letters(labels: list[str], states: list[State]) -> str:
    return "".join(label for label, s in zip(labels, states) if s is State.filled)


def read_answer(labels: list[str], fills: list[float], multiple: bool) -> tuple[str, str]:
    """(letters read or "?", problem or "") for one row of bubbles."""
    states = [state_of(f) for f in fills]
    unclear = [label for label, s in zip(labels, states) if s is State.unclear]
    if unclear:
        return UNCLEAR, f"unclear mark on {', '.join(unclear)}"
    letters = _letters(labels, states)
    if len(letters) > 1 and not multiple:
        return UNCLEAR, f"{', '.join(letters)} all filled (one answer expected)"
    return letters, ""


def read_student(reader: Reader, layout: SheetLayout) -> tuple[str, list[str]]:
    """The student number, "?" for each digit that cannot be read; problems for a person to check."""
    digits, problems = [], []
    for position, column in enumerate(layout.digits, 1):
        labels = [b.label for b in column]
        value, problem = read_answer(labels, reader.fills(column), multiple=False)
        if problem:
            problems.append(f"student number digit {position}: {problem}")
        digits.append(value or " ")
    number = "".join(digits).strip()
    if not number:
        problems.append("no student number filled in")
    elif " " in number:
        problems.append("student number has an empty column between digits")
    return number.replace(" ", UNCLEAR), problems


def score_sheet(result: SheetResult, reader: Reader, layout: SheetLayout, version: KeyVersion) -> None:
    """Read every bubble row of the sheet into `result` and add up the score."""
    result.student, problems = read_student(reader, layout)
    result.problems.extend(problems)
    right = {q.number: q for q in version.on_sheet}
    score = 0
    for row in layout.rows:
        question = right[row.number]
        value, problem = read_answer([b.label for b in row.bubbles], reader.fills(row.bubbles), row.multiple)
        result.answers[row.number] = value
        if problem:
            result.problems.append(f"question {row.number}: {problem}")
        elif value and sorted(value) == list(question.right):
            score += 1
    result.score, result.max_score = score, len(layout.rows)
