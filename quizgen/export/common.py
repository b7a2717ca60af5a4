"""Helpers the export renderers share: escaping, question names, feedback text, grade fractions."""
from __future__ import annotations

import html
import io
import re
import zipfile
from typing import Sequence

from ..question import BankMeta, ClozePart, Kind, Question

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: kinds that every LMS shows as a plain single-answer multiple choice question
SINGLE_CHOICE = frozenset({Kind.multiple_choice, Kind.which_first, Kind.quote})


def clean(text: str) -> str:
    """Drop the control characters XML 1.0 cannot hold (the model is plain text; they carry nothing)."""
    return _XML_INVALID.sub("", text)


def to_html(text: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return html.escape(clean(text), quote=False).replace("\n", "<br>")


def one_line(text: str) -> str:
    """A single-line field (title, name, group): line breaks and runs of spaces folded to one space.

    GIFT comments, `$CATEGORY:` lines and XML attributes end at a line break, so a title from a shared
    bank must not carry one into the file.
    """
    return " ".join(clean(text).split())


def paragraphs(*texts: str) -> str:
    return "".join(f"<p>{to_html(text)}</p>" for text in texts if text)


def question_name(question: Question, limit: int = 60) -> str:
    """A short, readable name for LMS question lists: the prompt's start."""
    text = one_line(question.prompt)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def by_group(questions: Sequence[Question]) -> list[tuple[str, list[Question]]]:
    """Questions grouped by template group, groups in order of first appearance (one category each)."""
    groups: dict[str, list[Question]] = {}
    for question in questions:
        groups.setdefault(question.group, []).append(question)
    return list(groups.items())


def category_path(meta: BankMeta, group: str) -> str:
    """Moodle question-bank category for a template group (Moodle XML and GIFT); "/" in a name doubled."""
    names = [meta.title or meta.id, group or "Questions"]
    return "$course$/top/" + "/".join(one_line(name).replace("/", "//") for name in names)


def source_line(question: Question) -> str:
    """Where the fact comes from, in one line ("" when the question has no source)."""
    src = question.source
    title = ", ".join(part for part in (src.title, src.publisher) if part)
    if not (title or src.quote):
        return ""
    return "Source: " + title + (f": “{src.quote}”" if src.quote else "")


def feedback_parts(question: Question) -> list[str]:
    """The explanation and the source line, each present only if non-empty."""
    return [part for part in (question.explanation, source_line(question)) if part]


def feedback_html(question: Question) -> str:
    return paragraphs(*feedback_parts(question))


def feedback_text(question: Question) -> str:
    return " ".join(feedback_parts(question))


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.strip()))


def not_a_number(question: Question, label: str) -> str | None:
    """The skip reason for a numeric question whose answer a numeric LMS field cannot take."""
    if question.kind is Kind.numeric and not is_number(str(question.answer)):
        return f"{label} needs a plain number as the answer of a numeric question"
    return None


def is_true(question: Question) -> bool:
    """Whether a true/false question's answer is "true" (choices are (true-label, false-label))."""
    if question.choices:
        return question.answer == question.choices[0]
    return str(question.answer).strip().lower() in {"true", "t", "yes"}


def percent(count: int) -> str:
    """100/count as Moodle writes grade percentages (33.33333, 12.5, 100): it accepts only those."""
    return f"{100 / count:.5f}".rstrip("0").rstrip(".")


def distractors(question: Question) -> list[str]:
    """Right-hand matching options that belong to no pair."""
    used = {pair.right for pair in question.pairs}
    return [choice for choice in question.choices if choice not in used]


def cloze_prompt(parts: tuple[ClozePart, ...], blank: str = "_____") -> str:
    return "".join(blank if part.hole else part.text for part in parts)


def with_unit(question: Question) -> str:
    """A numeric answer with its unit, singular or plural by value ("1 year", "16 months")."""
    if question.kind is not Kind.numeric:
        return str(question.answer)
    return f"{question.answer} {one_line(question.unit_for(str(question.answer)))}".strip()


def unit_hint(question: Question) -> str:
    """"(in years)" when the prompt does not already name the unit the answer is counted in."""
    unit = one_line(question.unit_for())
    if not unit or question.kind is not Kind.numeric:
        return ""
    prompt = question.prompt.lower()
    if unit.lower() in prompt or one_line(question.unit).lower() in prompt:
        return ""
    return f"(in {unit})"


def stable_zip(files: dict[str, bytes]) -> bytes:
    """A byte-identical zip for identical input: sorted entries, fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
