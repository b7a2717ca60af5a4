"""`quizgen timeline`: the bank's events in date order, and each restriction's status as of the bank's date.
Labels and headings use the bank's own words (its vocabulary.yaml)."""
from __future__ import annotations

import json

from .loader import Bank
from .model import Event


def event_row(bank: Bank, event: Event) -> dict:
    source = bank.source(event.source)
    return {
        "id": event.id,
        "date": event.date.iso,
        "date_label": event.date.label,
        "precision": event.date.precision.value,
        "date_text": event.date_text,
        "date_inferred": event.date_inferred,
        "actors": [bank.name(a) for a in event.actors],
        "action": bank.vocabulary.action_label(event.action),
        "subject": bank.name(event.subject),
        "restriction": bank.name(event.restriction) if event.restriction else None,
        "effect": event.effect,
        "summary": event.summary,
        "source": {"title": source.title, "quote": event.quote},
    }


def timeline_rows(bank: Bank) -> list[dict]:
    return [event_row(bank, e) for e in bank.events_in_order()]


def status_rows(bank: Bank) -> list[dict]:
    """Each restriction with its status as of the bank's date, and the events that bear on it."""
    rows = []
    for restriction in bank.restrictions.values():
        events = [e for e in bank.events_in_order()
                  if restriction.id in (e.restriction, e.subject)]
        rows.append({
            "id": restriction.id,
            "restriction": restriction.name,
            "status": restriction.status,
            "status_label": bank.vocabulary.status_label(restriction.status),
            "status_class": bank.vocabulary.status_class(restriction.status),
            "as_of": bank.info.as_of.label,
            "imposed_by": [bank.name(i) for i in restriction.imposed_by],
            "note": restriction.status_note,
            "events": [e.id for e in events],
        })
    return rows


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A plain-text table; long cells wrap inside their column."""
    import textwrap

    lines = []
    def emit(cells: list[str]) -> None:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append("  ".join((w[i] if i < len(w) else "").ljust(width)
                                   for w, width in zip(wrapped, widths)).rstrip())
    emit(headers)
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        emit(row)
    return "\n".join(lines)


def render_timeline(bank: Bank, fmt: str = "table", as_of: bool = False) -> str:
    words = bank.vocabulary.words
    if as_of:
        rows = status_rows(bank)
        if fmt == "json":
            return json.dumps({"bank": bank.id, "as_of": bank.info.as_of.iso, "restrictions": rows},
                              ensure_ascii=False, indent=2)
        title = f"{words.restrictions.capitalize()} as of {bank.info.as_of.label}"
        return title + "\n\n" + _table(
            [words.restriction.capitalize(), "Status", "Imposed by"],
            [[r["restriction"], r["status_label"], ", ".join(r["imposed_by"])] for r in rows], [46, 20, 30])
    rows = timeline_rows(bank)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    return _table(
        ["Date", "Actors", "Action", "Subject", words.restriction.capitalize()],
        [[r["date_label"], ", ".join(r["actors"]), r["action"], r["subject"],
          bank.vocabulary.effect_label(r["effect"])] for r in rows], [16, 26, 12, 38, 13])
