"""GIFT, Moodle's plain-text question format: every kind except cloze and ordering.

Texts are marked [plain] so Moodle shows them as typed (no HTML), and GIFT's special characters
~ = # { } : and the backslash are escaped with a backslash, line breaks as \\n. GIFT has no escape for
a leading "%50%" (read as a grade weight) or "[html]" (read as a text format), so an answer or item that
starts with "%" or "[" gets an explicit "[plain]" first: Moodle and gift-pegjs both take it as the
format and keep the rest as text. Single-line fields (title, names, categories) are folded to one line.
"""
from __future__ import annotations

from typing import Sequence

from ..question import BankMeta, Kind, Question
from .common import (
    SINGLE_CHOICE,
    by_group,
    category_path,
    clean,
    distractors,
    feedback_text,
    is_true,
    not_a_number,
    one_line,
    percent,
    question_name,
    unit_hint,
)

UNSUPPORTED = frozenset({Kind.cloze, Kind.ordering})
ARROW = "->"   # GIFT's matching marker; it has no escape


def escape(text: str) -> str:
    text = clean(text).replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def answer_text(text: str) -> str:
    """An answer, option or matching item, escaped so its start cannot read as a weight or a format."""
    escaped = escape(text)
    return "[plain]" + escaped if escaped.lstrip()[:1] in ("%", "[") else escaped


def skip_reason(question: Question) -> str | None:
    if question.kind in UNSUPPORTED:
        return f"GIFT cannot express {question.kind.label}"
    if question.kind is Kind.matching and any(ARROW in pair.left for pair in question.pairs):
        return f"GIFT cannot express {ARROW!r} inside a matching item"
    if question.kind is Kind.short_answer and any(ARROW in text for text in question.answers + question.accepted):
        return f"GIFT cannot express {ARROW!r} inside a short answer"
    return not_a_number(question, "GIFT")


def render(questions: Sequence[Question], meta: BankMeta) -> bytes:
    blocks = [f"// {one_line(meta.title)} ({one_line(meta.id)}), as of {one_line(meta.as_of)}: "
              f"{len(questions)} questions, exported by quizgen"]
    for group, members in by_group(questions):
        blocks.append("$CATEGORY: " + category_path(meta, group))
        blocks += [_question(question) for question in members]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _tag(text: str) -> str:
    return clean(text).replace("\n", " ").replace("]", "\\]")


def _question(q: Question) -> str:
    comment = " ".join([f"[id:{_tag(q.id)}]"] + [f"[tag:{_tag(tag)}]" for tag in q.tags])
    text = " ".join(part for part in (q.prompt, unit_hint(q)) if part)
    lines = [f"// {comment}", f"::{escape(question_name(q))}::[plain]{escape(text)}{{"]
    lines += [f"\t{answer}" for answer in ANSWERS[q.kind](q)]
    feedback = feedback_text(q)
    if feedback:
        lines.append(f"\t####{escape(feedback)}")
    lines.append("}")
    return "\n".join(lines)


def _choices(q: Question) -> list[str]:
    if q.kind in SINGLE_CHOICE:
        lines = [("=" if choice == q.answer else "~") + answer_text(choice) for choice in q.choices]
        if ARROW in lines[0] and lines[0].startswith("="):   # PEG readers take "=a -> b" first as a match
            lines.insert(0, lines.pop(next(i for i, line in enumerate(lines) if line.startswith("~"))))
        return lines
    right = set(q.answers)
    # GIFT weights have at most two digits before the point; Moodle rounds 99.99999 to 100
    share = percent(len(right)) if len(right) > 1 else "99.99999"
    return [f"~%{'' if choice in right else '-'}{share}%{answer_text(choice)}" for choice in q.choices]


def _true_false(q: Question) -> list[str]:
    return ["TRUE" if is_true(q) else "FALSE"]


def _matching(q: Question) -> list[str]:
    pairs = [f"={answer_text(pair.left)} {ARROW} {escape(pair.right)}" for pair in q.pairs]
    return pairs + [f"= {ARROW} {escape(extra)}" for extra in distractors(q)]


def _short(q: Question) -> list[str]:
    # Moodle short answers treat * as a wildcard; \* is a literal asterisk
    return ["=" + answer_text(text.replace("*", "\\*")) for text in dict.fromkeys(q.answers + q.accepted)]


def _numeric(q: Question) -> list[str]:
    return [f"#{str(q.answer).strip()}"]


ANSWERS = {
    Kind.multiple_choice: _choices, Kind.which_first: _choices, Kind.quote: _choices,
    Kind.multiple_select: _choices, Kind.true_false: _true_false, Kind.matching: _matching,
    Kind.short_answer: _short, Kind.numeric: _numeric,
}
