"""Questions -> genanki decks: one subdeck per template group, notes in study order."""
from __future__ import annotations

from collections import Counter

from ..question import BankMeta, Question
from .fields import note_fields, text
from .ids import note_guid, sanitise_tag, stable_id


def deck_name(meta: BankMeta, group: str) -> str:
    parent = meta.deck_name.strip() or meta.title.strip() or meta.id
    group = group.strip()
    return f"{parent}::{group}" if group else parent


def study_order(questions: list[Question]) -> list[Question]:
    """New cards by template group (in the order the groups first come), then by date, then as given."""
    group_rank: dict[str, int] = {}
    for q in questions:
        group_rank.setdefault(q.group, len(group_rank))
    ranked = sorted(enumerate(questions),
                    key=lambda iq: (group_rank[iq[1].group], iq[1].sort_key == "", iq[1].sort_key, iq[0]))
    return [q for _, q in ranked]


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


def build_decks(questions: list[Question], meta: BankMeta) -> list:
    """The top deck (with the description) and one subdeck per group, holding notes in study order."""
    import genanki

    top_name = deck_name(meta, "")
    decks = {top_name: genanki.Deck(stable_id("deck", top_name), top_name, describe(meta, questions))}
    for due, q in enumerate(study_order(questions), start=1):
        name = deck_name(meta, q.group)
        if name not in decks:
            decks[name] = genanki.Deck(stable_id("deck", name), name, _describe_group(meta, q.group))
        note_type, fields = note_fields(q)
        tags = sorted({t for t in map(sanitise_tag, q.tags) if t})
        decks[name].add_note(genanki.Note(model=note_type.build(), fields=fields, tags=tags,
                                          guid=note_guid(q.id), due=due))
    return list(decks.values())
