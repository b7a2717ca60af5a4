"""Choosing the practice page's questions and writing the page: what `quizgen html` and `quizgen build` call."""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from ..classset.selection import filter_pool, question_count, select_questions, shuffle_options
from ..output import DEFAULT_FOLDER, safe_filename, write_bytes
from ..question import BankMeta, Kind, Question, parse_kinds, split_names
from .views import practice_items


@dataclass(frozen=True)
class HtmlOptions:
    """What goes on the page: `questions=None` means DEFAULT_QUESTIONS (or all there are if fewer);
    `all_questions` puts the whole filtered pool on it, grouped like the deck's subdecks."""

    questions: int | None = None
    kinds: tuple[Kind | str, ...] | None = None
    templates: tuple[str, ...] | None = None
    seed: int = 0
    title: str | None = None
    all_questions: bool = False

    def __post_init__(self):
        if self.all_questions and self.questions is not None:
            from ..errors import QuizgenError

            raise QuizgenError("--questions and --all do not go together: --all puts every question on the page")
        object.__setattr__(self, "kinds", parse_kinds(self.kinds) or None)
        object.__setattr__(self, "templates", split_names(self.templates) or None)


@dataclass(frozen=True)
class RenderedPage:
    html: str
    questions: int
    what: str


@dataclass(frozen=True)
class WrittenPage:
    path: Path
    what: str
    size: int

    def __str__(self) -> str:
        return f"wrote {self.path} ({self.what}, {self.size:,} bytes)"


def default_path(bank_id: str, all_questions: bool = False, folder: Path = DEFAULT_FOLDER) -> Path:
    return Path(folder) / f"{safe_filename(bank_id, 'bank')}-{'bank' if all_questions else 'practice'}.html"


def choose(pool: Sequence[Question], options: HtmlOptions) -> list[Question]:
    """The page's questions, options in a seeded order: a varied set (the PDF's selection), or the whole
    filtered pool grouped by template group in the order the groups first come."""
    if options.all_questions:
        chosen = filter_pool(pool, options.kinds, options.templates)
        rank: dict[str, int] = {}
        for q in chosen:
            rank.setdefault(q.group, len(rank))
        chosen = [q for _, q in sorted(enumerate(chosen), key=lambda iq: (rank[iq[1].group], iq[0]))]
    else:
        count = question_count(pool, options.questions, options.kinds, options.templates)
        chosen = select_questions(pool, count, options.seed, options.kinds, options.templates)
    rng = random.Random(f"html/{options.seed}")
    return [_not_solved(shuffle_options(q, rng)) for q in chosen]


def _not_solved(question: Question) -> Question:
    """An ordering question never starts in its right order (it would be solved before the learner moves)."""
    if question.kind is Kind.ordering and question.choices == question.answers and len(question.choices) > 1:
        return replace(question, choices=question.choices[1:] + question.choices[:1])
    return question


def render_practice(meta: BankMeta, pool: Sequence[Question], options: HtmlOptions) -> RenderedPage:
    from .page import practice_page

    questions = choose(pool, options)
    title = options.title or meta.title or meta.id
    html = practice_page(meta, title, practice_items(questions), grouped=options.all_questions)
    what = ("page of the whole bank" if options.all_questions else "practice page") + f", {len(questions)} questions"
    return RenderedPage(html, len(questions), what)


def write_page(path: Path, page: RenderedPage) -> WrittenPage:
    return WrittenPage(Path(path), page.what, write_bytes(path, page.html.encode("utf-8")))


def default_review_path(bank_id: str, folder: Path = DEFAULT_FOLDER) -> Path:
    return Path(folder) / f"{safe_filename(bank_id, 'bank')}-review.html"


def write_review(path: Path, meta: BankMeta, questions: Sequence[Question], flags=None) -> WrittenPage:
    """The authors' review page (see review.py); `flags` maps question ids to the review's findings."""
    from .review import render_review

    page = render_review(meta, questions, flags)
    return WrittenPage(Path(path), f"review page, {len(questions)} questions", write_bytes(path, page.encode("utf-8")))
