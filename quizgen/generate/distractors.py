"""Wrong options drawn from the dataset: same kind as the answer, plausible, and never also true."""
from __future__ import annotations

import bisect
import calendar
import functools
import random
from collections import defaultdict
from datetime import date
from typing import Any, Callable, Iterable

from ..bank.dates import PartialDate, Precision, parse_text
from ..bank.loader import Bank
from ..bank.model import Event


def action_class(bank: Bank, event: Event) -> str:
    """Actions of one class answer the same question ("who lifted it?"); the bank's vocabulary says which."""
    return bank.vocabulary.action_class(event.action)


def truth_classes(bank: Bank, event: Event) -> tuple[str, ...]:
    """The classes an event makes true: its own, and the one its action implies (supplying implies lifting)."""
    word = bank.vocabulary.actions[event.action]
    return (word.class_, word.implies) if word.implies else (word.class_,)


def role_of(bank: Bank, event: Event) -> str | None:
    """The role an action gives its actor, when the vocabulary declares one: a swapped actor must have played the
    same role somewhere in the bank (an analyst is no plausible decider, a government no plausible reporter).
    Without roles, any active actor of the answer's kind may be swapped in."""
    return bank.vocabulary.actions[event.action].role


def is_forecast(bank: Bank, event: Any) -> bool:
    """An expectation, not a thing that happened: never ordered or dated as an event."""
    return hasattr(event, "action") and bank.vocabulary.actions[event.action].forecast


#: what a lookup of a missing key reads (indexing the defaultdicts would store an empty entry per key asked)
_NONE: frozenset[str] = frozenset()


