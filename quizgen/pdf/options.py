"""What `quizgen pdf` prints, and choosing its versions: all a process that only generates and chooses needs of
the PDF side (no reportlab, no layout), so that it can start before the layout modules are imported."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..classset.selection import ClassSet, choose_class_set
from ..question import Kind, Question, parse_kinds, split_names


@dataclass(frozen=True)
class PdfOptions:
    """What to print. `questions=None` means DEFAULT_QUESTIONS, or the whole pool when it is smaller."""

    questions: int | None = None
    kinds: tuple[Kind | str, ...] | None = None
    templates: tuple[str, ...] | None = None
    versions: int = 1
    seed: int = 0
    paper: str = "a4"
    title: str | None = None
    key: bool = True
    timeline: bool = False
    different_questions: bool = False
    answer_sheet: bool = False
    student_digits: int = 6

    def __post_init__(self):
        # kinds and templates may come straight from the command line: "multiple_choice,true_false"
        object.__setattr__(self, "kinds", parse_kinds(self.kinds) or None)
        object.__setattr__(self, "templates", split_names(self.templates) or None)


def choose(pool: Sequence[Question], options: PdfOptions) -> ClassSet:
    """The versions these options print, chosen from the generated pool."""
    return choose_class_set(pool, options.questions, options.versions, options.seed, options.kinds,
                            options.templates, options.different_questions)
