"""Characters the PDF font has no glyph for (Chinese, Japanese, emoji, ...): reportlab prints them as empty
boxes without a word, so the build says so once, with an example and where it is."""
from __future__ import annotations

from typing import Iterable, Sequence

from ..question import BankMeta, Question


def _fields(meta: BankMeta, questions: Sequence[Question], title: str) -> Iterable[tuple[str, str]]:
    """(where, text) for everything the quiz, key, sheets and timeline print."""
    yield "the quiz title", title
    for entry in meta.timeline:
        for name in ("date_label", "restriction", "summary"):
            yield f"timeline entry {entry.restriction!r} {name}", getattr(entry, name)
        for decider in entry.deciders:
            yield f"timeline entry {entry.restriction!r} deciders", decider
    for status in meta.restrictions:
        for name in ("restriction", "status_label", "note"):
            yield f"{meta.restriction_word} {status.restriction!r} {name}", getattr(status, name)
    for q in questions:
        yield f"question {q.id} prompt", q.prompt
        yield f"question {q.id} explanation", q.explanation
        yield f"question {q.id} unit", q.unit
        for name in ("answer", "choices", "accepted"):
            value = getattr(q, name)
            for item in (value,) if isinstance(value, str) else value:
                yield f"question {q.id} {name}", item
        for pair in q.pairs:
            yield f"question {q.id} pairs", f"{pair.left} {pair.right}"
        for part in q.cloze:
            yield f"question {q.id} cloze", part.text


def missing_glyphs(meta: BankMeta, questions: Sequence[Question], title: str) -> str | None:
    """One line naming how many distinct characters cannot be drawn, the first one and its field; None if all can."""
    from reportlab.pdfbase import pdfmetrics

    from .fonts import register_fonts

    faces = [pdfmetrics.getFont(name).face.charToGlyph for name in register_fonts()]
    missing: dict[str, str] = {}
    seen: set[str] = set()      # characters already looked up: a quiz's text uses a hundred or so, many times
    for where, value in _fields(meta, questions, title):
        for char in set(value or "") - seen:
            seen.add(char)
            if char.isprintable() and not char.isspace() and not all(ord(char) in face for face in faces):
                missing[char] = where
    if not missing:
        return None
    first = min(missing, key=ord)
    return (f"{len(missing)} character{'s' * (len(missing) != 1)} cannot be drawn by the PDF font (DejaVu Sans) "
            f"and will print as empty boxes, e.g. {first!r} (U+{ord(first):04X}) in {missing[first]}")