class Truth:
    """What the dataset says, to tell a wrong option from another right one.

    Open world: an option is wrong only when the dataset refutes it. An event's actors are taken as the ones who
    did it unless the source leaves the list open (`actors_open`); a category (Artillery) never refutes one of its
    members (Caesar); a date inside a period that is still going on (`ongoing`) is never wrong.
    """

    def __init__(self, bank: Bank):
        self.bank = bank
        self._affiliated: dict[str, frozenset[str]] = {}
        self._nested: dict[str, frozenset[str]] = {}
        self._categories: dict[frozenset[str], tuple[frozenset[str], frozenset[str]]] = {}
        self.members: dict[str, set[str]] = defaultdict(set)
        self.general_of: dict[str, set[str]] = defaultdict(set)
        self.in_category: dict[str, set[str]] = defaultdict(set)
        for entity in bank.entities.values():
            if entity.country:
                self.members[entity.country].add(entity.id)
            if entity.category:
                self.in_category[entity.category].add(entity.id)
                if entity.general:
                    self.general_of[entity.category].add(entity.id)
        self.actors_for: dict[tuple, set[str]] = defaultdict(set)
        self.open_for: set[tuple] = set()
        self.subjects_for: dict[tuple, set[str]] = defaultdict(set)
        self.events_for: dict[tuple, list[Event]] = defaultdict(list)
        self.events_about: dict[tuple, list[Event]] = defaultdict(list)   # (class, subject or its category)
        self.events_by: dict[tuple, list[Event]] = defaultdict(list)      # (class, actor)
        self.with_origin: dict[str, set[str]] = defaultdict(set)           # origin -> entities from there
        for entity in bank.entities.values():
            for origin in entity.origin:
                self.with_origin[origin].add(entity.id)
        for e in bank.events.values():
            for cls in truth_classes(bank, e):
                for subject in self.nested({e.subject}):
                    self.actors_for[(cls, subject)].update(e.actors)
                    if e.actors_open:
                        self.open_for.add((cls, subject))
                    self.events_about[(cls, subject)].append(e)
                for actor in e.actors:
                    self.subjects_for[(cls, actor)].add(e.subject)
                    self.events_for[(cls, actor, e.subject)].append(e)
                    self.events_by[(cls, actor)].append(e)
        self._speakers: dict[str, frozenset[str]] | None = None
        self._sides: dict[str, str | None] = {}
        self.as_of_end = bank.info.as_of.end
        self._shared: dict[tuple, Any] = {}      # answers shared by events (see _keyed)

    def forget(self) -> None:
        """Drop the answers shared by events and the answer sets' categories (the per-record memos)."""
        self._shared.clear()
        self._categories.clear()

    def _keyed(self, key: tuple, e: Event, compute: Callable[[Event], Any]) -> Any:
        """What `compute(e)` gives, computed once for all the events that share `key` (one shared answer: a big
        bank's events repeat a few combinations, and an answer per event grew with the bank squared)."""
        known = self._shared.get(key)
        if known is None:
            known = self._shared[key] = compute(e)
        return known

    def affiliated(self, ids: set[str]) -> set[str]:
        """Add each person's country and each country's people: "Biden authorized" makes "the U.S. authorized" true."""
        found = set(ids)
        for i in ids:
            found |= self._affiliated_one(i)
        return found

    def _affiliated_one(self, i: str) -> frozenset[str]:
        known = self._affiliated.get(i)
        if known is None:
            entity = self.bank.entities.get(i)
            found = set(self.members.get(i, ()))
            if entity is not None and entity.country:
                found.add(entity.country)
            known = self._affiliated[i] = frozenset(found)
        return known

    def chain(self, entity_id: str) -> list[str]:
        """The entity and its countries up the chain (a colonel, his army, its country)."""
        found: list[str] = []
        entity = self.bank.entities.get(entity_id)
        while entity is not None and entity.id not in found:
            found.append(entity.id)
            entity = self.bank.entities.get(entity.country) if entity.country else None
        return found

    def side_of(self, entity_id: str) -> str | None:
        """An entity's camp: its own, or the first one up its chain of countries (found once per entity)."""
        if entity_id not in self._sides:
            self._sides[entity_id] = next((self.bank.entities[i].side for i in self.chain(entity_id)
                                           if self.bank.entities[i].side), None)
        return self._sides[entity_id]

    def nested(self, ids: set[str]) -> set[str]:
        """Add the categories that contain these entities and the members of these categories (Caesar, Artillery)."""
        found = set(ids)
        for i in ids:
            found |= self.nested_of(i)
        return found

    def meets_nested(self, ids: Iterable[str], shared: frozenset[str]) -> bool:
        """Whether any of `ids` is in `nested(shared)`, for one of the answers events share (`true_actors`,
        `true_subjects`): a big bank's are hundreds of entities, so rather than their nested set (130 MiB of them
        at 100,000 events) each keeps the few categories that set adds from."""
        known = self._categories.get(shared)
        if known is None:
            entities = [e for e in map(self.bank.entities.get, shared) if e is not None and e.category]
            known = self._categories[shared] = (frozenset(e.category for e in entities),
                                                frozenset(e.category for e in entities if e.general))
        categories, general_categories = known
        for i in ids:
            if i in shared:
                return True
            entity = self.bank.entities.get(i)
            if entity is not None and entity.category and (
                    entity.category in general_categories or (entity.general and entity.category in categories)):
                return True
        return False

    def nested_of(self, i: str) -> frozenset[str]:
        """What `nested({i})` adds to i, computed once per entity."""
        known = self._nested.get(i)
        if known is None:
            entity = self.bank.entities.get(i)
            found: set[str] = set()
            if entity is not None and entity.category:
                found |= self.general_of.get(entity.category, set())
                if entity.general:
                    found |= self.in_category.get(entity.category, set())
            known = self._nested[i] = frozenset(found)
        return known

    def speakers_of(self, text: str) -> frozenset[str]:
        """Everyone the dataset quotes saying these words: each of them is a right answer to "who said it?"."""
        if self._speakers is None:
            found: dict[str, set[str]] = defaultdict(set)
            for quote in self.bank.quotes.values():
                found[quote.text].add(quote.speaker)
            self._speakers = {words: frozenset(who) for words, who in found.items()}
        return self._speakers.get(text, _NONE)

    def actors_refutable(self, e: Event) -> bool:
        """False when the source leaves open who did this (such as ...): no other actor can be called wrong."""
        return self._keyed(("refutable", e.actors_open, truth_classes(self.bank, e), e.subject), e,
                           self._actors_refutable)

    def _actors_refutable(self, e: Event) -> bool:
        return not e.actors_open and not any((cls, s) in self.open_for for cls in truth_classes(self.bank, e)
                                             for s in self.nested({e.subject}))

    def subjects_refutable(self, e: Event) -> bool:
        """False when the source implies other subjects too ("even ATACMS"): no other one can be called wrong."""
        return not e.subjects_open

    def true_actors(self, e: Event) -> frozenset[str]:
        # the same for every event of these classes on this subject (an event's actors are among actors_for)
        return self._keyed(("actors", truth_classes(self.bank, e), e.subject), e,
                           lambda e: frozenset(self._true_actors(e)))

    def _true_actors(self, e: Event) -> set[str]:
        found = set(e.actors)
        for cls in truth_classes(self.bank, e):
            for subject in self.nested({e.subject}):
                found |= self.actors_for.get((cls, subject), _NONE)
        return self.affiliated(found)

    def true_subjects(self, e: Event) -> frozenset[str]:
        # the same for every event of these classes by these actors (their subjects include the event's)
        key = ("subjects", truth_classes(self.bank, e), frozenset(e.actors) if e.actors else e.subject)
        return self._keyed(key, e, lambda e: frozenset(self._true_subjects(e)))

    def _true_subjects(self, e: Event) -> set[str]:
        found = {e.subject}
        for actor in self.affiliated(set(e.actors)):
            for cls in truth_classes(self.bank, e):
                found |= self.subjects_for.get((cls, actor), _NONE)
        return self.nested(found)

    def same_facts(self, e: Event) -> list[Event]:
        """Events saying the same thing as `e` (same kind of action, affiliated actors, nested subject)."""
        found = [e]
        for cls in truth_classes(self.bank, e)[:1]:     # the same thing, not what it implies
            for actor in self.affiliated(set(e.actors)):
                for subject in self.nested({e.subject}):
                    found += [x for x in self.events_for.get((cls, actor, subject), ()) if x not in found]
        return found

    def true_period(self, e: Event) -> list[tuple[date, date]]:
        """The periods in which "this happened then" is true: each same fact's date, to the bank's date if ongoing."""
        if not e.actors:
            return self._true_period(e)
        # the same facts, in another order, for every event of this class by these actors on this subject
        return self._keyed(("period", truth_classes(self.bank, e)[0], frozenset(e.actors), e.subject), e,
                           self._true_period)

    def _true_period(self, e: Event) -> list[tuple[date, date]]:
        return [(x.date.start, self.as_of_end if x.ongoing else x.date.end) for x in self.same_facts(e)]

    def date_refuted(self, e: Event, candidate: PartialDate) -> bool:
        """A wrong date must lie wholly outside every period in which the event is true."""
        return self.date_refuter(e)(candidate)

    def date_refuter(self, e: Event) -> Callable[[PartialDate], bool]:
        """`date_refuted` for one event, its periods looked up once for all the candidates a builder tries."""
        periods = self.true_period(e)
        return lambda candidate: all(candidate.end < start or candidate.start > end for start, end in periods)

    def true_dates(self, e: Event) -> set[str]:
        return {x.date.label for x in self.same_facts(e)}


