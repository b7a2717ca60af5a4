"""Choosing the questions of a printed quiz from the generated pool, and making its versions.

Pure logic (no reportlab): every choice comes from random.Random seeded with the caller's seed, so the
same pool and seed always give the same quiz.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Sequence

from ..errors import QuizgenError
from ..question import Kind, Question

#: kinds whose `choices` are presented as shuffled options (true/false keeps True before False)
_SHUFFLED_CHOICES = frozenset({Kind.multiple_choice, Kind.multiple_select, Kind.which_first, Kind.quote,
                               Kind.ordering, Kind.matching})


@dataclass(frozen=True, slots=True)
class QuizVersion:
    """One printed version: its label (A, B, ...) and its questions, options already in printed order."""

    label: str
    questions: tuple[Question, ...]


def version_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... for version 0, 1, ..."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def filter_pool(pool: Sequence[Question], kinds: Sequence[Kind] | None = None,
                templates: Sequence[str] | None = None) -> list[Question]:
    """The questions of the wanted kinds and templates; names that match nothing are an error."""
    if templates:
        known = {q.template for q in pool}
        unknown = [t for t in templates if t not in known]
        if unknown:
            raise QuizgenError(f"no questions from template(s) {', '.join(unknown)}; "
                               f"templates with questions: {', '.join(sorted(known)) or 'none'}")
    chosen = [q for q in pool
              if (not kinds or q.kind in kinds) and (not templates or q.template in templates)]
    if not chosen:
        raise QuizgenError("no questions match the chosen kinds and templates")
    return chosen


def select_questions(pool: Sequence[Question], count: int, seed: int | str,
                     kinds: Sequence[Kind] | None = None, templates: Sequence[str] | None = None,
                     avoid: frozenset[str] = frozenset()) -> list[Question]:
    """Pick `count` questions with variety: kinds and templates spread evenly, facts repeated only if unavoidable.

    Greedy: each pick is the remaining question that first does not repeat a picked question's exact facts,
    then has the rarest kind so far, then the rarest template, then shares the fewest facts; ties are
    broken by a seeded shuffle. Questions whose id is in `avoid` are used only if the rest cannot suffice.
    """
    candidates = filter_pool(pool, kinds, templates)
    if count <= 0:
        raise QuizgenError(f"the number of questions must be at least 1, not {count}")
    if count > len(candidates):
        raise QuizgenError(f"asked for {count} questions but the chosen kinds and templates give only "
                           f"{len(candidates)}; use --questions {len(candidates)} or fewer")
    fresh = [q for q in candidates if q.id not in avoid]
    if len(fresh) >= count:
        candidates = fresh
    candidates = sorted(candidates, key=lambda q: q.id)
    random.Random(f"select/{seed}").shuffle(candidates)
    fact_sets = {q.id: frozenset(q.facts) for q in candidates}

    picked: list[Question] = []
    used_sets: set[frozenset[str]] = set()
    # counts as defaultdicts: a Counter looks up a missing key through a Python method, thousands of times here
    kind_n: defaultdict = defaultdict(int)
    template_n: defaultdict = defaultdict(int)
    fact_n: defaultdict = defaultdict(int)
    remaining = [(rank, q, fact_sets[q.id]) for rank, q in enumerate(candidates)]
    for _ in range(count):
        def cost(item: tuple[int, Question, frozenset[str]]) -> tuple:
            rank, q, facts = item
            return (bool(facts) and facts in used_sets, kind_n[q.kind], template_n[q.template],
                    sum(map(fact_n.__getitem__, facts)), rank)
        best = min(remaining, key=cost)
        remaining.remove(best)
        rank, q, facts = best
        picked.append(q)
        used_sets.add(facts)
        kind_n[q.kind] += 1
        template_n[q.template] += 1
        for f in facts:
            fact_n[f] += 1
    return picked


def shuffle_options(question: Question, rng: random.Random) -> Question:
    """The question with its options in a new order; the answer (stored as text) stays right."""
    if question.kind not in _SHUFFLED_CHOICES:
        return question
    choices = list(question.choices)
    rng.shuffle(choices)
    if question.kind is Kind.matching:
        pairs = list(question.pairs)
        rng.shuffle(pairs)
        return replace(question, choices=tuple(choices), pairs=tuple(pairs))
    return replace(question, choices=tuple(choices))


def _ordered(questions: Sequence[Question], rng: random.Random, taken: set[tuple[str, ...]]) -> list[Question]:
    """A seeded order of the questions, unlike earlier versions' orders when a few tries can manage it."""
    order = list(questions)
    for _ in range(8):
        rng.shuffle(order)
        if tuple(q.id for q in order) not in taken:
            break
    taken.add(tuple(q.id for q in order))
    return order


def make_versions(pool: Sequence[Question], count: int, versions: int, seed: int,
                  kinds: Sequence[Kind] | None = None, templates: Sequence[str] | None = None,
                  different_questions: bool = False) -> list[QuizVersion]:
    """`versions` versions of a `count`-question quiz.

    By default every version holds the same questions, each version in its own order and with its own
    option order. With `different_questions`, each version gets its own selection, using questions no
    earlier version used while the pool has enough of them.
    """
    if versions <= 0:
        raise QuizgenError(f"the number of versions must be at least 1, not {versions}")
    shared = select_questions(pool, count, seed, kinds, templates)
    used = {q.id for q in shared}
    taken: set[tuple[str, ...]] = set()
    result = []
    for index in range(versions):
        chosen = shared
        if different_questions and index:
            chosen = select_questions(pool, count, f"{seed}/{index}", kinds, templates, frozenset(used))
            used.update(q.id for q in chosen)
        rng = random.Random(f"version/{seed}/{index}")
        ordered = _ordered(chosen, rng, taken)
        result.append(QuizVersion(version_label(index), tuple(shuffle_options(q, rng) for q in ordered)))
    return result


#: questions per version when none is asked for (or the whole pool, when it is smaller)
DEFAULT_QUESTIONS = 20


@dataclass(frozen=True)
class ClassSet:
    """The versions of a printed quiz and how many questions each holds: all that printing needs of the pool."""

    versions: list[QuizVersion]
    count: int


def question_count(pool: Sequence[Question], questions: int | None, kinds: Sequence[Kind] | None = None,
                   templates: Sequence[str] | None = None) -> int:
    """`questions`, or when it is None DEFAULT_QUESTIONS, or the whole (filtered) pool when it is smaller."""
    if questions is not None:
        return questions
    return min(DEFAULT_QUESTIONS, len(filter_pool(pool, kinds, templates)))


def choose_class_set(pool: Sequence[Question], questions: int | None, versions: int, seed: int,
                     kinds: Sequence[Kind] | None = None, templates: Sequence[str] | None = None,
                     different_questions: bool = False) -> ClassSet:
    """`questions=None` means DEFAULT_QUESTIONS, or the whole (filtered) pool when it is smaller."""
    count = question_count(pool, questions, kinds, templates)
    return ClassSet(make_versions(pool, count, versions, seed, kinds, templates, different_questions), count)
