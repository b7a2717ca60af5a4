"""Plain-text rendering for the terminal: `quizgen templates` and `quizgen preview`."""
from __future__ import annotations

import random
import textwrap
from collections import Counter

from ..bank.loader import Bank
from ..errors import QuizgenError
from ..question import Kind, Question
from .generator import GeneratedSet, generate

LETTERS = "ABCDEFGH"


def _wrap(text: str, indent: str = "   ") -> str:
    return textwrap.fill(text, 100, initial_indent=indent, subsequent_indent=indent)


def format_question(q: Question, number: int) -> str:
    """A question with its answer, as an author wants to proofread it."""
    lines = [f"{number}. [{q.template} · {q.kind.label}] {q.id}", _wrap(q.prompt)]
    if q.kind is Kind.matching:
        for i, pair in enumerate(q.pairs, 1):
            lines.append(_wrap(f"{i}. {pair.left}", "     "))
        lines.append(_wrap("Options: " + " / ".join(q.choices), "     "))
        lines.append(_wrap("Answer: " + "; ".join(f"{i}-{p.right}" for i, p in enumerate(q.pairs, 1))))
    elif q.kind is Kind.cloze:
        shown = "".join(f"[...{p.hole}]" if p.hole else p.text for p in q.cloze)
        lines[1] = _wrap(shown)
        lines.append(_wrap("Answer: " + "; ".join(f"{i}: {t}" for i, t in enumerate(q.answers, 1))))
    else:
        for letter, choice in zip(LETTERS, q.choices):
            mark = "*" if choice in q.answers else " "
            lines.append(_wrap(f"{mark} {letter}) {choice}", "     "))
        if q.kind is Kind.ordering:
            lines.append(_wrap("Order: " + " → ".join(LETTERS[q.choices.index(a)] for a in q.answers)))
        elif not q.choices:
            answer = (f"{q.answer} {q.unit_for(q.answer)}".strip() if isinstance(q.answer, str)
                      else "; ".join(q.answers))
            accepted = f" (also accepted: {', '.join(q.accepted)})" if q.accepted else ""
            lines.append(_wrap(f"Answer: {answer}{accepted}"))
    lines.append(_wrap(f"Why: {q.explanation}"))
    lines.append(_wrap(f"Source: {q.source.title} — “{q.source.quote}”"))
    return "\n".join(lines)


def templates_report(generated: GeneratedSet) -> str:
    """Each template: kind, how many questions it yields, how many it skipped and why."""
    rows = []
    for r in generated.reports:
        rows.append(f"{r.template:<24} {r.kind.value:<16} {r.made:>5} made {len(r.skipped):>4} skipped"
                    f"   {r.title}  ({r.file})")
        if r.selected == 0:
            rows.append(f"{'':<24} {'':<16} {'':>5}      skipped: its select matches no records in this bank")
        elif r.made == 0 and not r.skipped:
            rows.append(f"{'':<24} {'':<16} {'':>5}      skipped: {r.selected} selected record"
                        f"{'s' * (r.selected != 1)}, too few to combine into a question of this kind")
        for reason, count in sorted(Counter(s.reason for s in r.skipped).items()):
            rows.append(f"{'':<24} {'':<16} {'':>5}      {count:>4} × {reason}")
    kinds = Counter(q.kind.value for q in generated.questions)
    rows.append("")
    rows.append(f"{len(generated.questions)} questions from {len(generated.reports)} templates: "
                + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return "\n".join(rows)


def list_templates(bank: Bank) -> str:
    return templates_report(generate(bank))


def preview(bank: Bank, template: str | None = None, n: int = 5, seed: int = 0,
            kinds: tuple[str, ...] = ()) -> str:
    """n sample questions (from one template, or from all), with answers, for authors."""
    if n < 1:
        raise QuizgenError("-n must be at least 1")
    generated = generate(bank, seed=seed, templates=[template] if template else None, kinds=kinds or None)
    questions = generated.questions
    if not questions:
        return "no questions: " + "; ".join(sorted({s.reason for s in generated.skipped})) \
            if generated.skipped else "no questions"
    if len(questions) > n:
        picked = sorted(random.Random(seed).sample(range(len(questions)), n))
        questions = [questions[i] for i in picked]
    body = "\n\n".join(format_question(q, i) for i, q in enumerate(questions, 1))
    return f"{body}\n\n{len(questions)} of {len(generated.questions)} questions shown (seed {seed})"
