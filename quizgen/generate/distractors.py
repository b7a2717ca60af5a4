"""Wrong options drawn from the dataset: same kind as the answer, plausible, and never also true."""
from __future__ import annotations

import bisect
import functools
import random
from collections import defaultdict
from datetime import date

from ..bank.dates import PartialDate, Precision
from ..bank.loader import Bank
from ..bank.model import Event


def action_class(bank: Bank, event: Event) -> str:
    """Actions of one class answer the same question ("who lifted it?"); the bank's vocabulary says which."""
    return bank.vocabulary.action_class(event.action)


class Truth:
    """Indexes of what the dataset says, to tell a wrong option from another right one."""

    def __init__(self, bank: Bank):
        self.bank = bank
        self.members: dict[str, set[str]] = defaultdict(set)
        for entity in bank.entities.values():
            if entity.country:
                self.members[entity.country].add(entity.id)
        self.actors_for: dict[tuple, set[str]] = defaultdict(set)
        self.subjects_for: dict[tuple, set[str]] = defaultdict(set)
        self.dates_for: dict[tuple, set[str]] = defaultdict(set)
        for e in bank.events.values():
            cls = action_class(bank, e)
            self.actors_for[(cls, e.subject)].update(e.actors)
            for actor in e.actors:
                self.subjects_for[(cls, actor)].add(e.subject)
                self.dates_for[(cls, actor, e.subject)].add(e.date.label)

    def affiliated(self, ids: set[str]) -> set[str]:
        """Add each person's country and each country's people: "Biden authorized" makes "the U.S. authorized" true."""
        found = set(ids)
        for i in ids:
            entity = self.bank.entities.get(i)
            if entity is not None and entity.country:
                found.add(entity.country)
            found |= self.members.get(i, set())
        return found

    def true_actors(self, e: Event) -> set[str]:
        return self.affiliated(self.actors_for[(action_class(self.bank, e), e.subject)] | set(e.actors))

    def true_subjects(self, e: Event) -> set[str]:
        found = {e.subject}
        for actor in self.affiliated(set(e.actors)):
            found |= self.subjects_for[(action_class(self.bank, e), actor)]
        return found

    def true_dates(self, e: Event) -> set[str]:
        found = {e.date.label}
        for actor in self.affiliated(set(e.actors)):
            found |= self.dates_for[(action_class(self.bank, e), actor, e.subject)]
        return found


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

    def __init__(self, bank: Bank):
        self.bank = bank
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        self.by_category: dict[str, list[str]] = defaultdict(list)
        self.by_action_class: dict[tuple[str, str], list[str]] = defaultdict(list)
        for e in bank.events.values():
            for a in e.actors:
                key = (action_class(bank, e), bank.entities[a].kind)
                if a not in self.by_action_class[key]:
                    self.by_action_class[key].append(a)
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

    def like(self, answer: str, n: int, exclude: set[str], rng: random.Random,
             event: Event | None = None) -> list[str]:
        """n entities of the answer's kind, most plausible group first (those who did the same kind of thing)."""
        if answer in self.bank.restrictions:
            return draw(self.restrictions, n, exclude | {answer}, rng)
        entity = self.bank.entities[answer]
        groups = []
        if entity.category:
            groups.append(self.by_category[entity.category])
        if event is not None:
            groups.append(self.by_action_class[(action_class(self.bank, event), entity.kind)])
        groups.append(self.active_by_kind[entity.kind])
        groups.append(self.by_kind[entity.kind])
        picked: list[str] = []
        skip = set(exclude) | {answer}
        for group in groups:
            more = draw(group, n - len(picked), skip, rng)
            picked += more
            skip.update(more)
            if len(picked) >= n:
                break
        return picked


@functools.lru_cache(maxsize=65536)
def _shift(d: PartialDate, steps: int) -> PartialDate | None:
    """The same kind of date `steps` units away (days, thirds of a month, months, seasons, thirds of a year, years)."""
    p = d.precision
    try:
        if p is Precision.day:
            return PartialDate.parse(date.fromordinal(d.start.toordinal() + steps).isoformat())
        if p is Precision.year:
            return PartialDate.parse(str(d.start.year + steps))
        if p is Precision.month:
            index = d.start.year * 12 + d.start.month - 1 + steps
            return PartialDate.parse(f"{index // 12:04d}-{index % 12 + 1:02d}")
        parts = {Precision.part_of_month: ["early", "mid", "late"], Precision.part_of_year: ["early", "mid", "late"],
                 Precision.season: ["spring", "summer", "autumn"]}[p]
        part = d.text.rsplit("-", 1)[1]
        if p is Precision.part_of_month:
            index = (d.start.year * 12 + d.start.month - 1) * 3 + parts.index(part) + steps
            month_index, third = divmod(index, 3)
            return PartialDate.parse(f"{month_index // 12:04d}-{month_index % 12 + 1:02d}-{parts[third]}")
        index = d.start.year * 3 + parts.index(part) + steps
        return PartialDate.parse(f"{index // 3:04d}-{parts[index % 3]}")
    except ValueError:
        return None


class DatePools:
    """Dates of the dataset by precision, for near, same-precision wrong dates."""

    def __init__(self, bank: Bank):
        by_precision: dict[Precision, dict[str, PartialDate]] = defaultdict(dict)
        for record in [*bank.events.values(), *bank.quotes.values()]:
            by_precision[record.date.precision][record.date.text] = record.date
        self.sorted: dict[Precision, list[PartialDate]] = {
            p: sorted(ds.values(), key=lambda d: d.sort_key) for p, ds in by_precision.items()}
        self.keys = {p: [d.sort_key for d in ds] for p, ds in self.sorted.items()}

    def near(self, answer: PartialDate, n: int, exclude_labels: set[str], rng: random.Random) -> list[PartialDate]:
        """n wrong dates at the answer's precision: nearby dataset dates and neighbouring periods."""
        pool = self.sorted.get(answer.precision, [])
        i = bisect.bisect_left(self.keys.get(answer.precision, []), answer.sort_key)
        candidates = pool[max(0, i - n - 2): i + n + 3]
        candidates += [s for k in (1, -1, 2, -2, 3, -3, 4, -4) if (s := _shift(answer, k)) is not None]
        seen = set(exclude_labels) | {answer.label}
        unique = []
        for c in candidates:
            if c.label not in seen and c.comparable(answer):
                seen.add(c.label)
                unique.append(c)
        unique.sort(key=lambda c: abs(c.start.toordinal() - answer.start.toordinal()))
        nearest = unique[: n + 2]
        rng.shuffle(nearest)
        return nearest[:n]
