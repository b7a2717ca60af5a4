"""Declarative record selection for templates: `from` a record type, `where` field conditions.

A condition is a plain value (equality; for list-valued fields every item must equal it) or a mapping
with one of: in, not_in, at_least, at_most, exists. Fields are named facets computed per record, so
a template can never reach anything the generator does not offer.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from ..bank.dates import Precision
from ..bank.loader import Bank
from ..bank.model import Entity, Event, Number, Quote, Restriction

OPERATORS = ("in", "not_in", "at_least", "at_most", "exists")
_PRECISIONS = [p.value for p in Precision]


def _entity_facets(bank: Bank, e: Entity) -> dict[str, Any]:
    return {"id": e.id, "kind": e.kind, "category": e.category, "role": e.role,
            "country": e.country, "origin.count": len(e.origin), "aliases.count": len(e.aliases)}


def _kind_of(bank: Bank, ref: str) -> str:
    if ref in bank.entities:
        return bank.entities[ref].kind
    return "restriction"


def _subject_category(bank: Bank, e: Event) -> str | None:
    subject = bank.entities.get(e.subject)
    return subject.category if subject else None


#: event facets one by one, so that a selector computes only the ones it tests (banks have many events)
_EVENT_FACETS: dict[str, Callable[[Bank, Event], Any]] = {
    "id": lambda bank, e: e.id,
    "action": lambda bank, e: e.action,
    "action.class": lambda bank, e: bank.vocabulary.action_class(e.action),
    "effect": lambda bank, e: e.effect,
    "effect.class": lambda bank, e: bank.vocabulary.effect_class(e.effect),
    "date.precision": lambda bank, e: e.date.precision.value,
    "date.year": lambda bank, e: e.date.start.year,
    "actors.kind": lambda bank, e: [bank.entities[a].kind for a in e.actors],
    "actors.count": lambda bank, e: len(e.actors),
    "actors": lambda bank, e: list(e.actors),
    "subject": lambda bank, e: e.subject,
    "subject.kind": lambda bank, e: _kind_of(bank, e.subject),
    "subject.category": _subject_category,
    "restriction": lambda bank, e: e.restriction or (e.subject if e.subject in bank.restrictions else None),
    "concerns.count": lambda bank, e: len(e.concerns),
    "date_text": lambda bank, e: e.date_text,
    "date_inferred": lambda bank, e: e.date_inferred,
}


def _event_facets(bank: Bank, e: Event) -> dict[str, Any]:
    return {name: facet(bank, e) for name, facet in _EVENT_FACETS.items()}


def _restriction_facets(bank: Bank, r: Restriction) -> dict[str, Any]:
    return {"id": r.id, "status": r.status, "status.class": bank.vocabulary.status_class(r.status),
            "imposed_by": list(r.imposed_by),
            "imposed_by.count": len(r.imposed_by), "concerns.count": len(r.concerns)}


def _quote_facets(bank: Bank, q: Quote) -> dict[str, Any]:
    return {"id": q.id, "speaker": q.speaker, "speaker.kind": bank.entities[q.speaker].kind,
            "date.precision": q.date.precision.value, "to": q.to, "words": len(q.text.split())}


def _number_facets(bank: Bank, n: Number) -> dict[str, Any]:
    return {"id": n.id, "unit": n.unit, "about": n.about, "integer": float(n.value).is_integer()}


#: record type -> (bank attribute, facet function, facet names a selector may use)
SOURCES: dict[str, tuple[str, Callable]] = {
    "events": ("events", _event_facets),
    "entities": ("entities", _entity_facets),
    "restrictions": ("restrictions", _restriction_facets),
    "quotes": ("quotes", _quote_facets),
    "numbers": ("numbers", _number_facets),
}

FIELDS: dict[str, tuple[str, ...]] = {
    "events": ("id", "action", "action.class", "effect", "effect.class", "date.precision", "date.year",
               "actors.kind", "actors.count", "actors", "subject", "subject.kind", "subject.category", "restriction",
               "concerns.count", "date_text", "date_inferred"),
    "entities": ("id", "kind", "category", "role", "country", "origin.count", "aliases.count"),
    "restrictions": ("id", "status", "status.class", "imposed_by", "imposed_by.count", "concerns.count"),
    "quotes": ("id", "speaker", "speaker.kind", "date.precision", "to", "words"),
    "numbers": ("id", "unit", "about", "integer"),
}


def _order(field: str, value: Any) -> Any:
    """Values compared by at_least/at_most: precisions by fineness, everything else as is."""
    if field.endswith("precision") and isinstance(value, str) and value in _PRECISIONS:
        return Precision(value).rank
    return value


def _holds(field: str, actual: Any, condition: Any) -> bool:
    if isinstance(actual, list) and not (isinstance(condition, dict) and "exists" in condition):
        return bool(actual) and all(_holds(field, item, condition) for item in actual)
    if not isinstance(condition, dict):
        return actual == condition
    op, expected = next(iter(condition.items()))
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if op == "exists":
        return (actual not in (None, [], "")) == bool(expected)
    if actual is None:
        return False
    if op == "at_least":
        return _order(field, actual) >= _order(field, expected)
    return _order(field, actual) <= _order(field, expected)


def matches(facets: dict[str, Any], where: dict[str, Any]) -> bool:
    return all(_holds(field, facets.get(field), cond) for field, cond in where.items())


def _counted(field: str) -> bool:
    return field.endswith(".count") or field in ("date.year", "words")


def _order_problem(field: str, op: str, expected: Any) -> str | None:
    """at_least/at_most compare precisions by fineness and counts or years as numbers; nothing else."""
    if field.endswith("precision"):
        if not isinstance(expected, str) or expected not in _PRECISIONS:
            return f"'{op}' on '{field}' needs one of {', '.join(_PRECISIONS)}"
    elif _counted(field):
        if not isinstance(expected, int) or isinstance(expected, bool):
            return f"'{op}' on '{field}' needs a whole number"
    else:
        return f"'{op}' works on precisions, counts, years and words, not on '{field}'"
    return None


def condition_problem(source: str, field: str, condition: Any) -> str | None:
    """Why a where-clause entry is invalid, or None."""
    if field not in FIELDS[source]:
        import difflib

        close = difflib.get_close_matches(field, FIELDS[source], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else f"; {source} offer: {', '.join(FIELDS[source])}"
        return f"unknown field '{field}' for {source}{hint}"
    if isinstance(condition, dict):
        if len(condition) != 1 or next(iter(condition)) not in OPERATORS:
            return f"condition on '{field}' must be a value or one of {{{', '.join(OPERATORS)}: ...}}"
        op, expected = next(iter(condition.items()))
        if op in ("in", "not_in") and not isinstance(expected, list):
            return f"'{op}' on '{field}' needs a list"
        if op in ("at_least", "at_most"):
            return _order_problem(field, op, expected)
    elif isinstance(condition, list):
        return f"condition on '{field}' is a list: write {{in: [...]}}"
    return None


def select(bank: Bank, source: str, where: dict[str, Any], among: Iterable[Any] | None = None) -> list:
    """Records of `source` matching `where`, in the bank's order; with `among`, only those of these records
    (a run of the source's records in the bank's order: a slice of a big bank, see parallel.py)."""
    attr, facet_fn = SOURCES[source]
    records = getattr(bank, attr).values() if among is None else among
    if source != "events":
        return [r for r in records if matches(facet_fn(bank, r), where)]
    missing = lambda bank, r: None  # noqa: E731 - like facets.get() of an unknown field
    found = list(records)
    for name, condition in where.items():     # one condition at a time over the records still in: fewer calls
        facet, test = _EVENT_FACETS.get(name, missing), _compiled(name, condition)
        found = [r for r in found if test(facet(bank, r))]
    return found


def _compiled(field: str, condition: Any) -> Callable[[Any], bool]:
    """`lambda actual: _holds(field, actual, condition)`, with the plain cases (equal, in, not_in) decided once
    instead of per record."""
    if isinstance(condition, dict) and (len(condition) != 1 or next(iter(condition)) not in ("in", "not_in")):
        return lambda actual: _holds(field, actual, condition)
    if isinstance(condition, dict):
        (op, expected), = condition.items()
        outside = op == "not_in"

        def scalar(actual: Any) -> bool:
            return (actual in expected) != outside
    else:
        def scalar(actual: Any) -> bool:
            return actual == condition

    def test(actual: Any) -> bool:
        if isinstance(actual, list):
            return bool(actual) and all(test(item) for item in actual)
        return scalar(actual)
    return test


def facets(bank: Bank, source: str, record) -> dict[str, Any]:
    return SOURCES[source][1](bank, record)