def draw(pool: list[str], n: int, exclude: set[str], rng: random.Random) -> list[str]:
    """Up to n distinct items of pool not in exclude, in random order (rejection sampling on big pools)."""
    if len(pool) <= 4 * n + len(exclude) or len(pool) <= 64:
        candidates = [p for p in pool if p not in exclude]
        rng.shuffle(candidates)
        return candidates[:n]
    picked: list[str] = []
    for _ in range(30 * n):
        item = pool[rng.randrange(len(pool))]
        if item not in exclude and item not in picked:
            picked.append(item)
            if len(picked) == n:
                break
    return picked


class EntityPools:
    """Entities grouped for drawing: by kind, and by category; actors first for people and countries."""

    def __init__(self, bank: Bank, truth: Truth | None = None):
        self.bank = bank
        self.truth = truth
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        self.by_category: dict[str, list[str]] = defaultdict(list)
        by_action_class: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)   # dicts: ordered sets
        by_role: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
        for e in bank.events.values():
            role = role_of(bank, e)
            for a in e.actors:
                kind = bank.entities[a].kind
                by_action_class[(action_class(bank, e), kind)][a] = None
                if role:
                    by_role[(role, kind)][a] = None
        self.by_action_class: dict[tuple[str, str], list[str]] = defaultdict(
            list, {key: list(pool) for key, pool in by_action_class.items()})
        self.by_role: dict[tuple[str, str], list[str]] = defaultdict(
            list, {key: list(pool) for key, pool in by_role.items()})
        actors = {a for e in bank.events.values() for a in e.actors}
        actors |= {q.speaker for q in bank.quotes.values()}
        self.active_by_kind: dict[str, list[str]] = defaultdict(list)
        for entity in bank.entities.values():
            self.by_kind[entity.kind].append(entity.id)
            if entity.id in actors:
                self.active_by_kind[entity.kind].append(entity.id)
            if entity.category:
                self.by_category[entity.category].append(entity.id)
        self.restrictions = list(bank.restrictions)
        self._sided: dict[tuple[int, str], list[str]] = {}

    def like(self, answer: str, n: int, exclude: set[str], rng: random.Random,
             event: Event | None = None) -> list[str]:
        """n entities of the answer's kind, most plausible group first (those who did the same kind of thing)."""
        if answer in self.bank.restrictions:
            return draw(self.restrictions, n, exclude | {answer}, rng)
        entity = self.bank.entities[answer]
        groups = []
        if entity.category:
            groups.append(self.by_category[entity.category])
        if event is not None and answer in event.actors:
            # an actor is swapped only for one who played the same role in the bank (deciders for decisions)
            groups.append(self.by_action_class[(action_class(self.bank, event), entity.kind)])
            role = role_of(self.bank, event)
            groups.append(self.by_role[(role, entity.kind)] if role else self.active_by_kind[entity.kind])
        else:
            if event is not None:
                groups.append(self.by_action_class[(action_class(self.bank, event), entity.kind)])
            groups.append(self.active_by_kind[entity.kind])
            groups.append(self.by_kind[entity.kind])
        side = self.truth.side_of(answer) if self.truth is not None else None
        if side is not None:   # a swapped-in actor or speaker from the answer's own camp, never the other side's
            groups = [self._of_side(group, side) for group in groups]
        picked: list[str] = []
        skip = set(exclude)
        skip.add(answer)
        for group in groups:
            more = draw(group, n - len(picked), skip, rng)
            picked += more
            skip.update(more)
            if len(picked) >= n:
                break
        return picked

    def _of_side(self, group: list[str], side: str) -> list[str]:
        """The group's entities of one camp, in its order: worked out once per group (the groups live as long as
        the pools) and camp, not for every question."""
        key = (id(group), side)
        known = self._sided.get(key)
        if known is None:
            known = self._sided[key] = [i for i in group if self.truth.side_of(i) == side]
        return known


