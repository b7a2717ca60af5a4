"""Questions -> genanki decks: one subdeck per template group, notes in study order."""
from __future__ import annotations

import functools
import operator
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from ..question import BankMeta, Question
from .fields import note_fields, note_type_for, text
from .ids import note_guid, sanitise_tag, stable_id
from .models import NoteType


def deck_name(meta: BankMeta, group: str) -> str:
    parent = meta.deck_name.strip() or meta.title.strip() or meta.id
    group = group.strip()
    return f"{parent}::{group}" if group else parent


def study_order(questions: list[Question]) -> list[Question]:
    """New cards by template group (in the order the groups first come), then by date (undated last), then as
    given. Grouped first and sorted by the date alone, in C: half the time of one sort by a key made per question
    (0.11 against 0.24-0.30 s for 332,035 questions)."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.group, []).append(q)
    ordered: list[Question] = []
    for members in groups.values():
        ordered += sorted((q for q in members if q.sort_key != ""), key=_DATE)   # a stable sort
        ordered += [q for q in members if q.sort_key == ""]
    return ordered


_DATE = operator.attrgetter("sort_key")


def _source_line(meta: BankMeta) -> str:
    src = meta.source
    line = f"Source: <i>{text(src.title)}</i>" if src.title else ""
    if src.publisher:
        line += f" ({text(src.publisher)})" if line else f"Source: {text(src.publisher)}"
    return f"<p>{line}.</p>" if line else ""


def describe(meta: BankMeta, questions: list[Question]) -> str:
    """The top deck's description: what it covers, where the facts come from, and as of when."""
    groups = Counter(q.group for q in questions)
    covers = ", ".join(f"{text(g or 'other')} ({n})" for g, n in groups.items())
    parts = [f"<p><b>{text(meta.title)}</b></p>"]
    if meta.description:
        parts.append(f"<p>{text(meta.description)}</p>")
    parts.append(f"<p>Covers: {covers}.</p>")
    parts.append(_source_line(meta))
    parts.append(f"<p>Facts as of {text(meta.as_of_label or meta.as_of)}. Made with quizgen: importing a newer "
                 "version updates these cards and keeps your review history.</p>")
    return "".join(parts)


def _describe_group(meta: BankMeta, group: str) -> str:
    return (f"<p>{text(group)}: part of <b>{text(meta.title)}</b>, facts as of "
            f"{text(meta.as_of_label or meta.as_of)}.</p>{_source_line(meta)}")


class Note(NamedTuple):
    """One note as it goes into the collection: final field strings (HTML), tags, GUID, position.
    A named tuple: one is made per question, and a frozen dataclass takes five times as long to make."""

    note_type: NoteType
    fields: list[str]
    tags: tuple[str, ...]
    guid: str
    due: int


@dataclass
class Deck:
    """A deck and the questions it holds, with their positions; notes are made from them as they are written."""

    id: int
    name: str
    description: str
    entries: list[tuple[int, Question]] = field(default_factory=list)

    @functools.cached_property
    def note_types(self) -> list[NoteType]:
        """The note types its notes use, in order of first use (the order genanki registers them in);
        worked out once, when the deck is complete."""
        return list({id(note_type): note_type for note_type in (note_type_for(q) for _, q in self.entries)}.values())

    def notes(self) -> Iterator[Note]:
        for due, q in self.entries:
            note_type, fields = note_fields(q)
            yield Note(note_type, fields, _tags(q.tags), note_guid(q.id), due)


_sanitised = functools.lru_cache(maxsize=1 << 16)(sanitise_tag)


@functools.lru_cache(maxsize=1 << 14)
def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Sanitised, sorted, without repeats; questions from one template and fact share their tags."""
    return tuple(sorted({t for t in map(_sanitised, tags) if t}))


def build_decks(questions: list[Question], meta: BankMeta) -> list[Deck]:
    """The top deck (with the description) and one subdeck per group, holding questions in study order."""
    top_name = deck_name(meta, "")
    decks = {top_name: Deck(stable_id("deck", top_name), top_name, describe(meta, questions))}
    by_group: dict[str, list[tuple[int, Question]]] = {}
    for due, q in enumerate(study_order(questions), start=1):
        entries = by_group.get(q.group)
        if entries is None:
            name = deck_name(meta, q.group)
            if name not in decks:
                decks[name] = Deck(stable_id("deck", name), name, _describe_group(meta, q.group))
            entries = by_group[q.group] = decks[name].entries
        entries.append((due, q))
    return list(decks.values())
