"""Question -> note fields. Every piece of question text is escaped as HTML text here; the only
markup in a field is the list, table and cloze markup written below on purpose."""
from __future__ import annotations

import functools
import html
import re

from ..question import Kind, Question
from .models import BASIC, CHOICE, CLOZE, NOTE_TYPE_FOR_KIND, NoteType

_LABELS = {
    Kind.multiple_choice: "Multiple choice", Kind.multiple_select: "Multiple select · choose all that apply",
    Kind.true_false: "True or false", Kind.which_first: "Which came first?", Kind.quote: "Who said it?",
    Kind.ordering: "Put in chronological order", Kind.matching: "Matching", Kind.cloze: "Fill in the blank",
    Kind.short_answer: "Short answer", Kind.numeric: "Number",
}

# Characters Anki's cloze parser treats as syntax inside a cloze field.
_CLOZE_SYNTAX = re.compile(r"[{}:]")


def text(value: str) -> str:
    """Plain text as HTML text: escaped, with line breaks kept."""
    return html.escape(value).replace("\r\n", "\n").replace("\n", "<br>")


#: `text` for the strings that recur from note to note (labels, sources, names, dates as options)
_recurring = functools.lru_cache(maxsize=1 << 14)(text)


def _cloze_text(value: str) -> str:
    """Like `text`, and braces and colons as character references so `}}` or `::` cannot end a deletion."""
    return _CLOZE_SYNTAX.sub(lambda m: f"&#{ord(m.group())};", text(value))


def _list(items, tag: str = "ul", css: str = "", right: frozenset[str] | None = None) -> str:
    """A list of escaped items; with `right`, the right ones are marked (a class and a visible tick)."""
    attr = f' class="{css}"' if css else ""
    rows = []
    for item in items:
        if right is None:
            rows.append(f"<li>{_recurring(item)}</li>")
        elif item in right:
            rows.append(f'<li class="right">{_recurring(item)} <span class="qz-mark">✓</span></li>')
        else:
            rows.append(f'<li class="wrong">{_recurring(item)}</li>')
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


def _specific(q: Question, note_type: NoteType) -> dict[str, str]:
    """The fields that depend on the question's kind."""
    if note_type is CLOZE:
        return {"Text": _cloze(q)}
    if q.kind is Kind.ordering:
        return {"Items": _list(q.choices, "ul"), "Order": _list(q.answers, "ol", "qz-key")}
    if q.kind is Kind.matching:
        return {"Items": _list([p.left for p in q.pairs], "ol"),
                "Options": "Options: " + " · ".join(text(c) for c in q.choices), "Pairs": _pairs(q)}
    if note_type is CHOICE:
        return {"Choices": _list(q.choices, "ol", "qz-choices"),
                "Key": _list(q.choices, "ol", "qz-choices qz-key", frozenset(q.answers))}
    accepted = [a for a in q.accepted if a not in q.answers]
    return {"Answer": text(_answer(q)), "Accepted": "; ".join(text(a) for a in accepted)}


def note_fields(q: Question) -> tuple[NoteType, list[str]]:
    """The note type for `q` and its field values, in the note type's field order."""
    note_type = note_type_for(q)
    values = {"Prompt": text(q.prompt), "Label": _recurring(_LABELS[q.kind]), "Explanation": text(q.explanation),
              "SourceTitle": _recurring(q.source.title), "SourcePublisher": _recurring(q.source.publisher),
              "SourceQuote": _recurring(q.source.quote), **_specific(q, note_type)}
    return note_type, [values.get(name, "") for name in note_type.fields]