@functools.lru_cache(maxsize=65536)
def shift_date(d: PartialDate, steps: int) -> PartialDate | None:
    """The same kind of date `steps` units away (thirds of a month, months, seasons, thirds of a year, years).
    A day-precise date moves by whole months (the same day, or the month's last): nobody can be expected to
    tell 29 May from 30 May."""
    p = d.precision
    try:
        if p is Precision.day:
            index = d.start.year * 12 + d.start.month - 1 + steps
            year, month = index // 12, index % 12 + 1
            return parse_text(date(year, month, min(d.start.day, calendar.monthrange(year, month)[1])).isoformat())
        if p is Precision.year:
            return parse_text(str(d.start.year + steps))
        if p is Precision.month:
            index = d.start.year * 12 + d.start.month - 1 + steps
            return parse_text(f"{index // 12:04d}-{index % 12 + 1:02d}")
        parts = {Precision.part_of_month: ["early", "mid", "late"], Precision.part_of_year: ["early", "mid", "late"],
                 Precision.season: ["spring", "summer", "autumn"]}[p]
        part = d.text.rsplit("-", 1)[1]
        if p is Precision.part_of_month:
            index = (d.start.year * 12 + d.start.month - 1) * 3 + parts.index(part) + steps
            month_index, third = divmod(index, 3)
            return parse_text(f"{month_index // 12:04d}-{month_index % 12 + 1:02d}-{parts[third]}")
        index = d.start.year * 3 + parts.index(part) + steps
        return parse_text(f"{index // 3:04d}-{parts[index % 3]}")
    except ValueError:
        return None


