"""Question -> note fields. Every piece of question text is escaped as HTML text here; the only
markup in a field is the list, table and cloze markup written below on purpose."""
from __future__ import annotations

import functools
import html
import re

from ..question import Kind, Question
from .models import BASIC, CHOICE, CLOZE, MATCHING, NOTE_TYPE_FOR_KIND, ORDERING, NoteType

_LABELS = {
    Kind.multiple_choice: "Multiple choice", Kind.multiple_select: "Multiple select · choose all that apply",
    Kind.true_false: "True or false", Kind.which_first: "Which came first?", Kind.quote: "Who said it?",
    Kind.ordering: "Put in chronological order", Kind.matching: "Matching", Kind.cloze: "Fill in the blank",
    Kind.short_answer: "Short answer", Kind.numeric: "Number",
}

# Characters Anki's cloze parser treats as syntax inside a cloze field.
_CLOZE_SYNTAX = re.compile(r"[{}:]")


def text(value: str) -> str:
    """Plain text as HTML text: escaped, with line breaks kept. Most text has nothing to escape, and
    seven `in` tests cost a fifth of the seven replacements that would find nothing."""
    if ("&" in value or "<" in value or ">" in value or '"' in value or "'" in value or "\n" in value
            or "\r" in value):
        return html.escape(value).replace("\r\n", "\n").replace("\n", "<br>")
    return value


#: `text` for the strings that recur from note to note (labels, sources, names, dates as options)
_recurring = functools.lru_cache(maxsize=1 << 14)(text)


def _cloze_text(value: str) -> str:
    """Like `text`, and braces and colons as character references so `}}` or `::` cannot end a deletion."""
    return _CLOZE_SYNTAX.sub(lambda m: f"&#{ord(m.group())};", text(value))


@functools.lru_cache(maxsize=1 << 14)
def _list_items(item: str) -> tuple[str, str, str]:
    """An option as a list item: plain, marked right, marked wrong (options recur from note to note)."""
    shown = text(item)
    return (f"<li>{shown}</li>", f'<li class="right">{shown} <span class="qz-mark">✓</span></li>',
            f'<li class="wrong">{shown}</li>')


def _list(items, tag: str = "ul", css: str = "", right: tuple[str, ...] | None = None) -> str:
    """A list of escaped items; with `right`, the right ones are marked (a class and a visible tick)."""
    attr = f' class="{css}"' if css else ""
    if right is None:
        rows = [_list_items(item)[0] for item in items]
    else:
        rows = [_list_items(item)[1 if item in right else 2] for item in items]
    return f"<{tag}{attr}>{''.join(rows)}</{tag}>"


def _cloze(q: Question) -> str:
    return "".join(f"{{{{c{p.hole}::{_cloze_text(p.text)}}}}}" if p.hole else _cloze_text(p.text)
                   for p in q.cloze)


def _answer(q: Question) -> str:
    if q.kind is Kind.numeric and q.unit:
        return f"{q.answers[0]} {q.unit_for(q.answers[0])}"
    return "; ".join(q.answers)


def _pairs(q: Question) -> str:
    rows = "".join(f'<tr><td>{text(p.left)}</td><td class="arrow">→</td><td class="right">{text(p.right)}</td></tr>'
                   for p in q.pairs)
    return f'<table class="qz-pairs">{rows}</table>'


def note_type_for(q: Question) -> NoteType:
    """The note type for `q`; a cloze question without deletions would make no card, so it is a basic one."""
    note_type = NOTE_TYPE_FOR_KIND[q.kind]
    if note_type is CLOZE and not any(p.hole for p in q.cloze):
        return BASIC
    return note_type


def _lead(q: Question, note_type: NoteType) -> list[str]:
    """The fields before the source fields (SOURCE_FIELDS end every note type), in the note type's order."""
    label = _recurring(_LABELS[q.kind])
    if note_type is CLOZE:
        return [_cloze(q), label]
    prompt = text(q.prompt)
    if note_type is CHOICE:
        return [prompt, label, _list(q.choices, "ol", "qz-choices"),
                _list(q.choices, "ol", "qz-choices qz-key", q.answers)]
    if note_type is ORDERING:
        return [prompt, label, _list(q.choices, "ul"), _list(q.answers, "ol", "qz-key")]
    if note_type is MATCHING:
        return [prompt, label, _list([p.left for p in q.pairs], "ol"),
                "Options: " + " · ".join(text(c) for c in q.choices), _pairs(q)]
    accepted = [a for a in q.accepted if a not in q.answers]
    return [prompt, label, text(_answer(q)), "; ".join(text(a) for a in accepted)]


def note_fields(q: Question) -> tuple[NoteType, list[str]]:
    """The note type for `q` and its field values, in the note type's field order."""
    note_type = note_type_for(q)
    source = q.source
    return note_type, [*_lead(q, note_type), text(q.explanation), _recurring(source.title),
                       _recurring(source.publisher), _recurring(source.quote)]