#: precisions finer than a month: no wrong date within 28 days of the answer (late April is no option for early
#: May, nor 29 May for 30 May: nobody can be expected to know the article that closely)
CLOSE = (Precision.day, Precision.part_of_month)


class DatePools:
    """Dates of the dataset by precision, for near, same-precision wrong dates."""

    def __init__(self, bank: Bank):
        by_precision: dict[Precision, dict[str, PartialDate]] = defaultdict(dict)
        for record in [*bank.events.values(), *bank.quotes.values()]:
            by_precision[record.date.precision][record.date.text] = record.date
        self.sorted: dict[Precision, list[PartialDate]] = {
            p: sorted(ds.values(), key=lambda d: d.sort_key) for p, ds in by_precision.items()}
        self.keys = {p: [d.sort_key for d in ds] for p, ds in self.sorted.items()}
        self._near: dict[tuple, list[PartialDate]] = {}

    def near(self, answer: PartialDate, n: int, refuted: Callable[[PartialDate], bool], rng: random.Random,
             latest: date | None = None) -> list[PartialDate]:
        """n wrong dates at the answer's precision, nearby dataset dates and neighbouring periods, each one the
        dataset refutes, at least a month from a day-precise answer and none after `latest` (the bank's date)."""
        nearest = []
        for c in self._candidates(answer, n, latest):
            if refuted(c):
                nearest.append(c)
                if len(nearest) == n + 2:
                    break
        rng.shuffle(nearest)
        return nearest[:n]

    def _candidates(self, answer: PartialDate, n: int, latest: date | None) -> list[PartialDate]:
        """`near`'s candidates before the dataset is asked: nearby dataset dates and neighbouring periods, each
        label once, comparable with the answer, nearest first (the same for every event with this date)."""
        key = (answer, n, latest)
        if key in self._near:
            return self._near[key]
        pool = self.sorted.get(answer.precision, [])
        i = bisect.bisect_left(self.keys.get(answer.precision, []), answer.sort_key)
        candidates = pool[max(0, i - n - 2): i + n + 3]
        candidates += [s for k in (-1, 1, -2, 2, -3, 3, -4, -5) if (s := shift_date(answer, k)) is not None]
        seen = {answer.label}
        unique = []
        for c in candidates:
            if c.label in seen or not c.comparable(answer) or (latest is not None and c.start >= latest):
                continue
            if answer.precision in CLOSE and abs(c.start.toordinal() - answer.start.toordinal()) < 28:
                continue
            seen.add(c.label)
            unique.append(c)
        unique.sort(key=lambda c: (abs(c.start.toordinal() - answer.start.toordinal()), c.sort_key))
        self._near[key] = unique
        return unique
